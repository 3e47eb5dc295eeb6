package template

import (
	"slices"
	"strconv"
	"strings"
)

// TypeProvisioningTemplate is the CloudFormation resource type that holds a
// provisioning template.
const TypeProvisioningTemplate = "AWS::IoT::ProvisioningTemplate"

// In a body taken from a CloudFormation Fn::Sub, a variable that
// CloudFormation resolves before AWS IoT sees the body, ${Name}, is kept as
// CFNVarStart + Name + CFNVarEnd: private-use characters that no template
// holds, which package eval reads as an unknown value.
const (
	CFNVarStart = "\uE000"
	CFNVarEnd   = "\uE001"
)

// Diagnostic codes of CloudFormation templates.
const (
	CodeCFNPolicyVariable = "PT018" // a ${...} or Ref of the IoT template that CloudFormation would try to resolve, and fail
	CodeCFNMore           = "PT019" // more provisioning templates than the one checked
)

// isCloudFormation reports whether an object is a CloudFormation template
// with an AWS::IoT::ProvisioningTemplate resource.
func isCloudFormation(o *Object) bool {
	rs, _ := o.Get("Resources").(*Object)
	if rs == nil {
		return false
	}
	for _, m := range rs.Members {
		if r, ok := m.Value.(*Object); ok {
			if t, ok := r.Get("Type").(*String); ok && t.Value == TypeProvisioningTemplate {
				return true
			}
		}
	}
	return false
}

// cfnBody finds the first provisioning template of a CloudFormation
// template and parses its TemplateBody: a string, or an Fn::Sub.
func (f *File) cfnBody(maxDepth int) (Node, Diagnostics) {
	var diags Diagnostics
	rs := f.Wrapper.Get("Resources").(*Object)
	var found []*Object
	for _, m := range rs.Members {
		if r, ok := m.Value.(*Object); ok {
			if t, ok := r.Get("Type").(*String); ok && t.Value == TypeProvisioningTemplate {
				found = append(found, r)
			}
		}
	}
	f.CFNResource = found[0]
	for _, r := range found[1:] {
		diags = append(diags, Diagnostic{Severity: Info, Code: CodeCFNMore, Range: r.Range(), Path: r.Pointer(),
			Message: "only the first AWS::IoT::ProvisioningTemplate of a file is checked; put this one in a file of its own to check it"})
	}
	props, _ := f.CFNResource.Get("Properties").(*Object)
	tb := props.Member("TemplateBody")
	if tb == nil {
		return nil, append(diags, shapeDiag(CodeInputForm, f.CFNResource, "the AWS::IoT::ProvisioningTemplate has no Properties.TemplateBody"))
	}
	switch v := tb.Value.(type) {
	case *String:
		f.BodyString = v
		body, more := f.parseBody(v, "the TemplateBody string", maxDepth)
		return body, append(diags, more...)
	case *Object:
		if call, ok := AsCall(v); ok && call.Name == "Fn::Sub" {
			body, more := f.cfnSub(call, maxDepth)
			return body, append(diags, more...)
		}
		if call, ok := AsCall(v); ok && call.Name == "Fn::Join" {
			body, more := f.cfnJoin(call, maxDepth)
			return body, append(diags, more...)
		}
		if call, ok := AsCall(v); ok && call.Name == "Fn::ToJsonString" {
			// AWS::LanguageExtensions writes the object as its JSON text.
			if !hasTransform(f.Wrapper, "AWS::LanguageExtensions") {
				diags = append(diags, shapeDiag(CodeInputForm, call.NameNode, "Fn::ToJsonString needs the template's Transform: AWS::LanguageExtensions; without it CloudFormation refuses the stack"))
			}
			o, ok := call.Arg.(*Object)
			if !ok {
				return nil, append(diags, shapeDiag(CodeInputForm, call.Arg, "the TemplateBody's Fn::ToJsonString must be given the template body object, not "+Describe(call.Arg)))
			}
			more, unresolved := resolvedByCloudFormation(o, f.Wrapper)
			diags = append(diags, more...)
			resolvedByDeployment(o, unresolved)
			rebase(o, o.ptr)
			return o, diags
		}
		rebase(v, v.ptr)
		return v, diags
	}
	return nil, append(diags, shapeDiag(CodeInputForm, tb.Value, "TemplateBody must be a string holding the template body, not "+Describe(tb.Value)))
}

