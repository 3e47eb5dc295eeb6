package template

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/iotpt/iotpt/internal/input"
)

// Terraform resource types that hold provisioning templates.
const (
	TFProvisioningTemplate = "aws_iot_provisioning_template"
	TFCACertificate        = "aws_iot_ca_certificate"
)

// UnknownMark starts the name of a value known only when the template is
// deployed (a Terraform reference such as aws_iot_policy.device.name), kept
// in a string as CFNVarStart + UnknownMark + label + CFNVarEnd. Package eval
// reads it as an unknown value shown as <label>.
const UnknownMark = "\uE002"

// UnknownLabel is how a variable kept in a string (see CFNVariables) is
// shown: a Terraform reference by itself, a CloudFormation variable as
// ${Name}.
func UnknownLabel(name string) string {
	if l, ok := strings.CutPrefix(name, UnknownMark); ok {
		return l
	}
	return "${" + name + "}"
}

// DeployLabel names the first value known only at deployment in s (a
// Terraform reference or a CloudFormation variable), as UnknownLabel shows
// it, without the marks that delimit it; "" when s holds none.
func DeployLabel(s string) string {
	_, label, found := strings.Cut(s, CFNVarStart)
	if !found {
		return ""
	}
	label, _, _ = strings.Cut(label, CFNVarEnd)
	return UnknownLabel(label)
}

// IsTerraformName reports whether a file name is a Terraform file (.tf or
// .tf.json).
func IsTerraformName(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".tf") || strings.HasSuffix(n, ".tf.json")
}

// Parsed is one template read from a file and the problems found in it.
type Parsed struct {
	File        *File
	Diagnostics Diagnostics
}

// ParseAll parses a file that may hold several templates: a Terraform file
// yields one File per aws_iot_provisioning_template resource and per
// aws_iot_ca_certificate registration_config, each with its Address (and
// none when it holds neither); any other file yields what Parse returns.
// Problems of the file as a whole (HCL syntax) go with the first File.
func ParseAll(name string, text []byte, opts ParseOptions) []Parsed {
	if !isTerraform(name, text, opts) {
		f, d := Parse(name, text, opts)
		return []Parsed{{f, d}}
	}
	all, set := parseTerraform(name, text, opts)
	all[0].File.addPolicies(set)
	return all
}

func isTerraform(name string, text []byte, opts ParseOptions) bool {
	return opts.Form == FormTerraform || (opts.Form == FormAuto && (IsTerraformName(name) || looksHCL(name, text)))
}

// looksHCL reports whether a file of another name (standard input) is
// Terraform with a provisioning template: it does not start like JSON and
// declares such a resource.
func looksHCL(name string, text []byte) bool {
	t := bytes.TrimSpace(text)
	if len(t) == 0 || t[0] == '{' || t[0] == '[' || t[0] == '"' || IsYAMLName(name) {
		return false
	}
	return bytes.Contains(t, []byte(`resource "`+TFProvisioningTemplate+`"`)) || bytes.Contains(t, []byte(`resource "`+TFCACertificate+`"`))
}

// parseTerraformOne is Parse for a Terraform file: the template named by
// opts.Address, or the only one the file holds. When the file holds several
// and none is named, or not the one named, the File has no template and its
// Foreign says which there are.
func parseTerraformOne(name string, text []byte, opts ParseOptions) (*File, Diagnostics) {
	all, set := parseTerraform(name, text, opts)
	var addrs []string
	for _, p := range all {
		if opts.Address != "" && p.File.Address == opts.Address {
			p.File.addPolicies(set)
			return p.File, p.Diagnostics
		}
		if p.File.Address != "" {
			addrs = append(addrs, p.File.Address)
		}
	}
	var msg string
	switch {
	case opts.Address != "" && len(addrs) > 0:
		msg = fmt.Sprintf("no template %s; the file holds %s", opts.Address, strings.Join(addrs, ", "))
	case opts.Address != "" || len(all) == 1:
		all[0].File.addPolicies(set)
		return all[0].File, all[0].Diagnostics
	default:
		msg = fmt.Sprintf("the file holds %d templates (%s): name one with --address; iotpt lint checks them all", len(all), strings.Join(addrs, ", "))
	}
	f := &File{Source: all[0].File.Source, Form: FormTerraform, Foreign: msg}
	return f, Diagnostics{{Severity: Error, Code: CodeInputForm, Range: Range{Filename: name}, Message: msg}}
}

