package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleCertificateStatus = &Rule{
	Code: "PT306", Name: "certificate-status", Severity: template.Error,
	Title: "Certificate Status other than ACTIVE or INACTIVE",
	Doc: `A certificate resource's Status is ACTIVE (the default) or INACTIVE. Other
certificate states (PENDING_ACTIVATION, REVOKED, ...) cannot be set by a
template.`,
	Bad:  `"Status": "ENABLED"`,
	Good: `"Status": "ACTIVE"`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeCertificate) {
			if s, ok := literal(r.Property("Status")); ok {
				if up := strings.ToUpper(s.Value); up != "ACTIVE" && up != "INACTIVE" {
					p.Report(s, "certificate Status "+quote(s.Value)+" must be ACTIVE or INACTIVE")
				}
			}
		}
	},
}
