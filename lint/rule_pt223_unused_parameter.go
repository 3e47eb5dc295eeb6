package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleUnusedParameter = &Rule{
	Code: "PT223", Name: "unused-parameter", Severity: template.Warning,
	Title: "Parameter declared but never used",
	Doc: `A declared parameter that no Ref or Fn::Sub uses is dead weight, or the sign
of a copy-paste mistake (an attribute that references the wrong parameter).
Parameters consumed only by a pre-provisioning hook are a legitimate
exception: suppress the rule for them. In JITP, an unused certificate
parameter still has to be present in the certificate.`,
	Bad:  `"Parameters": {"Location": {"Type": "String", "Default": "WA"}}   (never referenced)`,
	Good: `"AttributePayload": {"location": {"Ref": "Location"}}`,
	Run: func(p *Pass) {
		used := map[string]bool{}
		for _, r := range refs(p.Template.Root) {
			used[r.name] = true
		}
		for _, d := range p.Template.Parameters {
			switch {
			case used[d.Name]:
			case p.JITP() && eval.IsCertParam(d.Name) && d.Name != eval.CertParamID:
				p.Report(d.Key, "parameter "+quote(d.Name)+" is declared but never used, yet every device certificate must still carry it or JITP fails; remove it if it is not needed")
			default:
				p.Report(d.Key, "parameter "+quote(d.Name)+" is declared but never used")
			}
		}
	},
}
