package template_test

import (
	"testing"

	"github.com/iotpt/iotpt/template"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, ``},
		{`plain`, `plain`},
		{`say "hi"`, `say \"hi\"`},
		{`C:\dir`, `C:\\dir`},
		{"a\nb\r\tc", `a\nb\r\tc`},
		{"\x00\x1f\x7f", `\u0000\u001f\u007f`},
		{`a/b`, `a/b`},
		{`température 東京 😀`, `température 東京 😀`},
		{"bad\xffbyte", `bad\ufffdbyte`},
	}
	for _, tc := range tests {
		if got := template.Escape(tc.in); got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestUnescape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`\"\\\/\b\f\n\r\t`, "\"\\/\b\f\n\r\t"},
		{`\u00e9\u6771`, "é東"},
		{`\ud83d\ude00`, "😀"},
		{`\ud83d alone`, "\uFFFD alone"},
		{`\udc00`, "\uFFFD"},
		{`\q`, `\q`},
		{`end\`, `end\`},
	}
	for _, tc := range tests {
		if got := template.Unescape(tc.in); got != tc.want {
			t.Errorf("Unescape(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
