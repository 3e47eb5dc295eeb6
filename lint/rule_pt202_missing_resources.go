package lint

import "github.com/iotpt/iotpt/template"

var ruleMissingResources = &Rule{
	Code: "PT202", Name: "missing-resources", Severity: template.Error,
	Title: "Resources section missing or empty",
	Doc: `A provisioning template describes the resources a device needs (a thing, a
certificate, policies) in its Resources section. Without it the template
provisions nothing; AWS rejects a JITP registration config whose template has
no policy ("Neither policyName nor policyDocument is present in the
Template"), which is what an empty shell variable interpolated into a
template produces.`,
	Bad:  `{"Parameters": {"SerialNumber": {"Type": "String"}}}`,
	Good: `{"Parameters": {...}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", ...}}}`,
	Run: func(p *Pass) {
		switch rs := p.Template.Root.Get("Resources").(type) {
		case nil:
			p.Report(p.Template.Root, "the template has no Resources section")
		case *template.Object:
			if len(rs.Members) == 0 {
				p.Report(rs, "the Resources section is empty")
			}
		}
	},
}
