// Package render writes diagnostics for people and for machines.
package render

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/template"
)

// Sources finds the source of each file named in diagnostics.
type Sources map[string]*template.Source

// Add records sources by their file names and returns s.
func (s Sources) Add(srcs ...*template.Source) Sources {
	for _, src := range srcs {
		if src != nil {
			s[src.Name()] = src
		}
	}
	return s
}

// snippetWidth is how many characters of a source line are shown at most.
// Escaped template bodies often sit on one line of thousands of characters;
// the snippet then shows a window around the column.
const snippetWidth = 100

// Text writes d as "file:line:col: severity CODE: message", followed, when
// src is the diagnostic's file and d has a position, by the source line with
// a caret under the offending text.
func Text(w io.Writer, d template.Diagnostic, src *template.Source) {
	style := severityStyle(d.Severity)
	fmt.Fprintf(w, "%s: %s %s: %s\n", paint(w, styleBold, Clean(d.Range.Location())), paint(w, style, d.Severity.String()), paint(w, styleBold, Clean(d.Code)), Clean(d.Message))
	if src == nil || !d.Range.Start.IsValid() || src.Name() != d.Range.Filename {
		return
	}
	fmt.Fprint(w, snippet(src, d.Range, func(carets string) string { return paint(w, style, carets) }))
	for _, r := range d.Related {
		fmt.Fprintf(w, "  %s: %s\n", Clean(r.Range.Location()), Clean(r.Message))
	}
}

// snippet renders the first line of rng with a caret line under it, each
// line indented and prefixed by a gutter; paint styles the carets:
//
//	3 |   "ThingName": {"Ref": "Name"},
//	  |                ^~~~~~~~~~~~~~
func snippet(src *template.Source, rng template.Range, paint func(string) string) string {
	// Work on the bytes of a window around the position, never on the whole
	// line: escaped bodies are one line of up to megabytes, and a file
	// can have thousands of findings on it.
	line, lineStart := src.LineText(rng.Start.Line)
	if holdsPrivateKey(src, rng.Start.Line, line) {
		return fmt.Sprintf("%5d | %s\n", rng.Start.Line, "<the line holds a private key, not shown>")
	}
	start := min(max(rng.Start.Byte-lineStart, 0), len(line))
	end := start
	if rng.End.Line == rng.Start.Line && rng.End.Byte > rng.Start.Byte {
		end = min(rng.End.Byte-lineStart, len(line))
	} else if rng.End.Line > rng.Start.Line {
		end = len(line)
	}

	// Choose a window of at most snippetWidth characters around the start:
	// a third before it, the rest after, shifted left at the end of the line.
	from, to := start, start
	before := 0
	for ; before < snippetWidth/3 && from > 0; before++ {
		_, size := utf8.DecodeLastRune(line[:from])
		from -= size
	}
	after := 0
	for ; before+after < snippetWidth && to < len(line); after++ {
		_, size := utf8.DecodeRune(line[to:])
		to += size
	}
	for ; before+after < snippetWidth && from > 0; before++ {
		_, size := utf8.DecodeLastRune(line[:from])
		from -= size
	}
	var text strings.Builder
	caretPad := before
	if from > 0 {
		text.WriteString("…")
		caretPad++
	}
	text.WriteString(displayable(line[from:to]))
	if to < len(line) {
		text.WriteString("…")
	}
	underline := utf8.RuneCount(line[start:min(max(end, start), to)])
	if start >= to { // the position is the end of the line
		underline = 1
	}
	gutter := fmt.Sprintf("%5d", rng.Start.Line)
	blank := strings.Repeat(" ", len(gutter))
	return fmt.Sprintf("%s | %s\n%s | %s%s\n", gutter, strings.TrimRight(text.String(), " "), blank,
		strings.Repeat(" ", caretPad), paint("^"+strings.Repeat("~", max(underline-1, 0))))
}

// keyLine caches whether the last line a snippet showed holds a private
// key: findings come sorted, so a long line is searched once, not once per
// finding on it.
var keyLine struct {
	sync.Mutex
	src  *template.Source
	line int
	has  bool
}

// holdsPrivateKey reports whether line n of src holds (part of) a PEM
// private key block, whose text a snippet must not show.
func holdsPrivateKey(src *template.Source, n int, line []byte) bool {
	keyLine.Lock()
	defer keyLine.Unlock()
	if keyLine.src != src || keyLine.line != n {
		keyLine.src, keyLine.line = src, n
		keyLine.has = bytes.Contains(line, []byte("PRIVATE KEY-----"))
	}
	return keyLine.has
}

// Clean makes text from inputs safe to print on a terminal: control
// characters (ESC, NUL, newlines, DEL, C1 controls) are escaped as \x1b,
// \n, ..., so that a certificate's CommonName or a file name cannot move the
// cursor or change colours, and PEM private key blocks are replaced by a
// placeholder (see package secret).
func Clean(text string) string { return clean(text, false) }

// CleanLines is Clean for text of several lines: it keeps the newlines.
func CleanLines(text string) string { return clean(text, true) }

func clean(text string, keepNewlines bool) string {
	text = secret.Redact(text)
	escape := func(r rune) bool { return isControl(r) && !(keepNewlines && r == '\n') }
	ok := true
	for _, r := range text {
		if escape(r) {
			ok = false
			break
		}
	}
	if !ok {
		var b strings.Builder
		for _, r := range text {
			if !escape(r) {
				b.WriteRune(r)
				continue
			}
			switch r {
			case '\n':
				b.WriteString(`\n`)
			case '\r':
				b.WriteString(`\r`)
			case '\t':
				b.WriteString(`\t`)
			default:
				if r < 0x100 {
					fmt.Fprintf(&b, `\x%02x`, r)
				} else {
					fmt.Fprintf(&b, `\u%04x`, r)
				}
			}
		}
		text = b.String()
	}
	return text
}

// isControl reports a character that a terminal would act on: C0 and C1
// controls, DEL, and the bidirectional overrides that reorder text.
func isControl(r rune) bool {
	return r < 0x20 || r >= 0x7f && r < 0xa0 || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// displayable replaces characters that would break the caret alignment
// (tabs, control characters, invalid bytes) with one visible character each.
func displayable(line []byte) string {
	var b strings.Builder
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		switch {
		case r == '\t':
			b.WriteByte(' ')
		case isControl(r) || (r == utf8.RuneError && size == 1):
			b.WriteRune('�')
		default:
			b.WriteRune(r)
		}
		line = line[size:]
	}
	return b.String()
}

func severityStyle(s template.Severity) string {
	switch s {
	case template.Error:
		return styleRed
	case template.Warning:
		return styleYellow
	}
	return styleCyan
}

// Plural formats a count with its noun: "1 error", "2 errors", "2 fixes".
func Plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	if strings.HasSuffix(noun, "x") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
