package template

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// TestOffsetSteps counts the characters the YAML position lookup decodes
// for a one-line list: the count grows linearly with the line, where a
// lookup that rescans the line from its start would quadruple it.
func TestOffsetSteps(t *testing.T) {
	steps := func(n int) int {
		text := []byte("[" + strings.TrimSuffix(strings.Repeat("é,", n), ",") + "]")
		var doc yaml.Node
		if err := yaml.Unmarshal(text, &doc); err != nil {
			t.Fatal(err)
		}
		r := &yamlReader{src: NewSource("l.yaml", text), max: DefaultMaxDepth, budget: aliasBudget(len(text))}
		r.node(doc.Content[0], "")
		return r.steps
	}
	small, large := steps(10_000), steps(20_000)
	if small == 0 || large > 2*small+posStride {
		t.Errorf("position lookups decoded %d characters for 10,000 elements and %d for 20,000", small, large)
	}
}

// naiveOffset is the position lookup by rescanning the line.
func naiveOffset(src *Source, line, col int) int {
	text, start := src.LineText(line)
	off := 0
	for i := 1; i < col && off < len(text); i++ {
		_, size := utf8.DecodeRune(text[off:])
		off += size
	}
	return start + off
}

// FuzzYAMLAliases builds YAML documents of anchors and aliases (levels of
// width aliases each, optionally as merge keys, around arbitrary text) and
// parses them: no panic, expansion past the budget is an error, and every
// node's position is the one a rescan of its line gives.
func FuzzYAMLAliases(f *testing.F) {
	f.Add(uint8(9), uint8(9), false, "lol")
	f.Add(uint8(3), uint8(2), true, "é: [x, \"y\"]")
	f.Add(uint8(1), uint8(1), false, "")
	f.Fuzz(func(t *testing.T, levels, width uint8, merge bool, leaf string) {
		levels, width = levels%12, width%12+1
		var b strings.Builder
		fmt.Fprintf(&b, "a0: &a0 {k: %q}\n", leaf)
		for l := 1; l <= int(levels); l++ {
			if merge {
				fmt.Fprintf(&b, "a%d: &a%d\n  <<: *a%d\n", l, l, l-1)
				for i := range int(width) {
					fmt.Fprintf(&b, "  k%d: *a%d\n", i, l-1)
				}
				continue
			}
			fmt.Fprintf(&b, "a%d: &a%d [", l, l)
			for i := range int(width) {
				if i > 0 {
					b.WriteString(", ")
				}
				fmt.Fprintf(&b, "*a%d", l-1)
			}
			b.WriteString("]\n")
		}
		text := []byte(b.String())
		src := NewSource("f.yaml", text)
		root, diags := parseYAML(src, DefaultMaxDepth)
		expanded := 1.0
		for range int(levels) {
			expanded *= float64(width)
		}
		if expanded > float64(10*aliasBudget(len(text))) && !diags.HasErrors() {
			t.Fatalf("%d levels of %d aliases parsed without error", levels, width)
		}
		_ = root
		var doc yaml.Node
		if yaml.Unmarshal(text, &doc) != nil {
			return
		}
		r := &yamlReader{src: src}
		var visit func(y *yaml.Node, depth int)
		visit = func(y *yaml.Node, depth int) {
			if depth > 20 {
				return
			}
			if got, want := r.offset(y.Line, y.Column), naiveOffset(src, y.Line, y.Column); got != want {
				t.Fatalf("offset of %d:%d = %d, want %d", y.Line, y.Column, got, want)
			}
			for _, c := range y.Content {
				visit(c, depth+1)
			}
		}
		visit(&doc, 0)
	})
}

// A plain scalar that would read back as another type is quoted.
func TestYAMLPlainQuoting(t *testing.T) {
	for in, want := range map[string]string{
		"ACTIVE": "ACTIVE", "2012-10-17": `"2012-10-17"`, "true": `"true"`, "a: b": `"a: b"`, "x #y": `"x #y"`, "": `""`, "- x": `"- x"`, "1e3": `"1e3"`,
	} {
		if got := yamlPlain(in); got != want {
			t.Errorf("%q: got %s, want %s", in, got, want)
		}
	}
}

// naiveSortKeys is the O(n²) computation Sort had: for each finding, the
// start of the last parse error that starts inside it.
func naiveSortKeys(ds Diagnostics) []int {
	at := make([]int, len(ds))
	for i, d := range ds {
		at[i] = d.Range.Start.Byte
		if IsParseCode(d.Code) {
			continue
		}
		for _, p := range ds {
			if IsParseCode(p.Code) && p.Range.Filename == d.Range.Filename && p.Range.Start.Byte > at[i] && p.Range.Start.Byte < d.Range.End.Byte {
				at[i] = p.Range.Start.Byte
			}
		}
	}
	return at
}

// Sort orders findings as the quadratic version did, in O(n log n).
func TestSortMatchesNaive(t *testing.T) {
	var ds Diagnostics
	for i := range 400 {
		code := "PT201"
		if i%7 == 0 {
			code = CodeSyntax
		}
		start := (i * 7919) % 1000
		ds = append(ds, Diagnostic{Code: code, Message: fmt.Sprint(i),
			Range: Range{Filename: fmt.Sprint("f", i%3), Start: Pos{Byte: start, Line: 1}, End: Pos{Byte: start + (i*31)%200, Line: 1}}})
	}
	want := slices.Clone(ds)
	at := naiveSortKeys(want)
	idx := make([]int, len(want))
	for i := range idx {
		idx[i] = i
	}
	rank := func(d Diagnostic) int {
		if IsParseCode(d.Code) {
			return 0
		}
		return 1
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := want[i], want[j]
		return cmp.Or(cmp.Compare(a.Range.Filename, b.Range.Filename), cmp.Compare(at[i], at[j]), cmp.Compare(rank(a), rank(b)),
			cmp.Compare(a.Range.Start.Byte, b.Range.Start.Byte), cmp.Compare(a.Range.End.Byte, b.Range.End.Byte),
			cmp.Compare(a.Code, b.Code), cmp.Compare(a.Message, b.Message))
	})
	got := slices.Clone(ds)
	got.Sort()
	for k, i := range idx {
		if got[k].Message != want[i].Message {
			t.Fatalf("position %d: got %v, want %v", k, got[k], want[i])
		}
	}
}
