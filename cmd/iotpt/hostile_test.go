package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/testcert"
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

// A certificate CommonName with terminal escapes, planned through a JITP
// template, is printed escaped in every format: the terminal never
// receives ESC from an input.
func TestPlanEscapesControlCharacters(t *testing.T) {
	dir := t.TempDir()
	pemBytes, err := testcert.PEM("CN=dev\x1b]0;pwned\x07\x1b[2J1,C=JP")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "dev.pem"), pemBytes, 0o644); err != nil {
		t.Fatal(err)
	}
	tmpl, err := os.ReadFile("../../examples/jitp/registration-config.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.json"), tmpl, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json"} {
		stdout, stderr, _ := runIn(t, dir, "plan", "--format", format, "--cert", "dev.pem", "t.json")
		if strings.ContainsAny(stdout+stderr, "\x1b\x07") {
			t.Errorf("--format %s printed a control character:\n%q\n%q", format, stdout, stderr)
		}
		if !strings.Contains(stdout, `\u001b`) && !strings.Contains(stdout, `\x1b`) {
			t.Errorf("--format %s: the escaped CommonName is not shown:\n%s", format, stdout)
		}
	}
}

// A private key given as a parameter is never printed, in any command or
// format: it is shown as a placeholder, with a warning.
func TestPrivateKeyParameterNotShown(t *testing.T) {
	dir := t.TempDir()
	key := "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n"
	body := `{"Parameters": {"Name": {"Type": "String"}, "Key": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Name"}, "AttributePayload": {"k": {"Ref": "Key"}}}}}}`
	line, _ := json.Marshal(map[string]string{"Name": "dev1", "Key": key})
	files := map[string]string{"t.json": body, "devices.jsonl": string(line) + "\n", "params.json": string(line)}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	placeholder := fmt.Sprintf("<private key, %d bytes, not shown>", len(key))
	for _, args := range [][]string{
		{"plan", "-p", "Name=dev1", "-p", "Key=" + key, "t.json"},
		{"plan", "--format", "json", "--params", "params.json", "t.json"},
		{"plan", "--bulk", "devices.jsonl", "--format", "json", "t.json"},
		{"plan", "--bulk", "devices.jsonl", "t.json"},
		{"lint", "--params", "params.json", "t.json"},
	} {
		stdout, stderr, _ := runIn(t, dir, args...)
		all := stdout + stderr
		if strings.Contains(all, "MIIEvQ") || strings.Contains(all, `MIIEvQ`) {
			t.Errorf("%v printed the key:\n%s", args[:3], all)
		}
		warning := "parameter Key holds a private key (" + placeholder + "); a private key does not belong in a parameter"
		if args[1] == "--bulk" {
			warning = "1 parameter held a private key, shown as <private key, N bytes, not shown>; a private key does not belong in a parameter"
		}
		if !strings.Contains(stderr, warning) {
			t.Errorf("%v: no warning in %q", args[:3], stderr)
		}
		if args[0] == "plan" && !strings.Contains(stdout, placeholder) {
			t.Errorf("%v: placeholder not shown:\n%s", args[:3], stdout)
		}
	}
}

// --max-bytes takes only sizes that fit: no overflow to a limit that
// reads nothing, or to one that lets any file in.
func TestMaxBytesRange(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(`{"Resources": {}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"lint", "plan", "compile", "fmt"} {
		for _, v := range []string{"0", "-1", "9223372036854775807", "268435457"} {
			_, stderr, code := runIn(t, dir, cmd, "--max-bytes", v, "t.json")
			if code != exitUsage || !strings.Contains(stderr, "--max-bytes "+v+": give a size from 1 to 268435456 bytes") {
				t.Errorf("%s --max-bytes %s: exit %d, %q", cmd, v, code, stderr)
			}
		}
	}
	if _, stderr, code := runIn(t, dir, "lint", "--max-bytes", "99999999999999999999", "t.json"); code != exitUsage {
		t.Errorf("lint --max-bytes 1e20: exit %d, %q", code, stderr)
	}
}

// A private key written into a template is not echoed by lint's messages
// or snippets, in any format.
func TestLintPrivateKeyInTemplate(t *testing.T) {
	dir := t.TempDir()
	key := `-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n-----END RSA PRIVATE KEY-----`
	body := `{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t", "AttributePayload": {"key": "` + key + `"}}}}}`
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"text", "json", "sarif", "github"} {
		stdout, stderr, _ := runIn(t, dir, "lint", "--format", format, "t.json")
		if strings.Contains(stdout+stderr, "MIIEowIBAAKCAQEA") {
			t.Errorf("--format %s shows the key:\n%s%s", format, stdout, stderr)
		}
	}
}

// A committed Terraform file cannot make lint read and print a file
// outside the repository through file("...").
func TestTerraformFileOutsideRepository(t *testing.T) {
	repo := t.TempDir()
	secret := filepath.Join(t.TempDir(), "credentials.json")
	if err := os.WriteFile(secret, []byte(`{"aws_secret_access_key": "hunter2"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(repo, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	tf := "resource \"aws_iot_provisioning_template\" \"t\" {\n  name = \"t\"\n  provisioning_role_arn = \"arn:aws:iam::123456789012:role/r\"\n  enabled = true\n  template_body = file(\"" + secret + "\")\n}\n"
	if err := os.WriteFile(filepath.Join(repo, "main.tf"), []byte(tf), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, _ := runIn(t, repo, "lint", "main.tf")
	if strings.Contains(stdout+stderr, "hunter2") || strings.Contains(stdout+stderr, "aws_secret_access_key") {
		t.Errorf("printed the file outside the repository:\n%s%s", stdout, stderr)
	}
	if !strings.Contains(stdout, "is outside the repository") {
		t.Errorf("no error about the path:\n%s", stdout)
	}
}

// One unreadable file does not stop fmt: the others are formatted, and
// the run exits 2 at the end.
func TestFmtGoesOnAfterUnreadable(t *testing.T) {
	dir := t.TempDir()
	ugly := `{"Resources":{"t":{"Type":"AWS::IoT::Thing","Properties":{"ThingName":"a"}}}}`
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(ugly), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runIn(t, dir, "fmt", "-w", "missing.json", "t.json")
	if code != exitUsage || !strings.Contains(stderr, "missing.json") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "t.json")); string(b) == ugly {
		t.Error("t.json was not formatted")
	}
}
