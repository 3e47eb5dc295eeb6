package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
)

// TestCommandDocs checks that docs/commands is what "iotpt docs" writes;
// -update rewrites it.
func TestCommandDocs(t *testing.T) {
	pages := commandPages(newRootCmd())
	if len(pages) < 10 {
		t.Fatalf("only %d command pages", len(pages))
	}
	golden.CheckDir(t, "../../docs/commands", pages, golden.Updating(), "go test ./cmd/iotpt -run TestCommandDocs -update")
}

// TestDocsCommandReproducesDocs runs "iotpt docs" as a user would and
// checks that it writes docs/commands exactly: the same files, byte for
// byte, and none that docs/commands lacks.
func TestDocsCommandReproducesDocs(t *testing.T) {
	want := filepath.Join(testRoot(t), "docs", "commands")
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	if code := run([]string{"docs", dir}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("iotpt docs exits %d: %s", code, stderr.String())
	}
	got, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	committed, err := os.ReadDir(want)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(committed) {
		t.Errorf("iotpt docs writes %d pages, docs/commands has %d", len(got), len(committed))
	}
	for _, e := range committed {
		a, err := os.ReadFile(filepath.Join(want, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Errorf("docs/commands/%s: iotpt docs does not write it", e.Name())
			continue
		}
		if !bytes.Equal(a, b) {
			t.Errorf("docs/commands/%s differs from what iotpt docs writes; run go run ./cmd/iotpt docs docs/commands", e.Name())
		}
	}
}
