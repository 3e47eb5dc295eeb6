package lint_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/lint"
)

// TestPoliciesBesideTemplate checks the policy rules on the policies
// defined beside a template (template.File.Policies) where the body does
// not decide: a body that does not parse or is known only when Terraform
// runs, a body resource with the same logical ID and a parse error, and a
// Terraform file with two templates, which reports the policy once.
func TestPoliciesBesideTemplate(t *testing.T) {
	const cfnPolicy = `Resources:
  DevicePolicy:
    Type: AWS::IoT::Policy
    Properties:
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "iot:Pubish", Resource: "*"}]
  Template:
    Type: AWS::IoT::ProvisioningTemplate
    Properties:
      TemplateBody: `
	const tfPolicy = `resource "aws_iot_policy" "device" {
  policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow", Action = "iot:Pubish", Resource = "*" }] })
}
`
	const tfTemplate = `resource "aws_iot_provisioning_template" "%s" {
  enabled       = true
  template_body = %s
}
`
	tests := []struct {
		name, file, text string
		want             []string // "line:col CODE" of the policy rules' findings
	}{
		{"body does not parse", "stack.yaml", cfnPolicy + `'{"Resources": {'` + "\n", []string{"7:45 PT322"}},
		{"body known only when Terraform runs", "main.tf", tfPolicy + fmt.Sprintf(tfTemplate, "a", "file(var.body)"), []string{"2:91 PT322"}},
		{"two templates", "main.tf", tfPolicy + fmt.Sprintf(tfTemplate, "a", "jsonencode({ Resources = {} })") + fmt.Sprintf(tfTemplate, "b", "jsonencode({ Resources = {} })"), []string{"2:91 PT322"}},
		{"same logical ID in the body", "stack.yaml", cfnPolicy + `'{"Resources": {"DevicePolicy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"Statement\": [}"}}}}'` + "\n",
			[]string{"7:45 PT322"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, res := range lint.CheckAll(tt.file, []byte(tt.text), lint.Options{}) {
				for _, d := range res.Diagnostics {
					if strings.HasPrefix(d.Code, "PT32") {
						got = append(got, fmt.Sprintf("%d:%d %s", d.Range.Start.Line, d.Range.Start.Column, d.Code))
					}
				}
			}
			if strings.Join(got, ", ") != strings.Join(tt.want, ", ") {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}
