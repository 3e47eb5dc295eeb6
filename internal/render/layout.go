package render

import (
	"io"
	"strings"

	"github.com/rivo/uniseg"
)

// DefaultWidth is the width of an output whose width is unknown: a pipe,
// a file, a terminal that does not say.
const DefaultWidth = 80

// minWidth is the narrowest layout: below it, lines are laid out for this
// width and the terminal wraps them.
const minWidth = 40

// WithWidth returns w marked with its width in columns: Text fits source
// snippets into it and Plan wraps its lines to it. The caller finds the
// width (COLUMNS, the terminal's size); n <= 0 means DefaultWidth.
func WithWidth(w io.Writer, n int) io.Writer {
	s := styleOf(w)
	s.width = n
	return s
}

// Width is the width w was marked with, else DefaultWidth.
func Width(w io.Writer) int {
	if s, ok := w.(styled); ok && s.width > 0 {
		return max(s.width, minWidth)
	}
	return DefaultWidth
}

// displayWidth is how many terminal columns s takes: wide characters count
// two, ANSI escape sequences none.
func displayWidth(s string) int {
	n := 0
	for _, part := range splitANSI(s) {
		if !strings.HasPrefix(part, "\x1b[") {
			n += uniseg.StringWidth(part)
		}
	}
	return n
}

// runeWidth is how many columns r takes (at least one: the snippet shows
// every character).
func runeWidth(r rune) int {
	return max(uniseg.StringWidth(string(r)), 1)
}

// splitANSI cuts s into runs of text and whole ANSI escape sequences.
func splitANSI(s string) []string {
	var parts []string
	for s != "" {
		i := strings.Index(s, "\x1b[")
		if i < 0 {
			return append(parts, s)
		}
		if i > 0 {
			parts = append(parts, s[:i])
		}
		end := strings.IndexFunc(s[i+2:], func(r rune) bool { return r >= '@' && r <= '~' })
		if end < 0 {
			return append(parts, s[i:])
		}
		parts = append(parts, s[i:i+2+end+1])
		s = s[i+2+end+1:]
	}
	return parts
}

// wrap breaks a line wider than width into lines that fit, continuing with
// hang columns of indentation. It breaks after a space, else after one of
// / : , - (long ARNs and topics), else anywhere; ANSI sequences are never
// cut.
func wrap(line string, width, hang int) []string {
	return wrapKeep(line, width, hang, 0)
}

// wrapKeep is wrap that never cuts the first keep columns of the line (a
// file:line:col location, which terminals and editors must see whole): a
// first line that cannot hold them grows to the next space instead.
func wrapKeep(line string, width, hang, keep int) []string {
	if displayWidth(line) <= width {
		return []string{line}
	}
	hang = min(hang, width/2)
	type cell struct {
		text  string
		width int
	}
	var cells []cell
	for _, part := range splitANSI(line) {
		if strings.HasPrefix(part, "\x1b[") {
			cells = append(cells, cell{part, 0})
			continue
		}
		g := uniseg.NewGraphemes(part)
		for g.Next() {
			cells = append(cells, cell{g.Str(), g.Width()})
		}
	}
	var out []string
	indent := ""
	for len(cells) > 0 {
		avail := width - len(indent)
		used, fit := 0, 0
		for fit < len(cells) && used+cells[fit].width <= avail {
			used += cells[fit].width
			fit++
		}
		if fit == len(cells) {
			out = append(out, indent+joinCells(cells, func(c cell) string { return c.text }))
			break
		}
		// The first line is not cut within its hang: that would only move
		// a value under itself.
		low, w := 0, 0
		for indent == "" && low < fit && w < hang {
			w += cells[low].width
			low++
		}
		low = max(low, fit/3)
		cut := 0
		if indent == "" && keep > 0 {
			kept, w := 0, 0
			for kept < len(cells) && w < keep {
				w += cells[kept].width
				kept++
			}
			if kept > fit { // the kept part alone is too wide: cut after it
				cut = kept
				for cut < len(cells) && cells[cut].text != " " {
					cut++
				}
			}
			low = max(low, kept)
		}
		if cut == 0 && cells[fit].text == " " && fit > low { // the line fits up to a space
			cut = fit
		}
		for i := fit; cut == 0 && i > low; i-- { // prefer a space, then a soft break
			if cells[i-1].text == " " {
				cut = i
			}
		}
		if cut == 0 {
			for i := fit; i > low; i-- {
				if cells[i-1].text != "" && strings.Contains("/:,-", cells[i-1].text) {
					cut = i
					break
				}
			}
		}
		if cut == 0 {
			cut = max(fit, 1)
		}
		head := strings.TrimRight(joinCells(cells[:cut], func(c cell) string { return c.text }), " ")
		out = append(out, indent+head)
		cells = cells[cut:]
		for len(cells) > 0 && cells[0].text == " " {
			cells = cells[1:]
		}
		indent = strings.Repeat(" ", hang)
	}
	return out
}

func joinCells[T any](cells []T, text func(T) string) string {
	var b strings.Builder
	for _, c := range cells {
		b.WriteString(text(c))
	}
	return b.String()
}

// wrapText wraps every line of s to width; hang gives each line's
// continuation indent.
func wrapText(s string, width int, hang func(line string) int) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		body := strings.TrimSuffix(l, "\n")
		for i, part := range wrap(body, width, hang(body)) {
			if i > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(part)
		}
		if strings.HasSuffix(l, "\n") {
			b.WriteByte('\n')
		}
	}
	return b.String()
}
