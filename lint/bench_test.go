package lint

import (
	"os"
	"testing"
)

// BenchmarkCheckWithUserRules lints the fleet example with the example
// organisation rules, as lint does for each file.
func BenchmarkCheckWithUserRules(b *testing.B) {
	rules, err := os.ReadFile("../examples/rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	text, err := os.ReadFile("../examples/fleet-provisioning/template.json")
	if err != nil {
		b.Fatal(err)
	}
	u, _, diags := LoadUserRules("rules.yaml", rules)
	if diags != nil {
		b.Fatal(diags)
	}
	for _, tt := range []struct {
		name  string
		rules *UserRules
	}{{"builtin", nil}, {"with-user-rules", u}} {
		b.Run(tt.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Check("template.json", text, Options{UserRules: tt.rules})
			}
		})
	}
}

// BenchmarkLoadUserRules measures parsing and compiling the example rules
// file, which happens once per run.
func BenchmarkLoadUserRules(b *testing.B) {
	rules, err := os.ReadFile("../examples/rules.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		LoadUserRules("rules.yaml", rules)
	}
}
