package lint

import "github.com/iotpt/iotpt/template"

var rulePolicyNameOrDocument = &Rule{
	Code: "PT207", Name: "policy-name-or-document", Severity: template.Error,
	Title: "Policy with both or neither of PolicyName and PolicyDocument",
	Doc: `A policy resource either attaches an existing AWS IoT policy (PolicyName) or
creates one from a document (PolicyDocument), not both. With neither, AWS
rejects the template: "Neither policyName nor policyDocument is present in
the Template".`,
	Bad:  `"policy": {"Type": "AWS::IoT::Policy", "Properties": {}}`,
	Good: `"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "DevicePolicy"}}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypePolicy) {
			name, doc := r.Properties.Member("PolicyName"), r.Properties.Member("PolicyDocument")
			switch {
			case name != nil && doc != nil:
				p.Report(doc.Key, "policy resource "+quote(r.LogicalID)+" gives both PolicyName and PolicyDocument; give one")
			case name == nil && doc == nil:
				p.Report(r.Key, "policy resource "+quote(r.LogicalID)+" needs PolicyName or PolicyDocument")
			}
		}
	},
}
