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

// Text writes d as "file:line:col: severity CODE: message", followed, when
// src is the diagnostic's file and d has a position, by the source line with
// a caret under the offending text.
func Text(w io.Writer, d template.Diagnostic, src *template.Source) {
	text(w, d, src, "")
}

// TextFixable is Text for a finding that lint --fix can fix: the message
// ends with "[fixable]".
func TextFixable(w io.Writer, d template.Diagnostic, src *template.Source) {
	text(w, d, src, " "+paint(w, styleGreen, "[fixable]"))
}

func text(w io.Writer, d template.Diagnostic, src *template.Source, mark string) {
	style := severityStyle(d.Severity)
	width := Width(w)
	loc := Clean(d.Range.Location())
	header := fmt.Sprintf("%s: %s %s: %s%s", paint(w, styleBold, loc), paint(w, style, d.Severity.String()), paint(w, styleBold, Clean(d.Code)), Clean(d.Message), mark)
	keep := displayWidth(loc) + 1 // "file:line:col:" stays whole
	fmt.Fprintln(w, strings.Join(wrapKeep(header, width, 4, keep), "\n"))
	if src == nil || !d.Range.Start.IsValid() || src.Name() != d.Range.Filename {
		return
	}
	fmt.Fprint(w, snippet(src, d.Range, width, func(carets string) string { return paint(w, style, carets) }))
	for _, r := range d.Related {
		fmt.Fprintln(w, strings.Join(wrapKeep(fmt.Sprintf("  %s: %s", Clean(r.Range.Location()), Clean(r.Message)), width, 4, displayWidth(Clean(r.Range.Location()))+3), "\n"))
	}
}

// snippet renders the first line of rng with a caret line under it, each
// line indented and prefixed by a gutter, together at most width columns
// wide; paint styles the carets:
//
//	3 |   "ThingName": {"Ref": "Name"},
//	  |                ^~~~~~~~~~~~~~
//
// A line too long for the width (an escaped template body often sits on
// one line of thousands of characters) is shown as a window around the
// position, cut with …. The caret stays under its character, wide
// characters counting two columns.
func snippet(src *template.Source, rng template.Range, width int, paint func(string) string) string {
	line, lineStart := src.LineText(rng.Start.Line)
	if holdsPrivateKey(src, rng.Start.Line, line) {
		return fmt.Sprintf("%5d | %s\n", rng.Start.Line, "<the line holds a private key, not shown>")
	}
	startCol, endCol := rng.Start.Column, 0 // one caret
	switch {
	case rng.End.Line == rng.Start.Line:
		endCol = rng.End.Column
	case rng.End.Line > rng.Start.Line:
		endCol = -1 // to the end of the line
	}
	// Only a window of the line can be shown: cut a long line to twice the
	// width around the position first, so that the work per snippet does
	// not grow with the line (a one-line body of megabytes can have
	// thousands of findings). snippetLine then cuts its window, with its
	// … marks, inside this one.
	if len(line) > 8*width {
		start := min(max(rng.Start.Byte-lineStart, 0), len(line))
		from, to := start, start
		for n := 0; n < 2*width && from > 0; n++ {
			_, size := utf8.DecodeLastRune(line[:from])
			from -= size
		}
		for n := 0; n < 2*width && to < len(line); n++ {
			_, size := utf8.DecodeRune(line[to:])
			to += size
		}
		cut := utf8.RuneCount(line[from:start]) + 1
		if endCol > 0 {
			endCol += cut - startCol
		}
		startCol, line = cut, line[from:to]
	}
	return snippetLine(line, rng.Start.Line, startCol, endCol, width, paint)
}

// LineSnippet shows one line of a file numbered lineNo, with a caret
// under column col (1-based, in characters), laid out for w as Text lays
// out its snippets.
func LineSnippet(w io.Writer, line []byte, lineNo, col int) string {
	return snippetLine(line, lineNo, col, col+1, Width(w), func(s string) string { return paint(w, styleRed, s) })
}

// snippetLine renders line with carets from column startCol to endCol
// (exclusive; -1: to the end of the line).
func snippetLine(line []byte, lineNo, startCol, endCol, width int, paint func(string) string) string {
	chars := []rune(displayable(line))
	startCol--
	switch {
	case endCol < 0:
		endCol = len(chars)
	case endCol-1 > startCol:
		endCol--
	default:
		endCol = startCol + 1
	}
	startCol = min(startCol, len(chars))
	endCol = max(min(endCol, len(chars)), startCol+1)
	cols := func(rs []rune) int {
		n := 0
		for _, r := range rs {
			n += runeWidth(r)
		}
		return n
	}

	gutter := fmt.Sprintf("%5d", lineNo)
	from, to := 0, len(chars)
	if avail := width - len(gutter) - 3; cols(chars) > avail {
		// A window of budget columns, leaving room for … on both sides,
		// starting about a third of it before the position. The line's
		// indentation is dropped first: it says nothing.
		indent := 0
		for indent < startCol && chars[indent] == ' ' {
			indent++
		}
		budget := max(avail-2, 10)
		used := 0
		for from = startCol; from > indent && used+runeWidth(chars[from-1]) <= budget/3; from-- {
			used += runeWidth(chars[from-1])
		}
		for to = startCol; to < len(chars) && used+runeWidth(chars[to]) <= budget; to++ {
			used += runeWidth(chars[to])
		}
		for ; from > indent && used+runeWidth(chars[from-1]) <= budget; from-- {
			used += runeWidth(chars[from-1])
		}
	}
	var text strings.Builder
	caretPad := cols(chars[from:startCol])
	if from > 0 && strings.TrimSpace(string(chars[:from])) != "" { // not when only the indentation is cut
		text.WriteString("…")
		caretPad++
	}
	text.WriteString(string(chars[from:to]))
	if to < len(chars) {
		text.WriteString("…")
	}
	underline := cols(chars[startCol:max(min(endCol, to), startCol)])
	if startCol >= to { // the position is the end of the line
		underline = 1
	}
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
// (tabs, shown as →; control characters, invalid bytes) with one visible
// character each.
func displayable(line []byte) string {
	var b strings.Builder
	for len(line) > 0 {
		r, size := utf8.DecodeRune(line)
		switch {
		case r == '\t':
			b.WriteRune('→')
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
