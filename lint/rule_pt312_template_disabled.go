package lint

import "github.com/iotpt/iotpt/template"

var ruleTemplateDisabled = &Rule{
	Code: "PT312", Name: "template-disabled", Severity: template.Warning,
	Title: "Provisioning template created disabled",
	Doc: `A disabled provisioning template makes every provisioning request fail.
Terraform's aws_iot_provisioning_template defaults enabled to false, and the
API's own default is not documented: say "enabled": true explicitly.`,
	Bad:  `{"templateName": "fleet", "enabled": false, ...}`,
	Good: `{"templateName": "fleet", "enabled": true, ...}`,
	Run: func(p *Pass) {
		if p.File.Form != template.FormCLIInput {
			return
		}
		switch e := p.File.Wrapper.Get("enabled").(type) {
		case *template.Bool:
			if !e.Value {
				p.Report(e, "the template is created disabled: every provisioning request fails until it is enabled")
			}
		case nil:
			p.Report(p.File.Wrapper, `the CLI input does not say "enabled": true; a disabled template fails every provisioning request, and the default is not documented`)
		}
	},
}
