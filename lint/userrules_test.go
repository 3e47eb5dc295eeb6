package lint

import (
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/template"
)

// TestUserRules runs each testdata/userrules archive: the "rules.yaml"
// section is loaded as a rules file and "template.json" is linted with it
// (planned too when the header "params: K=V ..." is given). The "want"
// section lists every diagnostic of both files, built-in rules excluded
// unless the header "builtin: yes" says, with related positions indented.
func TestUserRules(t *testing.T) {
	golden.Run(t, "../testdata/userrules/*.txtar", func(t *testing.T, c *golden.Case) {
		rulesText, _ := c.File("rules.yaml")
		u, _, diags := LoadUserRules("rules.yaml", rulesText)
		if text, ok := c.File("template.json"); ok {
			opts := Options{UserRules: u}
			if h := c.Header("params"); h != "" {
				opts.Params = []eval.Param{}
				for _, kv := range strings.Fields(h) {
					k, v, _ := strings.Cut(kv, "=")
					opts.Params = append(opts.Params, eval.Param{Name: k, Value: v})
				}
			}
			res := Check("template.json", text, opts)
			for _, d := range res.Diagnostics {
				if Lookup(d.Code) == nil || c.Header("builtin") == "yes" {
					diags = append(diags, d)
				}
			}
		}
		c.Check(t, "want", formatDiagnostics(diags))
	})
}

func formatDiagnostics(ds template.Diagnostics) string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String() + "\n")
		for _, r := range d.Related {
			b.WriteString("    " + r.Range.Location() + ": " + r.Message + "\n")
		}
	}
	return b.String()
}
