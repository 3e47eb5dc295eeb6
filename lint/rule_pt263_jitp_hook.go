package lint

import "github.com/iotpt/iotpt/template"

var ruleJITPHook = &Rule{
	Code: "PT263", Name: "jitp-hook", Severity: template.Error,
	Title: "Pre-provisioning hook on a JITP template",
	Doc: `Pre-provisioning hooks are supported only by FLEET_PROVISIONING templates
(CreateProvisioningTemplate's preProvisioningHook "Only supports template of
type FLEET_PROVISIONING").`,
	Bad:  `{"templateName": "jitp", "type": "JITP", "preProvisioningHook": {...}, ...}`,
	Good: `{"templateName": "jitp", "type": "JITP", ...}`,
	Run: func(p *Pass) {
		if !p.JITP() {
			return
		}
		if m := p.File.Wrapper.Member("preProvisioningHook"); m != nil {
			p.Report(m.Key, "pre-provisioning hooks run only for FLEET_PROVISIONING templates; remove it or change the type")
		}
	},
}
