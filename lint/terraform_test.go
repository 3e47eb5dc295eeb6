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
			// HCL decodes \t to a tab, raw in the JSON string: the finding
			// points at the backslash of \t (the thing name's is its knock-on)
			[]string{"3:111 PT007"}},
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

// FuzzCheckTerraform lints arbitrary Terraform files: every rule runs on
// trees built from HCL (strings with their own decoded sources, unknown
// values), so no rule may panic, and every finding lies in the file.
func FuzzCheckTerraform(f *testing.F) {
	f.Add(terraformFile(1))
	f.Add([]byte(`resource "aws_iot_provisioning_template" "h" {
  name = "a b"
  provisioning_role_arn = "role"
  type = "JITP"
  pre_provisioning_hook {
    target_arn = "x"
    payload_version = "1"
  }
  template_body = <<-EOT
    {"Parameters": {"AWS::IoT::Certificate::CommonName": {"Type": "String"}, "X": {"Type": "Number"}},
     "Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "X"}, "AttributePayload": {"a": "${var.v} b"}}},
       "c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "Active"}},
       "p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:*\", \"Resource\": \"${x}*\"}]}"}}}}
  EOT
}`))
	f.Add([]byte(`resource "aws_iot_ca_certificate" "c" {
  registration_config {
    role_arn = "r"
    template_body = jsonencode({ Resources = { t = { Type = "AWS::IoT::Thing", Properties = { ThingName = "x\t${var.y}", ThingGroups = [for g in var.g : g] } } } })
  }
}`))
	f.Add([]byte(`resource "aws_iot_policy" "p" {
  policy = <<-EOT
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["iot:*", "${var.a}"], "Resource": "arn:aws:iot:${var.r}:1:topic/$${iot:ClientId}/#"}]}
  EOT
}
resource "aws_iot_provisioning_template" "t" { template_body = jsonencode({ Resources = {} }) }`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, r := range CheckAll("main.tf", data, Options{Form: template.FormTerraform}) {
			for _, d := range r.Diagnostics {
				if d.Range.Start.IsValid() && (d.Range.Filename != "main.tf" || d.Range.End.Byte > len(data) || d.Range.Start.Byte > d.Range.End.Byte) {
					t.Fatalf("finding outside the file: %v %+v", d, d.Range)
				}
			}
		}
	})
}
