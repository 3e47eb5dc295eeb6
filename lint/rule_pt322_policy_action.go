package lint

import (
	"slices"
	"strings"
	"unicode"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

var rulePolicyAction = &Rule{
	Code: "PT322", Name: "policy-action", Severity: template.Error,
	Title: "Unknown or non-IoT action in an AWS IoT policy",
	Doc: `AWS IoT policies grant iot: data-plane actions: iot:Connect, iot:Publish,
iot:Subscribe, iot:Receive, the retained-message, shadow and job actions,
and iot:AssumeRoleWithCertificate; and the Greengrass V2 data-plane actions
of core and client devices (greengrass:Discover,
greengrass:ResolveComponentCandidates, ..., or greengrass:*). A misspelt
action grants nothing. Actions of other services (s3:*, iam:*) belong in IAM
policies; AWS IoT reports "Policy document is Malformed".` + besideDoc,
	Bad:  `"Action": ["iot:Subcribe", "s3:GetObject"]`,
	Good: `"Action": ["iot:Subscribe"]`,
	Run: func(p *Pass) {
		names := actionNames()
		for _, d := range p.policyDocs() {
			for _, st := range d.statements {
				for _, a := range st.actions {
					switch {
					case strings.Contains(a.Value, template.CFNVarStart):
						// known only at deployment (!Ref, ${Param}, var.x)
					case a.Value == "*" || strings.EqualFold(a.Value, "iot:*") || strings.EqualFold(a.Value, "greengrass:*"):
					case policyService(a.Value) && strings.Contains(a.Value, "*"):
						if !anyAction(a.Value) {
							p.Report(a, "action pattern "+quote(a.Value)+" matches no AWS IoT policy action")
						}
					case policyService(a.Value):
						if _, ok := iotActions[a.Value]; !ok {
							p.Report(a, "unknown AWS IoT policy action "+quote(a.Value)+suggestAction(a.Value, names))
						}
					default:
						p.Report(a, quote(a.Value)+" is not an action AWS IoT policies grant (iot: and Greengrass V2 greengrass: actions); other services' actions belong in IAM policies")
					}
				}
			}
		}
	},
}

// policyService reports whether an action belongs to a service whose
// actions AWS IoT policies grant.
func policyService(action string) bool {
	service, _, ok := strings.Cut(action, ":")
	for _, s := range model.PolicyServices {
		if ok && strings.EqualFold(service, s) {
			return true
		}
	}
	return false
}

func anyAction(pattern string) bool {
	for a := range iotActions {
		if matchesAction(pattern, a) {
			return true
		}
	}
	return false
}

// suggestAction is the "did you mean" of an unknown action: the nearest
// spelling, else the action with the same words in another order
// (iot:PublishRetain for iot:RetainPublish).
func suggestAction(action string, names []string) string {
	if hint := didYouMean(action, names); hint != "" {
		return hint
	}
	want := actionWords(action)
	var found []string
	for _, n := range names {
		if slices.Equal(actionWords(n), want) {
			found = append(found, n)
		}
	}
	if len(found) == 0 {
		return ""
	}
	return "; did you mean " + quote(slices.Min(found)) + "?"
}

// actionWords returns the service and the words of an action's name, lower
// case, the words sorted: iot:RetainPublish gives iot, publish, retain.
func actionWords(action string) []string {
	service, name, _ := strings.Cut(strings.TrimSpace(action), ":")
	var words []string
	start := 0
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			words = append(words, strings.ToLower(name[start:i]))
			start = i
		}
	}
	words = append(words, strings.ToLower(name[start:]))
	slices.Sort(words)
	return append([]string{strings.ToLower(service)}, words...)
}
