package lint

import (
	"regexp"
	"unicode"
	"unicode/utf8"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var reRoleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)

var ruleWrapperFields = &Rule{
	Code: "PT309", Name: "wrapper-fields", Severity: template.Error,
	Title: "Registration config or CLI input field the API rejects",
	Doc: `The fields around the body have API constraints too: templateName is 1 to
36 letters, digits, '_' and '-'; description at most 500 characters without
control characters; type FLEET_PROVISIONING or JITP; enabled a boolean; and
the role (roleArn, provisioningRoleArn) an IAM role ARN of 20 to 2048
characters.`,
	Bad:  `{"templateName": "fleet template v2", "provisioningRoleArn": "ProvisioningRole", ...}`,
	Good: `{"templateName": "fleet-template-v2", "provisioningRoleArn": "arn:aws:iam::123456789012:role/ProvisioningRole", ...}`,
	Run: func(p *Pass) {
		w := p.File.Wrapper
		if w == nil {
			return
		}
		if s, ok := literal(w.Get("templateName")); ok {
			if msg := eval.TemplateNameRule.Problem(s.Value); msg != "" {
				p.Report(s, msg)
			}
		}
		if s, ok := literal(w.Get("description")); ok {
			if utf8.RuneCountInString(s.Value) > 500 {
				p.Report(s, "description is longer than 500 characters")
			}
			for i, r := range s.Value {
				if unicode.IsControl(r) {
					p.ReportAt(charRange(s, i, i+1), s.Pointer(), "description may not contain control characters")
					break
				}
			}
		}
		if n := w.Get("type"); n != nil {
			if s, ok := literal(n); !ok || (s.Value != eval.FleetProvisioning && s.Value != eval.JITP) {
				p.Report(n, "type must be FLEET_PROVISIONING or JITP")
			}
		}
		if n := w.Get("enabled"); n != nil {
			if _, ok := n.(*template.Bool); !ok {
				p.Report(n, "enabled must be true or false, not "+template.Describe(n))
			}
		}
		for _, key := range []string{"roleArn", "provisioningRoleArn"} {
			if s, ok := literal(w.Get(key)); ok && !reRoleARN.MatchString(s.Value) {
				p.Report(s, key+" "+quote(s.Value)+" is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)")
			}
		}
	},
}
