package template_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// TestTerraformRoundTrip compiles each example template to a Terraform
// resource and reads it back: the body Terraform would send is the body
// iotpt compiles, and the wrapper fields come back.
func TestTerraformRoundTrip(t *testing.T) {
	paths, _ := filepath.Glob("../examples/*/template.json")
	if len(paths) == 0 {
		t.Fatal("no example templates")
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, diags := template.Parse(path, text, template.ParseOptions{})
			if diags.HasErrors() || f.Template == nil {
				t.Skip("not a plain template")
			}
			out, diags := template.Compile(f, template.CompileOptions{Emit: template.EmitTerraform, Name: "fleet-1",
				RoleARN: "arn:aws:iam::123456789012:role/P", HookARN: "arn:aws:lambda:us-east-1:123456789012:function:h"})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			back, diags := template.Parse("main.tf", out, template.ParseOptions{})
			if diags.HasErrors() || back.Template == nil {
				t.Fatalf("the emitted HCL does not read back: %v\n%s", diags, out)
			}
			if got, want := back.Template.Minified(), f.Template.Minified(); got != want {
				t.Errorf("body changed:\n got %s\nwant %s", got, want)
			}
			if back.Address != "aws_iot_provisioning_template.fleet-1" {
				t.Errorf("address %q", back.Address)
			}
			for key, want := range map[string]string{"templateName": "fleet-1", "provisioningRoleArn": "arn:aws:iam::123456789012:role/P"} {
				if s, ok := back.WrapperField(key).(*template.String); !ok || s.Value != want {
					t.Errorf("%s = %v, want %q", key, back.WrapperField(key), want)
				}
			}
			if b, ok := back.WrapperField("enabled").(*template.Bool); !ok || !b.Value {
				t.Error("enabled is not true")
			}
		})
	}
}
