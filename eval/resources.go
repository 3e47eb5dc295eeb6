package eval

import (
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/iotpt/iotpt/template"
)

// Quotas from the AWS IoT documentation.
const (
	maxAttrsUntyped   = 3
	maxAttrsTyped     = 50
	maxThingGroups    = 10
	maxPolicyDocChars = 2048 // excluding white space
)

// propNode returns the template node of a property, or the resource key.
func propNode(cr *compiledResource, name string) template.Node {
	for _, p := range cr.props {
		if p.name == name {
			return p.node
		}
	}
	return cr.r.Key
}

// checkedOnce reports whether an Evaluator checked v when it was created:
// v is written in the template, the same for every device.
func (pl *planner) checkedOnce(v Value) bool { return pl.lean && v.written }

// elemNode returns the template node of element key (an attribute name) or
// index i (a group) inside a property written literally, falling back to the
// property itself.
func elemNode(cr *compiledResource, prop, key string, i int) template.Node {
	n := propNode(cr, prop)
	switch v := n.(type) {
	case *template.Object:
		if m := v.Member(key); m != nil {
			return m.Value
		}
	case *template.Array:
		if i >= 0 && i < len(v.Elems) {
			return v.Elems[i]
		}
	}
	return n
}

// checkName fails when a known value breaks a name rule.
func (pl *planner) checkName(cr *compiledResource, prop string, v Value, rule NameRule) {
	pl.checkNameAt(propNode(cr, prop), v, rule)
}

func (pl *planner) checkNameAt(n template.Node, v Value, rule NameRule) {
	if v.kind != String || pl.checkedOnce(v) {
		return
	}
	if msg := rule.Problem(v.str); msg != "" {
		pl.env.fail(n, CodeInvalidValue, msg+"; provisioning fails with InvalidRequestException")
	}
}

func (pl *planner) planThing(cr *compiledResource, rp *ResourcePlan) {
	props := pl.evalProps(cr)
	*rp = ResourcePlan{Action: ActionCreate, Properties: props}
	name, hasName := props.Get("ThingName")
	if !hasName {
		pl.env.fail(cr.r.Key, CodeResourceShape, "thing resource "+quote(cr.r.LogicalID)+" has no ThingName; provisioning cannot create a thing without a name")
	}
	pl.checkName(cr, "ThingName", name, ThingNameRule)
	typ, hasType := props.Get("ThingTypeName")
	pl.checkName(cr, "ThingTypeName", typ, ThingTypeNameRule)
	pl.checkAttributes(cr, props, hasType)
	pl.checkGroups(cr, props)
	if b, ok := props.Get("BillingGroup"); ok {
		pl.checkName(cr, "BillingGroup", b, BillingGroupRule)
	}
	pl.checkOverrideValues(cr)

	reg := pl.in.Existing
	if reg == nil {
		if !pl.lean {
			pl.require(props)
		}
		return
	}
	pl.checkExists(cr, props)
	if name.kind != String {
		if hasName && !pl.in.Unknowns {
			pl.assume("a thing whose name is not known yet is assumed not to exist")
		}
		return
	}
	existing, ok := reg.Things[name.str]
	if !ok {
		return
	}
	before := existingThingValue(name.str, existing)
	rp.Before = &before
	rp.Properties = pl.applyOverrides(cr, props, before)
	rp.Action = ActionUpdate
	if equalValues(rp.Properties, before) {
		rp.Action = ActionNoOp
	}
}