const noTFTemplate = "a Terraform file with no aws_iot_provisioning_template resource and no aws_iot_ca_certificate registration_config: lint the .tf file that holds one"

// tfReader builds templates from one Terraform file.
type tfReader struct {
	src  *Source // what HCL parsed: the file, or a string of a .tf.json file
	dir  string
	opts ParseOptions
	vars map[string]hclsyntax.Expression // "var.x" defaults and "local.y" values of the file
	// expanding holds the locals being read (a local that uses itself is
	// unknown), and localBytes counts the source text of the objects and
	// lists read from locals, at most maxLocalBytes.
	expanding  map[string]bool
	localBytes int
	unknowns   []Range
	included   []*Source
	diags      Diagnostics
}

// maxLocalBytes bounds the source text of the objects and lists read from
// locals in one file, counted at every use: past it a local is an unknown
// value, so that locals that use each other twice cannot make a small file
// expand without end.
const maxLocalBytes = 1 << 20

// parseTerraform reads every template of a Terraform file, and the
// policies defined beside them when the file parses without errors.
func parseTerraform(name string, text []byte, opts ParseOptions) ([]Parsed, policySet) {
	src := NewSource(name, text)
	empty := func(d Diagnostics) ([]Parsed, policySet) {
		return []Parsed{{&File{Source: src, Form: FormTerraform}, d}}, policySet{}
	}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(text) > maxBytes {
		return empty(Diagnostics{TooLarge(name, maxBytes)})
	}
	if strings.HasSuffix(strings.ToLower(name), ".json") {
		return parseTerraformJSON(src, opts)
	}
	if d, deep := tooDeepHCL(src, src); deep {
		return empty(Diagnostics{d})
	}
	hf, hdiags := hclsyntax.ParseConfig(text, name, hcl.InitialPos)
	var fileDiags Diagnostics
	for _, d := range hdiags {
		fileDiags = append(fileDiags, hclDiag(src, d))
	}
	body, _ := hf.Body.(*hclsyntax.Body)
	if body == nil {
		f := &File{Source: src, Form: FormTerraform, Incomplete: true}
		return []Parsed{{f, fileDiags}}, policySet{}
	}
	r := &tfReader{src: src, dir: filepath.Dir(name), opts: opts, vars: map[string]hclsyntax.Expression{}}
	for _, b := range body.Blocks {
		switch {
		case b.Type == "variable" && len(b.Labels) == 1:
			if a := b.Body.Attributes["default"]; a != nil {
				r.vars["var."+b.Labels[0]] = a.Expr
			}
		case b.Type == "locals":
			for name, a := range b.Body.Attributes {
				r.vars["local."+name] = a.Expr
			}
		}
	}
	var out []Parsed
	for _, b := range body.Blocks {
		if b.Type != "resource" || len(b.Labels) != 2 {
			continue
		}
		switch b.Labels[0] {
		case TFProvisioningTemplate:
			out = append(out, r.resource(b, b.Body, b.Labels[0]+"."+b.Labels[1], false))
		case TFCACertificate:
			for _, rc := range b.Body.Blocks {
				// A registration_config with a template_name and no body
				// uses a provisioning template defined elsewhere.
				if rc.Type == "registration_config" && (rc.Body.Attributes["template_body"] != nil || rc.Body.Attributes["template_name"] == nil) {
					out = append(out, r.resource(b, rc.Body, b.Labels[0]+"."+b.Labels[1], true))
				}
			}
		}
	}
	if len(out) == 0 {
		f := &File{Source: src, Form: FormTerraform}
		if fileDiags.HasErrors() && mentionsTemplate(text) {
			f.Incomplete = true
			return []Parsed{{f, fileDiags}}, policySet{}
		}
		f.Foreign = noTFTemplate
		return []Parsed{{f, Diagnostics{notTemplate(name, noTFTemplate)}}}, policySet{}
	}
	var set policySet
	if fileDiags.HasErrors() {
		for _, p := range out {
			p.File.Incomplete = true
		}
	} else {
		set = r.tfPolicies(body.Blocks)
	}
	out[0].Diagnostics = append(fileDiags, out[0].Diagnostics...)
	out[0].Diagnostics.Sort()
	return out, set
}

