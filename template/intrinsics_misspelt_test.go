package template

import (
	"slices"
	"testing"
)

func TestMeantFunction(t *testing.T) {
	tests := []struct{ key, want string }{
		{"REF", "Ref"}, {"ref", "Ref"}, {"rEf", "Ref"},
		{"Fn:Join", "Fn::Join"}, {"fn::join", "Fn::Join"}, {"FN::JOIN", "Fn::Join"}, {"Fn:::Join", "Fn::Join"},
		{"Fn::Jion", "Fn::Join"}, {"Fn::Slect", "Fn::Select"}, {"Fn::FindInMaps", "Fn::FindInMap"}, {"Fn::Su", "Fn::Sub"},
		{"Fn::Sub", ""}, {"Ref", ""}, {"Fn::If", ""}, // correct names
		{"Key", ""}, {"Refs", ""}, {"Reference", ""}, {"Fn::Foo", ""}, {"Fn::Foo::Bar", ""}, {"Fn::", ""}, {"Function", ""}, {"fn", ""},
	}
	for _, tt := range tests {
		if got := MeantFunction(tt.key); got != tt.want {
			t.Errorf("MeantFunction(%q) = %q, want %q", tt.key, got, tt.want)
		}
	}
}

// functionNames is MeantFunction's fixed-order copy of Functions' names.
func TestFunctionNamesCoverFunctions(t *testing.T) {
	for name := range Functions {
		if !slices.Contains(functionNames, name) {
			t.Errorf("%s is missing from functionNames", name)
		}
	}
	if len(functionNames) != len(Functions) {
		t.Errorf("functionNames has %d names, Functions %d", len(functionNames), len(Functions))
	}
}

func TestAsCallMisspelt(t *testing.T) {
	f, diags := Parse("t.json", []byte(`{"Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"REF": "S"}, "AttributePayload": {"a": {"Ref": "S", "x": 1}}}}}}`), ParseOptions{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	props := f.Template.Resources[0].Properties
	c, ok := AsCall(props.Get("ThingName"))
	if !ok || c.Func != nil || c.Meant != "Ref" {
		t.Fatalf("AsCall({REF}) = %+v, %v", c, ok)
	}
	if d := c.Check(); len(d) != 1 || d[0].Code != CodeUnsupportedFunction {
		t.Errorf("Check() = %v", d)
	}
	if _, ok := AsCall(props.Get("AttributePayload")); ok {
		t.Error("an object of two members is not a call")
	}
}

// A single key that looks like a misspelt function is a name where the
// author chooses the keys: an attribute, a parameter, a mapping key.
func TestAsCallUserKeys(t *testing.T) {
	f, diags := Parse("t.json", []byte(`{"Parameters": {"REF": {"Type": "String"}},
  "Mappings": {"m": {"ref": {"k": "v"}}},
  "Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "REF"}, "AttributePayload": {"ref": "v1"}}}},
  "DeviceConfiguration": {"ref": "x"}}`), ParseOptions{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	Walk(f.Template.Root, func(n Node) bool {
		if c, ok := AsCall(n); ok && c.Meant != "" {
			t.Errorf("%s: taken for a misspelt %s", n.Pointer(), c.Meant)
		}
		return true
	})
}
