package eval_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// A template that joins one long parameter a thousand times would build
// megabytes per plan; the plan fails at RegisterThing's 4,096-character
// value limit instead, before building the value.
func TestBuiltValueCap(t *testing.T) {
	refs := strings.TrimSuffix(strings.Repeat(`{"Ref": "P"},`, 1000), ",")
	subs := strings.Repeat("${P}", 1000)
	for _, tc := range []struct{ name, value, fn string }{
		{"join", `{"Fn::Join": ["", [` + refs + `]]}`, "Fn::Join"},
		{"sub", `{"Fn::Sub": "` + subs + `"}`, "Fn::Sub"},
		{"nested join", `{"Fn::Join": ["-", [{"Fn::Join": ["", [` + refs + `]]}, "x"]]}`, "Fn::Join"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := `{"Parameters": {"P": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t", "AttributePayload": {"a": ` + tc.value + `}}}}}`
			f, diags := template.Parse("t.json", []byte(body), template.ParseOptions{})
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			prog, _ := eval.Compile(f)
			in := eval.Input{Params: []eval.Param{{Name: "P", Value: strings.Repeat("x", 4000)}}}
			var plan *eval.Plan
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			for range 10 {
				plan = prog.Plan(in)
			}
			runtime.ReadMemStats(&after)
			if plan.Outcome == "success" {
				t.Fatal("the plan succeeded")
			}
			var found bool
			for _, d := range plan.Errors {
				if d.Code == eval.CodeRequestLimit {
					found = true
					if want := tc.fn + " builds a value of more than 4096 characters"; !strings.HasPrefix(d.Message, want) {
						t.Errorf("message %q, want it to start %q", d.Message, want)
					}
				}
			}
			if !found {
				t.Fatalf("no %s in %v", eval.CodeRequestLimit, plan.Errors)
			}
			if alloc := (after.TotalAlloc - before.TotalAlloc) / 10; alloc > 1<<20 {
				t.Errorf("a plan allocated %d KiB", alloc>>10)
			}
			// Within the limit (4,000 characters), the value is built, and
			// only the attribute's own limit of 800 applies.
			in.Params[0].Value = "abcd"
			for _, d := range prog.Plan(in).Errors {
				if d.Code == eval.CodeRequestLimit {
					t.Errorf("4,000 characters: %v", d)
				}
			}
		})
	}
}
