package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/celexpr"
	"github.com/iotpt/iotpt/schema"
	"github.com/iotpt/iotpt/template"
)

// builtinCodes titles the diagnostics that come from the parser and the
// planner rather than from a rule.
var builtinCodes = map[string]string{
	template.CodeSyntax:            "Malformed JSON",
	template.CodeTruncated:         "Input ends in the middle of a value",
	template.CodeTrailing:          "Content after the end of the document",
	template.CodeDuplicateKey:      "Duplicate object key",
	template.CodeInvalidUTF8:       "Bytes that are not UTF-8",
	template.CodeBOM:               "Byte order mark at the start of the file",
	template.CodeControlChar:       "Raw control character in a string",
	template.CodeInvalidEscape:     "Invalid backslash escape",
	template.CodeLoneSurrogate:     "Lone UTF-16 surrogate",
	template.CodeNonJSONNumber:     "NaN, Infinity or another non-JSON number",
	template.CodeNumberRange:       "Number too large to represent",
	template.CodeTooDeep:           "Nesting deeper than the limit",
	template.CodeTooLarge:          "File larger than the size limit",
	template.CodeEmpty:             "Empty file or embedded string",
	template.CodeInputForm:         "Malformed registration config or CLI input",
	template.CodeSectionShape:      "Section, parameter or resource of the wrong JSON type",
	template.CodeCFNPolicyVariable: "Name of the provisioning template that CloudFormation would try to resolve, and fail",
	template.CodeCFNMore:           "More provisioning templates in a file than the one checked",
	template.CodeNotTemplate:       "File that holds no template (a program, JSON Lines, a file pointing elsewhere)",
	schema.CodeSchema:              "Value that breaks the template's JSON Schema",
	template.CodeCompileInput:      "Field the compiled form needs is missing or wrong",
	template.CodeCompileLimit:      "Compiled artifact breaks an API limit",
	eval.CodeMissingParam:          "Referenced parameter has no value",
	eval.CodeUndeclaredParam:       "Ref to an undeclared parameter",
	eval.CodeSelectRange:           "Fn::Select index out of range or null element",
	eval.CodeMapLookup:             "Fn::FindInMap map or key missing",
	eval.CodeFunctionType:          "Function applied to a value of the wrong kind",
	eval.CodeHookDenied:            "Pre-provisioning hook denies provisioning",
	eval.CodeCertAttrMissing:       "JITP certificate lacks a subject attribute",
	eval.CodeJITPParam:             "JITP template uses a non-certificate parameter",
	eval.CodeThingTypeMissing:      "Thing type does not exist",
	eval.CodeGroupMissing:          "Thing group does not exist",
	eval.CodeBillingMissing:        "Billing group does not exist",
	eval.CodePolicyMissing:         "Named policy does not exist",
	eval.CodeConflict:              "OverrideSettings FAIL on an existing resource",
	eval.CodeRequestLimit:          "Parameter or built value over RegisterThing's limits",
	eval.CodeCertConflict:          "Certificate that cannot be provisioned as the template says",
	eval.CodeNotTemplate:           "File that holds no template to plan",
	eval.CodeDeployTime:            "Section known only when Terraform runs, which the plan cannot see",
	eval.CodeIgnoredInput:          "Input this kind of provisioning does not use",
	eval.CodeAssumption:            "Undocumented AWS behaviour assumed",
	eval.CodeInput:                 "Malformed input file",
	eval.CodeBulkLine:              "Bulk parameters line that is not a JSON object of strings",
	eval.CodeBulkLineTooLong:       "Bulk parameters line over 256 KiB",
	celexpr.CodeFile:               "Malformed organisation rules or tests file",
	celexpr.CodeCompile:            "CEL expression that does not compile or has the wrong type",
	celexpr.CodeEval:               "CEL expression that fails when evaluated",
	celexpr.CodeCostOver:           "CEL expression that exceeds its cost limit",
}

// CodeTitle returns the title of any diagnostic code: a rule's, or that of
// a parser or planner diagnostic. It returns "" for an unknown code.
func CodeTitle(code string) string {
	if r := Lookup(code); r != nil {
		return r.Title
	}
	return builtinCodes[code]
}

// codeHelp explains the codes that are neither rules nor the parser's or
// planner's: those of organisation rules and template tests.
var codeHelp = map[string]string{
	celexpr.CodeFile: `A rules file (lint --rules, rules: in .iotpt.yaml) or a test file
(*.iotpt-test.yaml) does not have the documented structure: an unknown key,
a missing id, name, message or expression, a duplicate id or case name, a
value of the wrong type. The message names the key and what it takes.`,
	celexpr.CodeCompile: `A CEL expression of a rule or a test assertion does not compile: a
syntax error, an undeclared variable (the variables are template, resource,
params and plan), a field resource does not have, a function applied to
arguments of the wrong type, or a result of the wrong type (expression and
assert give bool, messageExpression gives string). The position points at
the character in the YAML file.`,
	celexpr.CodeEval: `A rule's expression failed while it was checked, most often because it
reads a key the template does not have: resource.properties.ThingTypeName
on a thing without a type. Guard optional values with has():
has(resource.properties.ThingTypeName) && ... The finding is an error
because a rule that cannot be checked would otherwise pass silently.`,
	celexpr.CodeCostOver: `Each evaluation of a rule or an assertion may cost at most
1,000,000 CEL cost units, about one per operation and per list element
visited, so that a rules file cannot hang lint. Rules over a template need
a few hundred. An expression over the limit usually nests comprehensions
(all, exists, map, filter) over the same list; filter first, or check one
level at a time in separate rules. An evaluation is also stopped after 2
seconds, and all the rules over one file may cost 10,000,000 units in
total, after which the remaining ones are not checked.`,
}

// CodeHelp returns a longer explanation of a code that is not a rule's,
// or "".
func CodeHelp(code string) string {
	if h := codeHelp[code]; h != "" {
		return h
	}
	return builtinHelp[code]
}
