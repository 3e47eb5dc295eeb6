package lint

import "github.com/iotpt/iotpt/template"

var ruleThingNameRequired = &Rule{
	Code: "PT205", Name: "thing-name-required", Severity: template.Error,
	Title: "Thing resource without ThingName",
	Doc: `A thing resource needs a ThingName: provisioning creates (or finds) the
thing by it, and RegisterThing returns it to the device as thingName.`,
	Bad:  `"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingTypeName": "sensor"}}`,
	Good: `"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}, "ThingTypeName": "sensor"}}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			if r.Property("ThingName") == nil {
				p.Report(r.Key, "thing resource "+quote(r.LogicalID)+" has no ThingName")
			}
		}
	},
}
