package main

import (
	"bytes"
	"path/filepath"
	"testing"
)

// TestExamplesFormatted keeps every bundled example template in fmt's
// layout, so that the examples pass the project's own pre-commit hook.
func TestExamplesFormatted(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"fmt", "--check", filepath.Join(testRoot(t), "examples")}, nil, &stdout, &stderr)
	if code != 0 || stdout.Len() > 0 {
		t.Errorf("iotpt fmt --check examples/ exits %d; run iotpt fmt -w examples/ to format:\n%s%s", code, stdout.String(), stderr.String())
	}
}
