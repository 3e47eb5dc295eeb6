package lint

import "github.com/iotpt/iotpt/template"

var ruleUnsupportedFunction = &Rule{
	Code: template.CodeUnsupportedFunction, Name: "unsupported-function", Severity: template.Error,
	Title: "Intrinsic function that provisioning templates do not support",
	Doc: `AWS IoT documents only Ref, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap and
Fn::Sub for provisioning templates. CloudFormation functions written by habit
(Fn::If, Fn::GetAtt, Fn::Base64, Fn::ImportValue, conditions) are not
evaluated by the provisioning engine. Compute the value before provisioning,
pass it as a parameter, or move the choice into a pre-provisioning hook.`,
	Bad:  `"ThingName": {"Fn::If": ["IsProd", "prod-1", "dev-1"]}`,
	Good: `"ThingName": {"Ref": "ThingName"}`,
	Run: func(p *Pass) {
		eachCall(p, func(c *template.Call) {
			if c.Func == nil || !c.Func.Supported {
				for _, d := range c.Check() {
					p.ReportAt(d.Range, d.Path, d.Message)
				}
			}
		})
	},
}

// eachCall calls fn for every intrinsic function call in the template body
// and in its parsed policy documents.
func eachCall(p *Pass, fn func(*template.Call)) {
	visit := func(n template.Node) {
		template.Walk(n, func(c template.Node) bool {
			if call, ok := template.AsCall(c); ok {
				fn(call)
			}
			return true
		})
	}
	visit(p.Template.Root)
	for _, r := range p.Template.Resources {
		if r.PolicyDocument != nil && r.PolicyDocument != r.PolicyDocumentNode {
			visit(r.PolicyDocument)
		}
	}
}
