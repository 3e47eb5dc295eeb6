package lint

import (
	"testing"
)

// FuzzUserRules loads arbitrary rules files and checks a template with
// them: no panic, and every problem of the rules file is positioned in it.
func FuzzUserRules(f *testing.F) {
	f.Add([]byte("rules:\n  - id: a\n    message: m\n    expression: has(resource.properties.ThingName)\n"))
	f.Add([]byte("rules:\n  - id: a\n    resource: AWS::IoT::Policy\n    messageExpression: resource.logicalId\n    expression: |\n      resource.policyDocument.Statement.all(s, s.Effect == 'Allow')\n"))
	f.Add([]byte("rules:\n  - id: b\n    message: m\n    expression: template.Resources.size() > 1 && [1,2,3].map(x, x * 2)[0] == 2\n"))
	f.Add([]byte("rules: [{id: c, message: m, expression: '\"\\u00e9\".size() == 1'}]"))
	tmpl := []byte(`{"Parameters": {"S": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "S"}}},
	  "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"*\"}]}"}}}}`)
	f.Fuzz(func(t *testing.T, rules []byte) {
		u, _, diags := LoadUserRules("rules.yaml", rules)
		for _, d := range diags {
			if d.Range.Filename != "rules.yaml" || !d.Range.Start.IsValid() {
				t.Fatalf("unpositioned rules file problem: %v", d)
			}
		}
		Check("t.json", tmpl, Options{UserRules: u})
	})
}
