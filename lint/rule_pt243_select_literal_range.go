package lint

import (
	"github.com/iotpt/iotpt/template"
)

var ruleSelectLiteralRange = &Rule{
	Code: "PT243", Name: "select-out-of-range", Severity: template.Error,
	Title: "Fn::Select with a literal index out of range of a literal list",
	Doc: `Fn::Select does not check its index: "Both conditions [null values, an
index out of bounds] result in a provisioning error". When both the index and
the list are written in the template, the mistake is certain.`,
	Bad:  `{"Fn::Select": [2, ["a", "b"]]}`,
	Good: `{"Fn::Select": [1, ["a", "b"]]}`,
	// The planner finds it (with every parameter unknown, only what is
	// certain): lint and plan report the same break with the same code.
	Run: func(p *Pass) { p.reportPlan("PT243") },
}
