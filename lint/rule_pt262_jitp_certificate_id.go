package lint

import "github.com/iotpt/iotpt/template"

var ruleJITPCertificateID = &Rule{
	Code: "PT262", Name: "jitp-certificate-id", Severity: template.Error,
	Title: "JITP template that does not give the certificate by CertificateId",
	Doc: `"You must use CertificateId in a template that's used for JIT
provisioning": the device's certificate is already registered when the
template runs, and the template refers to it with
{"Ref": "AWS::IoT::Certificate::Id"}.`,
	Bad:  `"Properties": {"CertificateSigningRequest": {"Ref": "CSR"}}   (JITP)`,
	Good: `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}`,
	Run: func(p *Pass) {
		if !p.JITP() {
			return
		}
		for _, r := range p.Resources(template.TypeCertificate) {
			for _, s := range []string{"CertificateSigningRequest", "CertificatePem"} {
				if m := r.Properties.Member(s); m != nil {
					p.Report(m.Key, "JITP templates must give the certificate by CertificateId, not "+s)
				}
			}
		}
	},
}
