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

// FuzzParseConfig checks that any configuration file is read or refused
// with positioned problems, never a panic.
func FuzzParseConfig(f *testing.F) {
	for _, s := range []string{
		"severity:\n  PT223: warn\nignore: [a/**]\n",
		"suppress:\n  - code: PT201\n    files: [x]\n    pointer: /CDF\nmax-warnings: 3\nrules: r.yaml\n",
		"severty: {}\nsuppress: [{}]\nmax-warnings: x\n",
		"severity:\n\tPT201: off\n",
		"- a\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := parseConfig(".iotpt.yaml", data)
		var ce *ConfigError
		switch {
		case err == nil && c == nil:
			t.Fatal("no configuration and no error")
		case errors.As(err, &ce):
			for _, p := range ce.Problems {
				if p.Line < 1 || p.Column < 1 || p.Message == "" {
					t.Errorf("problem without a position or message: %+v", p)
				}
			}
		}
	})
}
