package render

import (
	"fmt"
	"io"
	"regexp"
	"strings"
)

var (
	reBold = regexp.MustCompile(`\*\*([^*]+)\*\*`)
	reCode = regexp.MustCompile("`([^`]+)`")
)

// styleCode colours code in Markdown laid out for a terminal.
const styleCode = "\x1b[36m"

// Markdown writes a Markdown document laid out for reading on a terminal:
// headings bold (underlined with dashes without colour), paragraphs and
// list items wrapped to w's Width, fenced code blocks indented four
// columns and coloured, **bold** and `code` styled. It knows the Markdown
// iotpt's documentation uses, not all of CommonMark.
func Markdown(w io.Writer, md string) {
	width := Width(w)
	var para []string
	flush := func() {
		if len(para) == 0 {
			return
		}
		text := inlineMarkdown(w, strings.Join(para, " "))
		hang := 0
		if strings.HasPrefix(text, "- ") || strings.HasPrefix(text, "* ") {
			hang = 2
		}
		fmt.Fprintln(w, strings.Join(wrap(text, width, hang), "\n"))
		para = nil
	}
	inCode := false
	for _, line := range strings.Split(strings.TrimRight(md, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "```"):
			flush()
			inCode = !inCode
		case inCode:
			fmt.Fprintln(w, "    "+paint(w, styleCode, displayable([]byte(line))))
		case strings.HasPrefix(line, "#"):
			flush()
			title := strings.TrimSpace(strings.TrimLeft(line, "#"))
			if IsColor(w) {
				fmt.Fprintln(w, paint(w, styleBold, title))
			} else {
				fmt.Fprintf(w, "%s\n%s\n", title, strings.Repeat("-", displayWidth(title)))
			}
		case strings.TrimSpace(line) == "":
			flush()
			fmt.Fprintln(w)
		case strings.HasPrefix(line, "- ") || strings.HasPrefix(line, "* "):
			flush()
			para = append(para, line)
		default:
			para = append(para, strings.TrimSpace(line))
		}
	}
	flush()
}

// inlineMarkdown styles **bold** and `code` spans of a paragraph.
func inlineMarkdown(w io.Writer, s string) string {
	if !IsColor(w) {
		return reBold.ReplaceAllString(s, "$1")
	}
	s = reBold.ReplaceAllStringFunc(s, func(m string) string { return paint(w, styleBold, m[2:len(m)-2]) })
	return reCode.ReplaceAllStringFunc(s, func(m string) string { return paint(w, styleCode, m[1:len(m)-1]) })
}
