package eval_test

import (
	"fmt"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// Parse a template once, compile it, and plan it for several devices.
func Example() {
	body := []byte(`{
	  "Parameters": {"SerialNumber": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
	  "Resources": {
	    "thing": {"Type": "AWS::IoT::Thing",
	      "Properties": {"ThingName": {"Fn::Join": ["_", ["sensor", {"Ref": "SerialNumber"}]]}}},
	    "certificate": {"Type": "AWS::IoT::Certificate",
	      "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}
	  }
	}`)
	f, diags := template.Parse("template.json", body, template.ParseOptions{})
	if diags.HasErrors() {
		fmt.Println(diags)
		return
	}
	prog, _ := eval.Compile(f)
	for _, serial := range []string{"SN1", "SN2"} {
		plan := prog.Plan(eval.Input{Params: []eval.Param{{Name: "SerialNumber", Value: serial}}})
		fmt.Println(plan.Outcome, plan.ThingName.Display())
	}
	plan := prog.Plan(eval.Input{})
	rej := plan.Response.Rejected
	fmt.Println(plan.Outcome, plan.Errors[0].Code, rej.StatusCode, rej.ErrorCode)
	// Output:
	// success sensor_SN1
	// success sensor_SN2
	// failure PT101 400 InvalidParameters
}
