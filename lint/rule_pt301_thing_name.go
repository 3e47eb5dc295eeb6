package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleThingName = &Rule{
	Code: "PT301", Name: "thing-name", Severity: template.Error,
	Title: "Thing name with characters or a length AWS IoT rejects",
	Doc: `A thing name is 1 to 128 characters of letters, digits, ':', '_' and '-'.
Spaces, dots and slashes are rejected. The rule checks literal names and the
known parts of names built with functions ("sensor " + <Serial> has a space
whatever the serial). AWS also advises against ':' in thing names.`,
	Bad:  `"ThingName": {"Fn::Join": [" ", ["sensor", {"Ref": "Serial"}]]}`,
	Good: `"ThingName": {"Fn::Join": ["_", ["sensor", {"Ref": "Serial"}]]}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			if v, ok := p.PlannedProperties(r).Get("ThingName"); ok {
				checkValue(p, propertyNode(r, "ThingName"), v, eval.ThingNameRule)
			}
		}
	},
}
