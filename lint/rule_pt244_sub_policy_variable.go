package lint

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

var ruleSubPolicyVariable = &Rule{
	Code: "PT244", Name: "sub-policy-variable", Severity: template.Error,
	Title: "IoT policy variable inside an Fn::Sub string",
	Doc: `Fn::Sub replaces every ${Name} with a value. An IoT policy variable such as
${iot:Connection.Thing.ThingName} is meant for the policy engine, which reads
it when the device connects; Fn::Sub cannot resolve it. Write ${!iot:...}:
Fn::Sub turns it into the literal ${iot:...} that the policy needs. (Tools
that drop the escape have produced policies that deny every connection while
the deployment reported success.)`,
	Bad:  `{"Fn::Sub": "arn:aws:iot:${Region}:${Account}:client/${iot:Connection.Thing.ThingName}"}`,
	Good: `{"Fn::Sub": "arn:aws:iot:${Region}:${Account}:client/${!iot:Connection.Thing.ThingName}"}`,
	Run: func(p *Pass) {
		eachCall(p, func(c *template.Call) {
			if c.Name != "Fn::Sub" {
				return
			}
			s, vars := subParts(c)
			if s == nil {
				return
			}
			for _, name := range subVariables(s.Value) {
				if !model.IsPolicyVariable(name) || vars.Get(name) != nil {
					continue
				}
				at := strings.Index(s.Value, "${"+name+"}")
				fixed := strings.ReplaceAll(s.Value, "${iot:", "${!iot:")
				fixed = strings.ReplaceAll(fixed, "${aws:", "${!aws:")
				p.ReportAt(charRange(s, at, at+len(name)+3), s.Pointer(),
					"Fn::Sub would try to resolve the policy variable ${"+name+"}; write ${!"+name+"} to keep it for the policy engine",
					replaceString(s, "escape the policy variables", fixed)...)
			}
		})
	},
}