// mentionsTemplate reports whether a Terraform file names a resource type
// that holds a provisioning template.
func mentionsTemplate(text []byte) bool {
	return bytes.Contains(text, []byte(TFProvisioningTemplate)) || bytes.Contains(text, []byte(TFCACertificate))
}

// hclDiag converts an HCL diagnostic (positions in the file).
func hclDiag(src *Source, d *hcl.Diagnostic) Diagnostic {
	sev := Error
	if d.Severity == hcl.DiagWarning {
		sev = Warning
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + strings.TrimSuffix(d.Detail, ".")
	}
	out := Diagnostic{Severity: sev, Code: CodeSyntax, Message: "HCL: " + msg, Range: Range{Filename: src.Name()}}
	if d.Subject != nil {
		out.Range = src.Range(d.Subject.Start.Byte, d.Subject.End.Byte)
	}
	return out
}

// resource reads one template: the body attributes are those of an
// aws_iot_provisioning_template, or of a registration_config block.
func (r *tfReader) resource(b *hclsyntax.Block, body *hclsyntax.Body, addr string, regConfig bool) Parsed {
	r.unknowns, r.included, r.diags = nil, nil, nil
	w := &Object{}
	w.init(r.src, b.Range().Start.Byte, b.Range().End.Byte, "")
	f := &File{Source: r.src.File(), Form: FormTerraform, Address: addr, Wrapper: w, Root: w}
	fields := [][2]string{{"name", "templateName"}, {"description", "description"}, {"provisioning_role_arn", "provisioningRoleArn"},
		{"enabled", "enabled"}, {"type", "type"}}
	if regConfig {
		fields = [][2]string{{"template_name", "templateName"}, {"role_arn", "roleArn"}}
	}
	for _, fl := range fields {
		if a := body.Attributes[fl[0]]; a != nil {
			r.member(w, fl[1], a.NameRange, r.value(a.Expr, "/"+fl[1]))
		}
	}
	for _, hb := range body.Blocks {
		if hb.Type != "pre_provisioning_hook" || regConfig {
			continue
		}
		h := &Object{}
		h.init(r.src, hb.Range().Start.Byte, hb.Range().End.Byte, "/preProvisioningHook")
		for _, fl := range [][2]string{{"target_arn", "targetArn"}, {"payload_version", "payloadVersion"}} {
			if a := hb.Body.Attributes[fl[0]]; a != nil {
				r.member(h, fl[1], a.NameRange, r.value(a.Expr, "/preProvisioningHook/"+fl[1]))
			}
		}
		r.member(w, "preProvisioningHook", hb.TypeRange, h)
	}
	a := body.Attributes["template_body"]
	if a == nil {
		if !regConfig || body.Attributes["template_name"] == nil {
			r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeInputForm, Range: w.Range(),
				Message: addr + " has no template_body"})
		}
	} else {
		r.body(f, a.Expr)
	}
	f.unknowns, f.Included = r.unknowns, r.included
	return Parsed{f, r.diags}
}

// member adds key: v to o, the key at the attribute's name.
func (r *tfReader) member(o *Object, key string, at hcl.Range, v Node) {
	k := &String{Value: key}
	k.init(r.src, at.Start.Byte, at.End.Byte, o.ptr+"/"+PointerToken(key))
	o.Members = append(o.Members, &Member{Key: k, Value: v})
}

