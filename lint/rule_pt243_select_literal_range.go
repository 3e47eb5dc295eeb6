package lint

import (
	"strconv"

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
	Run: func(p *Pass) {
		eachCall(p, func(c *template.Call) {
			arr, ok := c.Arg.(*template.Array)
			if c.Name != "Fn::Select" || !ok || len(arr.Elems) != 2 {
				return
			}
			list, ok := arr.Elems[1].(*template.Array)
			if !ok {
				return
			}
			idx := -1
			switch i := arr.Elems[0].(type) {
			case *template.Number:
				idx, _ = i.Int()
			case *template.String:
				idx, _ = strconv.Atoi(i.Value)
			}
			if idx >= len(list.Elems) {
				p.Report(arr.Elems[0], "index "+strconv.Itoa(idx)+" is out of range for a list of "+strconv.Itoa(len(list.Elems))+" elements")
			} else if idx >= 0 {
				if _, null := list.Elems[idx].(*template.Null); null {
					p.Report(list.Elems[idx], "Fn::Select picks a null element")
				}
			}
		})
	},
}
