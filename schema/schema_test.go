package schema_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/schema"
	"github.com/iotpt/iotpt/template"
)

// TestExamplesValidate checks that every file of examples/ validates
// against the schema it claims: templates and wrappers by their form,
// parameter files, registry states and hook responses by their names.
func TestExamplesValidate(t *testing.T) {
	files, _ := filepath.Glob("../examples/*/*")
	files = append(files, "../examples/rules.yaml")
	n := 0
	for _, path := range files {
		if !strings.HasSuffix(path, ".json") && !strings.HasSuffix(path, ".yaml") {
			continue
		}
		data, _ := os.ReadFile(path)
		f, diags := template.Parse(path, data, template.ParseOptions{})
		if diags.HasErrors() && f.Foreign == "" { // parameters, registry states, hook responses are not templates
			t.Errorf("%s: %v", path, diags)
			continue
		}
		base := filepath.Base(path)
		switch {
		case strings.HasPrefix(base, "params"):
			diags = schema.ValidateNode("bulk-line", f.Root)
		case strings.HasPrefix(base, "existing"):
			diags = schema.ValidateNode("existing", f.Root)
		case strings.HasPrefix(base, "hook"):
			diags = schema.ValidateNode("hook-response", f.Root)
		case strings.HasSuffix(base, ".iotpt-test.yaml"):
			diags = schema.ValidateNode("tests", f.Root)
		case base == "rules.yaml":
			diags = schema.ValidateNode("rules", f.Root)
		case strings.HasSuffix(base, ".jsonl"):
			continue
		default:
			diags = schema.Validate(f)
		}
		n++
		if len(diags) > 0 {
			t.Errorf("%s does not validate: %v", path, diags)
		}
	}
	if n < 2 {
		t.Fatalf("only %d example files checked", n)
	}
}

func TestViolationsArePositioned(t *testing.T) {
	text := `{
  "Parameters": {"Serial": {"Type": "Number"}},
  "Resources": {
    "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": 42, "ThingGroups": "g"}}
  }
}`
	f, _ := template.Parse("t.json", []byte(text), template.ParseOptions{})
	var got []string
	for _, d := range schema.Validate(f) {
		got = append(got, d.Path+" @"+rangeText(d.Range))
	}
	want := []string{
		"/Parameters/Serial/Type @2:37",
		"/Resources/thing/Properties/ThingName @4:70",
		"/Resources/thing/Properties/ThingGroups @4:89",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func rangeText(r template.Range) string {
	return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
}

// The schemas of iotpt's own files catch what their loaders catch, for
// editors that check as you type.
func TestOwnFileSchemas(t *testing.T) {
	tests := []struct{ schema, yaml, want string }{
		{"rules", "rules:\n  - id: a\n    expression: 'true'\n", `f.yaml:2:5: error PT050: needs "message" or "messageExpression"`},
		{"rules", "rules:\n  - id: a\n    message: m\n    expression: 'true'\n    severity: fatal\n", `f.yaml:5:15: error PT050: must be one of "error", "warning", "info", not "fatal"`},
		{"tests", "template: t.json\ncases:\n  - name: a\n    cert: {subject: CN=a, file: a.pem}\n", "f.yaml:4:11: error PT050: matches more than one of the forms allowed here; keep the fields of one"},
		{"tests", "template: t.json\ncases:\n  - name: a\n    hook: {allowProvisioning: yes}\n", "f.yaml:4:31: error PT050: must be true or false, not a string"},
	}
	for _, tt := range tests {
		root, _, diags := template.ParseData("f.yaml", []byte(tt.yaml), template.ParseOptions{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		diags = schema.ValidateNode(tt.schema, root)
		if len(diags) == 0 || diags[0].String() != tt.want {
			t.Errorf("%s %q:\ngot  %v\nwant %s", tt.schema, tt.yaml, diags, tt.want)
		}
	}
}

// TestSchemasFromModel keeps what the service model constrains in the
// schema files (body.json's resource properties, the wrappers' fields) in
// step with it; -update rewrites them.
func TestSchemasFromModel(t *testing.T) {
	for _, name := range []string{"body", "cli-input", "registration-config"} {
		current, err := os.ReadFile(name + ".json")
		if err != nil {
			t.Fatal(err)
		}
		want, err := schema.Generate(name, current)
		if err != nil {
			t.Fatal(err)
		}
		if golden.Updating() {
			if err := os.WriteFile(name+".json", want, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if diff := cmp.Diff(string(want), string(current)); diff != "" {
			t.Errorf("%s.json is not what the service model generates (-generated +file); run go test ./schema -run TestSchemasFromModel -update:\n%s", name, diff)
		}
	}
}

// A value with several keys the schema does not allow gets one finding per
// key, at the key, in the same order on every run (the validator lists
// such keys in map order).
func TestViolationsOnePerKeyStable(t *testing.T) {
	text := `{"templateBody": "{\"Resources\": {}}", "roleArn": "arn:aws:iam::123456789012:role/R",
  "zeta": "1", "alpha": "2", "mid": "3", "beta": "4", "omega": "5"}`
	var first string
	for i := range 20 {
		f, _ := template.Parse("c.json", []byte(text), template.ParseOptions{})
		var got []string
		for _, d := range schema.Validate(f) {
			got = append(got, rangeText(d.Range)+" "+d.Path+" "+d.Message)
		}
		out := strings.Join(got, "\n")
		if i == 0 {
			first = out
			want := strings.Join([]string{
				`2:3 /zeta key "zeta" is not allowed here`,
				`2:16 /alpha key "alpha" is not allowed here`,
				`2:30 /mid key "mid" is not allowed here`,
				`2:42 /beta key "beta" is not allowed here`,
				`2:55 /omega key "omega" is not allowed here`,
			}, "\n")
			if out != want {
				t.Fatalf("got\n%s\nwant\n%s", out, want)
			}
		} else if out != first {
			t.Fatalf("run %d differs:\n%s\nfirst:\n%s", i, out, first)
		}
	}
}

// Keys required by alternatives are named as alternatives, in one finding.
func TestRequiredAlternatives(t *testing.T) {
	root, _, diags := template.ParseData("c.json", []byte(`{"zone": "a"}`), template.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var got []string
	for _, d := range schema.ValidateNode("registration-config", root) {
		got = append(got, d.String())
	}
	want := []string{
		`c.json:1:1: error PT050: needs "roleArn" and "templateBody", or "templateName"`,
		`c.json:1:2: error PT050: key "zone" is not allowed here`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
