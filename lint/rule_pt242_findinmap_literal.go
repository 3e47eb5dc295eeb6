package lint

import (
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
	// The planner finds it (with every parameter unknown, only what is
	// certain): lint and plan report the same break with the same code.
	Run: func(p *Pass) { p.reportPlan("PT242") },
}
