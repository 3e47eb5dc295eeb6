package eval_test

import (
	"encoding/json"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// FuzzPlan plans arbitrary templates with an arbitrary parameter value: no
// panic, valid plan JSON, and every error position inside the file.
func FuzzPlan(f *testing.F) {
	seeds := []string{
		`{"Parameters": {"P": {"Type": "String"}}, "Mappings": {"M": {"a": {"b": "c"}}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::Join": ["-", [{"Ref": "P"}, {"Fn::FindInMap": ["M", {"Ref": "P"}, "b"]}]]}}}}}`,
		`{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::Select": [{"Ref": "P"}, {"Fn::Split": [",", {"Ref": "P"}]}]}}}}}`,
		`{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::Sub": ["${A}${!B}${iot:C}", {"A": {"Ref": "P"}}]}}}}, "DeviceConfiguration": {"x": {"Fn::If": []}}}`,
		`{"templateBody": "{\"Resources\": {\"c\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\": {\"CertificateId\": {\"Ref\": \"AWS::IoT::Certificate::Id\"}}}}}", "roleArn": "r"}`,
		`{"Resources": {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"a\": [1, {\"Ref\": \"P\"}]}"}}}}`,
	}
	for _, s := range seeds {
		f.Add([]byte(s), "a,b")
	}
	f.Fuzz(func(t *testing.T, data []byte, value string) {
		in := eval.Input{Params: []eval.Param{{Name: "P", Value: value}}}
		plan, _ := eval.PlanFile("f.json", data, template.ParseOptions{MaxDepth: 64}, in)
		if !json.Valid(plan.AppendJSON(nil)) {
			t.Fatalf("invalid plan JSON: %s", plan.AppendJSON(nil))
		}
		for _, d := range append(plan.Errors, plan.Warnings...) {
			if d.Range.Filename == "f.json" && (d.Range.Start.Byte < 0 || d.Range.End.Byte > len(data) || d.Range.Start.Byte > d.Range.End.Byte) {
				t.Fatalf("%s: range %+v outside the file", d.Code, d.Range)
			}
		}
		if (plan.Outcome == "success") == plan.Errors.HasErrors() {
			t.Fatalf("outcome %s with %d errors", plan.Outcome, len(plan.Errors))
		}
	})
}
