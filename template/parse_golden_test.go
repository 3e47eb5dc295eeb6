package template_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/template"
)

// TestParseGolden parses the first section of each testdata/parse archive
// and compares the rendered diagnostics (with caret snippets, so a wrong
// column shows in review) and, with "nodes: true" in the header, the range
// and pointer of every node of the body.
func TestParseGolden(t *testing.T) {
	golden.Run(t, "../testdata/parse/*.txtar", func(t *testing.T, c *golden.Case) {
		in := c.Archive.Files[0]
		var opts template.ParseOptions
		if f := c.Header("form"); f != "" {
			form, err := template.ParseInputForm(f)
			if err != nil {
				t.Fatal(err)
			}
			opts.Form = form
		}
		f, diags := template.Parse(in.Name, in.Data, opts)
		var b strings.Builder
		fmt.Fprintf(&b, "form: %s\n", f.Form)
		for _, d := range diags {
			render.Text(&b, d, f.Source)
		}
		c.Check(t, "want", b.String())
		if c.Header("nodes") == "true" && f.Template != nil {
			c.Check(t, "want.nodes", dumpNodes(f))
		}
	})
}

// dumpNodes lists every node of the body and of parsed policy documents as
// "pointer kind start-end", positions as line:col.
func dumpNodes(f *template.File) string {
	var b strings.Builder
	dump := func(root template.Node) {
		template.Walk(root, func(n template.Node) bool {
			r := n.Range()
			fmt.Fprintf(&b, "%-60s %-7s %d:%d-%d:%d\n", n.Pointer(), template.KindOf(n), r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
			return true
		})
	}
	dump(f.Template.Root)
	for _, r := range f.Template.Resources {
		if r.PolicyDocument != nil && r.PolicyDocument != r.PolicyDocumentNode {
			b.WriteString("# PolicyDocument of " + r.LogicalID + "\n")
			dump(r.PolicyDocument)
		}
	}
	return b.String()
}
