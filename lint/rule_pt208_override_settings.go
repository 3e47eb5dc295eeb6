package lint

import "github.com/iotpt/iotpt/template"

var overrideValues = []string{"DO_NOTHING", "REPLACE", "FAIL", "MERGE"}

// overrideKeys lists the properties OverrideSettings may name per resource
// type, in both the spelling of the examples and that of the prose.
var overrideKeys = map[string][]string{
	template.TypeThing:       {"AttributePayload", "ThingTypeName", "ThingGroups", "ATTRIBUTE_PAYLOAD", "THING_TYPE_NAME", "THING_GROUPS"},
	template.TypeCertificate: {"Status"},
}

var mergeable = []string{"AttributePayload", "ThingGroups", "ATTRIBUTE_PAYLOAD", "THING_GROUPS"}

var ruleOverrideSettings = &Rule{
	Code: "PT208", Name: "override-settings", Severity: template.Error,
	Title: "OverrideSettings that cannot apply",
	Doc: `OverrideSettings say what to do when a resource already exists: DO_NOTHING,
REPLACE, FAIL, or MERGE (only for a thing's AttributePayload and
ThingGroups). A thing may override AttributePayload, ThingTypeName and
ThingGroups; a certificate only Status; a policy nothing.`,
	Bad:  `"OverrideSettings": {"ThingTypeName": "MERGE"}`,
	Good: `"OverrideSettings": {"ThingTypeName": "REPLACE", "AttributePayload": "MERGE"}`,
	Run: func(p *Pass) {
		for _, r := range p.Template.Resources {
			if r.OverrideSettings == nil {
				continue
			}
			keys, ok := overrideKeys[r.Type]
			if !ok {
				if r.Type == template.TypePolicy {
					p.Report(r.OverrideSettings, "OverrideSettings are not available for policy resources")
				}
				continue
			}
			for _, m := range r.OverrideSettings.Members {
				v, isStr := m.Value.(*template.String)
				switch {
				case !contains(keys, m.Key.Value):
					p.Report(m.Key, r.Type+" OverrideSettings cannot name "+quote(m.Key.Value)+didYouMean(m.Key.Value, keys))
				case !isStr || !contains(overrideValues, v.Value):
					p.Report(m.Value, "OverrideSettings."+m.Key.Value+" must be DO_NOTHING, REPLACE, FAIL or MERGE")
				case v.Value == "MERGE" && !contains(mergeable, m.Key.Value):
					p.Report(m.Value, "MERGE is valid only for ThingGroups and AttributePayload, not "+m.Key.Value)
				}
			}
		}
	},
}
