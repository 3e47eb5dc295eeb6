package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleCertificateRequirements = &Rule{
	Code: "PT265", Name: "certificate-requirements", Severity: template.Info,
	Title: "Subject field the JITP device certificate must carry",
	Doc: `"The certificate must contain values for all of the parameters in the
template body": every AWS::IoT::Certificate::* subject parameter a JITP
template declares is a requirement on every device certificate. A
certificate without one fails JITP silently: it stays PENDING_ACTIVATION and
the device never connects. This rule lists the requirements; give a
certificate with --cert to have them checked.`,
	Bad:  `"Parameters": {"AWS::IoT::Certificate::Country": {"Type": "String"}}`,
	Good: `(information only)`,
	Run: func(p *Pass) {
		if !p.JITP() || p.Cert != nil {
			return
		}
		for _, d := range p.Template.Parameters {
			for _, s := range eval.CertSubjectParams {
				if s.Param == d.Name {
					p.Report(d.Key, "every device certificate must have "+s.Attr+" in its subject, or JITP fails")
				}
			}
		}
	},
}
