package testrun

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A test file in the "billion laughs" form is refused at an alias, with a
// bounded amount of memory, and the other test files still run.
func TestBillionLaughsTestFile(t *testing.T) {
	dir := t.TempDir()
	var b strings.Builder
	b.WriteString("template: t.json\nx0: &x0 [lol]\n")
	for l := 1; l <= 9; l++ {
		fmt.Fprintf(&b, "x%d: &x%d [%s]\n", l, l, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*x%d,", l-1), 9), ","))
	}
	b.WriteString("cases: *x9\n")
	lol := filepath.Join(dir, "lol.iotpt-test.yaml")
	missing := filepath.Join(dir, "gone.iotpt-test.yaml")
	if err := os.WriteFile(lol, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	sum, err := Run([]string{lol, missing}, Options{}, &out)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Broken != 2 {
		t.Errorf("broken %d, want 2:\n%s", sum.Broken, out.String())
	}
	if !strings.Contains(out.String(), "YAML aliases expand the document past") || !strings.Contains(out.String(), "gone.iotpt-test.yaml\t[unreadable") {
		t.Errorf("output:\n%s", out.String())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}
