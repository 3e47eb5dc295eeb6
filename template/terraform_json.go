package template

import (
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// parseTerraformJSON reads a .tf.json file: the same resources in JSON
// syntax, where every string is a Terraform template ("${jsonencode(...)}"),
// and the policies defined beside them.
func parseTerraformJSON(src *Source, opts ParseOptions) ([]Parsed, policySet) {
	p := newParser(src, opts.MaxDepth, "")
	root := p.document("")
	obj, _ := root.(*Object)
	if p.stopped || obj == nil {
		return []Parsed{{&File{Source: src, Form: FormTerraform, Incomplete: p.stopped}, p.diags}}, policySet{}
	}
	r := &tfReader{src: src, dir: filepath.Dir(src.Name()), opts: opts, vars: map[string]hclsyntax.Expression{}}
	var out []Parsed
	resources, _ := obj.Get("resource").(*Object)
	for _, tm := range resourcesOf(resources) {
		for _, nm := range tm.entries {
			addr := tm.name + "." + nm.name
			switch tm.name {
			case TFProvisioningTemplate:
				out = append(out, r.jsonResource(nm.obj, nm.obj, addr, false))
			case TFCACertificate:
				for _, rc := range objectsOf(nm.obj.Get("registration_config")) {
					if rc.Get("template_body") != nil || rc.Get("template_name") == nil {
						out = append(out, r.jsonResource(nm.obj, rc, addr, true))
					}
				}
			}
		}
	}
	if len(out) == 0 {
		d := append(p.diags, notTemplate(src.Name(), noTFTemplate))
		return []Parsed{{&File{Source: src, Form: FormTerraform, Foreign: noTFTemplate}, d}}, policySet{}
	}
	out[0].Diagnostics = append(p.diags, out[0].Diagnostics...)
	out[0].Diagnostics.Sort()
	if p.diags.HasErrors() {
		return out, policySet{}
	}
	return out, r.tfJSONPolicies(resources)
}

type tfNamed struct {
	name    string
	key     *String // the name as written, for an entry of a type
	obj     *Object
	entries []tfNamed
}

// resourcesOf lists {"type": {"name": {...}}} of a .tf.json resource
// object.
func resourcesOf(o *Object) []tfNamed {
	var out []tfNamed
	if o == nil {
		return nil
	}
	for _, m := range o.Members {
		t := tfNamed{name: m.Key.Value}
		for _, byName := range objectsOf(m.Value) {
			for _, n := range byName.Members {
				for _, body := range objectsOf(n.Value) {
					t.entries = append(t.entries, tfNamed{name: n.Key.Value, key: n.Key, obj: body})
				}
			}
		}
		out = append(out, t)
	}
	return out
}

// objectsOf is an object, or the objects of an array (both are allowed for
// blocks in JSON syntax).
func objectsOf(n Node) []*Object {
	switch n := n.(type) {
	case *Object:
		return []*Object{n}
	case *Array:
		var out []*Object
		for _, e := range n.Elems {
			if o, ok := e.(*Object); ok {
				out = append(out, o)
			}
		}
		return out
	}
	return nil
}

// jsonResource is resource for JSON syntax: block is the resource, body the
// object with its attributes.
func (r *tfReader) jsonResource(block, body *Object, addr string, regConfig bool) Parsed {
	r.unknowns, r.included, r.diags = nil, nil, nil
	start, end := block.Span()
	w := &Object{}
	w.init(r.src, start, end, "")
	f := &File{Source: r.src.File(), Form: FormTerraform, Address: addr, Wrapper: w, Root: w}
	fields := [][2]string{{"name", "templateName"}, {"description", "description"}, {"provisioning_role_arn", "provisioningRoleArn"},
		{"enabled", "enabled"}, {"type", "type"}}
	if regConfig {
		fields = [][2]string{{"template_name", "templateName"}, {"role_arn", "roleArn"}}
	}
	for _, fl := range fields {
		if m := body.Member(fl[0]); m != nil {
			r.jsonMember(w, fl[1], m)
		}
	}
	if !regConfig {
		for _, hb := range objectsOf(body.Get("pre_provisioning_hook")) {
			hs, he := hb.Span()
			h := &Object{}
			h.init(r.src, hs, he, "/preProvisioningHook")
			for _, fl := range [][2]string{{"target_arn", "targetArn"}, {"payload_version", "payloadVersion"}} {
				if m := hb.Member(fl[0]); m != nil {
					r.jsonMember(h, fl[1], m)
				}
			}
			key := body.Member("pre_provisioning_hook").Key
			h.ptr = "/preProvisioningHook"
			o := &Member{Key: &String{Value: "preProvisioningHook", base: key.base}, Value: h}
			o.Key.ptr = "/preProvisioningHook"
			w.Members = append(w.Members, o)
		}
	}
	if tb, ok := body.Get("template_body").(*String); ok {
		sub, expr := r.forString(tb)
		if expr != nil {
			sub.body(f, expr)
		}
		r.merge(sub)
	} else if !regConfig || body.Get("template_name") == nil {
		r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeInputForm, Range: w.Range(),
			Message: addr + " has no template_body string"})
	}
	f.unknowns, f.Included = r.unknowns, r.included
	return Parsed{f, r.diags}
}

// jsonMember adds key: the attribute's value to o.
func (r *tfReader) jsonMember(o *Object, key string, m *Member) {
	ptr := o.ptr + "/" + PointerToken(key)
	var v Node
	if s, ok := m.Value.(*String); ok {
		sub, expr := r.forString(s)
		if expr != nil {
			v = sub.value(expr, ptr)
		}
		r.merge(sub)
	}
	if v == nil {
		v = m.Value
		rebase(v, v.Pointer())
		Walk(v, func(n Node) bool {
			b := baseOf(n)
			b.ptr = ptr + b.ptr
			return true
		})
	}
	k := &String{Value: key, base: m.Key.base}
	k.ptr = ptr
	o.Members = append(o.Members, &Member{Key: k, Value: v})
}

// forString parses a JSON string of a .tf.json file as a Terraform
// template, returning a reader over its decoded text.
func (r *tfReader) forString(s *String) (*tfReader, hclsyntax.Expression) {
	emb := s.Embedded()
	sub := &tfReader{src: emb, dir: r.dir, opts: r.opts, vars: r.vars}
	if d, deep := tooDeepHCL(emb, emb); deep {
		sub.diags = append(sub.diags, d)
		return sub, nil
	}
	expr, hd := hclsyntax.ParseTemplate(emb.Text(), emb.Name(), hcl.InitialPos)
	for _, d := range hd {
		sub.diags = append(sub.diags, hclDiag(emb, d))
	}
	if hd.HasErrors() {
		return sub, nil
	}
	return sub, expr
}

// merge takes what a sub-reader found.
func (r *tfReader) merge(sub *tfReader) {
	r.unknowns = append(r.unknowns, sub.unknowns...)
	r.included = append(r.included, sub.included...)
	r.diags = append(r.diags, sub.diags...)
}
