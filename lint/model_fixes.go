package lint

import "github.com/iotpt/iotpt/template"

// modelFixes add fixes to the findings of rules generated from the service
// model, where the mend is mechanical.
var modelFixes = map[string]func(*Pass, template.Diagnostic) []template.Fix{
	"PT281": fixDoubleEncodedPolicy,
	"PT224": fixParameterType,
	"PT225": fixParameterDefault,
	"PT282": fixTemplateBodyObject,
}

// fixTemplateBodyObject encodes a templateBody object as the string the
// API takes.
func fixTemplateBodyObject(p *Pass, d template.Diagnostic) []template.Fix {
	m := p.File.Wrapper.Member("templateBody")
	if m == nil {
		return nil
	}
	obj, ok := m.Value.(*template.Object)
	if !ok {
		return nil
	}
	start, end := obj.Span()
	text := `"` + template.Escape(string(template.AppendCompact(nil, obj))) + `"`
	return []template.Fix{{Message: "encode the body as a string", Safe: rewritable(obj), Edits: []template.Edit{obj.Source().Edit(start, end, text)}}}
}

// fixDoubleEncodedPolicy removes one level of encoding from a PolicyDocument
// string that holds a JSON string.
func fixDoubleEncodedPolicy(p *Pass, d template.Diagnostic) []template.Fix {
	for _, r := range p.Resources(template.TypePolicy) {
		outer, ok := r.PolicyDocumentNode.(*template.String)
		inner, twice := r.PolicyDocument.(*template.String)
		if ok && twice && outer.Pointer() == d.Path {
			return replaceString(outer, "remove one level of encoding", inner.Value)
		}
	}
	return nil
}

// fixParameterType replaces a parameter Type other than String.
func fixParameterType(p *Pass, d template.Diagnostic) []template.Fix {
	for _, decl := range p.Template.Parameters {
		if t, ok := decl.Type.(*template.String); ok && t.Pointer() == d.Path && t.Value != "String" {
			return replaceString(t, "use String", "String")
		}
	}
	return nil
}

// fixParameterDefault quotes a number Default.
func fixParameterDefault(p *Pass, d template.Diagnostic) []template.Fix {
	for _, decl := range p.Template.Parameters {
		if n, ok := decl.Default.(*template.Number); ok && n.Pointer() == d.Path {
			start, end := n.Span()
			return []template.Fix{{Message: "quote the number", Safe: rewritable(n), Edits: []template.Edit{n.Source().Edit(start, end, `"`+n.Literal+`"`)}}}
		}
	}
	return nil
}
