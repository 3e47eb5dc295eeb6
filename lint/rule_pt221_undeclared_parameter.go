package lint

import (
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleUndeclaredParameter = &Rule{
	Code: "PT221", Name: "undeclared-parameter", Severity: template.Warning,
	Title: "Ref to a parameter that Parameters does not declare",
	Doc: `Every parameter a template references should be declared in Parameters,
with its Type and, where it has one, its Default. Some AWS examples reference
undeclared parameters and rely on the request to supply them; a typo in a Ref
then goes unnoticed until a device fails with "Cannot resolve reference
value". (An undeclared AWS::IoT::Certificate::Id in a fleet template is
reported separately.) Whether AWS tolerates an undeclared Ref is not
documented (U5): iotpt plans it with the value a request gives, and fails it
without one, so this is a warning.`,
	Bad:  `"ThingName": {"Ref": "SerialNumbr"}`,
	Good: `"Parameters": {"SerialNumber": {"Type": "String"}}, ... "ThingName": {"Ref": "SerialNumber"}`,
	Run: func(p *Pass) {
		var declared []string
		for _, d := range p.Template.Parameters {
			declared = append(declared, d.Name)
		}
		for _, r := range refs(p.Template.Root) {
			if p.Template.Parameter(r.name) != nil || p.Template.Resource(r.name) != nil {
				continue
			}
			if r.name == eval.CertParamID && p.Fleet() {
				continue // PT222
			}
			if strings.HasPrefix(r.name, "AWS::") && !eval.IsCertParam(r.name) {
				continue // a pseudo parameter: PT107
			}
			p.Report(r.node, "parameter "+quote(r.name)+" is referenced but not declared in Parameters"+didYouMean(r.name, declared)+" (U5)")
		}
	},
}
