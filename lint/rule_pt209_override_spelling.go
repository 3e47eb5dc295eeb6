package lint

import "github.com/iotpt/iotpt/template"

var snakeToProperty = map[string]string{"ATTRIBUTE_PAYLOAD": "AttributePayload", "THING_TYPE_NAME": "ThingTypeName", "THING_GROUPS": "ThingGroups"}

var ruleOverrideSpelling = &Rule{
	Code: "PT209", Name: "override-spelling", Severity: template.Warning,
	Title: "OverrideSettings key in SCREAMING_SNAKE case",
	Doc: `The AWS prose lists OverrideSettings keys as ATTRIBUTE_PAYLOAD,
THING_TYPE_NAME and THING_GROUPS, but every AWS example and sample uses the
property names AttributePayload, ThingTypeName and ThingGroups. Whether the
service accepts the prose spelling is not documented; use the property names.`,
	Bad:  `"OverrideSettings": {"THING_GROUPS": "MERGE"}`,
	Good: `"OverrideSettings": {"ThingGroups": "MERGE"}`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			if r.OverrideSettings == nil {
				continue
			}
			for _, m := range r.OverrideSettings.Members {
				if prop, ok := snakeToProperty[m.Key.Value]; ok {
					p.Report(m.Key, "write "+quote(prop)+", as every AWS example does, rather than "+quote(m.Key.Value), replaceString(m.Key, "rename to "+prop, prop)...)
				}
			}
		}
	},
}
