package template_test

import (
	"testing"

	"github.com/iotpt/iotpt/template"
)

// TestPoliciesGoWithOneFile checks which File gets the policies beside the
// templates: of a Terraform file with several, the first that ParseAll
// gives, and the one Parse returns by address, with the values known only
// when Terraform runs; none when the file does not parse, or holds no
// provisioning template.
func TestPoliciesGoWithOneFile(t *testing.T) {
	tf := `resource "aws_iot_provisioning_template" "a" { template_body = jsonencode({ Resources = {} }) }
resource "aws_iot_policy" "p" {
  policy = jsonencode({ Statement = [{ Effect = "Allow", Action = var.action, Resource = "*" }] })
}
resource "aws_iot_provisioning_template" "b" { template_body = jsonencode({ Resources = {} }) }
`
	action := func(f *template.File) template.Node {
		doc, _ := f.Policies[0].PolicyDocument.(*template.Object)
		return template.Lookup(doc, "/Statement/0/Action")
	}
	all := template.ParseAll("main.tf", []byte(tf), tfOpts)
	if len(all) != 2 || len(all[0].File.Policies) != 1 || len(all[1].File.Policies) != 0 {
		t.Fatalf("ParseAll: want the policy with the first of two templates, got %d files", len(all))
	}
	if a := action(all[0].File); a == nil || !all[0].File.DependsOnUnknown(a.Range()) {
		t.Errorf("ParseAll: the Action var.action is not an unknown value: %v", a)
	}
	f, _ := template.Parse("main.tf", []byte(tf), template.ParseOptions{Address: "aws_iot_provisioning_template.b"})
	if f.Address != "aws_iot_provisioning_template.b" || len(f.Policies) != 1 || f.Policies[0].LogicalID != "aws_iot_policy.p" {
		t.Fatalf("Parse by address: got %s with %d policies", f.Address, len(f.Policies))
	}
	if a := action(f); a == nil || !f.DependsOnUnknown(a.Range()) {
		t.Errorf("Parse by address: the Action var.action is not an unknown value: %v", a)
	}

	for name, text := range map[string]string{
		"syntax.tf":   tf + "resource \"aws_iot_policy\" \"q\" {\n",
		"no-tmpl.tf":  `resource "aws_iot_policy" "p" { policy = jsonencode({ Statement = [] }) }`,
		"syntax.json": `{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {}}}, "T": {"Type": "AWS::IoT::ProvisioningTemplate"}}`,
		"stack.json":  `{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Statement": []}}}}}`,
	} {
		for _, p := range template.ParseAll(name, []byte(text), tfOpts) {
			if len(p.File.Policies) != 0 {
				t.Errorf("%s: got %d policies, want none", name, len(p.File.Policies))
			}
		}
	}
}
