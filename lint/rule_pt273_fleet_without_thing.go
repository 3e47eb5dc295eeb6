package lint

import "github.com/iotpt/iotpt/template"

var ruleFleetWithoutThing = &Rule{
	Code: "PT273", Name: "fleet-without-thing", Severity: template.Warning,
	Title: "Fleet provisioning template that creates no thing",
	Doc: `RegisterThing returns the name of the thing the template created, and device
code (the AWS IoT Device SDK samples, Greengrass) uses it as its client ID
and in its topics. A fleet provisioning template without an AWS::IoT::Thing
resource is accepted, but RegisterThing then returns an empty thingName, and
devices that build topics or client IDs from it break. AWS does not document
this case; iotpt assumes it (spec uncertain point U30).`,
	Bad:  `"Resources": {"certificate": {...}, "policy": {...}}   (FLEET_PROVISIONING)`,
	Good: `"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}}}, "certificate": {...}}`,
	Run: func(p *Pass) {
		if !p.Fleet() || len(p.Resources(template.TypeThing)) > 0 || len(p.Template.Resources) == 0 {
			return
		}
		for _, r := range p.Template.Resources {
			if r.Type != template.TypeCertificate && r.Type != template.TypePolicy {
				return // a misspelt or unknown type (PT203) may be the thing
			}
		}
		m := p.Template.Root.Member("Resources")
		if m == nil {
			return
		}
		msg := "the template creates no AWS::IoT::Thing: RegisterThing then returns an empty thingName, and devices that build their client ID or topics from it break (assumed, spec uncertain point U30)"
		if p.TypeAssumed {
			msg += "; the file does not say its type, and FLEET_PROVISIONING is assumed"
		}
		p.Report(m.Key, msg)
	},
}
