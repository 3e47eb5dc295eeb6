package lint

import (
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// properties lists the documented properties of each resource type, from
// the service model. PackageVersions (things) and ThingPrincipalType
// (certificates) are newer than the 2023 documentation but appear in
// current AWS material.
var properties = map[string][]string{
	template.TypeThing:       model.PropertyNames(model.TypeThing),
	template.TypeCertificate: model.PropertyNames(model.TypeCertificate),
	template.TypePolicy:      model.PropertyNames(model.TypePolicy),
}

var ruleUnknownProperty = &Rule{
	Code: "PT204", Name: "unknown-property", Severity: template.Error,
	Title: "Unknown resource property or resource key",
	Doc: `Each resource type has a fixed set of properties; a resource has only
Type, Properties and OverrideSettings. A misspelt property (ThingNmae,
Attributes, CertificateID) is not applied, and the property you meant is
missing. The CloudFormation shape of AttributePayload ({"Attributes": {...}})
does not apply to provisioning templates either.`,
	Bad:  `"Properties": {"Thingname": {"Ref": "SerialNumber"}}`,
	Good: `"Properties": {"ThingName": {"Ref": "SerialNumber"}}`,
	Run: func(p *Pass) {
		for _, r := range p.Template.Resources {
			for _, m := range r.Node.Members {
				if !contains(model.ResourceKeys, m.Key.Value) {
					p.Report(m.Key, "unknown key "+quote(m.Key.Value)+" in resource "+quote(r.LogicalID)+didYouMean(m.Key.Value, model.ResourceKeys))
				}
			}
			known, ok := properties[r.Type]
			if !ok || r.Properties == nil {
				continue
			}
			for _, m := range r.Properties.Members {
				if !contains(known, m.Key.Value) {
					p.Report(m.Key, "unknown "+r.Type+" property "+quote(m.Key.Value)+didYouMean(m.Key.Value, known))
				}
			}
			if attrs, ok := r.Property("AttributePayload").(*template.Object); ok && len(attrs.Members) == 1 && attrs.Members[0].Key.Value == "Attributes" {
				p.Report(attrs.Members[0].Key, `AttributePayload takes the attributes directly; {"Attributes": {...}} is the CloudFormation AWS::IoT::Thing shape and would make one attribute named "Attributes"`)
			}
		}
	},
}
