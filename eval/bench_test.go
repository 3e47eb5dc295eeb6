package eval_test

import (
	"os"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// exampleProgram compiles the example fleet template (Mappings, Fn::Join,
// Fn::FindInMap, an inline policy, DeviceConfiguration).
func exampleProgram(b *testing.B) *eval.Program {
	b.Helper()
	data, err := os.ReadFile("../examples/fleet-provisioning/template.json")
	if err != nil {
		b.Fatal(err)
	}
	f, diags := template.Parse("template.json", data, template.ParseOptions{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	prog, _ := eval.Compile(f)
	return prog
}

var deviceParams = []eval.Param{
	{Name: "SerialNumber", Value: "SN00000001"},
	{Name: "DeviceLocation", Value: "Tokyo"},
	{Name: "Firmware", Value: "1.1.1"},
	{Name: "AWS::IoT::Certificate::Id", Value: "4f2a9d3c8b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a10"},
}

// BenchmarkPlan is one device's full plan (the iotpt plan path).
func BenchmarkPlan(b *testing.B) {
	prog := exampleProgram(b)
	b.ReportAllocs()
	for b.Loop() {
		if p := prog.Plan(eval.Input{Params: deviceParams}); p.Outcome != "success" {
			b.Fatal(p.Errors)
		}
	}
}

// BenchmarkEvaluate is one device's evaluation with the parameters already
// decoded: the bulk path (target: under 1 µs and 10 allocations).
func BenchmarkEvaluate(b *testing.B) {
	prog := exampleProgram(b)
	ev := prog.NewEvaluator(eval.Input{})
	slots := make([]int, len(deviceParams))
	for i, p := range deviceParams {
		slots[i], _ = ev.Slot(p.Name)
	}
	b.ReportAllocs()
	for b.Loop() {
		ev.Reset()
		for i, p := range deviceParams {
			ev.Set(slots[i], p.Value)
		}
		if p := ev.Evaluate(); p.Outcome != "success" {
			b.Fatal(p.Errors)
		}
	}
}
