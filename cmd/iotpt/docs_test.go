package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/internal/golden"
)

// TestCommandDocs checks that docs/commands is what "iotpt docs" writes;
// -update rewrites it.
func TestCommandDocs(t *testing.T) {
	const dir = "../../docs/commands"
	pages := commandPages(newRootCmd())
	if golden.Updating() {
		os.RemoveAll(dir)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range pages {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v; run go test ./cmd/iotpt -run TestCommandDocs -update", err)
	}
	for _, e := range entries {
		if _, ok := pages[e.Name()]; !ok {
			t.Errorf("docs/commands/%s has no command; run go test ./cmd/iotpt -run TestCommandDocs -update", e.Name())
		}
	}
	for name, want := range pages {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/commands/%s is missing; run go test ./cmd/iotpt -run TestCommandDocs -update", name)
			continue
		}
		if diff := cmp.Diff(want, string(got)); diff != "" {
			t.Errorf("docs/commands/%s is stale (-want +got):\n%s\nrun go test ./cmd/iotpt -run TestCommandDocs -update", name, diff)
		}
	}
	if len(pages) < 10 {
		t.Fatalf("only %d command pages", len(pages))
	}
}
