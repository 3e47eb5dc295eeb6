package lint

import (
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleRefNonParameter = &Rule{
	Code: eval.CodeBadRef, Name: "ref-to-non-parameter", Severity: template.Error,
	Title: "Ref to a resource or a CloudFormation pseudo parameter",
	Doc: `In a provisioning template, Ref can only name a parameter. A Ref to a
resource's logical ID, or to a CloudFormation pseudo parameter such as
AWS::Region or AWS::AccountId, is not documented and does not resolve.
Declare a parameter and pass the value instead.`,
	Bad:  `"AttributePayload": {"region": {"Ref": "AWS::Region"}}`,
	Good: `"AttributePayload": {"region": {"Ref": "Region"}}`,
	Run: func(p *Pass) {
		for _, r := range refs(p.Template.Root) {
			if _, isRef := template.AsCall(r.node); !isRef || p.Template.Parameter(r.name) != nil || eval.IsCertParam(r.name) {
				continue
			}
			switch {
			case p.Template.Resource(r.name) != nil:
				p.Report(r.node, "Ref to resource "+quote(r.name)+" is not supported: provisioning templates can only reference parameters")
			case strings.HasPrefix(r.name, "AWS::") && meantCertParam(r.name) == "": // a misspelt certificate parameter is PT267
				p.Report(r.node, quote(r.name)+" is a CloudFormation pseudo parameter, which provisioning templates do not support; declare a parameter and pass the value")
			}
		}
	},
}
