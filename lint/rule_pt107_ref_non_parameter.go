package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

var ruleRefNonParameter = &Rule{
	Code: eval.CodeBadRef, Name: "ref-to-non-parameter", Severity: template.Error,
	Title: "Ref to a resource or a CloudFormation pseudo parameter",
	Doc: `In a provisioning template, Ref can only name a parameter. A Ref to a
resource's logical ID, or to a CloudFormation pseudo parameter such as
AWS::Region or AWS::AccountId, is not documented and does not resolve.
Declare a parameter and pass the value instead.`,
	Bad:  `"AttributePayload": {"region": {"Ref": "AWS::Region"}}`,
	Good: `"AttributePayload": {"region": {"Ref": "Region"}}`,
	// The planner finds it (with every parameter unknown, only what is
	// certain): lint and plan report the same break with the same code.
	Run: func(p *Pass) { p.reportPlan(eval.CodeBadRef) },
}
