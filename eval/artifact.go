package eval

import (
	"strconv"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// Emit writes the artifact of template.Compile after checking what the
// create APIs would check of it: the fields it adds around the body (from
// flags or the source's wrapper) and the minified body's length, with the
// same service-model checks lint and plan apply to a wrapper in a file. A
// value AWS would refuse stops the compile with PT140 (a field) or PT141
// (the body's length).
func Emit(f *template.File, o template.CompileOptions) ([]byte, template.Diagnostics) {
	if f.Template == nil {
		return template.Compile(f, o)
	}
	o = o.WithDefaults(f)
	var diags template.Diagnostics
	bad := func(code, msg string) {
		if msg != "" {
			diags = append(diags, template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: template.Range{Filename: f.Source.Name()}})
		}
	}
	if n := utf8.RuneCount(template.AppendCompact(nil, f.Template.Root)); n > model.MaxBodyChars {
		bad(template.CodeCompileLimit, "the compiled body is "+strconv.Itoa(n)+" characters; the APIs accept at most "+strconv.Itoa(model.MaxBodyChars))
	}
	if o.Emit != template.EmitBody {
		if o.RoleARN != "" {
			bad(template.CodeCompileInput, roleProblem("the role", o.RoleARN))
		}
		if o.Name != "" {
			bad(template.CodeCompileInput, model.TemplateName.Problem(o.Name))
		}
		msg, _ := descriptionProblem(o.Description)
		bad(template.CodeCompileInput, msg)
		if o.Type != "" {
			bad(template.CodeCompileInput, typeProblem(o.Type))
		}
		if o.HookARN != "" {
			bad(template.CodeCompileInput, hookTargetProblem(o.HookARN))
			if o.Type == model.JITP {
				bad(template.CodeCompileInput, jitpHookProblem)
			}
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return template.Compile(f, o)
}
