// Package schema holds iotpt's JSON Schemas (draft 2020-12) for template
// bodies and the files around them, embedded in the binary, and validates
// parsed files against them with positioned diagnostics.
//
// The schemas describe structure (which keys, which JSON types) and, for
// editors, the value rules of AWS's service model (patterns, lengths,
// counts, enums), which Generate writes from internal/model. Validate
// reports structure only: lint and plan apply the value rules through the
// model, which knows the unknown parts of a value. Editors can use the
// schemas for completion and checking as you type (see the README).
package schema

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
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
		return template.Diagnostics{{Severity: template.Error, Code: CodeSchema, Message: "the value does not fit its schema", Range: n.Range(), Path: n.Pointer()}}
	}
	// Gather the deepest failures by value.
	leaves := map[string][]leaf{}
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if valueOnly(e) {
			return
		}
		if len(e.Causes) == 0 {
			leaves[e.InstanceLocation] = append(leaves[e.InstanceLocation], newLeaf(e))
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(verr)
	var diags template.Diagnostics
	for loc, ls := range leaves {
		at := template.Lookup(root, loc)
		if at == nil {
			at = root
		}
		// One finding per node: the messages of one value are joined, in
		// a fixed order, rather than one of them dropped.
		var nodes []template.Node
		msgs := map[template.Node][]string{}
		for _, f := range findings(ls, at) {
			if _, ok := msgs[f.at]; !ok {
				nodes = append(nodes, f.at)
			}
			if !slices.Contains(msgs[f.at], f.msg) {
				msgs[f.at] = append(msgs[f.at], f.msg)
			}
		}
		for _, n := range nodes {
			sort.Strings(msgs[n])
			diags = append(diags, template.Diagnostic{Severity: template.Error, Code: CodeSchema,
				Message: strings.Join(msgs[n], "; "), Range: n.Range(), Path: n.Pointer()})
		}
	}
	diags.Sort()
	return diags.Unique()
}