// body reads template_body: jsonencode(...), a heredoc or quoted string,
// file(...) or templatefile(...).
func (r *tfReader) body(f *File, e hclsyntax.Expression) {
	maxDepth := r.opts.MaxDepth
	var s *String
	switch x := unwrap(e).(type) {
	case *hclsyntax.FunctionCallExpr:
		switch {
		case x.Name == "jsonencode" && len(x.Args) == 1:
			n := r.value(x.Args[0], "")
			if _, ok := n.(*Object); ok {
				r.finish(f, n)
			} else if s, ok := n.(*String); ok && isWhollyUnknown(s.Value) {
				f.UnknownBody = n
				r.diags = append(r.diags, Diagnostic{Severity: Info, Code: CodeInputForm, Range: n.Range(),
					Message: "template_body is known only when Terraform runs (jsonencode of " + firstUnknown(n) + "); iotpt cannot check it: write the object in jsonencode({...})"})
			} else {
				r.diags = append(r.diags, shapeDiag(CodeSectionShape, n, "jsonencode of the template_body must be given an object: the template body"))
			}
			return
		case (x.Name == "file" || x.Name == "templatefile") && len(x.Args) >= 1:
			s = r.readFile(x)
			if s == nil {
				return
			}
			f.BodyString = s
		}
	case *hclsyntax.TemplateExpr:
		s = r.value(x, "").(*String)
		f.BodyString = s
	}
	if s == nil {
		n := r.value(e, "")
		f.UnknownBody = n
		r.diags = append(r.diags, Diagnostic{Severity: Info, Code: CodeInputForm, Range: n.Range(),
			Message: "template_body is known only when Terraform runs (" + firstUnknown(n) + "); iotpt cannot check it: write it as jsonencode({...}), a heredoc, file() or templatefile()"})
		return
	}
	p := newParser(s.Embedded(), maxDepth, "in the template_body: ")
	n := p.document("")
	f.Incomplete = f.Incomplete || p.stopped
	diags := p.diags
	if p.stopped && len(diags) > 0 && r.isUnknown(diags[0].Range) {
		f.UnknownBody = s
		diags = Diagnostics{{Severity: Info, Code: CodeInputForm, Range: diags[0].Range,
			Message: "an interpolation stands where the JSON of the template_body needs a value; iotpt cannot check a body whose structure is known only when Terraform runs"}}
	}
	r.diags = append(r.diags, diags...)
	if n != nil {
		r.finish(f, n)
	}
}

// finish builds the typed view of a body that parsed to its end, and notes
// the sections that are unknown as a whole.
func (r *tfReader) finish(f *File, body Node) {
	if f.Incomplete {
		return
	}
	t, d := newTemplate(body, r.opts.MaxDepth)
	f.Template = t
	for _, x := range d {
		if !r.isUnknown(x.Range) { // Properties = local.props is not a string where an object belongs
			r.diags = append(r.diags, x)
		}
	}
	if o, ok := body.(*Object); ok {
		for _, m := range o.Members {
			if s, ok := m.Value.(*String); ok && isWhollyUnknown(s.Value) {
				f.unknownSections = append(f.unknownSections, m.Key.Value)
			}
		}
	}
	Walk(body, func(n Node) bool {
		if s, ok := n.(*String); ok && isWhollyUnknown(s.Value) && mayHoldRefs(s.Value) {
			f.unknownSections = append(f.unknownSections, AnySection)
			return false
		}
		return true
	})
}

// mayHoldRefs reports whether a value unknown as a whole may hold what the
// user wrote, Refs included: a variable, a local, a module output or a
// function's result may; an attribute of a resource or data source
// (aws_iot_policy.device.name) may not.
func mayHoldRefs(unknown string) bool {
	parts, _, _ := CFNVariables(unknown)
	label := strings.TrimPrefix(parts[0], UnknownMark)
	root, _, _ := strings.Cut(label, ".")
	switch root {
	case "var", "local", "module", "each":
		return true
	}
	return strings.ContainsAny(label, "(?{") || strings.Contains(label, " for ")
}

// AnySection is the section name UnknownSection takes to ask whether any
// value of the body is unknown as a whole (Properties = local.props), so
// that what the body uses is not known.
const AnySection = "*"

// isWhollyUnknown reports whether a string is one value known only at
// deployment, with nothing around it.
func isWhollyUnknown(s string) bool {
	parts, isVar, ok := CFNVariables(s)
	return ok && len(parts) == 1 && isVar[0]
}

// UnknownSection reports whether a section of the body (Parameters,
// Mappings, ...) is as a whole known only when the template is deployed
// (Parameters = merge(...) in Terraform): checks of what it declares would
// mislead.
func (f *File) UnknownSection(name string) bool {
	for _, s := range f.unknownSections {
		if s == name {
			return true
		}
	}
	return false
}

// firstUnknown names the first unknown value below n.
func firstUnknown(n Node) string {
	s, _ := n.(*String)
	if s == nil {
		return "an expression"
	}
	parts, isVar, ok := CFNVariables(s.Value)
	if !ok {
		return "an expression"
	}
	for i, p := range parts {
		if isVar[i] {
			return UnknownLabel(p)
		}
	}
	return "an expression"
}

