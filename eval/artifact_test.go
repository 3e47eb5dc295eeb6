package eval_test

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// TestEmit checks that compiling refuses what the create APIs refuse, with
// the service model's limits, and writes what they accept.
func TestEmit(t *testing.T) {
	const role = "arn:aws:iam::123456789012:role/R"
	small := `{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "gw"}}}}`
	// A body whose minified form is 10,241 characters.
	big := `{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "gw", "AttributePayload": {"a": "` +
		strings.Repeat("x", 10241-len(`{"Resources":{"thing":{"Type":"AWS::IoT::Thing","Properties":{"ThingName":"gw","AttributePayload":{"a":""}}}}}`)) + `"}}}}}`
	tests := []struct {
		name string
		body string
		opts template.CompileOptions
		want []string // codes and messages; nil when the compile succeeds
	}{
		{"body", small, template.CompileOptions{Emit: template.EmitBody}, nil},
		{"cli input", small, template.CompileOptions{Emit: template.EmitCLIInput, Name: "fleet-1", RoleARN: role, Type: "FLEET_PROVISIONING",
			HookARN: "arn:aws:lambda:us-east-1:123456789012:function:h", Description: "Fleet"}, nil},
		{"body too long", big, template.CompileOptions{Emit: template.EmitBody},
			[]string{"PT141 the compiled body is 10241 characters; the APIs accept at most 10240"}},
		{"name too long", small, template.CompileOptions{Emit: template.EmitCLIInput, Name: strings.Repeat("n", 37), RoleARN: role},
			[]string{"PT140 template name \"" + strings.Repeat("n", 37) + "\" is longer than 36 characters"}},
		{"description", small, template.CompileOptions{Emit: template.EmitCLIInput, Name: "f", RoleARN: role, Description: "a\tb"},
			[]string{"PT140 description may not contain control characters"}},
		{"type", small, template.CompileOptions{Emit: template.EmitRegistrationConfig, RoleARN: role, Type: "FLEET"},
			[]string{"PT140 type must be FLEET_PROVISIONING or JITP"}},
		{"placeholder role", small, template.CompileOptions{Emit: template.EmitCLIInput, Name: "f", RoleARN: "<role-arn>"},
			[]string{`PT140 the role "<role-arn>" is a placeholder; give the value with --role-arn`}},
		{"policy objects counted as written", policyBody(t), template.CompileOptions{Emit: template.EmitBody},
			[]string{"PT141 the compiled body is " + strconv.Itoa(utf8.RuneCountInString(mustParse(t, policyBody(t)).Template.Minified())) + " characters; the APIs accept at most 10240"}},
		{"hook target", small, template.CompileOptions{Emit: template.EmitCLIInput, Name: "f", RoleARN: role, HookARN: "hook"},
			[]string{`PT140 targetArn "hook" is not a Lambda function ARN; only Lambda hooks are supported`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, diags := eval.Emit(mustParse(t, tt.body), tt.opts)
			var got []string
			for _, d := range diags {
				got = append(got, d.Code+" "+d.Message)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
			if (len(out) == 0) != (tt.want != nil) {
				t.Errorf("output %q with diagnostics %v", out, got)
			}
		})
	}
}

func mustParse(t *testing.T, body string) *template.File {
	t.Helper()
	f, diags := template.Parse("t.json", []byte(body), template.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return f
}

// policyBody is a body with a policy written as an object, at most 10,240
// characters minified as an object but more once the policy is the
// escaped string that Compile writes.
func policyBody(t *testing.T) string {
	t.Helper()
	stmt := `{"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:123456789012:topic/t"}`
	for n := 1; n < 500; n++ {
		body := `{"Resources": {"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Version": "2012-10-17", "Statement": [` +
			strings.Repeat(stmt+", ", n-1) + stmt + `]}}}}}`
		f := mustParse(t, body)
		if utf8.RuneCountInString(f.Template.Minified()) > 10240 {
			if utf8.RuneCount(template.AppendCompact(nil, f.Template.Root)) > 10240 {
				t.Fatal("no body between the two lengths")
			}
			return body
		}
	}
	t.Fatal("no body long enough")
	return ""
}
