package lint_test

import (
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/lint"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules from the registry")

// TestRuleDocs checks that docs/rules matches the registry; run
// "go test ./lint -run TestRuleDocs -update-docs" after changing a rule.
func TestRuleDocs(t *testing.T) {
	dir := filepath.Join("..", "docs", "rules")
	want := map[string]string{"README.md": lint.Index()}
	for _, r := range lint.Rules() {
		want[r.Code+".md"] = lint.Markdown(r)
	}
	if *updateDocs {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v; run go test ./lint -run TestRuleDocs -update-docs", err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("docs/rules/%s has no rule; run go test ./lint -run TestRuleDocs -update-docs", e.Name())
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/rules/%s is missing; run go test ./lint -run TestRuleDocs -update-docs", name)
			continue
		}
		if diff := cmp.Diff(text, string(got)); diff != "" {
			t.Errorf("docs/rules/%s is stale (-want +got):\n%s\nrun go test ./lint -run TestRuleDocs -update-docs", name, diff)
		}
	}
}