func (r *tfReader) isUnknown(rg Range) bool {
	for _, u := range r.unknowns {
		if within(rg, u) {
			return true
		}
	}
	return false
}

// within reports whether r starts inside u: a finding that starts at an
// unknown value is about it (a JSON string made of an interpolation ends
// after the interpolation does).
func within(r, u Range) bool {
	return r.Filename == u.Filename && r.Start.IsValid() && r.Start.Byte >= u.Start.Byte && (r.Start.Byte < u.End.Byte || r.Start.Byte == u.Start.Byte)
}

// DependsOnUnknown reports whether a finding at rg is about a value known
// only when the template is deployed (a Terraform reference): lint drops
// such findings.
func (f *File) DependsOnUnknown(rg Range) bool {
	for _, u := range f.unknowns {
		if within(rg, u) {
			return true
		}
	}
	return false
}

func unwrap(e hclsyntax.Expression) hclsyntax.Expression {
	for {
		switch x := e.(type) {
		case *hclsyntax.ParenthesesExpr:
			e = x.Expression
		case *hclsyntax.TemplateWrapExpr:
			e = x.Wrapped
		default:
			return e
		}
	}
}

// maxLabel bounds the text of an expression shown as an unknown value.
const maxLabel = 60

// label is the source text of an expression, on one line, for <label>.
func (r *tfReader) label(rg hcl.Range) string {
	t := r.src.text
	start, end := min(rg.Start.Byte, len(t)), min(rg.End.Byte, len(t))
	end = max(end, start) // a range HCL recovered from an incomplete expression may end before it starts
	s := strings.Join(strings.Fields(string(t[start:end])), " ")
	// The label goes into JSON text: no quotes, backslashes or marks.
	s = strings.Map(func(c rune) rune {
		switch {
		case c == '"':
			return '\''
		case c == '\\' || c < 0x20 || (c >= 0xE000 && c <= 0xE002):
			return -1
		}
		return c
	}, s)
	if utf8.RuneCountInString(s) > maxLabel {
		s = string([]rune(s)[:maxLabel]) + "…"
	}
	return s
}

// unknown is a value known only when Terraform runs: a string holding its
// label between marks, at the expression's range.
func (r *tfReader) unknown(rg hcl.Range, ptr string) *String {
	if rg.End.Byte < rg.Start.Byte {
		rg.End = rg.Start
	}
	v := CFNVarStart + UnknownMark + r.label(rg) + CFNVarEnd
	s := &String{Value: v}
	s.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
	var sb srcBuilder
	sb.add(v, r.src.FileOffset(rg.Start.Byte))
	s.emb = sb.source(r.src, r.src.FileOffset(rg.End.Byte))
	r.unknowns = append(r.unknowns, s.Range())
	return s
}

// value converts an HCL expression to a node at the expression's range:
// objects, tuples and literals as they are, strings with their
// interpolations as unknowns, jsonencode(...) as the JSON string it makes,
// and anything else (references, other functions) as an unknown.
func (r *tfReader) value(e hclsyntax.Expression, ptr string) Node {
	return r.valueDepth(e, ptr, 0)
}

