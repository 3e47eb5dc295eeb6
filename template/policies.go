package template

import "github.com/hashicorp/hcl/v2/hclsyntax"

// TFPolicy is the Terraform resource type of an AWS IoT policy.
const TFPolicy = "aws_iot_policy"

// policySet is what a file defines beside its templates: its AWS IoT
// policies, the values in them known only at deployment, and the files
// they were read from.
type policySet struct {
	policies []*Resource
	unknowns []Range
	included []*Source
}

// addPolicies gives f the policies defined beside its template.
func (f *File) addPolicies(s policySet) {
	f.Policies = s.policies
	f.unknowns = append(f.unknowns, s.unknowns...)
	f.Included = append(f.Included, s.included...)
}

// parsePolicyString parses the policy document whose JSON text is src, its
// nodes under pointer ptr, or returns nil when it does not parse to its end
// without errors: a document iotpt cannot read is left alone.
func parsePolicyString(src *Source, ptr string, maxDepth int) Node {
	p := newParser(src, maxDepth, "")
	n := p.document(ptr)
	if p.stopped || p.diags.HasErrors() {
		return nil
	}
	return n
}

// cfnPolicies reads the AWS::IoT::Policy resources of a CloudFormation
// template into f.Policies. Problems reading them are not reported: the
// policies are not the template (and a policy variable an Fn::Sub would
// try to resolve is read as a value known only at deployment).
func (f *File) cfnPolicies(root *Object, maxDepth int) {
	rs, _ := root.Get("Resources").(*Object)
	if rs == nil {
		return
	}
	for _, m := range rs.Members {
		o, _ := m.Value.(*Object)
		if t, ok := o.Get("Type").(*String); !ok || t.Value != TypePolicy {
			continue
		}
		r := &Resource{LogicalID: m.Key.Value, Key: m.Key, Node: o, Type: TypePolicy, TypeNode: o.Get("Type")}
		r.Properties, _ = o.Get("Properties").(*Object)
		r.PolicyDocumentNode = r.Property("PolicyDocument")
		r.PolicyDocument = f.cfnPolicyDocument(r.PolicyDocumentNode, maxDepth)
		f.Policies = append(f.Policies, r)
	}
}

// cfnPolicyDocument reads the PolicyDocument of a CloudFormation policy: an
// object, whose intrinsic functions it resolves (see cfnResolve), a JSON
// string, or an Fn::Sub of a JSON string. It returns nil for a document
// known only when the stack deploys or that does not parse.
func (f *File) cfnPolicyDocument(n Node, maxDepth int) Node {
	switch v := n.(type) {
	case *String:
		return parsePolicyString(v.Embedded(), v.Pointer(), maxDepth)
	case *Object:
		call, isCall := AsCall(v)
		if !isCall {
			return f.cfnResolve(v)
		}
		if str, vars := cfnSubArgs(call); str != nil {
			src, _ := cfnSubstitute(str.Embedded(), vars, nil)
			return parsePolicyString(src, v.Pointer(), maxDepth)
		}
	}
	return nil
}

// cfnSubArgs returns the string and the variable map of an Fn::Sub call,
// or a nil string when call is not a well-formed Fn::Sub.
func cfnSubArgs(call *Call) (*String, *Object) {
	if call.Name != "Fn::Sub" {
		return nil, nil
	}
	switch a := call.Arg.(type) {
	case *String:
		return a, nil
	case *Array:
		if len(a.Elems) == 2 {
			s, _ := a.Elems[0].(*String)
			vars, _ := a.Elems[1].(*Object)
			return s, vars
		}
	}
	return nil, nil
}

// cfnResolve copies a policy document written as an object with its
// intrinsic functions resolved as CloudFormation would before AWS IoT sees
// it: an Fn::Sub of a string becomes the substituted string (variables as
// CFNVarStart Name CFNVarEnd, ${!X} as ${X}), at the string's place in the
// file; any other function (Ref, Fn::GetAtt, Fn::Join, Fn::If, ...) becomes
// a value known only when the stack deploys. The tree of the file is left
// as it is.
func (f *File) cfnResolve(n Node) Node {
	switch v := n.(type) {
	case *Object:
		call, isCall := AsCall(v)
		if !isCall {
			o := &Object{base: v.base, Members: make([]*Member, 0, len(v.Members))}
			for _, m := range v.Members {
				o.Members = append(o.Members, &Member{Key: m.Key, Value: f.cfnResolve(m.Value)})
			}
			return o
		}
		if str, vars := cfnSubArgs(call); str != nil {
			src, _ := cfnSubstitute(str.Embedded(), vars, nil)
			s := &String{base: str.base, Value: string(src.Text()), yaml: str.yaml, emb: src}
			s.ptr = v.ptr
			return s
		}
		return f.cfnUnknown(v, cfnLabel(v))
	case *Array:
		a := &Array{base: v.base, Elems: make([]Node, 0, len(v.Elems))}
		for _, e := range v.Elems {
			a.Elems = append(a.Elems, f.cfnResolve(e))
		}
		return a
	}
	return n
}

