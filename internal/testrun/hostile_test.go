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
	if sum.Broken != 2 || sum.Unreadable != 1 {
		t.Errorf("broken %d, want 2:\n%s", sum.Broken, out.String())
	}
	if !strings.Contains(out.String(), "YAML aliases expand the document past") || !strings.Contains(out.String(), "gone.iotpt-test.yaml\t[unreadable") {
		t.Errorf("output:\n%s", out.String())
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
}

// A test file cannot make iotpt read a template or a certificate outside
// the repository.
func TestPathsOutsideRepository(t *testing.T) {
	repo := t.TempDir()
	outside := t.TempDir()
	for name, text := range map[string]string{
		filepath.Join(outside, "t.json"):    `{"Resources": {}}`,
		filepath.Join(outside, "cert.pem"):  "not shown",
		filepath.Join(repo, "t.json"):       `{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}}}`,
		filepath.Join(repo, ".git", "HEAD"): "ref: refs/heads/main\n",
	} {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	test := "template: " + filepath.Join(outside, "t.json") + "\ncases:\n  - name: a\n    template: t.json\n    cert: {file: " + filepath.Join(outside, "cert.pem") + "}\n"
	path := filepath.Join(repo, "x.iotpt-test.yaml")
	if err := os.WriteFile(path, []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	sum, err := Run([]string{path}, Options{}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Broken != 1 || strings.Count(strings.Join(strings.Fields(out.String()), " "), "is outside the repository") != 2 || strings.Contains(out.String(), "not shown") {
		t.Errorf("summary %+v, output:\n%s", sum, out.String())
	}
}
