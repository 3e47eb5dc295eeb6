package lint

import (
	"slices"
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleOverlyPermissive = &Rule{
	Code: "PT324", Name: "overly-permissive", Severity: template.Warning,
	Title: "Policy statement that AWS IoT Device Defender flags as overly permissive",
	Doc: `Device Defender's IOT_POLICY_OVERLY_PERMISSIVE_CHECK flags device policies
that let one device act as any other: iot:* or * on *, iot:Connect on
client/* (or on client/${iot:ClientId} without an
iot:Connection.Thing.IsAttached condition), iot:Publish, iot:Receive or
iot:Subscribe on every topic (topic/*, topicfilter/*, topicfilter/#), and
shadow or job actions on thing/*. A Resource of "*" is every resource of
every type, so Connect, Publish, Receive, Subscribe or a shadow action on
"*" is as broad. Scope each statement to the device's own thing name.
(topic/# is not broad: in a policy # is a literal character, see PT325.)` + besideDoc,
	Bad:  `{"Effect": "Allow", "Action": "iot:*", "Resource": "*"}`,
	Good: `{"Effect": "Allow", "Action": "iot:Connect", "Resource": "arn:aws:iot:us-east-1:123456789012:client/${iot:Connection.Thing.ThingName}"}`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				if st.effect != "Allow" {
					continue
				}
				for _, r := range st.resources {
					if msg := permissive(st.actions, r.Value, st); msg != "" {
						p.Report(r, msg)
					}
				}
			}
		}
	},
}

// broadGrants are the ways an allowed action reaches every device's data
// when its resource is a wildcard: the action, the resource type its
// wildcard must have, and what it lets the device do.
var broadGrants = []struct{ action, typ, does string }{
	{"iot:Connect", "client", "connect with any client ID (and so impersonate any device)"},
	{"iot:Publish", "topic", "publish to every topic"},
	{"iot:RetainPublish", "topic", "publish retained messages to every topic"},
	{"iot:Receive", "topic", "receive messages from every topic"},
	{"iot:Subscribe", "topicfilter", "subscribe to every topic"},
}

// permissive explains why the allowed actions of a statement are overly
// broad on a resource, or returns "". A resource is a wildcard for an
// action when it is "*", an IoT ARN whose resource part is "*", or an ARN
// of the action's resource type whose name is "*" (for topic filters also
// "#", which as a literal filter is the MQTT filter for every topic).
func permissive(actions []*template.String, res string, st statement) string {
	typ, path := resourceType(res), resourcePath(res)
	all := res == "*" || typ == "*" || isIoTARN(res) && lastField(res) == "*"
	var does []string
	add := func(s string) {
		if !slices.Contains(does, s) {
			does = append(does, s)
		}
	}
	for _, a := range actions {
		action := a.Value
		if (action == "*" || strings.EqualFold(action, "iot:*")) && all {
			return "allows every IoT action on every resource"
		}
		for _, g := range broadGrants {
			if !matchesAction(action, g.action) {
				continue
			}
			if all || typ == g.typ && (path == "*" || g.typ == "topicfilter" && path == "#") {
				add(g.does)
			}
		}
		if isThingAction(action) && (all || typ == "thing" && strings.HasPrefix(path, "*")) {
			add("use the shadows or jobs of every thing")
		}
		if matchesAction(action, "iot:Connect") && typ == "client" && path == "${iot:ClientId}" && !conditionHas(st, "iot:Connection.Thing.IsAttached") {
			return "client/${iot:ClientId} without an iot:Connection.Thing.IsAttached condition is as broad as client/*"
		}
	}
	if len(does) == 0 {
		return ""
	}
	msg := "lets the device " + does[0]
	if len(does) > 1 {
		msg = "lets the device " + strings.Join(does[:len(does)-1], ", ") + " and " + does[len(does)-1]
	}
	return msg + "; scope it with ${iot:Connection.Thing.ThingName}"
}

// isIoTARN reports whether res is an ARN of AWS IoT.
func isIoTARN(res string) bool {
	parts := splitARN(res)
	return len(parts) == 6 && parts[0] == "arn" && parts[2] == "iot"
}

// lastField returns the resource part of an ARN.
func lastField(res string) string {
	parts := splitARN(res)
	return parts[len(parts)-1]
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
