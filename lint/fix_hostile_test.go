package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// yamlStatus is a YAML template whose certificate Status is written in the
// given form; PT307 offers to write it as ACTIVE.
func yamlStatus(status string) string {
	return "# provisioning template\nParameters:\n  Id: {Type: String}\nResources:\n  certificate:\n    Type: AWS::IoT::Certificate  # the device certificate\n    Properties:\n      CertificateId: !Ref Id\n      Status: " + status + "  # keep\n"
}

// Fixes on YAML edit the exact bytes of the scalar, in its style (a block
// scalar becomes a double-quoted one), and keep the comments; a block
// scalar with a comment on its indicator line, which the edit would drop,
// gets no fix.
func TestFixYAMLScalarStyles(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Active", "ACTIVE"},
		{"'Active'", "'ACTIVE'"},
		{`"Active"`, `"ACTIVE"`},
		{"|-\n        Active\n", `"ACTIVE"` + "\n"},
		{">-\n        Active\n\n", `"ACTIVE"` + "\n\n"},
		{"| # why\n        Active\n", ""},
	} {
		text := yamlStatus(tc.in)
		res := Check("t.yaml", []byte(text), Options{})
		fixed, applied := applyFixes("t.yaml", []byte(text), res.Diagnostics)
		if tc.want == "" {
			if len(applied) != 0 {
				t.Errorf("%q: applied %v to a block scalar, giving\n%s", tc.in, applied, fixed)
			}
			continue
		}
		if want := yamlStatus(tc.want); string(fixed) != want {
			t.Errorf("%q: got\n%s\nwant\n%s", tc.in, fixed, want)
		}
		if len(applied) != 1 || applied[0].Code != "PT307" {
			t.Errorf("%q: applied %v", tc.in, applied)
		}
		after := Check("t.yaml", fixed, Options{})
		if why := checkFixed(res.Diagnostics, applied, after.Diagnostics); why != "" {
			t.Errorf("%q: %s", tc.in, why)
		}
	}
}

// A fix whose result does not keep the other findings is not written.
func TestCheckFixed(t *testing.T) {
	d := func(code, path string) template.Diagnostic { return template.Diagnostic{Code: code, Path: path} }
	before := template.Diagnostics{d("PT307", "/a"), d("PT201", "/b")}
	fixed := template.Diagnostics{d("PT307", "/a")}
	if why := checkFixed(before, fixed, template.Diagnostics{d("PT201", "/b")}); why != "" {
		t.Errorf("same findings less the fixed: %s", why)
	}
	if why := checkFixed(before, fixed, template.Diagnostics{d("PT201", "/b"), d("PT001", "")}); !strings.Contains(why, "new finding") {
		t.Errorf("new parse error: %q", why)
	}
	if why := checkFixed(before, fixed, nil); !strings.Contains(why, "would go away") {
		t.Errorf("lost finding: %q", why)
	}
}

// --fix writes through a temporary file and a rename, keeps the mode, and
// refuses a file named by a symbolic link, leaving its target alone.
func TestFixWrites(t *testing.T) {
	dir := t.TempDir()
	bad := `{"Resources": {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": "x", "Status": "Active"}}}}`
	p := filepath.Join(dir, "t.json")
	if err := os.WriteFile(p, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	outside := filepath.Join(t.TempDir(), "o.json")
	if err := os.WriteFile(outside, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(outside, link); err != nil {
		t.Skip(err)
	}
	rep, err := Run([]string{p, link}, RunOptions{Fix: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Fixed != 1 {
		t.Errorf("fixed %d, want 1", rep.Fixed)
	}
	if b, _ := os.ReadFile(p); !strings.Contains(string(b), `"ACTIVE"`) {
		t.Errorf("t.json not fixed: %s", b)
	}
	if info, _ := os.Stat(p); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if b, _ := os.ReadFile(outside); string(b) != bad {
		t.Errorf("the link's target was rewritten: %s", b)
	}
	if len(rep.Notes) != 1 || !strings.Contains(rep.Notes[0], "symbolic link") {
		t.Errorf("notes %q, want one about the link", rep.Notes)
	}
}

// FuzzFix lints a file with --fix and checks what was written: the file
// changes only when fixes were applied, and then it parses and has the
// findings of the original less the fixed ones.
func FuzzFix(f *testing.F) {
	for _, s := range []string{
		`{"Resources": {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": "x", "Status": "Active"}},}}`,
		"\xef\xbb\xbf{\"Parameters\": {\"P\": {\"Type\": \"Number\", \"Default\": 5}}, \"Resources\": {}}",
		`{"templateBody": "\"{\\\"Resources\\\": {}}\"", "roleArn": "r"}`,
		`{"templateBody": {"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "\ud800"}}}}, "roleArn": "r"}`,
		`{"Resources": {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "${iot:ClientId}"}]}}}}}`,
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(yamlStatus("'Active'")), true)
	f.Add([]byte(yamlStatus("Active")), true)
	f.Fuzz(func(t *testing.T, data []byte, isYAML bool) {
		name := "t.json"
		if isYAML {
			name = "t.yaml"
		}
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		before := Check(p, data, Options{})
		rep, err := Run([]string{p}, RunOptions{Fix: true})
		if err != nil {
			return
		}
		got, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Fixed == 0 {
			if string(got) != string(data) {
				t.Fatalf("no fix reported, but the file changed to %q", got)
			}
			return
		}
		_, applied := applyFixes(p, data, before.Diagnostics)
		after := Check(p, got, Options{})
		if why := checkFixed(before.Diagnostics, applied, after.Diagnostics); why != "" {
			t.Fatalf("written %q: %s", got, why)
		}
	})
}

// Mending a parse error may reveal findings it hid; a new parse error is
// still refused.
func TestCheckFixedParseErrors(t *testing.T) {
	d := func(code, path string) template.Diagnostic { return template.Diagnostic{Code: code, Path: path} }
	before := template.Diagnostics{d(template.CodeSyntax, "/a")}
	fixed := template.Diagnostics{d(template.CodeSyntax, "/a")}
	if why := checkFixed(before, fixed, template.Diagnostics{d("PT265", "")}); why != "" {
		t.Errorf("revealed finding refused: %s", why)
	}
	if why := checkFixed(before, fixed, template.Diagnostics{d(template.CodeTruncated, "/b")}); !strings.Contains(why, "new finding") {
		t.Errorf("new parse error: %q", why)
	}
}