func (r *tfReader) valueDepth(e hclsyntax.Expression, ptr string, depth int) Node {
	maxDepth := r.opts.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	rg := e.Range()
	if depth > maxDepth {
		r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeTooDeep, Range: r.src.Range(rg.Start.Byte, rg.End.Byte),
			Message: fmt.Sprintf("nesting deeper than %d levels", maxDepth)})
		return r.unknown(rg, ptr)
	}
	switch x := e.(type) {
	case *hclsyntax.ParenthesesExpr:
		return r.valueDepth(x.Expression, ptr, depth+1)
	case *hclsyntax.TemplateWrapExpr:
		return r.valueDepth(x.Wrapped, ptr, depth+1)
	case *hclsyntax.LiteralValueExpr:
		return r.literal(x.Val, rg, ptr)
	case *hclsyntax.TemplateExpr:
		return r.templateString(x, ptr)
	case *hclsyntax.ScopeTraversalExpr:
		if root := x.Traversal.RootName(); len(x.Traversal) == 2 && (root == "var" || root == "local") {
			if a, ok := x.Traversal[1].(hcl.TraverseAttr); ok {
				name := root + "." + a.Name
				if d := r.vars[name]; d != nil {
					switch unwrap(d).(type) {
					case *hclsyntax.LiteralValueExpr:
						return r.valueDepth(d, ptr, depth+1)
					case *hclsyntax.ObjectConsExpr, *hclsyntax.TupleConsExpr:
						// An object or list a local writes out in the file
						// (a body kept in locals) is read at its place.
						// Not a variable's default, which tfvars may
						// replace; not a local within its own value; and
						// only so many times in all, since each use copies
						// it (locals that use each other twice double).
						cost := d.Range().End.Byte - d.Range().Start.Byte
						if root == "local" && !r.expanding[name] && r.localBytes+cost <= maxLocalBytes {
							r.localBytes += cost
							if r.expanding == nil {
								r.expanding = map[string]bool{}
							}
							r.expanding[name] = true
							n := r.valueDepth(d, ptr, depth+1)
							delete(r.expanding, name)
							return n
						}
					}
					if t, isTmpl := d.(*hclsyntax.TemplateExpr); isTmpl && t.IsStringLiteral() {
						return r.valueDepth(d, ptr, depth+1)
					}
				}
			}
		}
		return r.unknown(rg, ptr)
	case *hclsyntax.ObjectConsExpr:
		o := &Object{}
		o.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		for _, it := range x.Items {
			k := r.key(it.KeyExpr, ptr)
			o.Members = append(o.Members, &Member{Key: k, Value: r.valueDepth(it.ValueExpr, ptr+"/"+PointerToken(k.Value), depth+1)})
		}
		return o
	case *hclsyntax.TupleConsExpr:
		a := &Array{}
		a.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		for i, el := range x.Exprs {
			a.Elems = append(a.Elems, r.valueDepth(el, fmt.Sprintf("%s/%d", ptr, i), depth+1))
		}
		return a
	case *hclsyntax.FunctionCallExpr:
		if x.Name == "jsonencode" && len(x.Args) == 1 && !x.ExpandFinal {
			return r.jsonencode(x, r.valueDepth(x.Args[0], ptr, depth+1), ptr)
		}
	}
	return r.unknown(rg, ptr)
}

// literal converts a literal value.
func (r *tfReader) literal(v cty.Value, rg hcl.Range, ptr string) Node {
	if v.IsNull() {
		n := &Null{}
		n.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		return n
	}
	if !v.IsKnown() {
		return r.unknown(rg, ptr)
	}
	switch v.Type() {
	case cty.Bool:
		n := &Bool{Value: v.True()}
		n.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		return n
	case cty.Number:
		lit := strings.TrimSpace(string(r.src.text[rg.Start.Byte:rg.End.Byte]))
		if !validJSONNumber(lit) {
			lit = v.AsBigFloat().Text('g', -1)
		}
		n := &Number{Literal: lit}
		n.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		return n
	case cty.String:
		s := &String{Value: v.AsString()}
		s.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
		var sb srcBuilder
		sb.add(s.Value, r.src.FileOffset(rg.Start.Byte))
		s.emb = sb.source(r.src, r.src.FileOffset(rg.End.Byte))
		return s
	}
	return r.unknown(rg, ptr)
}

// key reads an object key: a bare name, a quoted string, or an expression
// in parentheses (an unknown).
func (r *tfReader) key(e hclsyntax.Expression, ptr string) *String {
	if k, ok := e.(*hclsyntax.ObjectConsKeyExpr); ok {
		if !k.ForceNonLiteral {
			if name := hcl.ExprAsKeyword(k.Wrapped); name != "" {
				rg := k.Range()
				s := &String{Value: name}
				s.init(r.src, rg.Start.Byte, rg.End.Byte, ptr+"/"+PointerToken(name))
				return s
			}
		}
		e = k.Wrapped
	}
	n := r.value(e, ptr)
	s, ok := n.(*String)
	if !ok {
		s = r.unknown(e.Range(), ptr)
	}
	s.ptr = ptr + "/" + PointerToken(s.Value)
	return s
}

