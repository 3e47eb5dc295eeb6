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

// lint over a directory with a committed symlink to a secret outside it
// never prints the secret, says what it skipped, lints the other files
// and, with a path that cannot be read, exits 2 at the end.
func TestLintDirectoryOutsideLinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(secret, []byte(`{"Resources": {"AKIASECRET": "aws_secret_access_key=hunter2"}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(secret, filepath.Join(dir, "creds.json")); err != nil {
		t.Skip(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(`{"Resources": {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": "x", "Status": "Active"}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runIn(t, dir, "lint", ".", "missing.json")
	if strings.Contains(stdout+stderr, "hunter2") || strings.Contains(stdout+stderr, "AKIASECRET") {
		t.Errorf("printed the secret:\n%s%s", stdout, stderr)
	}
	if !strings.Contains(stdout, "t.json:1:") || !strings.Contains(stdout, "PT307") {
		t.Errorf("t.json not linted:\n%s", stdout)
	}
	for _, want := range []string{"iotpt: skipped creds.json: a symbolic link to a file outside the directory searched; not read", "missing.json"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
}