// cfnSub parses a TemplateBody given as {"Fn::Sub": "..."} or
// {"Fn::Sub": ["...", {vars}]} the way CloudFormation substitutes it.
func (f *File) cfnSub(call *Call, maxDepth int) (Node, Diagnostics) {
	var str *String
	var vars *Object
	switch a := call.Arg.(type) {
	case *String:
		str = a
	case *Array:
		if len(a.Elems) == 2 {
			str, _ = a.Elems[0].(*String)
			vars, _ = a.Elems[1].(*Object)
		}
	}
	if str == nil {
		return nil, Diagnostics{shapeDiag(CodeInputForm, call.Node, `the TemplateBody's Fn::Sub must be "text" or ["text", {variables}]`)}
	}
	f.BodyString = str
	src, diags := cfnSubstitute(str.Embedded(), vars, stackNames(f.Wrapper, vars))
	p := newParser(src, maxDepth, "in the TemplateBody Fn::Sub string: ")
	n := p.document("")
	f.Incomplete = f.Incomplete || p.stopped
	return n, append(diags, p.diags...)
}

// cfnSubstitute applies CloudFormation's Fn::Sub to the decoded text of src:
// ${!X} becomes ${X}, a variable given a literal string in vars becomes that
// string, and any other ${X} becomes CFNVarStart X CFNVarEnd. Every output
// byte maps to the file text it comes from.
func cfnSubstitute(src *Source, vars *Object, stack func(string) bool) (*Source, Diagnostics) {
	in := src.text
	var out []byte
	var toFile []int32
	var diags Diagnostics
	emit := func(text string, from int) {
		for i := range len(text) {
			out = append(out, text[i])
			toFile = append(toFile, int32(src.FileOffset(from)))
		}
	}
	for i := 0; i < len(in); {
		if in[i] != '$' || i+1 >= len(in) || in[i+1] != '{' {
			out = append(out, in[i])
			toFile = append(toFile, int32(src.FileOffset(i)))
			i++
			continue
		}
		end := strings.IndexByte(string(in[i:]), '}')
		if end < 0 {
			emit(string(in[i:]), i)
			break
		}
		name := string(in[i+2 : i+end])
		switch {
		case strings.HasPrefix(name, "!"):
			emit("${", i)
			for j := 1; j < len(name); j++ { // skip the '!'
				out = append(out, name[j])
				toFile = append(toFile, int32(src.FileOffset(i+2+j)))
			}
			emit("}", i+end)
		case literalVar(vars, name) != nil:
			emit(literalVar(vars, name).Value, i)
		default:
			escape := []Fix{{Message: "escape it for Fn::Sub", Safe: true, Edits: []Edit{src.Edit(i+2, i+2, "!")}}}
			switch {
			case strings.HasPrefix(name, "iot:") || strings.HasPrefix(name, "aws:"):
				diags = append(diags, Diagnostic{Severity: Error, Code: CodeCFNPolicyVariable,
					Message: "CloudFormation's Fn::Sub would try to resolve the policy variable ${" + name + "} and fail; write ${!" + name + "} so that AWS IoT gets ${" + name + "}",
					Range:   src.Range(i, i+end+1), Fixes: escape})
			case stack != nil && !stack(name):
				diags = append(diags, Diagnostic{Severity: Error, Code: CodeCFNPolicyVariable,
					Message: "CloudFormation's Fn::Sub would try to resolve ${" + name + "}, which is no parameter or resource of the stack, and refuse the stack (\"Unresolved resource dependencies\"); if it is the provisioning template's, write ${!" + name + "} so that AWS IoT gets ${" + name + "}",
					// Not safe: the name may be a stack parameter not yet declared.
					Range: src.Range(i, i+end+1), Fixes: []Fix{{Message: "escape it for Fn::Sub", Edits: escape[0].Edits}}})
				// The rest of the body is read as if it were escaped, as
				// meant: one finding, not a knock-on "never used".
				emit(string(in[i:i+end+1]), i)
				i += end + 1
				continue
			}
			if v, ok := vars.Get(name).(*Object); ok {
				// A Ref or Fn::GetAtt in the variable map: shown as what it
				// refers to (<DevicePolicy>, <Role.Arn>).
				emit(CFNVarStart+UnknownMark+cfnLabel(v)+CFNVarEnd, i)
			} else {
				emit(CFNVarStart+name+CFNVarEnd, i)
			}
		}
		i += end + 1
	}
	toFile = append(toFile, int32(src.FileOffset(len(in))))
	return &Source{name: src.name, text: out, parent: src, file: src.file, toFile: toFile}, diags
}

// literalVar returns the variable's value when the Fn::Sub map gives it as
// a literal string.
func literalVar(vars *Object, name string) *String {
	s, _ := vars.Get(name).(*String)
	return s
}