// templateString reads a quoted string or heredoc: its text, with each
// interpolation as an unknown, every byte mapped to where it is written.
func (r *tfReader) templateString(x *hclsyntax.TemplateExpr, ptr string) *String {
	rg := x.SrcRange
	raw := r.src.text
	quoted := rg.Start.Byte < len(raw) && raw[rg.Start.Byte] == '"'
	var sb srcBuilder
	var value strings.Builder
	var js jsonScan
	for _, part := range x.Parts {
		prg := part.Range()
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			v := lit.Val.AsString()
			value.WriteString(v)
			js.feed(v)
			sb.align(v, raw[prg.Start.Byte:min(prg.End.Byte, len(raw))], prg.Start.Byte, quoted, r.src)
			continue
		}
		u := r.unknown(prg, "")
		v := u.Value
		if js.wantsValue() {
			// "PolicyDocument": ${data.x.json}: a JSON value known only
			// when Terraform runs, read as an unknown string.
			v = `"` + v + `"`
		}
		value.WriteString(v)
		js.feed(v)
		sb.add(v, r.src.FileOffset(prg.Start.Byte))
	}
	s := &String{Value: value.String()}
	s.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
	end := rg.End.Byte
	if quoted && end > rg.Start.Byte {
		end-- // the closing quote
	}
	s.emb = sb.source(r.src, r.src.FileOffset(end))
	return s
}

// jsonencode is the string jsonencode makes of n: compact JSON whose bytes
// map to the expressions they come from.
func (r *tfReader) jsonencode(x *hclsyntax.FunctionCallExpr, n Node, ptr string) *String {
	var sb srcBuilder
	sb.appendJSON(n)
	rg := x.Range()
	s := &String{Value: string(sb.text)}
	s.init(r.src, rg.Start.Byte, rg.End.Byte, ptr)
	s.emb = sb.source(r.src, r.src.FileOffset(rg.End.Byte))
	return s
}

// readFile follows file("path") or templatefile("path", {...}): the file's
// text as a string node in that file, with ${...} of a template file as
// unknowns.
func (r *tfReader) readFile(x *hclsyntax.FunctionCallExpr) *String {
	callRange := r.src.Range(x.Range().Start.Byte, x.Range().End.Byte)
	fail := func(sev Severity, msg string) *String {
		r.diags = append(r.diags, Diagnostic{Severity: sev, Code: CodeInputForm, Range: callRange, Message: msg})
		return nil
	}
	path, ok := r.path(x.Args[0])
	if !ok {
		return fail(Info, x.Name+"'s path is known only when Terraform runs; iotpt cannot follow it: lint the file it names")
	}
	if !filepath.IsAbs(path) {
		path = filepath.Join(r.dir, path)
	}
	// A committed file("/home/runner/.aws/credentials") must not make
	// iotpt read, and print, what lies outside the repository.
	if _, err := input.Inside(r.dir, path); err != nil {
		return fail(Error, fmt.Sprintf("%s(%q): %v", x.Name, path, err))
	}
	read := r.opts.ReadFile
	if read == nil {
		read = readBounded
	}
	maxBytes := r.opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	text, err := read(path, maxBytes)
	if err != nil {
		return fail(Error, fmt.Sprintf("%s(%q): %v", x.Name, path, err))
	}
	fsrc := NewSource(path, text)
	r.included = append(r.included, fsrc)
	s := &String{Value: string(text)}
	s.init(fsrc, 0, len(text), "")
	if x.Name == "file" {
		s.emb = fsrc
		return s
	}
	// templatefile: a template whose interpolations and directives are
	// unknown, except variables given as literal strings.
	vars := map[string]string{}
	if len(x.Args) > 1 {
		if o, ok := unwrap(x.Args[1]).(*hclsyntax.ObjectConsExpr); ok {
			for _, it := range o.Items {
				k := hcl.ExprAsKeyword(it.KeyExpr)
				if t, ok := it.ValueExpr.(*hclsyntax.TemplateExpr); ok && t.IsStringLiteral() && k != "" {
					v, _ := t.Value(nil)
					vars[k] = v.AsString()
				}
			}
		}
	}
	if d, deep := tooDeepHCL(fsrc, fsrc); deep {
		r.diags = append(r.diags, d)
		return nil
	}
	tmpl, hd := hclsyntax.ParseTemplate(text, path, hcl.InitialPos)
	if hd.HasErrors() {
		for _, d := range hd {
			r.diags = append(r.diags, hclDiag(fsrc, d))
		}
		return nil
	}
	sub := &tfReader{src: fsrc, dir: filepath.Dir(path), opts: r.opts}
	var sb srcBuilder
	var value strings.Builder
	var parts []hclsyntax.Expression
	if t, ok := tmpl.(*hclsyntax.TemplateExpr); ok {
		parts = t.Parts
	} else {
		parts = []hclsyntax.Expression{tmpl}
	}
	var js jsonScan
	for _, part := range parts {
		prg := part.Range()
		part = unwrap(part)
		if lit, ok := part.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
			v := lit.Val.AsString()
			value.WriteString(v)
			js.feed(v)
			sb.align(v, text[prg.Start.Byte:min(prg.End.Byte, len(text))], prg.Start.Byte, false, fsrc)
			continue
		}
		if st, ok := part.(*hclsyntax.ScopeTraversalExpr); ok && len(st.Traversal) == 1 {
			if v, ok := vars[st.Traversal.RootName()]; ok {
				value.WriteString(v)
				js.feed(v)
				sb.add(v, prg.Start.Byte)
				continue
			}
		}
		v := sub.unknown(prg, "").Value
		if js.wantsValue() {
			v = `"` + v + `"` // a JSON value (or a %{ for } of them) known only when Terraform runs
		}
		value.WriteString(v)
		js.feed(v)
		sb.add(v, prg.Start.Byte)
	}
	r.unknowns = append(r.unknowns, sub.unknowns...)
	s.Value = value.String()
	s.emb = sb.source(fsrc, len(text))
	return s
}

