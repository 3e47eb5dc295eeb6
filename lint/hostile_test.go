package lint_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/lint"
)

// manyResources is a template body of n thing resources (each missing its
// ThingName, so each gives a finding) and a policy whose document is a
// string: every rule that looks at strings meets the policy document check
// n times.
func manyResources(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"Resources":{`)
	for i := range n {
		fmt.Fprintf(&b, `"t%d":{"Type":"AWS::IoT::Thing"},`, i)
	}
	b.WriteString(`"p":{"Type":"AWS::IoT::Policy","Properties":{"PolicyDocument":"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"iot:Connect\",\"Resource\":\"*\"}]}"}}}}`)
	return []byte(b.String())
}

// A 60,000-resource body (2 MB) is linted with memory in proportion to it;
// the per-resource lookups (policy document strings, planned properties)
// used to loop over every resource, which took hours at this size.
func TestManyResources(t *testing.T) {
	if testing.Short() {
		t.Skip("lints a 2 MB template")
	}
	data := manyResources(60_000)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	res := lint.Check("big.json", data, lint.Options{})
	runtime.ReadMemStats(&after)
	n := 0
	for _, d := range res.Diagnostics {
		if d.Code == "PT205" {
			n++
		}
	}
	if n != 60_000 {
		t.Errorf("%d PT205 findings, want 60000", n)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 2<<30 {
		t.Errorf("allocated %d MiB for a 2 MB template", alloc>>20)
	}
}

// Doubling the resources doubles the allocations, not more.
func TestManyResourcesLinear(t *testing.T) {
	allocs := func(n int) float64 {
		data := manyResources(n)
		return testing.AllocsPerRun(1, func() { lint.Check("big.json", data, lint.Options{}) })
	}
	small, large := allocs(2_000), allocs(4_000)
	if large > 2.3*small {
		t.Errorf("allocations grew from %.0f to %.0f when the resources doubled", small, large)
	}
}

func BenchmarkManyResources(b *testing.B) {
	for _, n := range []int{5_000, 10_000} {
		data := manyResources(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				lint.Check("big.json", data, lint.Options{})
			}
		})
	}
}

// A rule that costs nearly its limit for each of thousands of resources
// stops at the rules' total cost limit, with one finding saying so.
func TestUserRulesTotalCost(t *testing.T) {
	rules := []byte("rules:\n  - id: costly\n    message: m\n    resource: AWS::IoT::Thing\n    expression: |\n      lists.range(300).all(i, lists.range(300).all(j, j >= 0))\n")
	u, _, diags := lint.LoadUserRules("rules.yaml", rules)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	res := lint.Check("big.json", manyResources(2_000), lint.Options{UserRules: u})
	var budget, other int
	for _, d := range res.Diagnostics {
		switch {
		case d.Code == "PT063" && strings.Contains(d.Message, "total cost limit"):
			budget++
		case d.Code == "costly":
			other++
		}
	}
	if budget != 1 {
		t.Errorf("%d total-cost findings, want 1 (and %d rule findings)", budget, other)
	}
}
