package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runIn runs iotpt in dir and returns its output and exit code.
func runIn(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	t.Chdir(dir)
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(""), &out, &errOut)
	return out.String(), errOut.String(), code
}

// fmt -w replaces a file atomically, keeping its mode, and does not write
// through a symbolic link.
func TestFmtWriteSafety(t *testing.T) {
	dir := t.TempDir()
	ugly := `{"Resources":{"t":{"Type":"AWS::IoT::Thing","Properties":{"ThingName":"a"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(ugly), 0o600); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "o.json")
	if err := os.WriteFile(outside, []byte(ugly), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(outside, filepath.Join(dir, "link.json")); err != nil {
		t.Skip(err)
	}
	_, stderr, code := runIn(t, dir, "fmt", "-w", "t.json", "link.json")
	if code != exitUsage || !strings.Contains(stderr, "link.json is a symbolic link") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(outside); string(b) != ugly {
		t.Errorf("wrote through the link: %s", b)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "t.json"))
	if !strings.Contains(string(b), "\n  \"Resources\"") {
		t.Errorf("t.json not formatted: %s", b)
	}
	if info, _ := os.Stat(filepath.Join(dir, "t.json")); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
}
