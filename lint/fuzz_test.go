package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/template"
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

// FuzzCheck lints arbitrary files: no panic, the same output twice, never
// two findings of one code at one range, and no internal marker in a
// message.
func FuzzCheck(f *testing.F) {
	f.Add([]byte(`{"Resources": {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\\\"Version\\\": 1}"}}}}`))
	f.Add([]byte(`{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"REF": "S"}}, "OverrideSettings": {"Thing\qGroups": "MERGE\x"}}}}`))
	f.Add([]byte(`{"templateBody": "{\"Resources\": {\"p\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {\"PolicyDocument\": \"{\\\"Statement\\\": [\"}}}}", "roleArn": "arn:aws:iam::<ACCOUNT_ID>:role/R"}`))
	f.Add([]byte("Resources:\n  T:\n    Type: AWS::IoT::ProvisioningTemplate\n    Properties:\n      TemplateBody: !Sub '{\"Resources\": {\"t\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": {\"Fn::Sub\": \"${P}-${!S}\"}}}}}'\n"))
	f.Add([]byte("Resources:\n  P:\n    Type: AWS::IoT::Policy\n    Properties:\n      PolicyDocument:\n        Statement: [{Effect: Allow, Action: [!Ref A, iot:Publish], Resource: !Sub 'arn:aws:iot:${AWS::Region}:1:topic/#/${!iot:ClientId}'}]\n  T:\n    Type: AWS::IoT::ProvisioningTemplate\n    Properties:\n      TemplateBody: '{\"Resources\": {}}'\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := "t.json"
		if len(data) > 0 && data[0] == 'R' {
			name = "t.yaml"
		}
		a := Check(name, data, Options{})
		b := Check(name, data, Options{})
		if len(a.Diagnostics) != len(b.Diagnostics) {
			t.Fatalf("two runs differ: %v / %v", a.Diagnostics, b.Diagnostics)
		}
		seen := map[string]bool{}
		for i, d := range a.Diagnostics {
			if d.String() != b.Diagnostics[i].String() {
				t.Fatalf("two runs differ: %v / %v", d, b.Diagnostics[i])
			}
			k := fmt.Sprint(d.Code, d.Range.Start.Byte, d.Range.End.Byte)
			if seen[k] {
				t.Fatalf("%s reported twice at one range", d)
			}
			seen[k] = true
			if strings.ContainsAny(d.Message, template.CFNVarStart+template.CFNVarEnd) {
				t.Fatalf("internal marker in %q", d.Message)
			}
		}
	})
}
