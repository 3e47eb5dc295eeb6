package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleUndeclaredCertificateID = &Rule{
	Code: "PT222", Name: "undeclared-certificate-id", Severity: template.Warning,
	Title: "Fleet template uses AWS::IoT::Certificate::Id without declaring it",
	Doc: `In fleet provisioning the service supplies AWS::IoT::Certificate::Id. AWS's
own documentation example references it without declaring it, while the
SDK, Greengrass and embedded samples all declare it. Declare it, so that the
template states every value it depends on.`,
	Bad:  `"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}   (not in Parameters)`,
	Good: `"Parameters": {"AWS::IoT::Certificate::Id": {"Type": "String"}}`,
	Run: func(p *Pass) {
		if !p.Fleet() || p.Template.Parameter(eval.CertParamID) != nil {
			return
		}
		for _, r := range refs(p.Template.Root) {
			if r.name == eval.CertParamID {
				p.Report(r.node, eval.CertParamID+` is used but not declared; add "`+eval.CertParamID+`": {"Type": "String"} to Parameters`)
				return
			}
		}
	},
}
