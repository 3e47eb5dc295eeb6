package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleMissingCertificateAttribute = &Rule{
	Code: "PT266", Name: "missing-certificate-attribute", Severity: template.Error,
	Title: "Device certificate lacks a subject field the JITP template declares",
	Doc: `With --cert, each AWS::IoT::Certificate::* subject parameter the template
declares is looked up in the certificate's subject (C, O, OU, dnQualifier,
ST, CN, serialNumber). A missing one means JITP fails for that device: the
certificate stays PENDING_ACTIVATION and CloudTrail shows "Cannot resolve
reference value: {Ref=AWS::IoT::Certificate::Country}". A classic cause is an
openssl -subj written with the wrong separators.`,
	Bad:  `openssl req -subj "/CN=dev-1"   (template declares AWS::IoT::Certificate::Country)`,
	Good: `openssl req -subj "/C=US/CN=dev-1"`,
	Run: func(p *Pass) {
		if !p.JITP() || p.Cert == nil {
			return
		}
		for _, d := range p.Template.Parameters {
			for _, s := range eval.CertSubjectParams {
				if s.Param != d.Name {
					continue
				}
				if _, ok := p.Cert.Subject[d.Name]; !ok {
					p.Report(d.Key, "the device certificate has no "+s.Attr+" in its subject; JITP fails for this device")
				}
			}
		}
	},
}
