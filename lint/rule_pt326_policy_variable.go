package lint

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

var rulePolicyVariable = &Rule{
	Code: "PT326", Name: "unknown-policy-variable", Severity: template.Error,
	Title: "Unknown or misspelt policy variable",
	Doc: `AWS IoT substitutes a fixed set of policy variables: iot:ClientId,
iot:Connection.Thing.ThingName (and ThingTypeName, IsAttached,
Attributes[name]), iot:Certificate.Subject.* and iot:Certificate.Issuer.*
fields, and a few more. A misspelt one is not substituted, so the statement
silently matches nothing.` + besideDoc,
	Bad:  `"Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.Thingname}"`,
	Good: `"Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			walkStrings(d.root, func(s *template.String) {
				for _, name := range subVariables(s.Value) {
					if !strings.HasPrefix(name, "iot:") && !strings.HasPrefix(name, "aws:") {
						continue
					}
					if !model.KnownPolicyVariable(name) {
						at := strings.Index(s.Value, "${"+name+"}")
						p.ReportAt(charRange(s, at, at+len(name)+3), s.Pointer(), "unknown policy variable ${"+name+"}"+didYouMean(name, model.PolicyVariables))
					}
				}
			})
		}
	},
}
