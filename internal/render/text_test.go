package render

import (
	"bytes"
	"fmt"
	"runtime"
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
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range 100 {
		out.Reset()
		Text(&out, at(500_000), src)
	}
	runtime.ReadMemStats(&after)
	if per := (after.TotalAlloc - before.TotalAlloc) / 100; per > 64<<10 {
		t.Errorf("%d bytes allocated per snippet of a 1.25 MB line", per)
	}
	out.Reset()
	Text(&out, at(400_000), src) // character 320,001
	lines := strings.Split(out.String(), "\n")
	if len(lines) != 4 || lines[0] != "one.json:1:320001: error PT001: m" {
		t.Fatalf("got %q", out.String())
	}
	caret := strings.Index(lines[2], "^")
	text := []rune(lines[1])
	if caret < 0 || caret >= len(text) || text[caret] != '"' || !strings.HasPrefix(lines[2][caret:], "^~~") {
		t.Errorf("caret not under the string:\n%s", out.String())
	}
	if n := len(text); n > DefaultWidth {
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
