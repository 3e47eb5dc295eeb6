package lint

import "github.com/iotpt/iotpt/template"

var ruleFunctionArguments = &Rule{
	Code: template.CodeFunctionArgs, Name: "function-arguments", Severity: template.Error,
	Title: "Intrinsic function called with the wrong number or kinds of arguments",
	Doc: `Each intrinsic function takes a fixed shape of argument: Fn::Join a
delimiter and a list, Fn::Select an index and a list, Fn::Split a literal
delimiter and a string, Fn::FindInMap three keys, Fn::Sub a string (or a
string and a map of variables), Ref a parameter name. A call of another shape
fails provisioning.`,
	Bad:  `"ThingName": {"Fn::Join": ["-"]}`,
	Good: `"ThingName": {"Fn::Join": ["-", ["sensor", {"Ref": "SerialNumber"}]]}`,
	Run: func(p *Pass) {
		eachCall(p, func(c *template.Call) {
			if c.Func != nil && c.Func.Supported {
				for _, d := range c.Check() {
					p.ReportAt(d.Range, d.Path, d.Message)
				}
			}
		})
	},
}
