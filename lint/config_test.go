package lint

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadConfigWarnAlias(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".iotpt.yaml")
	if err := os.WriteFile(p, []byte("severity:\n  PT223: warn\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := LoadConfig(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Severity["PT223"]; got != "warning" {
		t.Errorf("PT223: warn loaded as %q, want warning", got)
	}
}

func TestLoadConfigReportsEveryProblem(t *testing.T) {
	p := filepath.Join(t.TempDir(), ".iotpt.yaml")
	if err := os.WriteFile(p, []byte("severty: {}\nsuppress: [{}]\nmax-warnings: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(p)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("err = %v, want a *ConfigError", err)
	}
	if len(ce.Problems) != 3 {
		t.Fatalf("%d problems, want 3:\n%v", len(ce.Problems), err)
	}
	for i, line := range []int{1, 2, 3} {
		if ce.Problems[i].Line != line {
			t.Errorf("problem %d at line %d, want %d: %s", i, ce.Problems[i].Line, line, ce.Problems[i].Message)
		}
	}
}
