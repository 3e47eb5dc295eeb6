package lint

import (
	"sort"

	"github.com/iotpt/iotpt/template"
)

var ruleFindInMapLiteral = &Rule{
	Code: "PT242", Name: "findinmap-missing", Severity: template.Error,
	Title: "Fn::FindInMap names a map or key that Mappings does not have",
	Doc: `Fn::FindInMap looks up Mappings[MapName][TopLevelKey][SecondLevelKey]. A
literal map name or key that is not there fails provisioning for every
device. (Keys that come from parameters are checked by iotpt plan for the
values you give.)`,
	Bad:  `{"Fn::FindInMap": ["LocationTable", {"Ref": "DeviceLocation"}, "LocationURL"]}`,
	Good: `{"Fn::FindInMap": ["LocationTable", {"Ref": "DeviceLocation"}, "LocationUrl"]}`,
	Run: func(p *Pass) {
		eachCall(p, func(c *template.Call) {
			arr, ok := c.Arg.(*template.Array)
			if c.Name != "Fn::FindInMap" || !ok || len(arr.Elems) != 3 {
				return
			}
			name, ok := literal(arr.Elems[0])
			if !ok {
				return
			}
			table, _ := p.Template.Mappings.Get(name.Value).(*template.Object)
			if table == nil {
				p.Report(name, "Mappings has no map "+quote(name.Value)+suggestOrList(name.Value, keysOf(p.Template.Mappings)))
				return
			}
			top, ok := literal(arr.Elems[1])
			var rows []*template.Object
			if ok {
				row, _ := table.Get(top.Value).(*template.Object)
				if row == nil {
					p.Report(top, "map "+quote(name.Value)+" has no key "+quote(top.Value)+suggestOrList(top.Value, keysOf(table)))
					return
				}
				rows = []*template.Object{row}
			} else { // any row may be chosen: the key must be in all of them
				for _, m := range table.Members {
					if row, ok := m.Value.(*template.Object); ok {
						rows = append(rows, row)
					}
				}
			}
			second, ok := literal(arr.Elems[2])
			if !ok {
				return
			}
			for _, row := range rows {
				if row.Get(second.Value) == nil {
					p.Report(second, "key "+quote(second.Value)+" is missing from map "+quote(name.Value)+" row "+quote(rowName(table, row))+suggestOrList(second.Value, keysOf(row)))
					return
				}
			}
		})
	},
}

func keysOf(o *template.Object) []string {
	if o == nil {
		return nil
	}
	var out []string
	for _, m := range o.Members {
		out = append(out, m.Key.Value)
	}
	sort.Strings(out)
	return out
}

func rowName(table, row *template.Object) string {
	for _, m := range table.Members {
		if m.Value == template.Node(row) {
			return m.Key.Value
		}
	}
	return ""
}
