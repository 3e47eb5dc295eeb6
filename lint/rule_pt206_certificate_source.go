package lint

import "github.com/iotpt/iotpt/template"

var certSources = []string{"CertificateId", "CertificateSigningRequest", "CertificatePem"}

var ruleCertificateSource = &Rule{
	Code: "PT206", Name: "certificate-source", Severity: template.Error,
	Title: "Certificate given in no way or in more than one way",
	Doc: `A certificate resource names its certificate in exactly one way: by
CertificateId, by CertificateSigningRequest, or by CertificatePem (with
CACertificatePem when several registered CAs share a subject). The three are
mutually exclusive.`,
	Bad:  `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "CertificatePem": {"Ref": "Pem"}}`,
	Good: `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeCertificate) {
			var given []*template.Member
			for _, s := range certSources {
				if m := r.Properties.Member(s); m != nil {
					given = append(given, m)
				}
			}
			switch {
			case len(given) == 0:
				p.Report(r.Key, "certificate resource "+quote(r.LogicalID)+" needs one of CertificateId, CertificateSigningRequest or CertificatePem")
			case len(given) > 1:
				p.Report(given[1].Key, "certificate resource "+quote(r.LogicalID)+" gives both "+given[0].Key.Value+" and "+given[1].Key.Value+"; give the certificate one way only")
			}
		}
	},
}
