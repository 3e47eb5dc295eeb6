package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleFleetCertificateID = &Rule{
	Code: "PT271", Name: "fleet-certificate-id", Severity: template.Error,
	Title: `Fleet template whose certificate is not {"Ref": "AWS::IoT::Certificate::Id"}`,
	Doc: `In fleet provisioning the device already holds the certificate it got from
CreateKeysAndCertificate or CreateCertificateFromCsr, and the template must
name exactly that one: "Only certificate IDs can be used with a fleet
provisioning template", as {"Ref": "AWS::IoT::Certificate::Id"}. A CSR, a
PEM, a literal ID or a parameter of your own registers or names some other
certificate; a literal ID is an error, a parameter of your own a warning
(the device may send its own ID in it). (A bare body whose certificate comes from a CSR or PEM is taken
for a bulk registration or RegisterThing template, where those are right;
this rule then applies only with --type FLEET_PROVISIONING.)`,
	Bad:  `"CertificateId": {"Ref": "CertificateId"}`,
	Good: `"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}`,
	Run: func(p *Pass) {
		if !p.Fleet() {
			return
		}
		for _, r := range p.Resources(template.TypeCertificate) {
			for _, s := range []string{"CertificateSigningRequest", "CertificatePem"} {
				if m := r.Properties.Member(s); m != nil {
					p.Report(m.Key, "fleet provisioning templates can use only certificate IDs, not "+s)
				}
			}
			m := r.Properties.Member("CertificateId")
			if m == nil {
				continue
			}
			if c, ok := template.AsCall(m.Value); ok && c.Name == "Ref" {
				if s, ok := c.Arg.(*template.String); ok && s.Value == eval.CertParamID {
					continue
				}
			}
			if _, ok := m.Value.(*template.String); ok {
				// The same certificate for every device: the device's own
				// is neither activated nor attached.
				p.Report(m.Value, `a literal certificate ID names the same certificate for every device; in fleet provisioning it must be {"Ref": "AWS::IoT::Certificate::Id"}, the one the device provisions with, or its own certificate is never activated or attached`)
				continue
			}
			// RegisterThing takes a certificate ID from the device's own
			// parameters too: this names some other certificate only if the
			// device sends the wrong one, so it is not a certain failure.
			p.ReportSeverity(template.Warning, m.Value, `in fleet provisioning the certificate should be {"Ref": "AWS::IoT::Certificate::Id"}, the one the device is provisioning with; this value must be sent by the device`)
		}
	},
}
