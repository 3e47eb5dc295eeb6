package lint

import (
	"strconv"
	"unicode"

	"github.com/iotpt/iotpt/template"
)

var rulePolicyTooLong = &Rule{
	Code: "PT328", Name: "policy-too-long", Severity: template.Error,
	Title: "Policy document over 2,048 characters besides white space",
	Doc: `CreatePolicy accepts a document of at most 2,048 characters, not counting
white space. Split the permissions over several policy resources, or use
wildcards and policy variables instead of listing every topic.`,
	Bad:  `(a document listing 60 topic ARNs)`,
	Good: `"Resource": "arn:aws:iot:us-east-1:123456789012:topic/devices/${iot:Connection.Thing.ThingName}/*"`,
	Run: func(p *Pass) {
		for _, d := range p.policyDocs() {
			n := 0
			for _, r := range string(template.AppendCompact(nil, d.root)) {
				if !unicode.IsSpace(r) {
					n++
				}
			}
			if n > 2048 {
				p.Report(d.root, "the policy document has "+strconv.Itoa(n)+" characters besides white space; CreatePolicy accepts at most 2048")
			}
		}
	},
}
