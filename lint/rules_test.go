package lint_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/testcert"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

// TestRules runs each testdata/lint/<CODE>.txtar: every section named
// fire*.json must get at least one finding of the rule, every pass*.json
// none; "want" holds the rule's findings, rendered with snippets. Header
// lines set options: "type: JITP", "cert: CN=x,C=JP", "params: K=V ...".
func TestRules(t *testing.T) {
	golden.Run(t, "../testdata/lint/*.txtar", func(t *testing.T, c *golden.Case) {
		code := strings.TrimSuffix(filepath.Base(c.Path), ".txtar")
		rule := lint.Lookup(code)
		if rule == nil {
			t.Fatalf("no rule %s", code)
		}
		opts := lint.Options{Type: c.Header("type")}
		if subject := c.Header("cert"); subject != "" {
			pemBytes, err := testcert.PEM(subject)
			if err != nil {
				t.Fatal(err)
			}
			opts.Certificate, _ = eval.ParseCertificate(pemBytes)
		}
		for _, kv := range strings.Fields(c.Header("params")) {
			k, v, _ := strings.Cut(kv, "=")
			opts.Params = append(opts.Params, eval.Param{Name: k, Value: v})
		}
		var out strings.Builder
		for _, f := range c.Archive.Files {
			fire, pass := strings.HasPrefix(f.Name, "fire"), strings.HasPrefix(f.Name, "pass")
			if !fire && !pass {
				continue
			}
			res := lint.Check(f.Name, f.Data, opts)
			n := 0
			for _, d := range res.Diagnostics {
				if d.Code == rule.Code {
					n++
					render.Text(&out, d, res.File.Source)
				}
			}
			if fire && n == 0 {
				t.Errorf("%s: %s did not fire; all findings: %v", f.Name, code, res.Diagnostics)
			}
			if pass && n > 0 {
				t.Errorf("%s: %s fired on a pass case", f.Name, code)
			}
		}
		c.Check(t, "want", out.String())
	})
}

// TestRegistry validates every rule's data and checks that it has test
// cases that fire and that do not.
func TestRegistry(t *testing.T) {
	codeRe := regexp.MustCompile(`^PT[0-9]{3}$`)
	nameRe := regexp.MustCompile(`^[a-z][a-z0-9-]+$`)
	seen := map[string]bool{}
	for _, r := range lint.Rules() {
		t.Run(r.Code, func(t *testing.T) {
			for _, key := range []string{r.Code, r.Name} {
				if seen[key] {
					t.Errorf("%s is used twice", key)
				}
				seen[key] = true
			}
			if !codeRe.MatchString(r.Code) || !nameRe.MatchString(r.Name) {
				t.Errorf("bad code or name: %q %q", r.Code, r.Name)
			}
			if r.Title == "" || len(r.Title) > 80 || strings.HasSuffix(r.Title, ".") {
				t.Errorf("title %q: want 1-80 characters, no final period", r.Title)
			}
			if r.Doc == "" || r.Bad == "" || r.Good == "" || r.Run == nil {
				t.Error("every rule needs Doc, Bad, Good and Run")
			}
			if r.Severity != template.Error && r.Severity != template.Warning && r.Severity != template.Info {
				t.Errorf("severity %v", r.Severity)
			}
			data, err := os.ReadFile(filepath.Join("..", "testdata", "lint", r.Code+".txtar"))
			if err != nil {
				t.Fatalf("no test cases: %v", err)
			}
			if !strings.Contains(string(data), "\n-- fire") || !strings.Contains(string(data), "\n-- pass") {
				t.Error("the test archive needs fire* and pass* cases")
			}
		})
	}
	if lint.Lookup("unknown-section") != lint.Lookup("PT201") || lint.Lookup("nope") != nil {
		t.Error("Lookup by name and code disagree")
	}
}
