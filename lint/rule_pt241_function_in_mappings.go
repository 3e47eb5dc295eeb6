package lint

import "github.com/iotpt/iotpt/template"

var ruleFunctionInMappings = &Rule{
	Code: "PT241", Name: "function-in-mappings", Severity: template.Error,
	Title: "Intrinsic function or parameter inside Mappings",
	Doc: `Mappings are literal tables: "You cannot include parameters, pseudo
parameters, or call intrinsic functions in the Mappings section". Look values
up with Fn::FindInMap from the resources instead.`,
	Bad:  `"Mappings": {"Sites": {"Tokyo": {"Url": {"Fn::Join": ["", ["https://", {"Ref": "Host"}]]}}}}`,
	Good: `"Mappings": {"Sites": {"Tokyo": {"Url": "https://tokyo.example.com"}}}`,
	Run: func(p *Pass) {
		if p.Template.Mappings == nil {
			return
		}
		template.Walk(p.Template.Mappings, func(n template.Node) bool {
			if c, ok := template.AsCall(n); ok {
				p.Report(c.NameNode, c.Name+" is not allowed in Mappings; mapping values must be literal")
				return false
			}
			return true
		})
	},
}