// CFNVariables splits a string read from a CloudFormation Fn::Sub body into
// its text and the names of the CloudFormation variables in it; ok is false
// when it holds none.
func CFNVariables(s string) (parts []string, isVar []bool, ok bool) {
	if !strings.Contains(s, CFNVarStart) {
		return nil, nil, false
	}
	for s != "" {
		i := strings.Index(s, CFNVarStart)
		if i < 0 {
			parts, isVar = append(parts, s), append(isVar, false)
			break
		}
		if i > 0 {
			parts, isVar = append(parts, s[:i]), append(isVar, false)
		}
		rest := s[i+len(CFNVarStart):]
		j := strings.Index(rest, CFNVarEnd)
		if j < 0 {
			parts, isVar = append(parts, rest), append(isVar, false)
			break
		}
		parts, isVar = append(parts, rest[:j]), append(isVar, true)
		s = rest[j+len(CFNVarEnd):]
	}
	return parts, isVar, true
}

// cfnType returns the TemplateType property of the provisioning template.
func (f *File) cfnType() string {
	props, _ := f.CFNResource.Get("Properties").(*Object)
	if t, ok := props.Get("TemplateType").(*String); ok {
		return t.Value
	}
	return "FLEET_PROVISIONING" // CloudFormation's default, as the API's
}

// cfnJoin parses a TemplateBody given as {"Fn::Join": ["", [parts]]}, the
// form CDK synthesises when the body refers to another resource: string
// parts are body text (positions in the file), and a Ref, Fn::GetAtt or
// other function is a value known only when the stack deploys.
func (f *File) cfnJoin(call *Call, maxDepth int) (Node, Diagnostics) {
	args, _ := call.Arg.(*Array)
	var sep *String
	var parts *Array
	if args != nil && len(args.Elems) == 2 {
		sep, _ = args.Elems[0].(*String)
		parts, _ = args.Elems[1].(*Array)
	}
	if sep == nil || parts == nil {
		return nil, Diagnostics{shapeDiag(CodeInputForm, call.Node, `the TemplateBody's Fn::Join must be ["separator", [parts]]`)}
	}
	var sb srcBuilder
	start, _ := call.Node.Span()
	for i, p := range parts.Elems {
		if i > 0 {
			emb := sep.Embedded()
			for j := range len(sep.Value) {
				sb.add(sep.Value[j:j+1], emb.FileOffset(j))
			}
		}
		if s, ok := p.(*String); ok {
			emb := s.Embedded()
			for j := range len(s.Value) {
				sb.add(s.Value[j:j+1], emb.FileOffset(j))
			}
			continue
		}
		ps, pe := p.Span()
		label := cfnLabel(p)
		sb.add(CFNVarStart+UnknownMark+label+CFNVarEnd, p.Source().FileOffset(ps))
		f.unknowns = append(f.unknowns, p.Source().Range(ps, pe))
	}
	_, end := call.Node.Span()
	src := sb.source(call.Node.Source(), call.Node.Source().FileOffset(max(end-1, start)))
	p := newParser(src, maxDepth, "in the TemplateBody Fn::Join: ")
	n := p.document("")
	f.Incomplete = f.Incomplete || p.stopped
	return n, p.diags
}

// cfnLabel shows a CloudFormation value known only at deployment: Ref X as
// X, Fn::GetAtt [X, Attr] as X.Attr.
func cfnLabel(n Node) string {
	call, ok := AsCall(n)
	if !ok {
		return "a value"
	}
	switch a := call.Arg.(type) {
	case *String:
		if call.Name == "Ref" || call.Name == "Fn::GetAtt" {
			return strings.Trim(a.Value, CFNVarStart+CFNVarEnd+UnknownMark+`"\`)
		}
	case *Array:
		if call.Name == "Fn::GetAtt" && len(a.Elems) == 2 {
			x, _ := a.Elems[0].(*String)
			y, _ := a.Elems[1].(*String)
			if x != nil && y != nil {
				return strings.Trim(x.Value+"."+y.Value, CFNVarStart+CFNVarEnd+UnknownMark+`"\`)
			}
		}
	}
	return call.Name + " ..."
}

// transforms lists the macros of a CloudFormation template's Transform (a
// string or a list); ok is false for a Transform of another shape.
func transforms(doc *Object) (names []string, ok bool) {
	switch t := doc.Get("Transform").(type) {
	case nil:
		return nil, true
	case *String:
		return []string{t.Value}, true
	case *Array:
		for _, e := range t.Elems {
			s, isStr := e.(*String)
			if !isStr {
				return nil, false
			}
			names = append(names, s.Value)
		}
		return names, true
	}
	return nil, false
}

// hasTransform reports whether a CloudFormation template declares the
// macro name in its Transform.
func hasTransform(doc *Object, name string) bool {
	names, _ := transforms(doc)
	return slices.Contains(names, name)
}

