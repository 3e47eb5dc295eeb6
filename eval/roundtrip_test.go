package eval_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// roundTripSources lists every template of examples/ and testdata/: files,
// and the template sections of the txtar archives.
func roundTripSources(t *testing.T) map[string][]byte {
	out := map[string][]byte{}
	files, _ := filepath.Glob("../examples/*/*")
	for _, f := range files {
		if strings.HasSuffix(f, ".json") || strings.HasSuffix(f, ".yaml") {
			data, _ := os.ReadFile(f)
			out[f] = data
		}
	}
	archives, _ := filepath.Glob("../testdata/*/*.txtar")
	for _, a := range archives {
		ar, err := txtar.ParseFile(a)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".json") || strings.HasSuffix(f.Name, ".yaml") {
				out[a+"/"+f.Name] = f.Data
			}
		}
	}
	return out
}

// TestFmtCompileRoundTrip checks, for every template that parses cleanly,
// that writing it readably (fmt) and compiling that again gives the same
// plan as the original, and the same compiled body.
func TestFmtCompileRoundTrip(t *testing.T) {
	n := 0
	for name, data := range roundTripSources(t) {
		f, diags := template.Parse(name, data, template.ParseOptions{YAML: strings.HasSuffix(name, ".yaml")})
		if diags.HasErrors() || f.Template == nil {
			continue
		}
		n++
		readable := f.Template.Readable()
		f2, diags := template.Parse("readable.json", readable, template.ParseOptions{})
		if diags.HasErrors() {
			t.Fatalf("%s: the readable form does not parse: %v\n%s", name, diags, readable)
		}
		if a, b := f.Template.Minified(), f2.Template.Minified(); a != b {
			t.Errorf("%s: compiled bodies differ:\n%s\n%s", name, a, b)
		}
		compiled, cdiags := template.Compile(f2, template.CompileOptions{Emit: template.EmitBody})
		if len(cdiags) > 0 {
			continue // over an API limit: nothing to compare
		}
		f3, diags := template.Parse("compiled.json", compiled, template.ParseOptions{})
		if diags.HasErrors() {
			t.Fatalf("%s: the compiled body does not parse: %v", name, diags)
		}
		in := eval.Input{Type: f.TemplateType(), Unknowns: true}
		if in.Type == "" {
			in.Type = eval.FleetProvisioning
		}
		a, wa := planMeaning(t, f, in)
		b, wb := planMeaning(t, f3, in)
		if wa || wb { // a template refused or disabled runs nothing: every action is fail
			for _, m := range []map[string]any{a, b} {
				for _, r := range m["resources"].(map[string]any) {
					delete(r.(map[string]any), "action")
				}
			}
		}
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: the plan changes after fmt and compile (-original +round trip):\n%s", name, diff)
		}
	}
	if n < 50 {
		t.Fatalf("only %d templates round-tripped; the search for sources is broken", n)
	}
}

// planMeaning is what a plan says, without positions (which move), and
// without what concerns the fields around the body, which a compiled body
// does not have: the checks AWS makes when the template is created, and
// the response, assumptions and returned values that follow from them;
// wrapper reports such a finding (an error about the fields around it).
func planMeaning(t *testing.T, f *template.File, in eval.Input) (meaning map[string]any, wrapper bool) {
	prog, _ := eval.Compile(f)
	p := prog.Plan(in)
	var out map[string]any
	if err := json.Unmarshal(p.AppendJSON(nil), &out); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"errors", "warnings"} {
		var codes []string
		for _, d := range out[key].([]any) {
			code := d.(map[string]any)["code"].(string)
			if c := model.CheckByCode(code); c != nil && c.Stage == model.AtCreate || code == "PT312" { // enabled is a field around the body
				wrapper = wrapper || key == "errors"
				continue
			}
			codes = append(codes, code)
		}
		out[key] = codes
	}
	delete(out, "response")
	delete(out, "steps")
	delete(out, "assumptions")
	// What a successful plan returns is left out of a failed one: compare
	// the resources it is derived from.
	delete(out, "thingName")
	delete(out, "deviceConfiguration")
	delete(out, "resourceArns")
	if len(out["errors"].([]string)) == 0 {
		out["outcome"] = "success"
	}
	return out, wrapper
}

// TestCompiledRegistrationConfigDecodesToSource compiles the JITP example
// as a registration config and decodes it twice (the config, then the body;
// the policy document once more): it must mean what the source means.
func TestCompiledRegistrationConfigDecodesToSource(t *testing.T) {
	data, err := os.ReadFile("../examples/jitp/registration-config.json")
	if err != nil {
		t.Fatal(err)
	}
	f, _ := template.Parse("registration-config.json", data, template.ParseOptions{})
	out, diags := template.Compile(f, template.CompileOptions{Emit: template.EmitRegistrationConfig})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var cfg struct{ TemplateBody, RoleArn string }
	if err := json.Unmarshal(out, &cfg); err != nil {
		t.Fatal(err)
	}
	var source struct{ TemplateBody string }
	if err := json.Unmarshal(data, &source); err != nil {
		t.Fatal(err)
	}
	if cfg.RoleArn != "arn:aws:iam::123456789012:role/JITPProvisioningRole" {
		t.Errorf("roleArn %q not carried over", cfg.RoleArn)
	}
	if diff := cmp.Diff(decodeBody(t, source.TemplateBody), decodeBody(t, cfg.TemplateBody)); diff != "" {
		t.Errorf("the compiled body means something else (-source +compiled):\n%s", diff)
	}
}

// decodeBody decodes a body and the policy documents it holds as strings.
func decodeBody(t *testing.T, body string) any {
	var v map[string]any
	dec := json.NewDecoder(bytes.NewReader([]byte(body)))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		t.Fatal(err)
	}
	for _, r := range v["Resources"].(map[string]any) {
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		if doc, ok := props["PolicyDocument"].(string); ok {
			var d any
			if err := json.Unmarshal([]byte(doc), &d); err != nil {
				t.Fatal(err)
			}
			props["PolicyDocument"] = d
		}
	}
	return v
}