func (pl *planner) checkAttributes(cr *compiledResource, props Value, hasType bool) {
	attrs, ok := props.Get("AttributePayload")
	if !ok {
		return
	}
	n := propNode(cr, "AttributePayload")
	if pl.checkedOnce(attrs) {
		return
	}
	if attrs.kind != Object {
		if attrs.IsKnown() {
			pl.env.fail(n, CodeInvalidValue, "AttributePayload must be an object of attribute names and string values, not "+describe(attrs))
		}
		return
	}
	for i, k := range attrs.Keys() {
		v := &attrs.items[i]
		if pl.checkedOnce(*v) {
			continue
		}
		if msg := AttributeNameRule.Problem(k); msg != "" {
			pl.env.fail(elemNode(cr, "AttributePayload", k, -1), CodeInvalidValue, msg)
			continue
		}
		switch {
		case v.kind == Object || v.kind == List || v.kind == Number || v.kind == Bool || v.kind == Null:
			pl.env.fail(elemNode(cr, "AttributePayload", k, -1), CodeInvalidValue, "attribute "+quote(k)+" must have a string value, not "+describe(*v))
		case v.kind == String:
			if msg := AttributeValueRule.Problem(v.str); msg != "" {
				pl.env.fail(elemNode(cr, "AttributePayload", k, -1), CodeInvalidValue, "attribute "+quote(k)+": "+msg)
			}
		}
	}
	n = propNode(cr, "AttributePayload")
	limit := maxAttrsUntyped
	if hasType {
		limit = maxAttrsTyped
	}
	if len(attrs.Keys()) > limit {
		msg := "the thing has " + strconv.Itoa(len(attrs.Keys())) + " attributes; at most " + strconv.Itoa(limit) + " are allowed"
		if !hasType {
			msg += " without a thing type (50 with one)"
		}
		pl.env.fail(n, CodeInvalidValue, msg)
	}
}

func (pl *planner) checkGroups(cr *compiledResource, props Value) {
	groups, ok := props.Get("ThingGroups")
	if !ok {
		return
	}
	n := propNode(cr, "ThingGroups")
	if groups.kind != List {
		if groups.IsKnown() {
			pl.env.fail(n, CodeInvalidValue, "ThingGroups must be a list of group names, not "+describe(groups))
		}
		return
	}
	if len(groups.items) > maxThingGroups {
		pl.env.fail(n, CodeInvalidValue, "the thing would join "+strconv.Itoa(len(groups.items))+" thing groups; a thing can be in at most 10")
	}
	for i := range groups.items {
		g := &groups.items[i]
		if pl.checkedOnce(*g) {
			continue
		}
		if g.kind == String {
			if msg := ThingGroupNameRule.Problem(g.str); msg != "" {
				pl.env.fail(elemNode(cr, "ThingGroups", "", i), CodeInvalidValue, msg+"; provisioning fails with InvalidRequestException")
			}
		} else if !g.isStringLike() {
			pl.env.fail(elemNode(cr, "ThingGroups", "", i), CodeInvalidValue, "a thing group name must be a string, not "+describe(*g))
		}
	}
}

// overridable lists the properties OverrideSettings may name, and whether
// MERGE applies to them. The SCREAMING_SNAKE spellings are from the docs'
// prose; every example uses the property names.
var overridable = map[string]struct {
	prop  string
	merge bool
}{
	"AttributePayload": {"AttributePayload", true}, "ATTRIBUTE_PAYLOAD": {"AttributePayload", true},
	"ThingGroups": {"ThingGroups", true}, "THING_GROUPS": {"ThingGroups", true},
	"ThingTypeName": {"ThingTypeName", false}, "THING_TYPE_NAME": {"ThingTypeName", false},
}

var overrideValues = []string{"DO_NOTHING", "REPLACE", "FAIL", "MERGE"}

// checkOverrideValues fails on OverrideSettings values that cannot apply;
// they were found at compile time (overrideProblems).
func (pl *planner) checkOverrideValues(cr *compiledResource) {
	pl.env.fails = append(pl.env.fails, cr.overrideProblems...)
}

// overrideProblems lists the OverrideSettings values of a resource that
// cannot apply.
func overrideProblems(r *template.Resource) template.Diagnostics {
	if r.OverrideSettings == nil {
		return nil
	}
	var out template.Diagnostics
	fail := func(n template.Node, msg string) {
		out = append(out, template.Diagnostic{Severity: template.Error, Code: CodeOverride, Message: msg, Range: n.Range(), Path: n.Pointer()})
	}
	for _, m := range r.OverrideSettings.Members {
		s, ok := m.Value.(*template.String)
		switch {
		case !ok || !slices.Contains(overrideValues, s.Value):
			fail(m.Value, "OverrideSettings."+m.Key.Value+" must be DO_NOTHING, REPLACE, FAIL or MERGE")
		case s.Value == "MERGE" && !overridable[m.Key.Value].merge:
			fail(m.Value, "MERGE is valid only for ThingGroups and AttributePayload, not "+m.Key.Value)
		}
	}
	return out
}

