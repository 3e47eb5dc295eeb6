package render

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestWrap(t *testing.T) {
	for _, tc := range []struct {
		line  string
		width int
		hang  int
		want  []string
	}{
		{"short", 20, 4, []string{"short"}},
		{"one two three four five six", 12, 2, []string{"one two", "  three four", "  five six"}},
		// An ARN breaks after a slash or colon rather than anywhere.
		{`x = "arn:aws:iot:eu-west-1:123456789012:topic/telemetry/device"`, 40, 5, []string{`x = "arn:aws:iot:eu-west-1:123456789012:`, `     topic/telemetry/device"`}},
		// No break point: cut at the width.
		{strings.Repeat("a", 25), 10, 0, []string{strings.Repeat("a", 10), strings.Repeat("a", 10), strings.Repeat("a", 5)}},
		// ANSI sequences take no width and are never cut.
		{"\x1b[1;31merror\x1b[0m one two three", 15, 2, []string{"\x1b[1;31merror\x1b[0m one two", "  three"}},
		// Wide characters count two columns.
		{"東京 東京 東京 東京", 10, 0, []string{"東京 東京", "東京 東京"}},
	} {
		got := wrap(tc.line, tc.width, tc.hang)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("wrap(%q, %d) (-want +got):\n%s", tc.line, tc.width, diff)
		}
		for _, l := range got {
			if displayWidth(l) > tc.width {
				t.Errorf("wrap(%q, %d): %q is %d columns", tc.line, tc.width, l, displayWidth(l))
			}
		}
	}
}

func TestWrapKeepsLocation(t *testing.T) {
	for _, tc := range []struct {
		line string
		keep int
		want []string
	}{
		{"dir/some-long-file-name.json:22:63: error PT221: message", 35, []string{"dir/some-long-file-name.json:22:63:", "    error PT221: message"}},
		{"a.json:1:2: error PT221: the message goes on", 11, []string{"a.json:1:2: error PT221:", "    the message goes on"}},
	} {
		got := wrapKeep(tc.line, 25, 4, tc.keep)
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("wrapKeep(%q) (-want +got):\n%s", tc.line, diff)
		}
	}
}

func TestMarkdownPlain(t *testing.T) {
	var b strings.Builder
	Markdown(WithWidth(&b, 40), "# PT001: Malformed JSON\n\nA **bold** claim that goes on long enough to wrap at forty columns.\n\n```\n{\"a\": 1}\n```\n")
	want := "PT001: Malformed JSON\n---------------------\n\nA bold claim that goes on long enough to\nwrap at forty columns.\n\n    {\"a\": 1}\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Markdown (-want +got):\n%s", diff)
	}
}

// FuzzWrap checks that wrapped lines fit their width and that wrapping
// only removes the spaces it breaks at.
func FuzzWrap(f *testing.F) {
	f.Add("one two three four five six", 40, 4)
	f.Add(`"arn:aws:iot:eu-west-1:123456789012:topic/telemetry/${iot:Connection.Thing.ThingName}/*"`, 40, 10)
	f.Add("東京の温度センサー、東京の湿度センサー、大阪の温度センサー", 40, 2)
	f.Fuzz(func(t *testing.T, line string, width, hang int) {
		if strings.ContainsAny(line, "\n\r\x1b") || !utf8.ValidString(line) {
			return
		}
		width = 40 + abs(width)%80
		hang = abs(hang) % 60
		got := wrap(line, width, hang)
		for _, l := range got {
			if w := displayWidth(l); w > width {
				t.Errorf("%q: line %q is %d columns, more than %d", line, l, w, width)
			}
		}
		squash := func(s string) string { return strings.Join(strings.Fields(s), "") }
		if squash(strings.Join(got, "")) != squash(line) {
			t.Errorf("%q: wrapping changed the text: %q", line, got)
		}
	})
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