// path evaluates a file path: a literal string, with ${path.module},
// ${path.root} and ${path.cwd} as the Terraform file's directory.
func (r *tfReader) path(e hclsyntax.Expression) (string, bool) {
	t, ok := unwrap(e).(*hclsyntax.TemplateExpr)
	if !ok {
		return "", false
	}
	var b strings.Builder
	for _, p := range t.Parts {
		switch x := unwrap(p).(type) {
		case *hclsyntax.LiteralValueExpr:
			if x.Val.Type() != cty.String || x.Val.IsNull() {
				return "", false
			}
			b.WriteString(x.Val.AsString())
		case *hclsyntax.ScopeTraversalExpr:
			if x.Traversal.RootName() != "path" {
				return "", false
			}
			b.WriteString(".")
		default:
			return "", false
		}
	}
	return b.String(), true
}

// readBounded reads a regular file of at most limit bytes (a FIFO or a
// device would block or never end).
func readBounded(path string, limit int) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("larger than the limit of %d bytes", limit)
	}
	return b, nil
}

// ShowUnknowns writes the values known only at deployment that a readable
// body holds (see CFNVariables) as ${name}, the way they are written in
// the Terraform or CloudFormation source.
func ShowUnknowns(b []byte) []byte {
	if !bytes.Contains(b, []byte(CFNVarStart)) {
		return b
	}
	b = bytes.ReplaceAll(b, []byte(CFNVarStart+UnknownMark), []byte("${"))
	b = bytes.ReplaceAll(b, []byte(CFNVarStart), []byte("${"))
	return bytes.ReplaceAll(b, []byte(CFNVarEnd), []byte("}"))
}

// maxHCLNesting bounds the brackets open at once in HCL text: the HCL
// parser recurses on each, and input nested a million deep would exhaust
// the stack. Real files stay far below it, JSON text in heredocs included.
const maxHCLNesting = 1000

// tooDeepHCL reports HCL text (src's) with more brackets open at once than
// maxHCLNesting, counted everywhere, strings and comments included, which
// only ever overcounts.
func tooDeepHCL(src, at *Source) (Diagnostic, bool) {
	depth := 0
	for i, c := range src.Text() {
		switch c {
		case '(', '[', '{':
			depth++
			if depth > maxHCLNesting {
				return Diagnostic{Severity: Error, Code: CodeTooDeep, Range: at.Range(i, i+1),
					Message: fmt.Sprintf("brackets nested deeper than %d levels; iotpt does not read such a file", maxHCLNesting)}, true
			}
		case ')', ']', '}':
			depth = max(depth-1, 0)
		}
	}
	return Diagnostic{}, false
}
