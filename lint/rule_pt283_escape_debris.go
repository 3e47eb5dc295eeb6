package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleEscapeDebris = &Rule{
	Code: "PT283", Name: "escape-debris", Severity: template.Warning,
	Title: `Value that still holds \" or \/ after decoding`,
	Doc: `After a template is decoded, a thing name, attribute or ARN should not
contain a backslash followed by a quote or a slash: that is escaping left
over from a layer that was decoded one time too few (a shell variable with
\\\" in it, a hand-escaped string pasted into an already escaped one). AWS
will use the backslash as part of the value.`,
	Bad:  `"ThingGroups": ["\\\"bulk-group\\\""]`,
	Good: `"ThingGroups": ["bulk-group"]`,
	Run: func(p *Pass) {
		check := func(root template.Node) {
			walkStrings(root, func(s *template.String) {
				if isPolicyDocumentString(p, s) {
					return
				}
				for _, seq := range []string{`\"`, `\/`} {
					if i := strings.Index(s.Value, seq); i >= 0 {
						p.ReportAt(charRange(s, i, i+2), s.Pointer(), "the value holds "+seq+" after decoding: escaping left over from a layer decoded one time too few")
						return
					}
				}
			})
		}
		check(p.Template.Root)
		for _, r := range p.Resources(template.TypePolicy) {
			if r.PolicyDocument != nil && r.PolicyDocument != r.PolicyDocumentNode {
				check(r.PolicyDocument)
			}
		}
	},
}

// isPolicyDocumentString reports whether s is the string that holds a
// policy document (its content is JSON, where \" is normal). The set of
// such strings is built once per pass, so that checking every string of a
// template with many resources stays linear.
func isPolicyDocumentString(p *Pass, s *template.String) bool {
	if p.policyStrings == nil {
		p.policyStrings = map[template.Node]bool{}
		for _, r := range p.Template.Resources {
			if r.PolicyDocumentNode != nil {
				p.policyStrings[r.PolicyDocumentNode] = true
			}
		}
	}
	return p.policyStrings[s]
}
