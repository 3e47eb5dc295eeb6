package eval

import (
	"strconv"
	"strings"
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
	if n := utf8.RuneCountInString(f.Template.Minified()); n > model.MaxBodyChars { // what Compile writes
		bad(template.CodeCompileLimit, "the compiled body is "+strconv.Itoa(n)+" characters; the APIs accept at most "+strconv.Itoa(model.MaxBodyChars))
	}
	if o.Emit != template.EmitBody {
		// A flag's value, or one from the source, is the value written: a
		// placeholder in it is not filled in later.
		for _, v := range []struct{ what, value, flag string }{
			{"the role", o.RoleARN, "--role-arn"}, {"the template name", o.Name, "--name"},
			{"the pre-provisioning hook's targetArn", o.HookARN, "--hook-arn"}, {"the description", o.Description, "--description"},
		} {
			switch {
			case strings.Contains(v.value, template.CFNVarStart) && o.Emit != template.EmitTerraform:
				bad(template.CodeCompileInput, v.what+" is known only when it is deployed ("+template.DeployLabel(v.value)+"); give it with "+v.flag)
			case v.what != "the description" && placeholder(v.value):
				bad(template.CodeCompileInput, v.what+" "+quote(model.Abbrev(v.value))+" is a placeholder; give the value with "+v.flag)
			}
		}
		if len(diags) > 0 {
			return nil, diags
		}
		known := func(v string) bool { return v != "" && !strings.Contains(v, template.CFNVarStart) } // Terraform checks a reference
		if known(o.RoleARN) {
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
			if known(o.HookARN) {
				bad(template.CodeCompileInput, hookTargetProblem(o.HookARN))
			}
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
