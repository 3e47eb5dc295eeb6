package lint_test

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/lint"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite docs/rules from the registry")

// TestRuleDocs checks that docs/rules matches the registry; run
// "go test ./lint -run TestRuleDocs -update-docs" after changing a rule.
func TestRuleDocs(t *testing.T) {
	want := map[string]string{"README.md": lint.Index()}
	for _, r := range lint.Rules() {
		want[r.Code+".md"] = lint.Markdown(r)
	}
	golden.CheckDir(t, filepath.Join("..", "docs", "rules"), want, *updateDocs, "go test ./lint -run TestRuleDocs -update-docs")
}
