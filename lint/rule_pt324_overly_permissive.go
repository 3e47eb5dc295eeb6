package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleOverlyPermissive = &Rule{
	Code: "PT324", Name: "overly-permissive", Severity: template.Warning,
	Title: "Policy statement that AWS IoT Device Defender flags as overly permissive",
	Doc: `Device Defender's IOT_POLICY_OVERLY_PERMISSIVE_CHECK flags device policies
that let one device act as any other: iot:* or * on *, iot:Connect on
client/* (or on client/${iot:ClientId} without an
iot:Connection.Thing.IsAttached condition), and shadow or job actions on
thing/*. Scope each statement to the device's own thing name.`,
	Bad:  `{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}`,
	Good: `{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"}`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				if st.effect != "Allow" {
					continue
				}
				for _, a := range st.actions {
					for _, r := range st.resources {
						if msg := permissive(a.Value, r.Value, st); msg != "" {
							p.Report(r, msg)
						}
					}
				}
			}
		}
	},
}

// permissive explains why an allowed action on a resource is overly broad,
// or returns "".
func permissive(action, res string, st statement) string {
	wildAction := action == "*" || strings.EqualFold(action, "iot:*")
	typ, path := resourceType(res), resourcePath(res)
	switch {
	case wildAction && (res == "*" || strings.HasSuffix(res, ":*")):
		return "allows every IoT action on every resource"
	case matchesAction(action, "iot:Connect") && typ == "client" && path == "*":
		return "lets the device connect with any client ID, and so impersonate any device"
	case matchesAction(action, "iot:Connect") && typ == "client" && path == "${iot:ClientId}" && !conditionHas(st, "iot:Connection.Thing.IsAttached"):
		return "client/${iot:ClientId} without an iot:Connection.Thing.IsAttached condition is as broad as client/*"
	case typ == "thing" && strings.HasPrefix(path, "*") && isThingAction(action):
		return "gives access to the shadows or jobs of every thing; use thing/${iot:Connection.Thing.ThingName}"
	}
	return ""
}

func isThingAction(action string) bool {
	for a, typ := range iotActions {
		if typ == "thing" && matchesAction(action, a) {
			return true
		}
	}
	return false
}

func conditionHas(st statement, key string) bool {
	found := false
	template.Walk(st.cond, func(n template.Node) bool {
		if o, ok := n.(*template.Object); ok && o.Get(key) != nil {
			found = true
		}
		return !found
	})
	return found
}
