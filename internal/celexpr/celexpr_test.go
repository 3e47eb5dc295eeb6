package celexpr

import (
	"encoding/json"
	"testing"

	"github.com/google/cel-go/cel"
	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/template"
)

// compile compiles the expression held by a YAML string, as a rules file
// holds it.
func compile(t *testing.T, yamlText string, want *cel.Type) (*Expr, template.Diagnostics) {
	t.Helper()
	root, _, diags := template.ParseData("r.yaml", []byte(yamlText), template.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	env, err := NewEnv()
	if err != nil {
		t.Fatal(err)
	}
	return env.Compile(root.(*template.Object).Get("x").(*template.String), want)
}

func TestCompileErrorPositions(t *testing.T) {
	tests := []struct {
		yaml string
		want string
	}{
		{"x: nope == 1", "r.yaml:1:4: error PT061: CEL: undeclared reference to 'nope'"},
		{"x: |\n  true &&\n    nope", "r.yaml:3:5: error PT061: CEL: undeclared reference to 'nope'"},
		// Column counts characters, not bytes.
		{"x: |\n  \"é\" == nope", "r.yaml:2:10: error PT061: CEL: undeclared reference to 'nope'"},
		{"x: resource.id == 'a'", "r.yaml:1:12: error PT061: CEL: resource has no field \"id\"; its fields are logicalId, type, properties, values, overrideSettings, policyDocument"},
		{"x: \"'a'\"", "r.yaml:1:5: error PT061: CEL: the expression gives string, but it must give bool"},
	}
	for _, tt := range tests {
		_, diags := compile(t, tt.yaml, cel.BoolType)
		if len(diags) != 1 {
			t.Fatalf("%q: got %v, want one diagnostic", tt.yaml, diags)
		}
		if diff := cmp.Diff(tt.want, diags[0].String()); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tt.yaml, diff)
		}
	}
}

func TestEval(t *testing.T) {
	vars := map[string]any{
		VarPlan:   FromJSON(map[string]any{"thingName": "t1", "n": jsonNumber("2"), "f": jsonNumber("1.5")}),
		VarParams: map[string]string{"Serial": "S1"},
	}
	tests := []struct {
		expr string
		want bool
	}{
		{`plan.thingName == "t1"`, true},
		{`plan.n == 2 && plan.f > 1.0`, true},
		{`params.Serial.startsWith("S")`, true},
		{`["a", "b"].exists(x, x == "c")`, false},
		{`cel.bind(n, plan.thingName, n + n) == "t1t1"`, true},
		{`"Tokyo".lowerAscii() == "tokyo"`, true},
		{`sets.contains(["a", "b"], ["b"])`, true},
	}
	for _, tt := range tests {
		x, diags := compile(t, "x: '"+tt.expr+"'", cel.BoolType)
		if diags != nil {
			t.Fatalf("%s: %v", tt.expr, diags)
		}
		got, err := x.Bool(vars)
		if err != nil || got != tt.want {
			t.Errorf("%s = %v, %v; want %v", tt.expr, got, err, tt.want)
		}
	}
}

func TestCostLimit(t *testing.T) {
	// 10^6 iterations: far over the limit, stopped early.
	x, diags := compile(t, "x: '[0,1,2,3,4,5,6,7,8,9].all(a, [0,1,2,3,4,5,6,7,8,9].all(b, [0,1,2,3,4,5,6,7,8,9].all(c, [0,1,2,3,4,5,6,7,8,9].all(d, [0,1,2,3,4,5,6,7,8,9].all(e, [0,1,2,3,4,5,6,7,8,9].all(f, true))))))'", cel.BoolType)
	if diags != nil {
		t.Fatal(diags)
	}
	if _, err := x.Bool(nil); err != ErrCostLimit {
		t.Fatalf("got %v, want ErrCostLimit", err)
	}
}

func TestExplain(t *testing.T) {
	vars := map[string]any{VarPlan: map[string]any{"thingName": "t1", "groups": []any{"g1"}, "outcome": "success"}}
	x, diags := compile(t, `x: 'plan.outcome == "success" && (plan.thingName == "t2" || "g2" in plan.groups)'`, cel.BoolType)
	if diags != nil {
		t.Fatal(diags)
	}
	want := []string{`plan.thingName = "t1"`, `plan.groups = ["g1"]`}
	if diff := cmp.Diff(want, x.Explain(vars)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestUses(t *testing.T) {
	x, _ := compile(t, `x: 'has(params.A) && plan.outcome == "success"'`, cel.BoolType)
	got := map[string]bool{}
	for _, v := range []string{VarTemplate, VarResource, VarParams, VarPlan} {
		got[v] = x.Uses(v)
	}
	want := map[string]bool{VarTemplate: false, VarResource: false, VarParams: true, VarPlan: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func jsonNumber(s string) any { return json.Number(s) }
