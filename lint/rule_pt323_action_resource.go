package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var ruleActionResource = &Rule{
	Code: "PT323", Name: "action-resource-mismatch", Severity: template.Error,
	Title: "Policy action paired with a resource of the wrong type",
	Doc: `Each IoT action is checked against one type of resource: iot:Connect
against client/<clientId>, iot:Publish, iot:Receive and iot:RetainPublish
against topic/<topic>, iot:Subscribe against topicfilter/<filter>, shadow and
job actions against thing/<name>. A statement that pairs iot:Subscribe with
topic/... ARNs never matches, so the device cannot subscribe (a classic
copy-paste bug). Split the statement by action.` + besideDoc,
	Bad:  `{"Effect": "Allow", "Action": ["iot:Publish", "iot:Subscribe"], "Resource": "arn:aws:iot:us-east-1:123456789012:topic/devices/*"}`,
	Good: `{"Effect": "Allow", "Action": "iot:Subscribe", "Resource": "arn:aws:iot:us-east-1:123456789012:topicfilter/devices/*"}`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				for _, a := range st.actions {
					want, ok := iotActions[a.Value]
					if !ok || want == "*" || want == "greengrass" {
						continue
					}
					matched, typed := false, 0
					var wrong *template.String
					for _, r := range st.resources {
						if r.Value == "*" || strings.HasSuffix(r.Value, ":*") {
							matched = true
							continue
						}
						typ := resourceType(r.Value)
						if typ == "" || strings.ContainsAny(typ, "*"+template.CFNVarStart) {
							matched = true
							continue
						}
						typed++
						if typ == want {
							matched = true
						} else if wrong == nil {
							wrong = r
						}
					}
					if !matched && typed > 0 {
						p.Report(wrong, a.Value+" is checked against "+want+"/ resources, but this statement only names "+resourceType(wrong.Value)+"/ ones, so it never matches")
					}
				}
			}
		}
	},
}
