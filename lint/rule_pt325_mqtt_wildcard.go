package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleMQTTWildcard = &Rule{
	Code: "PT325", Name: "mqtt-wildcard-resource", Severity: template.Warning,
	Title: "MQTT wildcard + or # in a policy resource",
	Doc: `In AWS IoT policies "MQTT wildcard characters + and # are treated as
literal strings". A resource ending in /# matches only a topic filter that is
literally "#", and a Deny on topicfilter/a/# does not stop subscribing to
a/b (Device Defender's IOT_POLICY_POTENTIAL_MISCONFIGURATION_CHECK). Use the
policy wildcards * (any characters) and ? (one character).`,
	Bad:  `"Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/sensors/#"`,
	Good: `"Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/sensors/*"`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				for _, r := range st.resources {
					path := resourcePath(r.Value)
					for _, w := range []string{"#", "+"} {
						if segmentIs(path, w) {
							i := strings.Index(r.Value, "/"+w) + 1
							p.ReportAt(charRange(r, i, i+1), r.Pointer(), "MQTT wildcard "+quote(w)+" is literal in an IoT policy; use * (or ? for one character)")
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
