package template

import "strconv"

// Resource types a provisioning template may declare.
const (
	TypeThing       = "AWS::IoT::Thing"
	TypeCertificate = "AWS::IoT::Certificate"
	TypePolicy      = "AWS::IoT::Policy"
)

// Template is the typed view of a template body. Sections that are missing
// or of the wrong JSON type are nil (the latter is reported by Parse).
type Template struct {
	Root                *Object
	Parameters          []*Parameter
	Mappings            *Object
	Resources           []*Resource
	DeviceConfiguration *Object
}

// Parameter is one entry of the Parameters section.
type Parameter struct {
	Name    string
	Key     *String
	Node    *Object
	Type    Node // usually a *String; nil when absent
	Default Node // nil when absent
}

// Resource is one entry of the Resources section.
type Resource struct {
	LogicalID        string
	Key              *String
	Node             *Object
	Type             string // "" when Type is absent or not a string
	TypeNode         Node
	Properties       *Object
	OverrideSettings *Object

	// PolicyDocument is the policy document of an AWS::IoT::Policy: the
	// object written in the template, or the JSON parsed out of the string
	// that holds it (positions still in file coordinates). Nil when absent,
	// unparsable, or given by an intrinsic function (see PolicyDocumentNode).
	PolicyDocument Node
	// PolicyDocumentNode is the PolicyDocument property as written.
	PolicyDocumentNode Node
}

// Property returns the property named name, or nil.
func (r *Resource) Property(name string) Node { return r.Properties.Get(name) }

// Parameter returns the declared parameter called name, or nil.
func (t *Template) Parameter(name string) *Parameter {
	for _, p := range t.Parameters {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Resource returns the resource with the logical ID id, or nil.
func (t *Template) Resource(id string) *Resource {
	for _, r := range t.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	return nil
}

// newTemplate builds the typed view over a body and parses the policy
// documents written as escaped strings.
func newTemplate(body Node, maxDepth int) (*Template, Diagnostics) {
	root, ok := body.(*Object)
	if !ok {
		return nil, Diagnostics{shapeDiag(CodeSectionShape, body, "a template body must be a JSON object, not "+article(KindOf(body)))}
	}
	t := &Template{Root: root}
	var diags Diagnostics
	section := func(name string) *Object {
		n := root.Get(name)
		if n == nil {
			return nil
		}
		o, ok := n.(*Object)
		if !ok {
			diags = append(diags, shapeDiag(CodeSectionShape, n, name+" must be an object, not "+article(KindOf(n))))
		}
		return o
	}
	if ps := section("Parameters"); ps != nil {
		for _, m := range ps.Members {
			o, ok := m.Value.(*Object)
			if !ok {
				diags = append(diags, shapeDiag(CodeSectionShape, m.Value, "parameter "+strconv.Quote(m.Key.Value)+` must be an object such as {"Type": "String"}, not `+article(KindOf(m.Value))))
				continue
			}
			t.Parameters = append(t.Parameters, &Parameter{Name: m.Key.Value, Key: m.Key, Node: o, Type: o.Get("Type"), Default: o.Get("Default")})
		}
	}
	t.Mappings = section("Mappings")
	t.DeviceConfiguration = section("DeviceConfiguration")
	if rs := section("Resources"); rs != nil {
		for _, m := range rs.Members {
			r, more := newResource(m, maxDepth)
			diags = append(diags, more...)
			if r != nil {
				t.Resources = append(t.Resources, r)
			}
		}
	}
	return t, diags
}

func newResource(m *Member, maxDepth int) (*Resource, Diagnostics) {
	o, ok := m.Value.(*Object)
	if !ok {
		return nil, Diagnostics{shapeDiag(CodeSectionShape, m.Value, "resource "+strconv.Quote(m.Key.Value)+" must be an object with Type and Properties, not "+article(KindOf(m.Value)))}
	}
	r := &Resource{LogicalID: m.Key.Value, Key: m.Key, Node: o, TypeNode: o.Get("Type")}
	if s, ok := r.TypeNode.(*String); ok {
		r.Type = s.Value
	}
	var diags Diagnostics
	for _, name := range []string{"Properties", "OverrideSettings"} {
		n := o.Get(name)
		if n == nil {
			continue
		}
		obj, ok := n.(*Object)
		if !ok {
			diags = append(diags, shapeDiag(CodeSectionShape, n, "the "+name+" of resource "+strconv.Quote(r.LogicalID)+" must be an object, not "+article(KindOf(n))))
			continue
		}
		if name == "Properties" {
			r.Properties = obj
		} else {
			r.OverrideSettings = obj
		}
	}
	if r.Type == TypePolicy {
		r.PolicyDocumentNode = r.Property("PolicyDocument")
		switch doc := r.PolicyDocumentNode.(type) {
		case *String:
			var more Diagnostics
			r.PolicyDocument, more = ParseEmbedded(doc, doc.Pointer(), "the PolicyDocument string", maxDepth)
			for i := range more {
				more[i].Path = doc.Pointer()
			}
			diags = append(diags, more...)
		case *Object:
			if _, isCall := AsCall(doc); !isCall {
				r.PolicyDocument = doc
			}
		}
	}
	return r, diags
}
