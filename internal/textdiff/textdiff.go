// Package textdiff writes the differences between two texts as a unified
// diff, the form diff -u, git diff and gofmt -d print.
package textdiff

import (
	"fmt"
	"strings"
)

// context is how many unchanged lines surround each change.
const context = 3

// maxCells bounds the work of the line matching (lines of a times lines
// of b); past it, the changed middle of the texts is shown as one
// replacement rather than matched line by line.
const maxCells = 4 << 20

// op is one line of an edit script.
type op struct {
	kind byte // ' ', '-' or '+'
	text string
}

// Unified returns the unified diff that turns a (named aName) into b
// (named bName), or "" when they are equal. Lines are compared whole; a
// last line without a newline is marked as diff marks it.
func Unified(aName, bName string, a, b []byte) string {
	if string(a) == string(b) {
		return ""
	}
	ops := diffLines(splitLines(string(a)), splitLines(string(b)))
	var out strings.Builder
	fmt.Fprintf(&out, "--- %s\n+++ %s\n", aName, bName)
	for start := 0; start < len(ops); {
		// Find the next change and the extent of its hunk.
		first := start
		for first < len(ops) && ops[first].kind == ' ' {
			first++
		}
		if first == len(ops) {
			break
		}
		from := max(first-context, start)
		end := first
		for i := first; i < len(ops); i++ {
			if ops[i].kind != ' ' {
				end = i + 1
			} else if i-end >= 2*context {
				break
			}
		}
		to := min(end+context, len(ops))
		writeHunk(&out, ops, from, to)
		start = to
	}
	return out.String()
}

// writeHunk writes ops[from:to] with its @@ header.
func writeHunk(out *strings.Builder, ops []op, from, to int) {
	aStart, bStart := 1, 1
	for _, o := range ops[:from] {
		if o.kind != '+' {
			aStart++
		}
		if o.kind != '-' {
			bStart++
		}
	}
	aLen, bLen := 0, 0
	for _, o := range ops[from:to] {
		if o.kind != '+' {
			aLen++
		}
		if o.kind != '-' {
			bLen++
		}
	}
	fmt.Fprintf(out, "@@ -%s +%s @@\n", hunkRange(aStart, aLen), hunkRange(bStart, bLen))
	for _, o := range ops[from:to] {
		out.WriteByte(o.kind)
		if strings.HasSuffix(o.text, "\n") {
			out.WriteString(o.text)
		} else {
			out.WriteString(o.text + "\n\\ No newline at end of file\n")
		}
	}
}

// hunkRange formats "start,len" as diff does: an empty range names the
// line before it.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}

// splitLines cuts s after each newline.
func splitLines(s string) []string {
	lines := strings.SplitAfter(s, "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// diffLines returns an edit script from a to b: the common prefix and
// suffix, and a longest common subsequence of the middle.
func diffLines(a, b []string) []op {
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	var ops []op
	for _, l := range a[:pre] {
		ops = append(ops, op{' ', l})
	}
	ops = append(ops, lcs(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		ops = append(ops, op{' ', l})
	}
	return ops
}

// lcs matches a and b by a longest common subsequence (dynamic
// programming), or replaces a by b when they are too large to match.
func lcs(a, b []string) []op {
	var ops []op
	if len(a)*len(b) > maxCells {
		for _, l := range a {
			ops = append(ops, op{'-', l})
		}
		for _, l := range b {
			ops = append(ops, op{'+', l})
		}
		return ops
	}
	// n[i][j] is the length of the LCS of a[i:] and b[j:].
	n := make([][]int32, len(a)+1)
	for i := range n {
		n[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				n[i][j] = n[i+1][j+1] + 1
			} else {
				n[i][j] = max(n[i+1][j], n[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			ops = append(ops, op{' ', a[i]})
			i, j = i+1, j+1
		case n[i+1][j] >= n[i][j+1]:
			ops = append(ops, op{'-', a[i]})
			i++
		default:
			ops = append(ops, op{'+', b[j]})
			j++
		}
	}
	for ; i < len(a); i++ {
		ops = append(ops, op{'-', a[i]})
	}
	for ; j < len(b); j++ {
		ops = append(ops, op{'+', b[j]})
	}
	return ops
}
