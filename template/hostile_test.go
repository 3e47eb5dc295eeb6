package template_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// billionLaughs returns a YAML document of levels levels of width aliases
// each: fully expanded it has width^levels leaves.
func billionLaughs(levels, width int) string {
	var b strings.Builder
	b.WriteString("a0: &a0 [lol]\n")
	for l := 1; l <= levels; l++ {
		fmt.Fprintf(&b, "a%d: &a%d [", l, l)
		for i := range width {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", l-1)
		}
		b.WriteString("]\n")
	}
	fmt.Fprintf(&b, "Resources: *a%d\n", levels)
	return b.String()
}

// allocBytes reports the bytes f allocates.
func allocBytes(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestYAMLBillionLaughs(t *testing.T) {
	doc := []byte(billionLaughs(9, 9))
	var diags template.Diagnostics
	alloc := allocBytes(func() {
		_, diags = template.Parse("lol.yaml", doc, template.ParseOptions{})
	})
	if !diags.HasErrors() {
		t.Fatal("a billion laughs document parsed without error")
	}
	var found bool
	for _, d := range diags {
		if d.Code == template.CodeTooLarge && strings.Contains(d.Message, "aliases expand the document") {
			found = true
			if line, _ := template.NewSource("", doc).LineText(d.Range.Start.Line); d.Range.Start.Line < 2 || !strings.Contains(string(line), "*") {
				t.Errorf("error at %v, want the line of an alias", d.Range.Start)
			}
		}
	}
	if !found {
		t.Fatalf("no alias expansion error in %v", diags)
	}
	if alloc > 64<<20 {
		t.Errorf("parsing allocated %d MiB, want a bounded amount", alloc>>20)
	}
	// The same shape in a rules or test file goes through ParseData.
	_, _, diags = template.ParseData("rules.yaml", doc, template.ParseOptions{YAML: true})
	if !diags.HasErrors() {
		t.Fatal("ParseData accepted a billion laughs document")
	}
}

// Modest use of anchors (a statement reused a few times) stays allowed.
func TestYAMLAliasesWithinBudget(t *testing.T) {
	doc := "Parameters: {}\nstmt: &s {Effect: Allow, Action: [\"iot:Connect\"], Resource: [\"*\"]}\nResources:\n  p:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Version: \"2012-10-17\"\n        Statement: [*s, *s, *s, *s]\n"
	_, diags := template.Parse("t.yaml", []byte(doc), template.ParseOptions{})
	for _, d := range diags {
		if d.Code == template.CodeTooLarge {
			t.Fatalf("unexpected %v", d)
		}
	}
}

// oneLineList is a YAML document whose resources hold a flow list of n
// elements on a single line.
func oneLineList(n int) []byte {
	var b strings.Builder
	b.WriteString("Resources:\n  x: {Type: AWS::IoT::Thing, Properties: {ThingName: t, List: [")
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString("é")
	}
	b.WriteString("]}}\n")
	return []byte(b.String())
}

// The position of every node of a long line is found without rescanning
// the line: doubling the line does not quadruple the work.
func TestYAMLLongLineLinear(t *testing.T) {
	measure := func(n int) float64 {
		doc := oneLineList(n)
		return testing.AllocsPerRun(1, func() { template.Parse("l.yaml", doc, template.ParseOptions{}) })
	}
	small, large := measure(20_000), measure(40_000)
	if large > 2.5*small {
		t.Errorf("allocations grew from %.0f to %.0f when the input doubled", small, large)
	}
	// Allocation counts do not see a rescan of the line (TestOffsetSteps
	// counts it); check that one 2 MB line parses with bounded memory.
	doc := oneLineList(700_000) // about 2 MB
	if len(doc) < 2<<20 {
		t.Fatalf("document is %d bytes", len(doc))
	}
	var diags template.Diagnostics
	alloc := allocBytes(func() { _, diags = template.Parse("l.yaml", doc, template.ParseOptions{}) })
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if alloc > 1<<30 {
		t.Errorf("parsing 2 MB allocated %d MiB", alloc>>20)
	}
}

func BenchmarkYAMLLongLine(b *testing.B) {
	for _, n := range []int{50_000, 100_000} {
		doc := oneLineList(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(doc)))
			for b.Loop() {
				template.Parse("l.yaml", doc, template.ParseOptions{})
			}
		})
	}
}

func TestYAMLUnknownTag(t *testing.T) {
	doc := "Resources:\n  t:\n    Type: AWS::IoT::Thing\n    Properties:\n      ThingName: !Reff Name\n"
	f, diags := template.Parse("t.yaml", []byte(doc), template.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	template.Walk(f.Template.Root, func(n template.Node) bool {
		if c, ok := template.AsCall(n); ok {
			for _, d := range c.Check() {
				got = append(got, fmt.Sprintf("%s %s", d.Range.Location(), d.Message))
			}
		}
		return true
	})
	want := "t.yaml:5:18 unknown YAML tag !Reff; did you mean !Ref?"
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q, want [%q]", got, want)
	}
}

func TestYAMLEncoding(t *testing.T) {
	for _, tc := range []struct {
		name, text, want string
	}{
		{"invalid UTF-8", "Resources:\n  a: \"x\xffy\"\n", "t.yaml:2:8 YAML: invalid UTF-8 byte 0xFF; save the file as UTF-8"},
		{"NUL", "Resources:\n  a: b\n  c: d\x00\n", "t.yaml:3:7 YAML: NUL byte in the file"},
		{"UTF-16 BOM", "\xff\xfeR\x00e\x00", "t.yaml:1:1 YAML: the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8"},
		{"UTF-16 without BOM", "R\x00e\x00s\x00:\x00\n\x00", "t.yaml:1:2 YAML: NUL byte in the file; if it is UTF-16, save it as UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, diags := template.Parse("t.yaml", []byte(tc.text), template.ParseOptions{})
			if len(diags) != 1 {
				t.Fatalf("got %v", diags)
			}
			if got := diags[0].Range.Location() + " " + diags[0].Message; got != tc.want {
				t.Errorf("got  %q\nwant %q", got, tc.want)
			}
		})
	}
}

// One long string repeated through aliases costs its length at every
// use: the budget counts bytes of text as well as nodes.
func TestYAMLAliasLongString(t *testing.T) {
	doc := "s: &s " + strings.Repeat("x", 1<<20) + "\nResources: [" + strings.TrimSuffix(strings.Repeat("*s,", 500_000), ",") + "]\n"
	var diags template.Diagnostics
	alloc := allocBytes(func() { _, diags = template.Parse("long.yaml", []byte(doc), template.ParseOptions{}) })
	if len(diags) != 1 || !strings.Contains(diags[0].Message, "YAML aliases expand the document past") {
		t.Fatalf("got %v", diags)
	}
	if alloc > 256<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}

// An empty value at the very end of a YAML file ends at the end of the
// file, not one byte past it (which crashed the planner's size check).
func TestYAMLEmptyValueAtEnd(t *testing.T) {
	for _, doc := range []string{"R000000:", "a: b\nc:", "- x\n-"} {
		f, _ := template.Parse("e.yaml", []byte(doc), template.ParseOptions{})
		if f.Root == nil {
			continue
		}
		template.Walk(f.Root, func(n template.Node) bool {
			if start, end := n.Span(); start < 0 || end > len(doc) || start > end {
				t.Errorf("%q: node %s spans [%d, %d)", doc, n.Pointer(), start, end)
			}
			return true
		})
	}
}
