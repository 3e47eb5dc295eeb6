package lint

import "github.com/iotpt/iotpt/template"

var ruleParameterDefault = &Rule{
	Code: "PT225", Name: "parameter-default", Severity: template.Error,
	Title: "Parameter Default that is not a string",
	Doc: `Parameters are strings, so their Default must be a string too: write "3",
not 3, and "true", not true.`,
	Bad:  `"Retries": {"Type": "String", "Default": 3}`,
	Good: `"Retries": {"Type": "String", "Default": "3"}`,
	Run: func(p *Pass) {
		for _, d := range p.Template.Parameters {
			if d.Default == nil {
				continue
			}
			if _, ok := d.Default.(*template.String); !ok {
				fixes := []template.Fix{}
				if n, isNum := d.Default.(*template.Number); isNum {
					start, end := n.Span()
					fixes = append(fixes, template.Fix{Message: "quote the number", Safe: rewritable(n), Edits: []template.Edit{n.Source().Edit(start, end, `"`+n.Literal+`"`)}})
				}
				p.Report(d.Default, "the Default of parameter "+quote(d.Name)+" must be a string, not "+template.Describe(d.Default), fixes...)
			}
		}
	},
}
