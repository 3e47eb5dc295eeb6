package lint

import "github.com/iotpt/iotpt/template"

var ruleJITPFleetSections = &Rule{
	Code: "PT264", Name: "jitp-fleet-sections", Severity: template.Warning,
	Title: "Mappings or DeviceConfiguration in a JITP template",
	Doc: `Mappings, DeviceConfiguration (and the functions that use them) are
documented only for fleet provisioning; a JITP device never receives a
DeviceConfiguration. Whether the service ignores or rejects them in a JITP
template is not documented.`,
	Bad:  `{"Parameters": ..., "Resources": ..., "DeviceConfiguration": {"Url": "..."}}   (JITP)`,
	Good: `{"Parameters": ..., "Resources": ...}`,
	Run: func(p *Pass) {
		if !p.JITP() {
			return
		}
		for _, name := range []string{"Mappings", "DeviceConfiguration"} {
			if m := p.Template.Root.Member(name); m != nil {
				p.Report(m.Key, name+" is a fleet provisioning section; a JITP template does not use it")
			}
		}
	},
}
