package lint

import "slices"

// registry is every rule: lint's own, then those generated from the
// service model (modelRules). It is an explicit list: adding a rule means
// adding it here, and TestRegistry checks the list.
var registry = append([]*Rule{
	ruleUnsupportedFunction, ruleFunctionArguments, ruleRefNonParameter,
	ruleUnknownSection, ruleUnknownResourceType, ruleUnknownProperty,
	ruleOverrideSpelling,
	ruleUndeclaredParameter, ruleUndeclaredCertificateID, ruleUnusedParameter,
	ruleFindInMapLiteral, ruleSelectLiteralRange, ruleSubPolicyVariable,
	ruleJITPParameter, ruleJITPFleetSections, ruleCertificateRequirements, ruleMissingCertificateAttribute, ruleCertificateParameterName,
	ruleFleetCertificateID, ruleFleetWithoutThing,
	ruleEscapeDebris,
	ruleCertificateStatusCase, rulePlaceholder,
	rulePolicyVersion, rulePolicyAction, ruleActionResource, ruleOverlyPermissive, ruleMQTTWildcard, rulePolicyVariable,
	ruleThingVariablesUnattached, rulePolicyShape, ruleClaimPolicyTemplate,
}, modelRules...)

// Rules returns every rule, in code order.
func Rules() []*Rule {
	out := slices.Clone(registry)
	slices.SortFunc(out, func(a, b *Rule) int {
		if a.Code < b.Code {
			return -1
		}
		if a.Code > b.Code {
			return 1
		}
		return 0
	})
	return out
}

// Lookup returns the rule with a code ("PT201") or name ("unknown-section"),
// or nil.
func Lookup(codeOrName string) *Rule {
	for _, r := range registry {
		if r.Code == codeOrName || r.Name == codeOrName {
			return r
		}
	}
	return nil
}
