package testrun

import (
	"testing"

	"github.com/iotpt/iotpt/internal/celexpr"
)

// FuzzLoad loads arbitrary test files: no panic, and every problem is
// positioned in the file.
func FuzzLoad(f *testing.F) {
	f.Add([]byte("template: t.json\ncases:\n  - name: a\n    params: {S: x}\n    expect: {assert: [plan.thingName == 'x']}\n"))
	f.Add([]byte("template: t.json\ncases:\n  - name: a\n    cert: {subject: 'CN=a,C=JP'}\n    hook: {allowProvisioning: false}\n    expect: {errors: [PT110]}\n"))
	f.Add([]byte("cases: [{name: b, existing: {things: {t1: {attributes: {a: b}}}}, type: JITP}]"))
	env, err := celexpr.NewEnv()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, diags := load(env, "t.iotpt-test.yaml", data)
		for _, d := range diags {
			if d.Range.Filename != "t.iotpt-test.yaml" || !d.Range.Start.IsValid() {
				t.Fatalf("unpositioned problem: %v", d)
			}
		}
	})
}
