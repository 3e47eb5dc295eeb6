package lint

import "github.com/iotpt/iotpt/template"

var ruleDoubleEncodedPolicy = &Rule{
	Code: "PT281", Name: "double-encoded-policy", Severity: template.Error,
	Title: "PolicyDocument JSON-encoded twice",
	Doc: `A PolicyDocument string must hold the policy's JSON object. When the
document was JSON-encoded twice (json.dumps of a string that was already
JSON), the string holds a JSON string instead, and CreatePolicy rejects it as
malformed. The fix removes one level of encoding. (A templateBody encoded
twice is reported by the parser, PT016, with the same fix.)`,
	Bad:  `"PolicyDocument": "\"{\\\"Version\\\": \\\"2012-10-17\\\", ...}\""`,
	Good: `"PolicyDocument": "{\"Version\": \"2012-10-17\", ...}"`,
	Run: func(p *Pass) {
		for _, r := range p.Resources(template.TypePolicy) {
			outer, ok := r.PolicyDocumentNode.(*template.String)
			inner, twice := r.PolicyDocument.(*template.String)
			if ok && twice {
				p.Report(outer, "the PolicyDocument is JSON-encoded twice: its string holds a JSON string, not a policy object",
					replaceString(outer, "remove one level of encoding", inner.Value)...)
			}
		}
	},
}
