package template_test

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/template"
)

// TestParseGolden parses the first section of each testdata/parse archive
// and compares the rendered diagnostics (with caret snippets, so a wrong
// column shows in review) and, with "nodes: true" in the header, the range
// and pointer of every node of the body; with "policies: true", those of
// the policies defined beside the template (File.Policies). A Terraform
// file() reads the archive's other sections.
func TestParseGolden(t *testing.T) {
	golden.Run(t, "../testdata/parse/*.txtar", func(t *testing.T, c *golden.Case) {
		in := c.Archive.Files[0]
		opts := template.ParseOptions{ReadFile: func(path string, _ int) ([]byte, error) {
			if data, ok := c.File(filepath.Base(path)); ok {
				return data, nil
			}
			return nil, errors.New("no such file")
		}}
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
		if c.Header("policies") == "true" {
			c.Check(t, "want.policies", dumpPolicies(f))
		}
	})
}

// dumpPolicies lists the policies beside the template: each one's ID and
// key, then every node of its document as "pointer kind start-end", with
// the value of strings (values known only at deployment as ${...}) and
// "unknown" for a node File.DependsOnUnknown takes for one.
func dumpPolicies(f *template.File) string {
	var b strings.Builder
	at := func(r template.Range) string {
		return fmt.Sprintf("%s:%d:%d-%d:%d", filepath.Base(r.Filename), r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
	}
	for _, p := range f.Policies {
		fmt.Fprintf(&b, "# %s (%s) at %s\n", p.LogicalID, p.Type, at(p.Key.Range()))
		if p.PolicyDocument == nil {
			b.WriteString("no document iotpt can read\n")
			continue
		}
		template.Walk(p.PolicyDocument, func(n template.Node) bool {
			fmt.Fprintf(&b, "%-56s %-7s %s", n.Pointer(), template.KindOf(n), at(n.Range()))
			if s, ok := n.(*template.String); ok {
				fmt.Fprintf(&b, " %q", template.ShowUnknowns([]byte(s.Value)))
			}
			if f.DependsOnUnknown(n.Range()) {
				b.WriteString(" unknown")
			}
			b.WriteString("\n")
			return true
		})
	}
	return b.String()
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