// stackNames reports whether a name can be resolved by CloudFormation in
// the stack doc: a parameter, a resource (or a resource's attribute,
// Name.Attr), a pseudo parameter (AWS::Region), or a variable of the
// Fn::Sub's own map.
func stackNames(doc, vars *Object) func(string) bool {
	if macroTransform(doc) {
		// A macro (AWS::Serverless, a Fn::ForEach of LanguageExtensions)
		// adds resources and names this file does not show: every name
		// may be the stack's.
		return func(string) bool { return true }
	}
	return func(name string) bool {
		if cfnPseudo[name] || vars.Get(name) != nil {
			return true
		}
		res, _, _ := strings.Cut(name, ".")
		for _, section := range []string{"Parameters", "Resources"} {
			if o, ok := doc.Get(section).(*Object); ok && (o.Get(name) != nil || section == "Resources" && o.Get(res) != nil) {
				return true
			}
		}
		return false
	}
}

// cfnPseudo are CloudFormation's pseudo parameters. AWS::IoT::Certificate::Id
// is not one: CloudFormation cannot resolve it.
var cfnPseudo = map[string]bool{
	"AWS::AccountId": true, "AWS::NotificationARNs": true, "AWS::NoValue": true, "AWS::Partition": true,
	"AWS::Region": true, "AWS::StackId": true, "AWS::StackName": true, "AWS::URLSuffix": true,
}

// resolvedByCloudFormation finds, in a body CloudFormation turns into JSON
// text (Fn::ToJsonString), the references CloudFormation resolves first: a
// Ref, Fn::FindInMap or Fn::Sub variable of the provisioning template that
// the stack doc does not have refuses the stack.
func resolvedByCloudFormation(body Node, doc *Object) (diags Diagnostics, unresolved map[Node]bool) {
	stack := stackNames(doc, nil)
	stackMaps, _ := doc.Get("Mappings").(*Object)
	asString := "; write the body as a string (Fn::Sub, with ${!Name} for the provisioning template's own) so that AWS IoT resolves it"
	unresolved = map[Node]bool{}
	Walk(body, func(n Node) bool {
		c, ok := AsCall(n)
		if !ok {
			return true
		}
		switch a := c.Arg.(type) {
		case *String:
			if c.Name == "Ref" && !stack(a.Value) {
				diags = append(diags, shapeDiag(CodeCFNPolicyVariable, c.Node, "CloudFormation resolves this Ref inside Fn::ToJsonString, and "+strconv.Quote(a.Value)+" is no parameter or resource of the stack, so it refuses the stack"+asString))
				unresolved[n] = true
				return false
			}
			if c.Name == "Fn::Sub" {
				_, more := cfnSubstitute(a.Embedded(), nil, stack)
				diags = append(diags, more...)
			}
		case *Array:
			if len(a.Elems) > 0 && c.Name == "Fn::FindInMap" {
				if m, ok := a.Elems[0].(*String); ok && stackMaps.Get(m.Value) == nil {
					diags = append(diags, shapeDiag(CodeCFNPolicyVariable, c.Node, "CloudFormation resolves Fn::FindInMap inside Fn::ToJsonString in the stack's Mappings, which have no "+strconv.Quote(m.Value)+", so it refuses the stack"+asString))
					unresolved[n] = true
					return false
				}
			}
		}
		return true
	})
	return diags, unresolved
}

// resolvedByDeployment replaces the intrinsic function calls below n with
// the value CloudFormation gives them when it deploys the stack, unknown
// here: inside Fn::ToJsonString CloudFormation resolves them all, so AWS
// IoT sees none (a Ref to the stack's parameter is its value; an Fn::If its
// chosen branch). A call it cannot resolve (reported, PT018) is kept as
// the author meant it, so that no finding follows from its loss.
func resolvedByDeployment(n Node, unresolved map[Node]bool) {
	unknown := func(v Node) Node {
		if _, ok := AsCall(v); !ok {
			resolvedByDeployment(v, unresolved)
			return v
		}
		if unresolved[v] {
			return v
		}
		b := baseOf(v)
		s := &String{Value: CFNVarStart + UnknownMark + cfnLabel(v) + CFNVarEnd}
		s.init(b.src, int(b.start), int(b.end), b.ptr)
		return s
	}
	switch n := n.(type) {
	case *Object:
		for _, m := range n.Members {
			m.Value = unknown(m.Value)
		}
	case *Array:
		for i, e := range n.Elems {
			n.Elems[i] = unknown(e)
		}
	}
}

// macroTransform reports whether a CloudFormation template has a Transform
// that can add names to the stack: any but AWS::LanguageExtensions, or that
// one with an Fn::ForEach among the resources.
func macroTransform(doc *Object) bool {
	names, ok := transforms(doc)
	if !ok {
		return true
	}
	for _, n := range names {
		if n != "AWS::LanguageExtensions" {
			return true
		}
	}
	if rs, isObj := doc.Get("Resources").(*Object); isObj && len(names) > 0 {
		for _, m := range rs.Members {
			if strings.HasPrefix(m.Key.Value, "Fn::ForEach") {
				return true
			}
		}
	}
	return false
}
