package template_test

import (
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// TestForeignForms checks which files are recognised as holding no
// template, and that templates in every form never are.
func TestForeignForms(t *testing.T) {
	for _, tt := range []struct {
		name, text string
		want       string // start of File.Foreign; "" for a template
	}{
		{"stack.ts", "import * as iot from 'aws-cdk-lib/aws-iot';\n", "a CDK app"},
		{"app.py", "from aws_cdk import Stack\n", "a CDK app"},
		{"index.ts", "import * as aws from \"@pulumi/aws\";\n", "a Pulumi program"},
		{"__main__.py", "import pulumi\nimport pulumi_aws as aws\n", "a Pulumi program"},
		{"main.go", "package main\n", "a program"},
		{"Pulumi.yaml", "name: fleet\nruntime: yaml\nresources:\n  t:\n    type: aws:iot:ProvisioningTemplate\n", "a Pulumi YAML program"},
		{"serverless.yml", "service: s\nprovider:\n  name: aws\nresources:\n  Resources:\n    T:\n      Properties:\n        TemplateBody: ${file(./t.json)}\n", "a Serverless Framework file, not a template: the body is in t.json"},
		{"snippet.txt", "JSON.stringify({\n  Resources: {}\n})\n", "JavaScript or TypeScript code"},
		{"module.txt", "module.exports = {}\n", "JavaScript code"},
		{"params.json", "{\"SerialNumber\": \"1\"}\n{\"SerialNumber\": \"2\"}\n", "JSON Lines"},
		{"main.tf", "resource \"aws_vpc\" \"v\" {}\n", "a Terraform file with no aws_iot_provisioning_template"},
		// Templates are never foreign, whatever words they hold.
		{"template.json", `{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "import pulumi aws-cdk-lib"}}}}`, ""},
		{"one-line.json", `{"Resources": {}}` + "\n", ""},
		{"template.yaml", "Resources:\n  thing:\n    Type: AWS::IoT::Thing\n", ""},
		{"import.yaml", "import: x\nResources: {}\n", ""},
		{"cdk.out/Stack.template.json", `{"Resources": {"T": {"Type": "AWS::IoT::ProvisioningTemplate", "Metadata": {"aws:cdk:path": "Stack/T"}, "Properties": {"TemplateBody": "{\"Resources\": {}}"}}}}`, ""},
		{"string.json", `"{\"Resources\": {}}"`, ""},
	} {
		f, diags := template.Parse(tt.name, []byte(tt.text), template.ParseOptions{})
		if !strings.HasPrefix(f.Foreign, tt.want) || (tt.want == "") != (f.Foreign == "") {
			t.Errorf("%s: Foreign = %q, want %q...", tt.name, f.Foreign, tt.want)
		}
		if tt.want != "" && (len(diags) != 1 || diags[0].Code != template.CodeNotTemplate) {
			t.Errorf("%s: want one %s diagnostic, got %v", tt.name, template.CodeNotTemplate, diags)
		}
	}
}
