package eval

import (
	"slices"
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// HookResponse is what a pre-provisioning hook Lambda returned.
type HookResponse struct {
	// AllowProvisioning is the allowProvisioning field; only boolean true
	// allows provisioning (U33): the string "true" is taken to refuse, with
	// its own message (AllowedByString), and so is a missing field or
	// another value (Refusal says why).
	AllowProvisioning  bool
	AllowedByString    bool
	Refusal            string
	Unknown            []*template.String // fields other than these two, which the plan ignores
	ParameterOverrides []Param
	Node               template.Node // the response, for positions
	AllowNode          template.Node // the allowProvisioning value
}

// Param is one parameter value from an input, with where it was written
// (nil for a value given on the command line).
type Param struct {
	Name, Value string
	Node        template.Node
}

// Registry is the existing state of the AWS IoT registry that a plan is
// checked against (the --existing file). A nil *Registry means "unknown":
// nothing is assumed to exist and the plan lists what must.
type Registry struct {
	Things        map[string]ExistingThing
	ThingTypes    map[string]bool
	ThingGroups   map[string]bool
	DynamicGroups map[string]bool // dynamic thing groups, which provisioning cannot add to (U12)
	BillingGroups map[string]bool
	// Policies maps each existing policy's name to its document, or to Null
	// when the file gives only the name.
	Policies     map[string]Value
	Certificates map[string]ExistingCertificate // by certificate ID (lower case)
}

// ExistingCertificate is a certificate already registered.
type ExistingCertificate struct {
	Status   string   // ACTIVE, INACTIVE, PENDING_ACTIVATION, REVOKED, ...; "" when not given
	Things   []string // things it is attached to
	Policies []string // policies attached to it
	// Exclusive is set when it is attached to its thing as EXCLUSIVE_THING.
	Exclusive bool
}

// policyWithDocument returns the name of an existing policy whose document
// is doc.
func (r *Registry) policyWithDocument(doc Value) (string, bool) {
	names := make([]string, 0, len(r.Policies))
	for name := range r.Policies {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if d := r.Policies[name]; d.kind == Object && equalValues(d, doc) {
			return name, true
		}
	}
	return "", false
}

// ExistingThing is a thing already in the registry.
type ExistingThing struct {
	ThingTypeName string
	Attributes    [][2]string // name, value; in file order
	ThingGroups   []string
	BillingGroup  string
}

// decoder reads a small JSON input file through the positioned parser, so
// that every problem names the file, line and column.
type decoder struct {
	diags template.Diagnostics
}

func (d *decoder) errorf(n template.Node, msg string) {
	d.diags = append(d.diags, template.Diagnostic{Severity: template.Error, Code: CodeInput, Message: msg, Range: n.Range(), Path: n.Pointer()})
}

func (d *decoder) object(n template.Node, what string) *template.Object {
	o, ok := n.(*template.Object)
	if !ok {
		d.errorf(n, what+" must be a JSON object, not "+template.Describe(n))
	}
	return o
}

func (d *decoder) str(n template.Node, what string) (string, bool) {
	s, ok := n.(*template.String)
	if !ok {
		d.errorf(n, what+" must be a string, not "+template.Describe(n)+"; parameter values are always strings, so quote numbers and booleans")
		return "", false
	}
	return s.Value, true
}

func (d *decoder) stringMap(n template.Node, what string) ([][2]string, bool) {
	o := d.object(n, what)
	if o == nil {
		return nil, false
	}
	var out [][2]string
	for _, m := range o.Members {
		if v, ok := d.str(m.Value, what+" value "+quote(m.Key.Value)); ok {
			out = append(out, [2]string{m.Key.Value, v})
		}
	}
	return out, true
}

func (d *decoder) stringList(n template.Node, what string) []string {
	arr, ok := n.(*template.Array)
	if !ok {
		d.errorf(n, what+" must be an array of names, not "+template.Describe(n))
		return nil
	}
	var out []string
	for _, e := range arr.Elems {
		if s, ok := d.str(e, what+" entry"); ok {
			out = append(out, s)
		}
	}
	return out
}

func (d *decoder) stringSet(n template.Node, what string) map[string]bool {
	set := map[string]bool{}
	for _, s := range d.stringList(n, what) {
		set[s] = true
	}
	return set
}

// parseInput parses an input file and returns its root, or diagnostics.
func parseInput(name string, data []byte) (template.Node, template.Diagnostics) {
	root, _, diags := template.ParseData(name, data, template.ParseOptions{})
	if diags.HasErrors() || root == nil {
		return nil, diags
	}
	return root, diags
}

// ParseParams reads a parameters file: a JSON object of strings, such as
// {"SerialNumber": "SN1", "DeviceLocation": "Tokyo"}. Parameters keep file
// order.
func ParseParams(name string, data []byte) ([]Param, template.Diagnostics) {
	root, diags := parseInput(name, data)
	if root == nil {
		return nil, diags
	}
	var d decoder
	ps := d.params(root, "the parameters file")
	return ps, append(diags, d.diags...)
}

// DecodeParams reads parameter values from parsed JSON or YAML: an object
// of strings.
func DecodeParams(root template.Node) ([]Param, template.Diagnostics) {
	var d decoder
	ps := d.params(root, "the parameters")
	return ps, d.diags
}

func (d *decoder) params(n template.Node, what string) []Param {
	o := d.object(n, what)
	if o == nil {
		return nil
	}
	var out []Param
	for _, m := range o.Members {
		if v, ok := d.str(m.Value, what+" value "+quote(m.Key.Value)); ok {
			out = append(out, Param{Name: m.Key.Value, Value: v, Node: m.Key})
		}
	}
	return out
}

// ParseHookResponse reads a pre-provisioning hook's response:
// {"allowProvisioning": true, "parameterOverrides": {"Name": "value"}}.
func ParseHookResponse(name string, data []byte) (*HookResponse, template.Diagnostics) {
	root, diags := parseInput(name, data)
	if root == nil {
		return nil, diags
	}
	h, more := DecodeHookResponse(root)
	return h, append(diags, more...)
}

// DecodeHookResponse reads a hook response from parsed JSON or YAML.
func DecodeHookResponse(root template.Node) (*HookResponse, template.Diagnostics) {
	var diags template.Diagnostics
	var d decoder
	h := &HookResponse{Node: root, AllowNode: root}
	if o := d.object(root, "a hook response"); o != nil {
		if v := o.Get("allowProvisioning"); v != nil {
			h.AllowNode = v
		}
		// What a Lambda answers is the input here: an answer AWS IoT does
		// not take as an allow is a refusal (ACCESS_DENIED) to plan, not a
		// malformed file.
		switch v := o.Get("allowProvisioning").(type) {
		case nil:
			h.Refusal = "the hook response has no allowProvisioning"
		case *template.Bool:
			h.AllowProvisioning = v.Value
		case *template.String:
			h.AllowProvisioning = v.Value == "true"
			h.AllowedByString = h.AllowProvisioning
		default:
			h.Refusal = "allowProvisioning is " + template.Describe(v) + ", not the boolean true"
		}
		if n := o.Get("parameterOverrides"); n != nil {
			if _, null := n.(*template.Null); !null {
				h.ParameterOverrides = d.params(n, "parameterOverrides")
			}
		}
		for _, m := range o.Members {
			if m.Key.Value != "allowProvisioning" && m.Key.Value != "parameterOverrides" {
				h.Unknown = append(h.Unknown, m.Key)
			}
		}
	}
	return h, append(diags, d.diags...)
}

// ParseRegistry reads an --existing file:
//
//	{"things": {"<name>": {"thingTypeName": "...", "attributes": {"k": "v"},
//	  "thingGroups": ["..."], "billingGroup": "..."}},
//	 "thingTypes": ["..."], "thingGroups": ["..."], "dynamicThingGroups": ["..."],
//	 "billingGroups": ["..."],
//	 "policies": ["<name>", ...] or {"<name>": <policy document>},
//	 "certificates": {"<certificateId>": {"status": "ACTIVE", "things": ["..."],
//	  "policies": ["..."], "thingPrincipalType": "EXCLUSIVE_THING"}}}
//
// Every key is optional.
func ParseRegistry(name string, data []byte) (*Registry, template.Diagnostics) {
	root, diags := parseInput(name, data)
	if root == nil {
		return nil, diags
	}
	r, more := DecodeRegistry(root)
	return r, append(diags, more...)
}

// DecodeRegistry reads an existing-state description from parsed JSON or
// YAML.
func DecodeRegistry(root template.Node) (*Registry, template.Diagnostics) {
	var diags template.Diagnostics
	var d decoder
	r := &Registry{Things: map[string]ExistingThing{}, ThingTypes: map[string]bool{}, ThingGroups: map[string]bool{},
		DynamicGroups: map[string]bool{}, BillingGroups: map[string]bool{}, Policies: map[string]Value{}, Certificates: map[string]ExistingCertificate{}}
	o := d.object(root, "an existing-state file")
	if o == nil {
		return nil, append(diags, d.diags...)
	}
	for _, m := range o.Members {
		switch m.Key.Value {
		case "things":
			if things := d.object(m.Value, "things"); things != nil {
				for _, tm := range things.Members {
					r.Things[tm.Key.Value] = d.thing(tm.Value, tm.Key.Value)
				}
			}
		case "thingTypes":
			r.ThingTypes = d.stringSet(m.Value, "thingTypes")
		case "thingGroups":
			r.ThingGroups = d.stringSet(m.Value, "thingGroups")
		case "billingGroups":
			r.BillingGroups = d.stringSet(m.Value, "billingGroups")
		case "dynamicThingGroups":
			r.DynamicGroups = d.stringSet(m.Value, "dynamicThingGroups")
		case "policies":
			d.policies(m.Value, r.Policies)
		case "certificates":
			if certs := d.object(m.Value, "certificates"); certs != nil {
				for _, cm := range certs.Members {
					r.Certificates[certKey(cm.Key.Value)] = d.certificate(cm.Value, cm.Key.Value)
				}
			}
		default:
			d.errorf(m.Key, "unknown key "+quote(m.Key.Value)+"; an existing-state file has things, thingTypes, thingGroups, dynamicThingGroups, billingGroups, policies and certificates")
		}
	}
	return r, append(diags, d.diags...)
}

func (d *decoder) thing(n template.Node, name string) ExistingThing {
	var t ExistingThing
	o := d.object(n, "thing "+quote(name))
	if o == nil {
		return t
	}
	for _, m := range o.Members {
		switch m.Key.Value {
		case "thingTypeName":
			t.ThingTypeName, _ = d.str(m.Value, "thingTypeName")
		case "attributes":
			t.Attributes, _ = d.stringMap(m.Value, "attributes")
		case "thingGroups":
			t.ThingGroups = d.stringList(m.Value, "thingGroups")
		case "billingGroup":
			t.BillingGroup, _ = d.str(m.Value, "billingGroup")
		default:
			d.errorf(m.Key, "unknown thing key "+quote(m.Key.Value)+"; a thing has thingTypeName, attributes, thingGroups and billingGroup")
		}
	}
	return t
}

// policies reads "policies": a list of names, or an object of names and
// their documents (an object, or a string holding one).
func (d *decoder) policies(n template.Node, out map[string]Value) {
	if o, ok := n.(*template.Object); ok {
		for _, m := range o.Members {
			doc := m.Value
			if s, ok := doc.(*template.String); ok {
				parsed, diags := template.ParseEmbedded(s, s.Pointer(), "the policy document", template.DefaultMaxDepth)
				d.diags = append(d.diags, diags...)
				doc = parsed
			}
			if obj, ok := doc.(*template.Object); ok {
				out[m.Key.Value] = withJSON(literal(obj))
			} else {
				d.errorf(m.Value, "policy "+quote(m.Key.Value)+" must map to its policy document (an object), not "+template.Describe(m.Value))
			}
		}
		return
	}
	for name := range d.stringSet(n, "policies") {
		out[name] = Value{}
	}
}

func (d *decoder) certificate(n template.Node, id string) ExistingCertificate {
	var c ExistingCertificate
	o := d.object(n, "certificate "+quote(id))
	if o == nil {
		return c
	}
	for _, m := range o.Members {
		switch m.Key.Value {
		case "status":
			c.Status, _ = d.str(m.Value, "status")
			c.Status = strings.ToUpper(c.Status)
			if c.Status != "" && !slices.Contains(model.CertificateStatuses, c.Status) {
				d.errorf(m.Value, "certificate status "+quote(c.Status)+" is not one AWS IoT has; it is one of "+strings.Join(model.CertificateStatuses, ", "))
			}
		case "things":
			c.Things = d.stringList(m.Value, "things")
		case "policies":
			c.Policies = d.stringList(m.Value, "policies")
		case "thingPrincipalType":
			t, _ := d.str(m.Value, "thingPrincipalType")
			c.Exclusive = t == "EXCLUSIVE_THING"
		default:
			d.errorf(m.Key, "unknown certificate key "+quote(m.Key.Value)+"; a certificate has status, things, policies and thingPrincipalType")
		}
	}
	return c
}

// certKey is a certificate ID as the registry keys it: lower case, without
// an 0x prefix.
func certKey(id string) string {
	id = strings.ToLower(id)
	return strings.TrimPrefix(id, "0x")
}
