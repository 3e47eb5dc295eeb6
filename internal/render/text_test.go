package render

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// A snippet works on a window of the line, so a file that is one line of a
// megabyte with many findings on it renders in time and memory in
// proportion to the findings, not to findings times the line.
func TestSnippetLongLine(t *testing.T) {
	line := strings.Repeat(`"é",`, 250_000) // 1.25 MB on one line
	src := template.NewSource("one.json", []byte(line))
	var out bytes.Buffer
	at := func(off int) template.Diagnostic {
		return template.Diagnostic{Severity: template.Error, Code: "PT001", Message: "m", Range: src.Range(off, off+4)}
	}
	allocs := testing.AllocsPerRun(10, func() {
		out.Reset()
		Text(&out, at(500_000), src)
	})
	if allocs > 40 {
		t.Errorf("%.0f allocations for one snippet", allocs)
	}
	out.Reset()
	Text(&out, at(400_000), src) // character 320,001
	got := out.String()
	want := "one.json:1:320001: error PT001: m\n    1 | …," + strings.Repeat(`"é",`, 24) + `"é"…` + "\n      | " + strings.Repeat(" ", 34) + "^~~\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	lines := strings.Split(got, "\n")
	if len(lines) != 4 {
		t.Fatalf("got %q", got)
	}
	caret := strings.Index(lines[2], "^")
	if [](rune)(lines[1])[len([]rune(lines[2][:caret]))] != '"' {
		t.Errorf("caret not under the string:\n%s", got)
	}
	if n := len([]rune(lines[1])); n > snippetWidth+10 {
		t.Errorf("snippet of %d characters", n)
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain é":             "plain é",
		"dev\x1b]0;pwned\x07": `dev\x1b]0;pwned\x07`,
		"a\x00b\nc\td\r":      `a\x00b\nc\td\r`,
		"csi \u009b31m":       `csi \x9b31m`,
		"bidi \u202egnp.exe":  `bidi \u202egnp.exe`,
		"key -----BEGIN EC PRIVATE KEY-----\nMHcCAQEE\n-----END EC PRIVATE KEY----- end": "key <private key, 68 bytes, not shown> end",
	} {
		if got := Clean(in); got != want {
			t.Errorf("Clean(%q) = %q, want %q", in, got, want)
		}
	}
	if got := CleanLines("a\nb\x1b"); got != "a\nb\\x1b" {
		t.Errorf("CleanLines = %q", got)
	}
}

// A snippet of a line that holds a private key is not shown.
func TestSnippetPrivateKey(t *testing.T) {
	src := template.NewSource("p.json", []byte(`{"Key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----", "x": 1}`))
	var out bytes.Buffer
	Text(&out, template.Diagnostic{Severity: template.Error, Code: "PT130", Message: "m", Range: src.Range(60, 61)}, src)
	if strings.Contains(out.String(), "MIIE") {
		t.Errorf("snippet shows the key:\n%s", out.String())
	}
}

func BenchmarkSnippetLongLine(b *testing.B) {
	for _, n := range []int{100_000, 200_000} {
		src := template.NewSource("one.json", []byte(strings.Repeat(`"é",`, n)))
		d := template.Diagnostic{Severity: template.Error, Code: "PT001", Message: "m", Range: src.Range(4*n/2, 4*n/2+4)}
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var out bytes.Buffer
			for b.Loop() {
				out.Reset()
				Text(&out, d, src)
			}
		})
	}
}
