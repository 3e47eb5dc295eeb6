package lint

import "slices"

// registry is every rule, in code order. It is an explicit list: adding a
// rule means adding it here, and TestRegistry checks the list.
var registry = []*Rule{
	ruleUnsupportedFunction, ruleFunctionArguments, ruleRefNonParameter,
	ruleUnknownSection, ruleMissingResources, ruleUnknownResourceType, ruleUnknownProperty,
	ruleThingNameRequired, ruleCertificateSource, rulePolicyNameOrDocument, ruleOverrideSettings, ruleOverrideSpelling,
	ruleUndeclaredParameter, ruleUndeclaredCertificateID, ruleUnusedParameter, ruleParameterType, ruleParameterDefault,
	ruleFunctionInMappings, ruleFindInMapLiteral, ruleSelectLiteralRange, ruleSubPolicyVariable,
	ruleJITPParameter, ruleJITPCertificateID, ruleJITPHook, ruleJITPFleetSections, ruleCertificateRequirements, ruleMissingCertificateAttribute, ruleCertificateParameterName,
	ruleFleetCertificateID, ruleDeviceConfigurationValues, ruleFleetWithoutThing,
	ruleDoubleEncodedPolicy, ruleTemplateBodyObject, ruleEscapeDebris, ruleBodyTooLong,
	ruleThingName, ruleResourceNames, ruleAttributes, ruleAttributeCount, ruleThingGroupCount,
	ruleCertificateStatus, ruleCertificateStatusCase, ruleCertificateIDFormat, ruleWrapperFields, ruleHook, rulePlaceholder, ruleTemplateDisabled,
	rulePolicyVersion, rulePolicyAction, ruleActionResource, ruleOverlyPermissive, ruleMQTTWildcard, rulePolicyVariable,
	ruleThingVariablesUnattached, rulePolicyTooLong, rulePolicyShape,
}

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
