package lint

import (
	"strconv"

	"github.com/iotpt/iotpt/template"
)

var ruleAttributeCount = &Rule{
	Code: "PT304", Name: "attribute-count", Severity: template.Error,
	Title: "More thing attributes than AWS IoT allows",
	Doc: `A thing without a thing type can have at most 3 attributes; with a thing
type, 50. Give the thing a ThingTypeName, or drop attributes.`,
	Bad:  `"AttributePayload": {"a": "1", "b": "2", "c": "3", "d": "4"}   (no ThingTypeName)`,
	Good: `"ThingTypeName": "sensor", "AttributePayload": {"a": "1", "b": "2", "c": "3", "d": "4"}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			attrs, ok := r.Property("AttributePayload").(*template.Object)
			if !ok {
				continue
			}
			limit, typed := 3, r.Property("ThingTypeName") != nil
			if typed {
				limit = 50
			}
			if n := len(attrs.Members); n > limit {
				msg := "the thing has " + strconv.Itoa(n) + " attributes; at most " + strconv.Itoa(limit) + " are allowed"
				if !typed {
					msg += " without a thing type (50 with one)"
				}
				p.Report(attrs.Members[limit].Key, msg)
			}
		}
	},
}
