package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleCertificateIDFormat = &Rule{
	Code: "PT308", Name: "certificate-id-format", Severity: template.Error,
	Title: "Literal CertificateId that is not 64 hexadecimal characters",
	Doc: `A certificate ID is 64 hexadecimal characters (the SHA-256 of the
certificate). A literal ID of another shape (an ARN, a truncated ID, a
placeholder) never matches a certificate.`,
	Bad:  `"CertificateId": "arn:aws:iot:us-east-1:123456789012:cert/4f2a"`,
	Good: `"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeCertificate) {
			if s, ok := literal(r.Property("CertificateId")); ok && !eval.ValidCertificateID(s.Value) {
				p.Report(s, "certificate ID "+quote(s.Value)+" is not 64 hexadecimal characters")
			}
		}
	},
}
