package lint

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// A configuration file in the "billion laughs" form is refused with its
// line, without expanding it.
func TestConfigBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("suppress:\n  - code: &a0 [x]\n")
	for l := 1; l <= 9; l++ {
		fmt.Fprintf(&b, "  - code: &a%d [%s]\n", l, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d,", l-1), 9), ","))
	}
	p := filepath.Join(t.TempDir(), ".iotpt.yaml")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := LoadConfig(p)
	runtime.ReadMemStats(&after)
	if err == nil {
		t.Fatal("loaded")
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
	if !regexp.MustCompile(`\.iotpt\.yaml:(line )?\d+`).MatchString(err.Error()) {
		t.Errorf("error %.300q, want one with the line", err)
	}
}
