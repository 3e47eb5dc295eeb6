package template_test

import (
	"fmt"

	"github.com/iotpt/iotpt/template"
)

// Parse a JITP registration config: the body inside the escaped
// templateBody string is parsed, and positions point into the file.
func ExampleParse() {
	config := []byte(`{
  "templateBody": "{\"Resources\": {\"thing\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": {\"Ref\": \"AWS::IoT::Certificate::CommonName\"}}}}}",
  "roleArn": "arn:aws:iam::123456789012:role/JITP"
}`)
	f, diags := template.Parse("registration-config.json", config, template.ParseOptions{})
	fmt.Println(f.Form, len(diags))
	thing := f.Template.Resources[0]
	name := thing.Property("ThingName")
	r := name.Range()
	fmt.Printf("%s %s at %s:%d:%d\n", thing.LogicalID, thing.Type, r.Filename, r.Start.Line, r.Start.Column)
	fmt.Println(name.Pointer())

	// A mistake inside the escaped string is reported where it is in the file.
	_, diags = template.Parse("broken.json", []byte(`{"templateBody": "{\"Resources\": {} \"x\": 1}", "roleArn": "r"}`), template.ParseOptions{})
	fmt.Println(diags[0])
	// Output:
	// registration-config 0
	// thing AWS::IoT::Thing at registration-config.json:2:112
	// /Resources/thing/Properties/ThingName
	// broken.json:1:38: error PT001: in the templateBody string: missing ',' before the next member
}

// Compile readable source into the create-provisioning-template CLI input,
// with the body escaped into a string.
func ExampleCompile() {
	src := []byte(`{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}}}},
	  "Parameters": {"SerialNumber": {"Type": "String"}}}`)
	f, _ := template.Parse("template.json", src, template.ParseOptions{})
	out, diags := template.Compile(f, template.CompileOptions{
		Emit: template.EmitCLIInput, Name: "sensors", Type: "FLEET_PROVISIONING",
		RoleARN: "arn:aws:iam::123456789012:role/Provisioning",
	})
	fmt.Println(len(diags))
	fmt.Print(string(out))
	// Output:
	// 0
	// {
	//   "templateName": "sensors",
	//   "templateBody": "{\"Resources\":{\"thing\":{\"Type\":\"AWS::IoT::Thing\",\"Properties\":{\"ThingName\":{\"Ref\":\"SerialNumber\"}}}},\"Parameters\":{\"SerialNumber\":{\"Type\":\"String\"}}}",
	//   "enabled": true,
	//   "provisioningRoleArn": "arn:aws:iam::123456789012:role/Provisioning",
	//   "type": "FLEET_PROVISIONING"
	// }
}
