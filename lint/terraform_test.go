package lint

import (
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// TestTerraformFindings checks findings of Terraform bodies at their place
// in the .tf file: a quoted string with escapes, a body over the API's
// 10,240 characters, and no finding on values known only when Terraform
// runs.
func TestTerraformFindings(t *testing.T) {
	long := strings.Repeat("x", 10300)
	for _, tt := range []struct {
		name, tf string
		want     []string // "line:col code"
	}{
		{"quoted string with escapes",
			`resource "aws_iot_provisioning_template" "q" {
  enabled       = true
  template_body = "{\"Resources\": {\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": \"a\tb\"}}}}"
}`,
			// HCL decodes \t to a tab, raw in the JSON string: both
			// findings point at the backslash of \t
			[]string{"3:111 PT007", "3:111 PT301"}},
		{"body over 10,240 characters",
			`resource "aws_iot_provisioning_template" "big" {
  enabled       = true
  template_body = jsonencode({
    Resources           = { t = { Type = "AWS::IoT::Thing", Properties = { ThingName = "t" } } }
    DeviceConfiguration = { Note = "` + long + `" }
  })
}`,
			[]string{"3:30 PT284"}},
		{"heredoc over 10,240 characters",
			"resource \"aws_iot_provisioning_template\" \"big\" {\n  enabled = true\n  template_body = <<EOT\n{\"Resources\": {\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": \"t\"}}}, \"DeviceConfiguration\": {\"Note\": \"" + long + "\"}}\nEOT\n}\n",
			[]string{"3:19 PT284"}},
		{"references only",
			`resource "aws_iot_provisioning_template" "r" {
  name                  = var.name
  provisioning_role_arn = var.role
  enabled               = var.enabled
  type                  = var.type
  pre_provisioning_hook {
    target_arn      = var.hook
    payload_version = var.version
  }
  template_body = jsonencode({
    Resources = {
      t = { Type = "AWS::IoT::Thing", Properties = { ThingName = var.thing, ThingGroups = var.groups, AttributePayload = var.attrs } }
      p = { Type = "AWS::IoT::Policy", Properties = { PolicyDocument = var.policy } }
    }
  })
}`,
			nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range CheckAll("main.tf", []byte(tt.tf), Options{}) {
				for _, d := range r.Diagnostics {
					if d.Severity == template.Info {
						continue
					}
					got = append(got, strings.TrimPrefix(d.Range.Location(), "main.tf:")+" "+d.Code)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
