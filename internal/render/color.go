package render

import "io"

// styled marks an output stream with how it is to be written: in ANSI
// colours or not, and how wide it is.
type styled struct {
	io.Writer
	color bool
	width int
}

func styleOf(w io.Writer) styled {
	if s, ok := w.(styled); ok {
		return s
	}
	return styled{Writer: w}
}

// Underlying is the stream w marks (for a progress bar that needs the
// terminal itself), or w when it is not marked.
func Underlying(w io.Writer) io.Writer {
	if s, ok := w.(styled); ok {
		return s.Writer
	}
	return w
}

// Color returns w marked for colour: Text and the other writers of this
// package then colour what they write to it. The caller decides (a
// terminal, no NO_COLOR, --color).
func Color(w io.Writer) io.Writer {
	s := styleOf(w)
	s.color = true
	return s
}

// IsColor reports whether w was marked by Color.
func IsColor(w io.Writer) bool {
	s, ok := w.(styled)
	return ok && s.color
}

// ANSI styles.
const (
	styleReset  = "\x1b[0m"
	styleBold   = "\x1b[1m"
	styleDim    = "\x1b[2m"
	styleRed    = "\x1b[1;31m"
	styleGreen  = "\x1b[32m"
	styleYellow = "\x1b[1;33m"
	styleCyan   = "\x1b[1;36m"
)

// paint wraps s in style when w wants colour.
func paint(w io.Writer, style, s string) string {
	if !IsColor(w) || s == "" {
		return s
	}
	return style + s + styleReset
}

// Pass and Fail colour the verdict words of test reports.
func Pass(w io.Writer, s string) string { return paint(w, styleGreen, s) }

// Fail colours a failure verdict.
func Fail(w io.Writer, s string) string { return paint(w, styleRed, s) }
