package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var rulePolicyVersion = &Rule{
	Code: "PT321", Name: "policy-version", Severity: template.Error,
	Title: `Policy document using policy variables without Version "2012-10-17"`,
	Doc: `Policy variables such as ${iot:Connection.Thing.ThingName} are substituted
only in documents with "Version": "2012-10-17". With 2008-10-17, or no
Version at all, they are literal text, so a device can only reach a topic
literally named "${iot:Connection.Thing.ThingName}".` + besideDoc,
	Bad:  `{"Statement": [{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:*:*:client/${iot:ClientId}"}]}`,
	Good: `{"Version": "2012-10-17", "Statement": [...]}`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			v, _ := d.root.Get("Version").(*template.String)
			if v != nil && (v.Value == "2012-10-17" || strings.Contains(v.Value, template.CFNVarStart)) {
				continue // right, or known only at deployment
			}
			var uses *template.String
			walkStrings(d.root, func(s *template.String) {
				if uses == nil && strings.Contains(s.Value, "${") {
					uses = s
				}
			})
			if uses == nil {
				continue
			}
			if v == nil {
				p.Report(d.root, `the policy uses policy variables but has no "Version": "2012-10-17", so they stay literal text`)
			} else {
				p.Report(v, "the policy uses policy variables, which version "+quote(v.Value)+` treats as literal text; use "2012-10-17"`, replaceString(v, "use 2012-10-17", "2012-10-17")...)
			}
		}
	},
}
