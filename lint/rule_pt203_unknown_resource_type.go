package lint

import (
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

var resourceTypes = model.ResourceTypes

var ruleUnknownResourceType = &Rule{
	Code: "PT203", Name: "unknown-resource-type", Severity: template.Error,
	Title: "Resource type other than AWS::IoT::Thing, Certificate or Policy",
	Doc: `Provisioning templates create three kinds of resource: AWS::IoT::Thing,
AWS::IoT::Certificate and AWS::IoT::Policy. Thing groups, thing types and
IAM roles must exist before provisioning; create them with CloudFormation or
the API, and reference them by name.`,
	Bad:  `"group": {"Type": "AWS::IoT::ThingGroup", "Properties": {...}}`,
	Good: `"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingGroups": ["existing-group"]}}`,
	Run: func(p *Pass) {
		for _, r := range p.Template.Resources {
			switch {
			case r.TypeNode == nil:
				p.Report(r.Key, "resource "+quote(r.LogicalID)+" has no Type")
			case r.Type == "":
				p.Report(r.TypeNode, "the Type of resource "+quote(r.LogicalID)+" must be a string")
			case !contains(resourceTypes, r.Type):
				if hint := didYouMean(r.Type, resourceTypes); hint != "" {
					p.Report(r.TypeNode, "unknown resource type "+quote(r.Type)+hint)
				} else {
					p.Report(r.TypeNode, "unknown resource type "+quote(r.Type)+"; provisioning templates create AWS::IoT::Thing, AWS::IoT::Certificate and AWS::IoT::Policy resources")
				}
			}
		}
	},
}