// cfnUnknown is a value known only when the stack deploys, at n's place:
// a string holding its label between marks, noted as unknown.
func (f *File) cfnUnknown(n Node, label string) *String {
	v := CFNVarStart + UnknownMark + label + CFNVarEnd
	s := &String{Value: v}
	start, end := n.Span()
	s.init(n.Source(), start, end, n.Pointer())
	var sb srcBuilder
	sb.add(v, n.Source().FileOffset(start))
	s.emb = sb.source(n.Source(), n.Source().FileOffset(end))
	f.unknowns = append(f.unknowns, n.Range())
	return s
}

// tfPolicies reads the aws_iot_policy resources among the blocks of a
// Terraform file.
func (r *tfReader) tfPolicies(blocks hclsyntax.Blocks) policySet {
	sub := &tfReader{src: r.src, dir: r.dir, opts: r.opts, vars: r.vars}
	var set policySet
	for _, b := range blocks {
		if b.Type != "resource" || len(b.Labels) != 2 || b.Labels[0] != TFPolicy {
			continue
		}
		addr := TFPolicy + "." + b.Labels[1]
		ptr := "/resource/" + TFPolicy + "/" + PointerToken(b.Labels[1])
		key := &String{Value: b.Labels[1]}
		key.init(r.src, b.LabelRanges[1].Start.Byte, b.LabelRanges[1].End.Byte, ptr)
		node := &Object{}
		node.init(r.src, b.Range().Start.Byte, b.Range().End.Byte, ptr)
		res := &Resource{LogicalID: addr, Key: key, Node: node, Type: TypePolicy}
		if a := b.Body.Attributes["policy"]; a != nil {
			res.PolicyDocument, res.PolicyDocumentNode = sub.policy(a.Expr, ptr+"/policy")
		}
		set.policies = append(set.policies, res)
	}
	set.unknowns, set.included = sub.unknowns, sub.included
	return set
}

// tfJSONPolicies reads the aws_iot_policy resources of a .tf.json file.
func (r *tfReader) tfJSONPolicies(resources *Object) policySet {
	var set policySet
	for _, tm := range resourcesOf(resources) {
		if tm.name != TFPolicy {
			continue
		}
		for _, nm := range tm.entries {
			ptr := "/resource/" + TFPolicy + "/" + PointerToken(nm.name)
			res := &Resource{LogicalID: TFPolicy + "." + nm.name, Key: nm.key, Node: nm.obj, Type: TypePolicy}
			if s, ok := nm.obj.Get("policy").(*String); ok {
				sub, expr := r.forString(s)
				if expr != nil {
					res.PolicyDocument, res.PolicyDocumentNode = sub.policy(expr, ptr+"/policy")
				}
				set.unknowns = append(set.unknowns, sub.unknowns...)
				set.included = append(set.included, sub.included...)
			}
			set.policies = append(set.policies, res)
		}
	}
	return set
}

// policy reads the policy argument of an aws_iot_policy, its nodes under
// pointer ptr: jsonencode({...}), a heredoc or quoted string of JSON, or
// file(...) or templatefile(...) of a JSON file. doc is nil when the
// document is known only when Terraform runs (a data source's json, a
// variable) or does not parse; written is the argument as read. Problems
// reading it are not reported: the policy is not the template.
func (r *tfReader) policy(e hclsyntax.Expression, ptr string) (doc, written Node) {
	switch x := unwrap(e).(type) {
	case *hclsyntax.FunctionCallExpr:
		switch {
		case x.Name == "jsonencode" && len(x.Args) == 1 && !x.ExpandFinal:
			n := r.value(x.Args[0], ptr)
			if _, ok := n.(*Object); ok {
				return n, n
			}
			return nil, n
		case (x.Name == "file" || x.Name == "templatefile") && len(x.Args) >= 1:
			s := r.readFile(x)
			if s == nil {
				return nil, nil
			}
			s.ptr = ptr
			return parsePolicyString(s.Embedded(), ptr, r.opts.MaxDepth), s
		}
	case *hclsyntax.TemplateExpr:
		s := r.templateString(x, ptr)
		return parsePolicyString(s.Embedded(), ptr, r.opts.MaxDepth), s
	}
	return nil, r.value(e, ptr)
}
