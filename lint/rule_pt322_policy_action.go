package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

var rulePolicyAction = &Rule{
	Code: "PT322", Name: "policy-action", Severity: template.Error,
	Title: "Unknown or non-IoT action in an AWS IoT policy",
	Doc: `AWS IoT policies grant iot: data-plane actions: iot:Connect, iot:Publish,
iot:Subscribe, iot:Receive, the retained-message, shadow and job actions,
and iot:AssumeRoleWithCertificate. A misspelt action grants nothing. Actions
of other services (greengrass:*, s3:*) belong in IAM policies; AWS IoT
reports "Policy document is Malformed".`,
	Bad:  `"Action": ["iot:Subcribe", "greengrass:*"]`,
	Good: `"Action": ["iot:Subscribe"]`,
	Run: func(p *Pass) {
		names := actionNames()
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				for _, a := range st.actions {
					switch {
					case a.Value == "*" || strings.EqualFold(a.Value, "iot:*"):
					case strings.HasPrefix(strings.ToLower(a.Value), "iot:") && strings.Contains(a.Value, "*"):
						if !anyAction(a.Value) {
							p.Report(a, "action pattern "+quote(a.Value)+" matches no AWS IoT policy action")
						}
					case strings.HasPrefix(strings.ToLower(a.Value), "iot:"):
						if _, ok := iotActions[a.Value]; !ok {
							p.Report(a, "unknown AWS IoT policy action "+quote(a.Value)+didYouMean(a.Value, names))
						}
					default:
						p.Report(a, quote(a.Value)+" is not an AWS IoT action; AWS IoT policies grant iot: actions, and other services' actions belong in IAM policies")
					}
				}
			}
		}
	},
}

func anyAction(pattern string) bool {
	for a := range iotActions {
		if matchesAction(pattern, a) {
			return true
		}
	}
	return false
}
