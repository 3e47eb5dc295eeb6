package lint

import (
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleCertificateParameterName = &Rule{
	Code: "PT267", Name: "certificate-parameter-name", Severity: template.Error,
	Title: "Misspelt AWS::IoT::Certificate::* parameter name",
	Doc: `AWS IoT fills the AWS::IoT::Certificate::* parameters (Id, and in JITP the
subject fields CommonName, Country, Organization, OrganizationalUnit,
DistinguishedNameQualifier, StateName, SerialNumber) only under their exact,
case-sensitive names. AWS::IoT::Certificate::ID, AWS::IOT::Certificate::Id
or AWS::IoT::Certificate::Commonname is an ordinary parameter that nobody
supplies, in every template type: provisioning fails for want of its
value. (A misspelt name declared in a JITP template is reported by PT261.)`,
	Bad:  `"CertificateId": {"Ref": "AWS::IoT::Certificate::ID"}`,
	Good: `"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}`,
	Run: func(p *Pass) {
		seen := map[string]bool{}
		if !p.JITP() {
			for _, d := range p.Template.Parameters {
				if meant := meantCertParam(d.Name); meant != "" {
					seen[d.Name] = true
					p.Report(d.Key, misspeltCertParam(d.Name, meant))
				}
			}
		}
		for _, r := range refs(p.Template.Root) {
			if seen[r.name] || p.JITP() && p.Template.Parameter(r.name) != nil {
				continue
			}
			if meant := meantCertParam(r.name); meant != "" {
				seen[r.name] = true
				p.Report(r.node, misspeltCertParam(r.name, meant))
			}
		}
	},
}

func misspeltCertParam(name, meant string) string {
	if meant == "?" {
		return quote(name) + " is not a certificate parameter AWS IoT fills; they are " + strings.Join(certParamNames(), ", ")
	}
	return quote(name) + " is not a certificate parameter AWS IoT fills; did you mean " + quote(meant) + "?"
}

// meantCertParam returns the certificate parameter a misspelt name stands
// for, "?" for a name written as one whose field is unknown, and "" for a
// correct name or one that does not look like a certificate parameter.
func meantCertParam(name string) string {
	if eval.IsCertParam(name) || name == eval.CertParamID {
		return ""
	}
	lower := strings.ToLower(name)
	prefix := strings.ToLower(eval.CertParamPrefix)
	looksLike := strings.HasPrefix(lower, prefix)
	if !looksLike {
		if i := strings.LastIndex(name, "::"); i > 0 && template.Distance(lower[:i+2], prefix) <= 2 {
			looksLike = true
		}
	}
	if !looksLike {
		return ""
	}
	field := name[strings.LastIndex(name, "::")+2:]
	var fields []string
	for _, c := range certParamNames() {
		fields = append(fields, strings.TrimPrefix(c, eval.CertParamPrefix))
	}
	if f := certFieldAliases[strings.ToLower(field)]; f != "" {
		return eval.CertParamPrefix + f
	}
	if f := suggest(field, fields); f != "" {
		return eval.CertParamPrefix + f
	}
	return "?"
}

// certFieldAliases are the other names a subject field goes by (its X.520
// short name, the policy variable's iot:Certificate.Subject.State), lower
// case, with the parameter's own name for it.
var certFieldAliases = map[string]string{
	"state": "StateName", "st": "StateName", "c": "Country", "o": "Organization", "ou": "OrganizationalUnit",
	"cn": "CommonName", "serial": "SerialNumber", "dnq": "DistinguishedNameQualifier", "certificateid": "Id",
}
