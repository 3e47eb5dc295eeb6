package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleJITPParameter = &Rule{
	Code: "PT261", Name: "jitp-parameter", Severity: template.Error,
	Title: "JITP template with a parameter that is not a certificate parameter",
	Doc: `In just-in-time provisioning nobody sends parameters: AWS IoT fills them
from the device certificate, and JITP templates "can use only" the eight
AWS::IoT::Certificate::* parameters (Country, Organization,
OrganizationalUnit, DistinguishedNameQualifier, StateName, CommonName,
SerialNumber, Id). Any other parameter cannot get a value.`,
	Bad:  `"Parameters": {"SerialNumber": {"Type": "String"}}   (JITP)`,
	Good: `"Parameters": {"AWS::IoT::Certificate::SerialNumber": {"Type": "String"}}`,
	Run: func(p *Pass) {
		if !p.JITP() {
			return
		}
		for _, d := range p.Template.Parameters {
			if !eval.IsCertParam(d.Name) {
				hint := didYouMean(eval.CertParamPrefix+d.Name, certParamNames())
				if meant := meantCertParam(d.Name); meant != "" && meant != "?" {
					hint = "; did you mean " + quote(meant) + "?"
				}
				p.Report(d.Key, "JITP templates can only use the "+eval.CertParamPrefix+"* parameters; "+quote(d.Name)+" cannot get a value"+hint)
			}
		}
	},
}

func certParamNames() []string {
	out := []string{eval.CertParamID}
	for _, s := range eval.CertSubjectParams {
		out = append(out, s.Param)
	}
	return out
}
