package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleCertificateStatusCase = &Rule{
	Code: "PT307", Name: "certificate-status-case", Severity: template.Info,
	Title: "Certificate Status not in upper case",
	Doc: `The documentation lists ACTIVE and INACTIVE, while many AWS examples write
"Active"; the control plane accepts both (a Terraform provider acceptance
test creates a template with "Inactive"), and iotpt takes the status in
upper case (U16). Upper case is only the documented spelling: a style
note, off the error path.`,
	Bad:  `"Status": "Active"`,
	Good: `"Status": "ACTIVE"`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeCertificate) {
			if s, ok := literal(r.Property("Status")); ok {
				if up := strings.ToUpper(s.Value); (up == "ACTIVE" || up == "INACTIVE") && up != s.Value {
					p.Report(s, "write the certificate Status as "+quote(up), replaceString(s, "write "+up, up)...)
				}
			}
		}
	},
}
