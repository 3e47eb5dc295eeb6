package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleAttributes = &Rule{
	Code: "PT303", Name: "attributes", Severity: template.Error,
	Title: "Thing attribute name or value AWS IoT rejects",
	Doc: `Attribute names are up to 128 characters of letters, digits and
_ . , @ / : # -; values up to 800 of letters, digits and _ . , @ / : # = [ ] -.
Values cannot hold spaces, and must be strings: a nested object or a number
is rejected. Flatten structured data into several attributes.`,
	Bad:  `"AttributePayload": {"location": "Building 7", "config": {"rev": 2}}`,
	Good: `"AttributePayload": {"location": "building-7", "configRev": "2"}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			attrs, ok := p.PlannedProperties(r).Get("AttributePayload")
			written, _ := r.Property("AttributePayload").(*template.Object)
			if !ok || attrs.Kind() != eval.Object || written == nil {
				continue
			}
			for i, name := range attrs.Keys() {
				m := written.Member(name)
				if m == nil {
					continue
				}
				if msg := eval.AttributeNameRule.Problem(name); msg != "" {
					p.Report(m.Key, msg)
					continue
				}
				switch v := attrs.Items()[i]; v.Kind() {
				case eval.String, eval.Partial:
					checkValue(p, m.Value, v, eval.AttributeValueRule)
				case eval.Object, eval.List, eval.Number, eval.Bool, eval.Null:
					p.Report(m.Value, "attribute "+quote(name)+" must have a string value, not "+template.Describe(m.Value))
				}
			}
		}
	},
}
