package render

import "io"

// colored marks an output stream on which ANSI colours are wanted.
type colored struct{ io.Writer }

// Color returns w marked for colour: Text and the other writers of this
// package then colour what they write to it. The caller decides (a
// terminal, no NO_COLOR, --color).
func Color(w io.Writer) io.Writer {
	if IsColor(w) {
		return w
	}
	return colored{w}
}

// IsColor reports whether w was marked by Color.
func IsColor(w io.Writer) bool {
	_, ok := w.(colored)
	return ok
}

// ANSI styles.
const (
	styleReset  = "\x1b[0m"
	styleBold   = "\x1b[1m"
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
