package lint

import "github.com/iotpt/iotpt/template"

var ruleTemplateBodyObject = &Rule{
	Code: "PT282", Name: "template-body-object", Severity: template.Error,
	Title: "templateBody written as an object where the API takes a string",
	Doc: `RegisterCACertificate's registration config and CreateProvisioningTemplate
take templateBody as a string holding JSON ("a JSON object specified as an
escaped string"), not as a JSON object. Write the body readably in its own
file and let iotpt compile produce the escaped string; the fix here replaces
the object with that string.`,
	Bad:  `{"templateBody": {"Resources": {...}}, "roleArn": "..."}`,
	Good: `{"templateBody": "{\"Resources\":{...}}", "roleArn": "..."}`,
	Run: func(p *Pass) {
		m := p.File.Wrapper.Member("templateBody")
		if m == nil {
			return
		}
		if obj, ok := m.Value.(*template.Object); ok {
			start, end := obj.Span()
			text := `"` + template.Escape(string(template.AppendCompact(nil, obj))) + `"`
			p.Report(m.Key, "templateBody must be a string holding the template JSON, not an object",
				template.Fix{Message: "encode the body as a string", Safe: rewritable(obj), Edits: []template.Edit{obj.Source().Edit(start, end, text)}})
		}
	},
}
