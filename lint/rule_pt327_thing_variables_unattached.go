package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleThingVariablesUnattached = &Rule{
	Code: "PT327", Name: "thing-variables-unattached", Severity: template.Warning,
	Title: "Thing policy variables while iot:Connect is not tied to the thing",
	Doc: `Thing policy variables (${iot:Connection.Thing.*}) resolve only when the
client ID equals the name of a thing attached to the certificate. Tie
iot:Connect to client/${iot:Connection.Thing.ThingName} (Device Defender also
accepts an iot:Connection.Thing.IsAttached condition); otherwise a device can
connect under another client ID and every thing-scoped statement stops
matching. A certificate attached as EXCLUSIVE_THING (ThingPrincipalType)
ties the connection to its thing whatever the client ID, so only
ThingTypeName and Attributes variables, whose documentation still asks for
the client ID, are reported then (U36).` + besideDoc,
	Bad:  `Connect on client/*, Publish on topic/${iot:Connection.Thing.ThingName}/*`,
	Good: `Connect on client/${iot:Connection.Thing.ThingName}, Publish on topic/${iot:Connection.Thing.ThingName}/*`,
	Run: func(p *Pass) {
		prefixes := []string{"${iot:Connection.Thing."}
		if exclusiveThing(p) {
			prefixes = []string{"${iot:Connection.Thing.ThingTypeName}", "${iot:Connection.Thing.Attributes["}
		}
		for _, d := range p.policyDocs() {
			var thingVar *template.String
			tied, connects := false, false
			for _, st := range d.statements {
				for _, r := range st.resources {
					for _, pre := range prefixes {
						if thingVar == nil && strings.Contains(r.Value, pre) {
							thingVar = r
						}
					}
				}
				for _, a := range st.actions {
					if st.effect != "Allow" || !matchesAction(a.Value, "iot:Connect") {
						continue
					}
					connects = true
					if conditionHas(st, "iot:Connection.Thing.IsAttached") {
						tied = true
					}
					for _, r := range st.resources {
						if resourcePath(r.Value) == "${iot:Connection.Thing.ThingName}" {
							tied = true
						}
					}
				}
			}
			if thingVar != nil && connects && !tied {
				p.Report(thingVar, "thing policy variables resolve only for a client ID equal to an attached thing's name, but iot:Connect here is not tied to the thing (client/${iot:Connection.Thing.ThingName})")
			}
		}
	},
}

// exclusiveThing reports whether a certificate of the template is attached
// to its thing as EXCLUSIVE_THING.
func exclusiveThing(p *Pass) bool {
	for _, r := range p.Resources(template.TypeCertificate) {
		if s, ok := literal(r.Property("ThingPrincipalType")); ok && s.Value == "EXCLUSIVE_THING" {
			return true
		}
	}
	return false
}