// overrideFor returns the OverrideSettings value for a thing property.
func overrideFor(cr *compiledResource, prop string) string {
	if v, ok := cr.override[prop]; ok { // BillingGroup and others are undocumented, honoured as written
		return v
	}
	for key, o := range overridable {
		if o.prop == prop && key != prop {
			return cr.override[key] // the SCREAMING_SNAKE spelling
		}
	}
	return ""
}

// applyOverrides computes an existing thing's state after provisioning.
func (pl *planner) applyOverrides(cr *compiledResource, props, before Value) Value {
	var keys []string
	var vals []Value
	for i, k := range props.Keys() {
		v := props.items[i]
		old, had := before.Get(k)
		if k == "ThingName" {
			keys, vals = append(keys, k), append(vals, v)
			continue
		}
		setting := overrideFor(cr, k)
		switch setting {
		case "FAIL":
			pl.env.fail(propNode(cr, k), CodeConflict, "thing "+thingNameOf(before)+" already exists and OverrideSettings."+k+" is FAIL; provisioning fails with ResourceConflictsException")
		case "REPLACE":
			if k == "ThingGroups" && had && !equalValues(merge(v, old), v) {
				pl.assume("REPLACE on ThingGroups removes the thing from the groups the template does not list (AWS does not say)")
			}
		case "MERGE":
			v = merge(old, v)
		case "DO_NOTHING":
			if had {
				v = old
			} else {
				continue
			}
		default:
			if !had || equalValues(old, v) {
				if !had {
					pl.assume("a property that an existing thing lacks and that OverrideSettings does not name is set from the template")
				}
				break
			}
			pl.assume("for an existing thing, a property that OverrideSettings does not name is left as it is (DO_NOTHING); AWS does not document this")
			pl.warn(propNode(cr, k), CodeAssumption, "thing "+thingNameOf(before)+" exists and its "+k+" would change from "+old.Display()+" to "+v.Display()+", but OverrideSettings does not say what to do; the plan assumes DO_NOTHING; set OverrideSettings."+k+" to be sure")
			v = old
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	// Existing properties the template does not mention stay.
	for i, k := range before.Keys() {
		if _, ok := props.Get(k); !ok {
			keys, vals = append(keys, k), append(vals, before.items[i])
		}
	}
	return ObjectOf(keys, vals)
}

// thingNameOf returns the quoted ThingName of a thing value.
func thingNameOf(v Value) string {
	n, _ := v.Get("ThingName")
	return quote(n.Display())
}

// merge combines existing attributes or groups with the template's: the
// template wins on attribute names both have; groups are a union.
func merge(old, tmpl Value) Value {
	switch {
	case old.kind == Object && tmpl.kind == Object:
		keys := slices.Clone(old.Keys())
		vals := slices.Clone(old.items)
		for i, k := range tmpl.Keys() {
			if j := slices.Index(keys, k); j >= 0 {
				vals[j] = tmpl.items[i]
			} else {
				keys, vals = append(keys, k), append(vals, tmpl.items[i])
			}
		}
		return ObjectOf(keys, vals)
	case old.kind == List && tmpl.kind == List:
		items := slices.Clone(old.items)
		for _, it := range tmpl.items {
			if !slices.ContainsFunc(items, func(x Value) bool { return equalValues(x, it) }) {
				items = append(items, it)
			}
		}
		return ListOf(items...)
	}
	return tmpl
}

// existingThingValue converts a registry thing to the template's property
// names.
func existingThingValue(name string, t ExistingThing) Value {
	keys := []string{"ThingName"}
	vals := []Value{Str(name)}
	if t.ThingTypeName != "" {
		keys, vals = append(keys, "ThingTypeName"), append(vals, Str(t.ThingTypeName))
	}
	if len(t.Attributes) > 0 {
		ak := make([]string, len(t.Attributes))
		av := make([]Value, len(t.Attributes))
		for i, kv := range t.Attributes {
			ak[i], av[i] = kv[0], Str(kv[1])
		}
		keys, vals = append(keys, "AttributePayload"), append(vals, ObjectOf(ak, av))
	}
	if len(t.ThingGroups) > 0 {
		gs := make([]Value, len(t.ThingGroups))
		for i, g := range t.ThingGroups {
			gs[i] = Str(g)
		}
		keys, vals = append(keys, "ThingGroups"), append(vals, ListOf(gs...))
	}
	if t.BillingGroup != "" {
		keys, vals = append(keys, "BillingGroup"), append(vals, Str(t.BillingGroup))
	}
	return ObjectOf(keys, vals)
}

// equalValues compares values structurally; objects compare as sets of
// members, whatever their order.
func equalValues(a, b Value) bool {
	if a.kind != b.kind || len(a.items) != len(b.items) {
		return false
	}
	if a.kind != List && a.kind != Object && a.str != b.str { // a List's or Object's str is a cache
		return false
	}
	if a.kind == Object {
		for i, k := range a.Keys() {
			w, ok := b.Get(k)
			if !ok || !equalValues(a.items[i], w) {
				return false
			}
		}
		return true
	}
	for i := range a.items {
		if !equalValues(a.items[i], b.items[i]) {
			return false
		}
	}
	return true
}

// require lists what must already exist when the registry is unknown.
func (pl *planner) require(props Value) {
	add := func(what string, v Value) {
		if v.kind == String && v.str != "" {
			pl.addRequirement(what + " " + quote(v.str) + " must exist")
		} else if v.isStringLike() {
			pl.addRequirement(what + " " + v.Display() + " must exist")
		}
	}
	if t, ok := props.Get("ThingTypeName"); ok {
		add("thing type", t)
	}
	if g, ok := props.Get("ThingGroups"); ok && g.kind == List {
		for _, it := range g.items {
			add("thing group", it)
		}
	}
	if b, ok := props.Get("BillingGroup"); ok {
		add("billing group", b)
	}
}

func (pl *planner) addRequirement(r string) {
	if !slices.Contains(pl.plan.Requirements, r) {
		pl.plan.Requirements = append(pl.plan.Requirements, r)
	}
}

// checkExists fails for a thing type, group or billing group that the
// registry does not have.
func (pl *planner) checkExists(cr *compiledResource, props Value) {
	reg := pl.in.Existing
	if t, ok := props.Get("ThingTypeName"); ok && t.kind == String && !pl.checkedOnce(t) && !reg.ThingTypes[t.str] {
		pl.env.fail(propNode(cr, "ThingTypeName"), CodeThingTypeMissing, "thing type "+quote(t.str)+" does not exist; provisioning fails with ResourceRegistrationFailureException (\"Thing type not found\")")
	}
	if g, ok := props.Get("ThingGroups"); ok && g.kind == List {
		for i, it := range g.items {
			if it.kind == String && !pl.checkedOnce(it) && !reg.ThingGroups[it.str] {
				pl.env.fail(elemNode(cr, "ThingGroups", "", i), CodeGroupMissing, "thing group "+quote(it.str)+" does not exist; provisioning fails with ResourceRegistrationFailureException")
			}
		}
	}
	if b, ok := props.Get("BillingGroup"); ok && b.kind == String && !pl.checkedOnce(b) && !reg.BillingGroups[b.str] {
		pl.env.fail(propNode(cr, "BillingGroup"), CodeBillingMissing, "billing group "+quote(b.str)+" does not exist; provisioning fails")
		pl.assume("a billing group must exist before provisioning, like thing types and groups (not documented)")
	}
}

// certSources are the ways a certificate resource can be given.
var certSources = []string{"CertificateId", "CertificateSigningRequest", "CertificatePem"}

func (pl *planner) planCertificate(cr *compiledResource, rp *ResourcePlan) {
	props := pl.evalProps(cr)
	*rp = ResourcePlan{Action: ActionCreate, Properties: props}
	given := cr.certSources
	switch {
	case len(given) == 0:
		pl.env.fail(cr.r.Key, CodeResourceShape, "certificate resource "+quote(cr.r.LogicalID)+" needs one of CertificateId, CertificateSigningRequest or CertificatePem")
	case len(given) > 1:
		pl.env.fail(propNode(cr, given[1]), CodeResourceShape, "certificate resource "+quote(cr.r.LogicalID)+" gives both "+given[0]+" and "+given[1]+"; give the certificate one way only")
	case given[0] != "CertificateId" && pl.typ != BulkRegistration:
		pl.env.fail(propNode(cr, given[0]), CodeResourceShape, pl.typ+" templates must give the certificate by CertificateId, not "+given[0])
	}
	if id, ok := props.Get("CertificateId"); ok && !pl.checkedOnce(id) {
		switch {
		case id.kind == String && !ValidCertificateID(id.str):
			pl.env.fail(propNode(cr, "CertificateId"), CodeInvalidValue, "certificate ID "+quote(abbrev(id.str))+" is not 64 hexadecimal characters")
		case id.kind == String && pl.in.Certificate != nil && !strings.EqualFold(strings.TrimPrefix(id.str, "0x"), pl.in.Certificate.ID):
			pl.warn(propNode(cr, "CertificateId"), CodeIgnoredInput, "CertificateId "+quote(abbrev(id.str))+" is not the ID of the certificate given with --cert ("+pl.in.Certificate.ID+")")
		case !id.isStringLike():
			pl.env.fail(propNode(cr, "CertificateId"), CodeInvalidValue, "CertificateId must be a string, not "+describe(id))
		}
	}
	if st, ok := props.Get("Status"); ok && st.kind == String && !pl.checkedOnce(st) {
		up := strings.ToUpper(st.str)
		if up != "ACTIVE" && up != "INACTIVE" {
			pl.env.fail(propNode(cr, "Status"), CodeInvalidValue, "certificate Status "+quote(st.str)+" must be ACTIVE or INACTIVE")
		}
	}
	pl.checkOverrideValues(cr)
}

func (pl *planner) planPolicy(cr *compiledResource, rp *ResourcePlan) {
	props := pl.evalProps(cr)
	*rp = ResourcePlan{Action: ActionCreate, Properties: props}
	name, hasName := props.Get("PolicyName")
	_, hasDoc := props.Get("PolicyDocument")
	switch {
	case hasName && hasDoc:
		pl.env.fail(propNode(cr, "PolicyDocument"), CodeResourceShape, "policy resource "+quote(cr.r.LogicalID)+" gives both PolicyName and PolicyDocument; give one")
	case !hasName && !hasDoc:
		pl.env.fail(cr.r.Key, CodeResourceShape, "policy resource "+quote(cr.r.LogicalID)+" needs PolicyName or PolicyDocument; AWS reports \"Neither policyName nor policyDocument is present in the Template\"")
	case hasName:
		rp.Action = ActionNoOp
		pl.checkName(cr, "PolicyName", name, PolicyNameRule)
		if name.kind == String && !pl.checkedOnce(name) {
			if pl.in.Existing == nil {
				if !pl.lean {
					pl.addRequirement("policy " + quote(name.str) + " must exist")
				}
			} else if !pl.in.Existing.Policies[name.str] {
				pl.env.fail(propNode(cr, "PolicyName"), CodePolicyMissing, "policy "+quote(name.str)+" does not exist; provisioning fails")
			}
		}
	case hasDoc:
		pl.planPolicyDocument(cr, &rp.Properties)
	}
	if cr.r.OverrideSettings != nil {
		pl.env.fail(cr.r.OverrideSettings, CodeOverride, "OverrideSettings are not available for policy resources")
	}
}

// planPolicyDocument shows a document written as a string as the object it
// holds, and checks its size. Both were worked out at compile time.
func (pl *planner) planPolicyDocument(cr *compiledResource, props *Value) {
	if cr.docValue != nil && cr.constProps == nil {
		items := slices.Clone(props.items)
		items[cr.docIndex] = *cr.docValue
		*props = ObjectOf(props.Keys(), items)
	}
	n := cr.docChars
	if n < 0 { // built by functions: measure this device's document
		if v, ok := props.Get("PolicyDocument"); ok && v.IsKnown() {
			n = nonSpaceChars(string(v.AppendJSON(nil)))
		}
	}
	if n > maxPolicyDocChars {
		pl.env.fail(propNode(cr, "PolicyDocument"), CodeInvalidValue, "the policy document has "+strconv.Itoa(n)+" characters besides white space; CreatePolicy accepts at most 2048")
	}
}

func nonSpaceChars(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}
