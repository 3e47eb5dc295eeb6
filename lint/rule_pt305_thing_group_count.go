package lint

import (
	"strconv"

	"github.com/iotpt/iotpt/template"
)

var ruleThingGroupCount = &Rule{
	Code: "PT305", Name: "thing-group-count", Severity: template.Error,
	Title: "Thing in more than 10 thing groups",
	Doc:   `A thing can belong to at most 10 thing groups.`,
	Bad:   `"ThingGroups": ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11"]`,
	Good:  `"ThingGroups": ["g1", "g2"]`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypeThing) {
			if g, ok := r.Property("ThingGroups").(*template.Array); ok && len(g.Elems) > 10 {
				p.Report(g.Elems[10], "the thing would join "+strconv.Itoa(len(g.Elems))+" thing groups; a thing can be in at most 10")
			}
		}
	},
}