// valueOnly reports whether a failure comes only from value rules
// (valueKeyword): a value that would pass without them, through one
// branch of an anyOf or through every member of an allOf.
func valueOnly(e *jsonschema.ValidationError) bool {
	if len(e.Causes) == 0 {
		return valueKeyword(e.KeywordLocation, e.AbsoluteKeywordLocation)
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
// generated from the service model (lengths, patterns, counts, enums): lint and
// plan apply those through the model, which knows the unknown parts of a
// value (a CloudFormation ${...}, a parameter); the schema keeps them for
// editors.
func valueKeyword(loc, abs string) bool {
	i := strings.LastIndexByte(loc, '/')
	switch loc[i+1:] {
	case "pattern", "minLength", "maxLength", "maxItems", "maxProperties", "propertyNames":
		return true
	case "enum":
		// The enums of a template and its wrappers (resource types,
		// OverrideSettings, Status, ThingPrincipalType, type) are checks of
		// the model too; those of iotpt's own files are not.
		return !strings.Contains(abs, "/rules.json") && !strings.Contains(abs, "/tests.json")
	}
	return strings.Contains(loc, "/propertyNames/")
}

// leaf is one failed keyword of the validator, for one value.
type leaf struct {
	keyword string // the last keyword of its location: "type", "required", ...
	msg     string // the validator's message, only parsed for its values
	abs     string // the absolute keyword location: schema URL # pointer
	branch  bool   // it failed in one alternative of an anyOf or oneOf
}

func newLeaf(e *jsonschema.ValidationError) leaf {
	kl := e.KeywordLocation
	l := leaf{msg: e.Message, abs: e.AbsoluteKeywordLocation,
		branch: strings.Contains(kl, "/anyOf/") || strings.Contains(kl, "/oneOf/")}
	parts := strings.Split(kl, "/")
	for i := len(parts) - 1; i >= 0; i-- {
		if p := parts[i]; p != "" && (p[0] < '0' || p[0] > '9') {
			l.keyword = p
			break
		}
	}
	return l
}

// finding is one translated violation.
type finding struct {
	at  template.Node
	msg string
}

// findings turns the validator's failures for one value into this
// project's words, one finding per offending key or value. When the value
// could be one of several alternatives (a string or an intrinsic function),
// the alternatives of another JSON type say only what was expected.
func findings(ls []leaf, at template.Node) []finding {
	var types, alternatives []string
	var out []finding
	for _, l := range ls {
		switch {
		case l.keyword == "type":
			types = append(types, l.msg)
			continue
		case l.keyword == "required" && l.branch:
			alternatives = append(alternatives, quotedList(quotedNames(l.msg), " and "))
			continue
		}
		out = append(out, translate(l, at)...)
	}
	if len(alternatives) > 0 {
		slices.Sort(alternatives)
		alternatives = slices.Compact(alternatives)
		sep := " or "
		for _, a := range alternatives {
			if strings.Contains(a, " and ") {
				sep = ", or "
			}
		}
		out = append(out, finding{at, "needs " + strings.Join(alternatives, sep)})
	}
	if len(out) == 0 && len(types) > 0 {
		out = append(out, finding{at, typeMessage(types, at)})
	}
	return out
}

// describe names a value for a message: a short string by its text, others
// by their kind.
func describe(n template.Node) string {
	if s, ok := n.(*template.String); ok && len(s.Value) <= 40 {
		return strconv.Quote(s.Value)
	}
	return template.Describe(n)
}

// quotedNames returns the 'quoted' names of a validator message, sorted:
// the validator lists them in map order.
func quotedNames(msg string) []string {
	var out []string
	for {
		i := strings.IndexByte(msg, '\'')
		if i < 0 {
			break
		}
		j := strings.IndexByte(msg[i+1:], '\'')
		if j < 0 {
			break
		}
		out = append(out, msg[i+1:i+1+j])
		msg = msg[i+j+2:]
	}
	sort.Strings(out)
	return out
}

// quotedList quotes names and joins them, the last with conj.
func quotedList(names []string, conj string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + conj + q[len(q)-1]
}

// translate words one failed keyword.
func translate(l leaf, at template.Node) []finding {
	one := func(msg string) []finding { return []finding{{at, msg}} }
	num := func() string { // the first number of the message: the limit
		for _, f := range strings.FieldsFunc(l.msg, func(r rune) bool { return r < '0' || r > '9' }) {
			return f
		}
		return "?"
	}
	switch l.keyword {
	case "additionalProperties", "unevaluatedProperties":
		obj, _ := at.(*template.Object)
		var out []finding
		for _, name := range quotedNames(l.msg) {
			var key template.Node = at
			if m := obj.Member(name); m != nil {
				key = m.Key
			}
			out = append(out, finding{key, "key " + strconv.Quote(name) + " is not allowed here" + closestKey(name, allowedKeys(l.abs))})
		}
		return out
	case "required":
		names := quotedNames(l.msg)
		if len(names) == 1 {
			return one("missing the required key " + strconv.Quote(names[0]))
		}
		return one("missing the required keys " + quotedList(names, " and "))
	case "enum":
		if _, list, ok := strings.Cut(l.msg, "one of "); ok {
			return one("must be one of " + list + ", not " + describe(at))
		}
		if _, v, ok := strings.Cut(l.msg, "value must be "); ok {
			return one("must be " + v + ", not " + describe(at))
		}
	case "const":
		if _, v, ok := strings.Cut(l.msg, "value must be "); ok {
			return one("must be " + v + ", not " + describe(at))
		}
	case "pattern":
		return one(describe(at) + " does not have the required form")
	case "minLength":
		return one("must be at least " + plural(num(), "character") + " long")
	case "maxLength":
		return one("must be at most " + plural(num(), "character") + " long")
	case "minItems":
		return one("must have at least " + plural(num(), "item"))
	case "maxItems", "additionalItems":
		return one("must have at most " + plural(num(), "item"))
	case "minProperties":
		return one("must have at least " + plural(num(), "key"))
	case "maxProperties":
		if _, isFn := at.(*template.Object); isFn && num() == "1" {
			return one("an intrinsic function call has exactly one key, its name")
		}
		return one("must have at most " + plural(num(), "key"))
	case "minimum", "exclusiveMinimum":
		return one("must be at least " + num())
	case "maximum", "exclusiveMaximum":
		return one("must be at most " + num())
	case "uniqueItems":
		return one("must not list the same item twice")
	case "oneOf":
		return one("matches more than one of the forms allowed here; keep the fields of one")
	case "format":
		return one(describe(at) + " is not in the required format")
	case "", "false":
		return one("is not allowed here")
	}
	if l.msg == "not allowed" { // a false schema, named by its property
		return one("is not allowed here")
	}
	return one("does not fit the schema (" + l.keyword + ")")
}

func plural(n, word string) string {
	if n == "1" {
		return n + " " + word
	}
	return n + " " + word + "s"
}

// typeMessage joins the type mismatches of the alternatives for a value
// ("must be a string or an intrinsic function, not a number").
func typeMessage(msgs []string, at template.Node) string {
	var wanted []string
	for _, m := range msgs {
		w, _, _ := strings.Cut(strings.TrimPrefix(m, "expected "), ", but got ")
		for _, t := range strings.Split(w, " or ") {
			if !slices.Contains(wanted, t) {
				wanted = append(wanted, t)
			}
		}
	}
	sort.Slice(wanted, func(i, j int) bool { return typeOrder(wanted[i]) < typeOrder(wanted[j]) })
	names := make([]string, len(wanted))
	for i, t := range wanted {
		names[i] = typeNames[t]
		switch {
		case t == "object" && len(wanted) > 1:
			names[i] = "an intrinsic function" // the alternative to a value in a template
		case names[i] == "":
			names[i] = t
		}
	}
	return "must be " + strings.Join(names, " or ") + ", not " + template.Describe(at)
}

var typeNames = map[string]string{"string": "a string", "object": "an object",
	"array": "a list", "integer": "a whole number", "number": "a number", "boolean": "true or false", "null": "null"}

func typeOrder(t string) int {
	return slices.Index([]string{"string", "integer", "number", "boolean", "array", "object", "null"}, t)
}

var (
	decodedMu sync.Mutex
	decoded   = map[string]any{}
)

// allowedKeys returns the property names that the schema object holding an
// additionalProperties keyword (at absolute location abs) declares.
func allowedKeys(abs string) []string {
	url, ptr, ok := strings.Cut(abs, "#")
	if !ok || !strings.HasPrefix(url, baseURL) {
		return nil
	}
	name := strings.TrimSuffix(strings.TrimPrefix(url, baseURL), ".json")
	decodedMu.Lock()
	doc, ok := decoded[name]
	if !ok {
		if data, found := Get(name); found {
			_ = json.Unmarshal(data, &doc)
		}
		decoded[name] = doc
	}
	decodedMu.Unlock()
	ptr = strings.TrimSuffix(ptr, "/additionalProperties")
	node := doc
	for _, tok := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		m, _ := node.(map[string]any)
		node = m[tok]
	}
	m, _ := node.(map[string]any)
	props, _ := m["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// closestKey suggests the allowed key nearest to name: the same letters in
// another case, or at most two edits away.
func closestKey(name string, allowed []string) string {
	best, bestDist := "", 3
	for _, k := range allowed {
		if strings.EqualFold(k, name) {
			return "; did you mean " + strconv.Quote(k) + "?"
		}
		if d := template.Distance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	if best == "" {
		return ""
	}
	return "; did you mean " + strconv.Quote(best) + "?"
}
