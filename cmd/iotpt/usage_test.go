package main

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/template"
)

// TestFlagValueCompletion checks that shells complete the values of the
// flags that take one of a fixed list, as cobra's completion scripts ask.
func TestFlagValueCompletion(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"plan", "t.json", "--format", ""}, []string{"text", "json"}},
		{[]string{"plan", "t.json", "--type", ""}, []string{"FLEET_PROVISIONING", "JITP"}},
		{[]string{"lint", "t.json", "--format", ""}, []string{"text", "json", "sarif", "github"}},
		{[]string{"lint", "t.json", "--input-form", ""}, template.InputFormNames()},
		{[]string{"compile", "t.json", "--emit", ""}, template.EmitForms},
		{[]string{"lint", "--color", ""}, []string{"auto", "always", "never"}},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(append([]string{"__complete"}, tc.args...), nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%v: exit %d: %s", tc.args, code, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		got := slices.DeleteFunc(lines, func(s string) bool { return strings.HasPrefix(s, ":") })
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%v: completions (-want +got):\n%s", tc.args, diff)
		}
	}
}

// TestExplainCompletion checks that shells complete explain's argument
// with every code and rule name.
func TestExplainCompletion(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if code := run([]string{"__complete", "explain", ""}, nil, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	got := strings.Split(stdout.String(), "\n")
	for _, want := range []string{"PT001", "PT122", "PT131", "PT223", "unused-parameter", "PT323", "action-resource-mismatch"} {
		if !slices.Contains(got, want) {
			t.Errorf("explain completions lack %s", want)
		}
	}
}

func TestNearestFlag(t *testing.T) {
	root := newRootCmd()
	plan, _, err := root.Find([]string{"plan"})
	if err != nil {
		t.Fatal(err)
	}
	for typed, want := range map[string]string{
		"formt": "format", "fromat": "format", "param": "param", "parms": "params",
		"exist": "existing", "hook": "hook-response", "xyz": "", "colour": "color",
	} {
		if got := nearestFlag(plan, typed); got != want {
			t.Errorf("nearestFlag(%q) = %q, want %q", typed, got, want)
		}
	}
}
