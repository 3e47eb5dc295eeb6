package lint_test

import (
	"fmt"

	"github.com/iotpt/iotpt/lint"
)

// Lint one template with the default rules.
func ExampleCheck() {
	body := []byte(`{
  "Parameters": {"SerialNumber": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
  "Resources": {
    "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Serial"}}},
    "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}
  }
}`)
	res := lint.Check("template.json", body, lint.Options{})
	for _, d := range res.Diagnostics {
		fmt.Println(d)
	}
	// Output:
	// template.json:2:18: warning PT223: parameter "SerialNumber" is declared but never used
	// template.json:4:70: warning PT221: parameter "Serial" is referenced but not declared in Parameters (U5)
}

// Add organisation rules, loaded once and used for every file.
func ExampleLoadUserRules() {
	rules := []byte(`rules:
  - id: thing-in-group
    resource: AWS::IoT::Thing
    message: every thing joins a thing group
    expression: has(resource.properties.ThingGroups)
`)
	u, _, diags := lint.LoadUserRules("rules.yaml", rules)
	fmt.Println(len(diags), u.IDs())
	body := []byte(`{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t1"}}}}`)
	for _, d := range lint.Check("template.json", body, lint.Options{UserRules: u}).Diagnostics {
		fmt.Println(d)
	}
	// Output:
	// 0 [thing-in-group]
	// template.json:1:16: warning thing-in-group: every thing joins a thing group
}
