package template_test

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/iotpt/iotpt/template"
)

// quote JSON-encodes s the way most tools do (encoding/json), independently
// of this package's escaper.
func quote(t *testing.T, s string) string {
	t.Helper()
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestPositionOracle builds files in which a PolicyDocument is escaped
// inside a templateBody that is escaped inside the file, with a stray '@' in
// the policy. The syntax error must sit exactly on the '@' of the file,
// whatever escapes come before it.
func TestPositionOracle(t *testing.T) {
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:eu-west-1:123456789012:topic/${iot:ClientId}/données" @}]}`
	body := func(policyJSON string, sep string) string {
		return strings.Join([]string{
			`{`,
			`  "Parameters": {"SerialNumber": {"Type": "String", "Default": "a<b>&c"}},`,
			`  "Resources": {`,
			`    "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": ` + policyJSON + `}}`,
			`  }`,
			`}`,
		}, sep)
	}
	tests := []struct {
		name string
		file func(t *testing.T) string
	}{
		{"two levels, \\n", func(t *testing.T) string {
			return "{\n  \"templateBody\": " + quote(t, body(quote(t, policy), "\n")) + ",\n  \"roleArn\": \"arn:aws:iam::1:role/r\"\n}"
		}},
		{"two levels, \\r\\n", func(t *testing.T) string {
			return "{\r\n  \"templateBody\": " + quote(t, body(quote(t, policy), "\r\n")) + ",\r\n  \"roleArn\": \"arn:aws:iam::1:role/r\"\r\n}\r\n"
		}},
		{"two levels, \\/ everywhere", func(t *testing.T) string {
			tb := strings.ReplaceAll(quote(t, body(strings.ReplaceAll(quote(t, policy), "/", `\/`), "\n")), "/", `\/`)
			return `{"templateBody": ` + tb + `, "roleArn": "arn:aws:iam::1:role/r"}`
		}},
		{"two levels, \\u escapes for non-ASCII", func(t *testing.T) string {
			tb := strings.ReplaceAll(quote(t, body(quote(t, policy), "\n")), "é", `\u00e9`)
			return `{"templateBody": ` + tb + `, "roleArn": "arn:aws:iam::1:role/r"}`
		}},
		{"3000 characters before the body on line 1", func(t *testing.T) string {
			desc := strings.Repeat("Capteur température ", 150)
			return `{"templateName": "t", "description": ` + quote(t, desc) + `, "templateBody": ` + quote(t, body(quote(t, policy), "\n")) + `, "provisioningRoleArn": "arn:aws:iam::1:role/r"}`
		}},
		{"string form", func(t *testing.T) string {
			return quote(t, body(quote(t, policy), "\n")) + "\n"
		}},
		{"one level: policy string in a bare body", func(t *testing.T) string {
			return body(quote(t, policy), "\n")
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			file := tc.file(t)
			at := strings.IndexByte(file, '@')
			if at < 0 || strings.Count(file, "@") != 1 {
				t.Fatal("test input must hold exactly one @")
			}
			lineStart := strings.LastIndexByte(file[:at], '\n') + 1
			want := template.Pos{Byte: at, Line: strings.Count(file[:at], "\n") + 1, Column: utf8.RuneCountInString(file[lineStart:at]) + 1}

			_, diags := template.Parse("f.json", []byte(file), template.ParseOptions{})
			if len(diags) != 1 {
				t.Fatalf("want exactly one diagnostic, got %d: %v", len(diags), diags)
			}
			d := diags[0]
			if d.Range.Start != want {
				t.Errorf("error at %+v, want %+v (%s)", d.Range.Start, want, d)
			}
			if d.Code != template.CodeSyntax || !strings.Contains(d.Message, "in the PolicyDocument string") {
				t.Errorf("unexpected diagnostic %s", d)
			}
			if d.Path != "/Resources/policy/Properties/PolicyDocument" {
				t.Errorf("path %q", d.Path)
			}
		})
	}
}

// TestEditReescapes checks that a fix aimed at text inside a PolicyDocument
// escaped twice is itself escaped twice, so applying it yields the intended
// document.
func TestEditReescapes(t *testing.T) {
	policy := `{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "*",}]}`
	body := `{"Resources": {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": ` + quote(t, policy) + `}}}}`
	file := `{"templateBody": ` + quote(t, body) + `, "roleArn": "arn:aws:iam::1:role/r"}`
	f, diags := template.Parse("f.json", []byte(file), template.ParseOptions{})
	if len(diags) != 1 || len(diags[0].Fixes) != 1 {
		t.Fatalf("want one diagnostic with a fix, got %v", diags)
	}
	fixed := applyEdits(file, diags[0].Fixes[0].Edits)
	_, diags = template.Parse("f.json", []byte(fixed), template.ParseOptions{})
	if len(diags) != 0 {
		t.Fatalf("after the fix: %v\n%s", diags, fixed)
	}

	// An edit that inserts a quote into the policy must come out as \\\".
	doc := f.Template.Resources[0].PolicyDocument
	start, _ := doc.Span()
	e := doc.Source().Edit(start, start, `"`)
	if e.NewText != `\\\"` {
		t.Errorf("edit text %q, want %q", e.NewText, `\\\"`)
	}
	if file[e.Start] != '{' {
		t.Errorf("edit lands at %q, want the policy's opening brace", file[e.Start:e.Start+5])
	}
}

func applyEdits(s string, edits []template.Edit) string {
	for i := len(edits) - 1; i >= 0; i-- { // edits are in file order
		e := edits[i]
		s = s[:e.Start] + e.NewText + s[e.End:]
	}
	return s
}
