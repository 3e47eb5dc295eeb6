package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleTemplateDisabled = &Rule{
	Code: "PT312", Name: "template-disabled", Severity: template.Warning,
	Title: "Provisioning template created disabled",
	Doc: `A disabled provisioning template makes every provisioning request fail.
Terraform's aws_iot_provisioning_template defaults enabled to false, and the
API's own default is not documented: say "enabled": true explicitly. In
Terraform, a resource without enabled = true is created disabled; in the
output of describe-provisioning-template, "enabled": false is a deployed
template that fails every request.`,
	Bad:  `{"templateName": "fleet", "enabled": false, ...}`,
	Good: `{"templateName": "fleet", "enabled": true, ...}`,
	Run: func(p *Pass) {
		form := p.File.Form
		switch {
		case form == template.FormTerraform && strings.HasPrefix(p.File.Address, template.TFProvisioningTemplate+"."):
		case form != template.FormCLIInput && form != template.FormDescribe:
			return
		}
		switch e := p.File.Wrapper.Get("enabled").(type) {
		case *template.Bool:
			if !e.Value && form == template.FormDescribe {
				p.Report(e, "the deployed template is disabled: every provisioning request fails until it is enabled")
			} else if !e.Value {
				p.Report(e, "the template is created disabled: every provisioning request fails until it is enabled")
			}
		case nil:
			switch form {
			case template.FormTerraform:
				p.Report(p.File.Wrapper, p.File.Address+" does not set enabled, and Terraform's default is false: the template is created disabled and every provisioning request fails; add enabled = true")
			case template.FormCLIInput:
				p.Report(p.File.Wrapper, `the CLI input does not say "enabled": true; a disabled template fails every provisioning request, and the default is not documented`)
			}
		}
	},
}
