// Package schema holds iotpt's JSON Schemas (draft 2020-12) for template
// bodies and the files around them, embedded in the binary, and validates
// parsed files against them with positioned diagnostics.
//
// The schemas describe structure (which keys, which JSON types); what the
// values mean is checked by package lint. Editors can use them for
// completion and checking as you type (see the README).
package schema

import (
	"bytes"
	"embed"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/iotpt/iotpt/template"
)

//go:embed *.json
var files embed.FS

// Names lists the schemas: body, registration-config, cli-input, bulk-line,
// existing and hook-response, and for iotpt's own files rules (organisation
// rules) and tests (*.iotpt-test.yaml).
func Names() []string {
	return []string{"body", "registration-config", "cli-input", "bulk-line", "existing", "hook-response", "rules", "tests"}
}

// Get returns the text of a schema.
func Get(name string) ([]byte, bool) {
	data, err := files.ReadFile(name + ".json")
	return data, err == nil
}

// baseURL is the prefix of the schemas' $id, under which they refer to each
// other.
const baseURL = "https://github.com/iotpt/iotpt/schema/"

// CodeSchema is the code of schema violations.
const CodeSchema = "PT050"

var (
	once     sync.Once
	compiled map[string]*jsonschema.Schema
	initErr  error
)

func load() {
	compiled = map[string]*jsonschema.Schema{}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	for _, name := range Names() {
		data, _ := Get(name)
		if err := c.AddResource(baseURL+name+".json", bytes.NewReader(data)); err != nil {
			initErr = err
			return
		}
	}
	for _, name := range Names() {
		s, err := c.Compile(baseURL + name + ".json")
		if err != nil {
			initErr = fmt.Errorf("schema %s: %w", name, err)
			return
		}
		compiled[name] = s
	}
}

// Validate checks a parsed file against the schemas of its form: the body,
// and the registration config or CLI input around it. Every violation is a
// diagnostic at the value it concerns; several violations of one value are
// reported once.
func Validate(f *template.File) template.Diagnostics {
	once.Do(load)
	if initErr != nil {
		panic("schema: the embedded schemas do not compile: " + initErr.Error())
	}
	var diags template.Diagnostics
	switch f.Form {
	case template.FormRegistrationConfig:
		diags = append(diags, validate(compiled["registration-config"], f.Root, f.Root)...)
	case template.FormCLIInput:
		diags = append(diags, validate(compiled["cli-input"], f.Root, f.Root)...)
	}
	if f.Template != nil {
		diags = append(diags, validate(compiled["body"], f.Template.Root, f.Template.Root)...)
	}
	return diags
}

// ValidateNode checks any parsed JSON against one named schema.
func ValidateNode(name string, n template.Node) template.Diagnostics {
	once.Do(load)
	s, ok := compiled[name]
	if !ok || n == nil {
		return nil
	}
	return validate(s, n, n)
}

func validate(s *jsonschema.Schema, n, root template.Node) template.Diagnostics {
	err := s.Validate(template.ToValue(n))
	if err == nil {
		return nil
	}
	verr, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return template.Diagnostics{{Severity: template.Error, Code: CodeSchema, Message: err.Error(), Range: n.Range(), Path: n.Pointer()}}
	}
	// Report the deepest failures, one per value.
	leaves := map[string][]string{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if valueOnly(e) {
			return
		}
		if len(e.Causes) == 0 {
			leaves[e.InstanceLocation] = append(leaves[e.InstanceLocation], e.Message)
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	locs := make([]string, 0, len(leaves))
	for loc := range leaves {
		locs = append(locs, loc)
	}
	sort.Strings(locs)
	var diags template.Diagnostics
	for _, loc := range locs {
		at := template.Lookup(root, loc)
		if at == nil {
			at = root
		}
		diags = append(diags, template.Diagnostic{Severity: template.Error, Code: CodeSchema,
			Message: describe(leaves[loc], at), Range: at.Range(), Path: at.Pointer()})
	}
	return diags
}

// valueOnly reports whether a failure comes only from value rules
// (valueKeyword): a value that would pass without them, through one
// branch of an anyOf or through every member of an allOf.
func valueOnly(e *jsonschema.ValidationError) bool {
	if len(e.Causes) == 0 {
		return valueKeyword(e.KeywordLocation)
	}
	anyOf := strings.HasSuffix(e.KeywordLocation, "/anyOf") || strings.HasSuffix(e.KeywordLocation, "/oneOf")
	for _, c := range e.Causes {
		if v := valueOnly(c); v == anyOf {
			return anyOf
		}
	}
	return !anyOf
}

// valueKeyword reports whether a failed keyword is one of the value rules
// generated from the service model (lengths, patterns, counts): lint and
// plan apply those through the model, which knows the unknown parts of a
// value (a CloudFormation ${...}, a parameter); the schema keeps them for
// editors.
func valueKeyword(loc string) bool {
	i := strings.LastIndexByte(loc, '/')
	switch loc[i+1:] {
	case "pattern", "minLength", "maxLength", "maxItems", "maxProperties", "propertyNames":
		return true
	}
	return strings.Contains(loc, "/propertyNames/")
}

// describe turns the validator's messages for one value into a sentence:
// type mismatches from the branches of an anyOf are joined ("must be a
// string or an intrinsic function, not a number").
func describe(msgs []string, at template.Node) string {
	var wanted []string
	for _, m := range msgs {
		w, _, ok := strings.Cut(strings.TrimPrefix(m, "expected "), ", but got ")
		if !ok || !strings.HasPrefix(m, "expected ") {
			return "schema: " + msgs[0]
		}
		for _, t := range strings.Split(w, " or ") {
			if !slices.Contains(wanted, t) {
				wanted = append(wanted, t)
			}
		}
	}
	names := make([]string, len(wanted))
	for i, t := range wanted {
		names[i] = map[string]string{"string": "a string", "object": "an intrinsic function or object",
			"array": "a list", "integer": "a whole number", "number": "a number", "boolean": "true or false"}[t]
		if names[i] == "" {
			names[i] = t
		}
	}
	return "schema: must be " + strings.Join(names, " or ") + ", not " + template.Describe(at)
}
