package main

import (
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
