package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleMQTTWildcard = &Rule{
	Code: "PT325", Name: "mqtt-wildcard-resource", Severity: template.Warning,
	Title: "MQTT wildcard + or # in a policy resource where it cannot work",
	Doc: `In AWS IoT policies "MQTT wildcard characters + and # are treated as
literal strings". In a topic/ resource (Publish, Receive) they match
nothing: no topic name contains them, since MQTT forbids publishing to one.
In a Deny on a topicfilter/ resource they deny only that literal filter: a
Deny on topicfilter/a/# does not stop subscribing to a/b (Device
Defender's IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK). Use the policy
wildcards * (any characters) and ? (one character). An Allow on
topicfilter/sensors/# is left alone: it lets the device subscribe with
exactly the filter sensors/#, which is how AWS documents it.` + besideDoc,
	Bad:  `"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:123456789012:topic/sensors/#"`,
	Good: `"Effect": "Allow", "Action": "iot:Publish", "Resource": "arn:aws:iot:us-east-1:123456789012:topic/sensors/*"`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				for _, r := range st.resources {
					typ := resourceType(r.Value)
					var why string
					switch {
					case typ == "topic":
						why = "no topic name contains it, so this resource matches nothing"
					case typ == "topicfilter" && st.effect == "Deny":
						why = "a Deny on this literal filter does not stop subscribing with narrower ones"
					default:
						continue
					}
					path := resourcePath(r.Value)
					for _, w := range []string{"#", "+"} {
						if segmentIs(path, w) {
							i := strings.Index(r.Value, "/"+w) + 1
							p.ReportAt(charRange(r, i, i+1), r.Pointer(), "MQTT wildcard "+quote(w)+" is literal in an IoT policy: "+why+"; use * (or ? for one character)")
							break
						}
					}
				}
			}
		}
	},
}

// segmentIs reports whether a topic path has a level that is exactly w.
func segmentIs(path, w string) bool {
	for _, seg := range strings.Split(path, "/") {
		if seg == w {
			return true
		}
	}
	return false
}
