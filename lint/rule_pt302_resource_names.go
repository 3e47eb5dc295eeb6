package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleResourceNames = &Rule{
	Code: "PT302", Name: "resource-names", Severity: template.Error,
	Title: "Thing type, group, billing group or policy name AWS IoT rejects",
	Doc: `Thing type, thing group and billing group names are 1 to 128 characters of
letters, digits, ':', '_' and '-'; policy names 1 to 128 of letters, digits
and _ + = , . @ -. A name that breaks the pattern fails provisioning for
every device.`,
	Bad:  `"ThingGroups": ["sensors/eu-west"]`,
	Good: `"ThingGroups": ["sensors-eu-west"]`,
	Run: func(p *Pass) {
		for _, r := range p.Template.Resources {
			props := p.PlannedProperties(r)
			switch r.Type {
			case template.TypeThing:
				if v, ok := props.Get("ThingTypeName"); ok {
					checkValue(p, propertyNode(r, "ThingTypeName"), v, eval.ThingTypeNameRule)
				}
				if v, ok := props.Get("BillingGroup"); ok {
					checkValue(p, propertyNode(r, "BillingGroup"), v, eval.BillingGroupRule)
				}
				if v, ok := props.Get("ThingGroups"); ok && v.Kind() == eval.List {
					arr, _ := r.Property("ThingGroups").(*template.Array)
					for i, g := range v.Items() {
						at := propertyNode(r, "ThingGroups")
						if arr != nil && i < len(arr.Elems) {
							at = arr.Elems[i]
						}
						checkValue(p, at, g, eval.ThingGroupNameRule)
					}
				}
			case template.TypePolicy:
				if v, ok := props.Get("PolicyName"); ok {
					checkValue(p, propertyNode(r, "PolicyName"), v, eval.PolicyNameRule)
				}
			}
		}
	},
}
