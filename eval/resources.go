package eval

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
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

// propKey returns the key of a property, or the resource key.
func propKey(cr *compiledResource, name string) template.Node {
	if m := cr.r.Properties.Member(name); m != nil {
		return m.Key
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

func (pl *planner) planThing(cr *compiledResource, rp *ResourcePlan) {
	props := pl.evalProps(cr)
	*rp = ResourcePlan{Action: ActionCreate, Properties: props}
	name, hasName := props.Get("ThingName")
	if !hasName {
		pl.env.fail(cr.r.Key, codeThingNameMissing, "thing resource "+quote(cr.r.LogicalID)+" has no ThingName; provisioning cannot create a thing without a name")
	} else {
		pl.checkString(propNode(cr, "ThingName"), name, &model.ThingName, codeThingName)
	}
	if v, ok := props.Get("ThingTypeName"); ok {
		pl.checkString(propNode(cr, "ThingTypeName"), v, &model.ThingTypeName, codeNames)
	}
	if v, ok := props.Get("BillingGroup"); ok {
		pl.checkString(propNode(cr, "BillingGroup"), v, &model.BillingGroup, codeNames)
	}
	pl.checkAttributes(cr, props)
	pl.checkGroups(cr, props)
	pl.checkOverrideValues(cr)

	reg := pl.in.Existing
	if reg == nil {
		if !pl.lean {
			pl.require(props)
		}
		pl.checkCounts(cr, props)
		return
	}
	pl.checkExists(cr, props)
	if name.kind != String {
		if hasName && !pl.in.Unknowns && name.isStringLike() {
			pl.assume("A2", "a thing whose name is not known yet is taken not to exist")
		}
		pl.checkCounts(cr, props)
		return
	}
	existing, ok := reg.Things[name.str]
	if !ok {
		pl.checkCounts(cr, props)
		return
	}
	before := existingThingValue(name.str, existing)
	rp.Before = &before
	rp.Properties = pl.applyOverrides(cr, props, before)
	rp.Action = ActionUpdate
	if equalValues(rp.Properties, before) {
		rp.Action = ActionNoOp
	}
	pl.checkCounts(cr, rp.Properties)
}

// checkAttributes checks attribute names and values; their number is
// checked on the thing as it stands after provisioning (checkCounts).
func (pl *planner) checkAttributes(cr *compiledResource, props Value) {
	attrs, ok := props.Get("AttributePayload")
	if !ok || pl.checkedOnce(attrs) {
		return
	}
	if attrs.kind != Object {
		if attrs.kind != Unknown && attrs.kind != Partial {
			pl.env.fail(propNode(cr, "AttributePayload"), codeAttributes, "AttributePayload must be an object of attribute names and string values, not "+describe(attrs))
		}
		return
	}
	for i, k := range attrs.Keys() {
		v := attrs.items[i]
		if pl.checkedOnce(v) {
			continue
		}
		at := elemNode(cr, "AttributePayload", k, -1)
		if msg := model.AttributeName.Problem(k); msg != "" {
			pl.env.fail(at, codeAttributes, msg)
			continue
		}
		switch v.kind {
		case String, Partial:
			if v.kind == String && model.AttributeValue.Problem(v.str) == "" {
				continue // the common case, without building a message
			}
			rule := model.AttributeValue
			rule.What = "attribute " + quote(k) + " value"
			pl.checkString(at, v, &rule, codeAttributes)
		case Unknown:
		default:
			pl.env.fail(at, codeAttributes, "attribute "+quote(k)+" must have a string value, not "+describe(v))
		}
	}
}

func (pl *planner) checkGroups(cr *compiledResource, props Value) {
	groups, ok := props.Get("ThingGroups")
	if !ok {
		return
	}
	if groups.kind != List {
		if groups.kind != Unknown && groups.kind != Partial {
			pl.env.fail(propNode(cr, "ThingGroups"), codeNames, "ThingGroups must be a list of group names, not "+describe(groups))
		}
		return
	}
	for i, g := range groups.items {
		pl.checkString(elemNode(cr, "ThingGroups", "", i), g, &model.ThingGroupName, codeNames)
	}
}

// checkCounts checks the number of attributes and groups of a thing as it
// will stand after provisioning: for an existing thing, after MERGE. The
// count depends on the registry (an existing thing may keep its own values,
// or have a thing type), so with unknown inputs, as lint plans, a count over
// the limit is a warning: it fails for a new thing, not for every input.
func (pl *planner) checkCounts(cr *compiledResource, props Value) {
	report := pl.env.fail
	if pl.in.Unknowns {
		report = func(n template.Node, code, msg string) {
			pl.warn(n, code, msg+" (when the thing is created; an existing one keeps its own under OverrideSettings)")
		}
	}
	if attrs, ok := props.Get("AttributePayload"); ok && attrs.kind == Object {
		_, typed := props.Get("ThingTypeName")
		limit := model.MaxAttrsUntyped
		if typed {
			limit = model.MaxAttrsTyped
		}
		if n := len(attrs.Keys()); n > limit {
			msg := "the thing would have " + strconv.Itoa(n) + " attributes; at most " + strconv.Itoa(limit) + " are allowed"
			if !typed {
				msg += " without a thing type (50 with one)"
			}
			report(propNode(cr, "AttributePayload"), codeAttributeCount, msg)
		}
	}
	if groups, ok := props.Get("ThingGroups"); ok && groups.kind == List {
		if n := distinctCount(groups.items); n > model.MaxThingGroups {
			report(propNode(cr, "ThingGroups"), codeGroupCount, "the thing would be in "+strconv.Itoa(n)+" thing groups; a thing can be in at most 10")
		}
	}
}

// distinctCount counts the distinct values of a list (a group named twice
// is one membership).
func distinctCount(items []Value) int {
	n := 0
	for i, it := range items {
		if !slices.ContainsFunc(items[:i], func(x Value) bool { return equalValues(x, it) }) {
			n++
		}
	}
	return n
}

// checkOverrideValues fails on OverrideSettings values that cannot apply;
// they were found at compile time (overrideProblems).
func (pl *planner) checkOverrideValues(cr *compiledResource) {
	for _, d := range cr.overrideProblems {
		if d.Severity == template.Error {
			pl.env.fails = append(pl.env.fails, d)
		} else if !pl.lean {
			pl.plan.Warnings = append(pl.plan.Warnings, d)
		}
	}
}

// overrideProblems lists the OverrideSettings values of a resource that
// cannot apply: values other than the four, MERGE where it cannot merge,
// and any OverrideSettings on a policy.
func overrideProblems(r *template.Resource) template.Diagnostics {
	if r.OverrideSettings == nil {
		return nil
	}
	var out template.Diagnostics
	fail := func(n template.Node, msg string) {
		out = append(out, template.Diagnostic{Severity: template.Error, Code: codeOverride, Message: msg, Range: n.Range(), Path: n.Pointer()})
	}
	if r.Type == model.TypePolicy {
		fail(r.OverrideSettings, "OverrideSettings are not available for policy resources")
		return out
	}
	for _, m := range r.OverrideSettings.Members {
		s, ok := m.Value.(*template.String)
		prop := model.PropertyOf(r.Type, m.Key.Value)
		if snake, isSnake := model.OverrideSnake[m.Key.Value]; isSnake {
			prop = model.PropertyOf(r.Type, snake)
		}
		if prop == nil || prop.Override == "" { // unknown, or a property AWS documents no override for (ThingName)
			var names []string
			for _, p := range model.Resources[r.Type] {
				if p.Override != "" {
					names = append(names, p.Name)
				}
			}
			out = append(out, template.Diagnostic{Severity: template.Warning, Code: codeOverride, Range: m.Key.Range(), Path: m.Key.Pointer(),
				Message: r.Type + " OverrideSettings cannot name " + quote(m.Key.Value) + didYouMean(m.Key.Value, names) + "; AWS documents overrides only for " + strings.Join(names, ", ") + ", and the plan does not apply it (U23)"})
			continue
		}
		switch {
		case !ok || !slices.Contains(model.OverrideValues, s.Value):
			fail(m.Value, "OverrideSettings."+m.Key.Value+" must be DO_NOTHING, REPLACE, FAIL or MERGE")
		case s.Value == "MERGE" && (prop == nil || prop.Override != "merge"):
			fail(m.Value, "MERGE is valid only for ThingGroups and AttributePayload, not "+m.Key.Value)
		}
	}
	return out
}

// overrideFor returns the OverrideSettings value for a thing property and
// whether the plan applies it. Only the documented keys apply (U23):
// OverrideSettings for BillingGroup or PackageVersions, and keys in
// SCREAMING_SNAKE (U22), are reported and left alone.
func (pl *planner) overrideFor(cr *compiledResource, prop string) string {
	if v, ok := cr.override[prop]; ok {
		if p := model.PropertyOf(model.TypeThing, prop); p != nil && p.Override != "" {
			pl.assume("U21", "OverrideSettings keys are the property names, as every example writes them")
			return v
		}
		// PT208 warned of it already, for every plan (overrideProblems).
		pl.assume("U23", "OverrideSettings for "+prop+" is not applied: AWS documents overrides only for AttributePayload, ThingTypeName and ThingGroups")
		return "DO_NOTHING"
	}
	for snake, p := range model.OverrideSnake {
		if _, ok := cr.override[snake]; ok && p == prop {
			pl.warn(cr.r.OverrideSettings.Get(snake), codeOverride, "OverrideSettings."+snake+" is spelt as in the documentation's prose; every example uses the property name "+prop+", and the plan does not apply it (U22)")
			pl.assume("U22", "an OverrideSettings key in SCREAMING_SNAKE ("+snake+") may be ignored: the plan does not apply it")
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
		switch pl.overrideFor(cr, k) {
		case "FAIL":
			pl.env.fail(propNode(cr, k), CodeConflict, "thing "+thingNameOf(before)+" already exists and OverrideSettings."+k+" is FAIL; provisioning fails with ResourceConflictsException")
		case "REPLACE":
			if k == "ThingGroups" && had && !equalValues(merge(v, old), v) {
				pl.assume("U23", "REPLACE on ThingGroups removes the thing from the groups the template does not list")
			}
		case "MERGE":
			v = merge(old, v)
			if k == "AttributePayload" && old.kind == Object && v.kind == Object && len(old.Keys())+len(props.Keys()) > len(v.Keys()) {
				pl.assume("U23", "MERGE keeps the template's value for an attribute that the thing and the template both have")
			}
		case "DO_NOTHING":
			if had {
				v = old
			} else {
				continue
			}
		default:
			if !had || equalValues(old, v) {
				if !had {
					pl.assume("U23", "a property that an existing thing lacks and that OverrideSettings does not name is set from the template")
				}
				break
			}
			pl.assume("U23", "for an existing thing, a property that OverrideSettings does not name is left as it is (DO_NOTHING)")
			pl.warn(propNode(cr, k), CodeAssumption, "thing "+thingNameOf(before)+" exists and its "+k+" would change from "+old.Display()+" to "+v.Display()+", but OverrideSettings does not say what to do; the plan assumes DO_NOTHING (U23); set OverrideSettings."+k+" to be sure")
			v = old
		}
		keys, vals = append(keys, k), append(vals, v)
	}
	// Existing properties the template does not mention stay, even under
	// REPLACE: what REPLACE does to a property the template leaves out is
	// undocumented (U23).
	for i, k := range before.Keys() {
		if _, ok := props.Get(k); !ok {
			switch cr.override[k] {
			case "REPLACE":
				pl.assume("U23", "REPLACE on "+k+", which the template does not set, leaves the thing's "+k+" as it is")
			case "FAIL":
				pl.assume("U23", "FAIL on "+k+", which the template does not set, does not fail: there is nothing to change")
			}
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
			if it.kind != String || pl.checkedOnce(it) {
				continue
			}
			switch {
			case reg.DynamicGroups[it.str]:
				pl.env.fail(elemNode(cr, "ThingGroups", "", i), CodeGroupMissing, "thing group "+quote(it.str)+" is a dynamic thing group, which takes its members by query; provisioning cannot add a thing to it (U12)")
				pl.assume("U12", "a dynamic thing group cannot be named in ThingGroups")
			case !reg.ThingGroups[it.str]:
				pl.env.fail(elemNode(cr, "ThingGroups", "", i), CodeGroupMissing, "thing group "+quote(it.str)+" does not exist; provisioning fails with ResourceRegistrationFailureException")
			}
		}
	}
	if b, ok := props.Get("BillingGroup"); ok && b.kind == String && !pl.checkedOnce(b) && !reg.BillingGroups[b.str] {
		pl.env.fail(propNode(cr, "BillingGroup"), CodeBillingMissing, "billing group "+quote(b.str)+" does not exist; provisioning fails")
		pl.assume("U13", "a billing group must exist before provisioning, like thing types and groups")
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
		msg := "certificate resource " + quote(cr.r.LogicalID) + " needs one of CertificateId, CertificateSigningRequest or CertificatePem"
		if cr.r.Property("CertificateID") != nil {
			msg += "; CertificateID, the 2020 guide's spelling, is not CertificateId (U15)"
			pl.assume("U15", "CertificateID (the 2020 spelling) is an unknown property, not CertificateId")
		}
		pl.env.fail(cr.r.Key, codeCertSource, msg)
	case len(given) > 1:
		pl.env.fail(propKey(cr, given[1]), codeCertSource, "certificate resource "+quote(cr.r.LogicalID)+" gives both "+given[0]+" and "+given[1]+"; give the certificate one way only")
	case given[0] != "CertificateId" && pl.typ == JITP:
		pl.env.fail(propKey(cr, given[0]), codeJITPCertID, "JITP templates must give the certificate by CertificateId, not "+given[0])
	case given[0] != "CertificateId" && pl.typ == FleetProvisioning:
		pl.env.fail(propKey(cr, given[0]), codeFleetCertID, "fleet provisioning templates can use only certificate IDs, not "+given[0])
	case pl.typ == FleetProvisioning && !pl.lean:
		if _, literal := cr.r.Property("CertificateId").(*template.String); literal {
			pl.warn(cr.r.Property("CertificateId"), codeFleetCertID, `a literal certificate ID names the same certificate for every device, not the one the device provisions with ({"Ref": "AWS::IoT::Certificate::Id"}): the device's own certificate is neither activated nor attached`)
		}
	}
	if ca, ok := props.Get("CACertificatePem"); ok && ca.kind == String && !pl.checkedOnce(ca) {
		if msg := CertPEMProblem("CACertificatePem", ca.str); msg != "" {
			pl.env.fail(propNode(cr, "CACertificatePem"), CodeCertConflict, msg)
		}
	}
	if _, ok := props.Get("CACertificatePem"); ok && !slices.Contains(given, "CertificatePem") {
		pl.env.fail(propKey(cr, "CACertificatePem"), codeCertSource, "CACertificatePem goes only with CertificatePem")
	}
	if id, ok := props.Get("CertificateId"); ok && !pl.checkedOnce(id) {
		at := propNode(cr, "CertificateId")
		switch id.kind {
		case String:
			if msg := model.CertificateIDProblem(id.str); msg != "" {
				pl.env.fail(at, codeCertID, msg)
			} else if pl.in.Certificate != nil && !strings.EqualFold(strings.TrimPrefix(id.str, "0x"), pl.in.Certificate.ID) {
				pl.warn(at, CodeIgnoredInput, "CertificateId "+quote(model.Abbrev(id.str))+" is not the ID of the certificate given with --cert ("+pl.in.Certificate.ID+")")
			}
		case Partial:
			if msg := model.CertificateIDKnownPartsProblem(id.Display(), id.knownParts(), len(id.items) > 0 && id.items[0].kind == String); msg != "" {
				pl.env.fail(at, codeCertID, msg)
			}
		case Unknown:
		default:
			pl.env.fail(at, codeCertID, "CertificateId must be a string, not "+describe(id))
		}
	}
	for _, src := range []struct {
		prop string
		max  int
	}{{"CertificateSigningRequest", model.MaxCSRChars}, {"CertificatePem", model.MaxCertPemChars}} {
		if v, ok := props.Get(src.prop); ok && !pl.checkedOnce(v) {
			pl.checkLength(propNode(cr, src.prop), v, src.max, CodeRequestLimit, src.prop)
			if src.prop == "CertificateSigningRequest" && pl.typ == BulkRegistration && v.kind == String && utf8.RuneCountInString(v.str) <= src.max {
				if msg := CSRProblem(v.str); msg != "" {
					pl.env.fail(propNode(cr, src.prop), CodeCertConflict, msg)
					pl.assume("U18", "AWS IoT signs a CSR in a template under the key rules of CreateCertificateFromCsr")
				}
			}
			if src.prop == "CertificatePem" && v.kind == String && utf8.RuneCountInString(v.str) <= src.max {
				if msg := CertPEMProblem(src.prop, v.str); msg != "" {
					pl.env.fail(propNode(cr, src.prop), CodeCertConflict, msg)
				}
			}
		}
	}
	if st, ok := props.Get("Status"); ok && !pl.checkedOnce(st) {
		switch st.kind {
		case String:
			if up := strings.ToUpper(st.str); up != "ACTIVE" && up != "INACTIVE" {
				pl.env.fail(propNode(cr, "Status"), codeCertStatus, "certificate Status "+quote(st.str)+" must be ACTIVE or INACTIVE")
			} else if up != st.str {
				pl.assume("U16", "certificate Status "+quote(st.str)+" is taken as "+up+": AWS accepts either case")
			}
		case Partial, Unknown:
		default:
			pl.env.fail(propNode(cr, "Status"), codeCertStatus, "certificate Status must be the string ACTIVE or INACTIVE, not "+describe(st))
		}
	}
	if pt, ok := props.Get("ThingPrincipalType"); ok && !pl.checkedOnce(pt) {
		switch {
		case pt.kind == String && !slices.Contains(model.PrincipalTypes, pt.str):
			pl.env.fail(propNode(cr, "ThingPrincipalType"), CodeCertConflict, "ThingPrincipalType "+quote(pt.str)+" must be EXCLUSIVE_THING or NON_EXCLUSIVE_THING (U17)")
		case pt.kind == String:
			pl.assume("U17", "ThingPrincipalType is a supported certificate property (shown only in an AWS sample)")
		case pt.kind != Unknown && pt.kind != Partial:
			pl.env.fail(propNode(cr, "ThingPrincipalType"), CodeCertConflict, "ThingPrincipalType must be the string EXCLUSIVE_THING or NON_EXCLUSIVE_THING, not "+describe(pt))
		}
	}
	if len(given) == 1 && given[0] == "CertificateId" {
		// The certificate exists: CreateKeysAndCertificate,
		// CreateCertificateFromCsr or JITP's auto-registration made it, in
		// PENDING_ACTIVATION; for bulk registration the caller registered
		// it, in a status the plan does not know.
		rp.Before, rp.Action = &pendingActivation, ActionUpdate
		if pl.typ == BulkRegistration {
			rp.Before = &statusAsRegistered
		}
		pl.planExistingCertificate(cr, rp, props)
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
		pl.env.fail(propKey(cr, "PolicyDocument"), codePolicyShape, "policy resource "+quote(cr.r.LogicalID)+" gives both PolicyName and PolicyDocument; give one")
	case !hasName && !hasDoc:
		pl.env.fail(cr.r.Key, codePolicyShape, "policy resource "+quote(cr.r.LogicalID)+" needs PolicyName or PolicyDocument; AWS reports \"Neither policyName nor policyDocument is present in the Template\"")
	case hasName:
		rp.Action = ActionNoOp
		pl.checkString(propNode(cr, "PolicyName"), name, &model.PolicyName, codeNames)
		if name.kind == String && !pl.checkedOnce(name) && model.PolicyName.Problem(name.str) == "" {
			if pl.in.Existing == nil {
				if !pl.lean {
					pl.addRequirement("policy " + quote(name.str) + " must exist")
				}
			} else if _, ok := pl.in.Existing.Policies[name.str]; !ok {
				pl.env.fail(propNode(cr, "PolicyName"), CodePolicyMissing, "policy "+quote(name.str)+" does not exist; provisioning fails")
			}
		}
	case hasDoc:
		pl.planPolicyDocument(cr, rp)
	}
	pl.checkOverrideValues(cr)
}

// planPolicyDocument shows a document written as a string as the object it
// holds, checks that it is one and its size, and finds an existing policy
// with the same document.
func (pl *planner) planPolicyDocument(cr *compiledResource, rp *ResourcePlan) {
	props := &rp.Properties
	if cr.docProblem != "" {
		pl.env.fail(propNode(cr, "PolicyDocument"), codePolicyDocument, cr.docProblem)
		return
	}
	if cr.docValue != nil && cr.constProps == nil {
		items := slices.Clone(props.items)
		items[cr.docIndex] = *cr.docValue
		*props = ObjectOf(props.Keys(), items)
	}
	v, _ := props.Get("PolicyDocument")
	if pl.checkedOnce(v) {
		return
	}
	n := cr.docChars
	switch v.kind {
	case Object, Unknown, Partial:
		if n < 0 && v.IsKnown() { // built by functions: measure this device's document
			n = model.NonSpaceChars(string(v.AppendJSON(nil)))
		}
	case String: // built by functions (Ref, Fn::Join, Fn::Sub): it must hold the document
		var doc map[string]any
		if err := json.Unmarshal([]byte(v.str), &doc); err != nil {
			pl.env.fail(propNode(cr, "PolicyDocument"), codePolicyDocument, "the PolicyDocument this device's values build does not hold a JSON policy object; CreatePolicy rejects it as malformed")
			return
		}
		n = model.NonSpaceChars(v.str)
	default:
		pl.env.fail(propNode(cr, "PolicyDocument"), codePolicyDocument, "PolicyDocument must be a policy document (a JSON object, or a string holding one), not "+describe(v))
		return
	}
	if v.kind == Object {
		pl.checkPolicyShape(propNode(cr, "PolicyDocument"), v)
	}
	if n > model.MaxPolicyDocChars {
		pl.env.fail(propNode(cr, "PolicyDocument"), codePolicyTooLong, "the policy document has "+strconv.Itoa(n)+" characters besides white space; CreatePolicy accepts at most 2048")
	}
	if reg := pl.in.Existing; reg != nil && v.IsKnown() && v.kind == Object {
		if name, ok := reg.policyWithDocument(v); ok {
			rp.Action = ActionNoOp
			pl.assume("U19", "the policy created from a document is named by a hash of it: existing policy "+quote(name)+", which has the same document, is taken to be that policy")
		}
	}
}

// planExistingCertificate plans a certificate given by ID, which exists
// before provisioning: its status after provisioning, and what the
// registry says of it.
func (pl *planner) planExistingCertificate(cr *compiledResource, rp *ResourcePlan, props Value) {
	status := "ACTIVE"
	if st, ok := props.Get("Status"); ok && st.kind == String {
		status = strings.ToUpper(st.str)
	}
	id, _ := props.Get("CertificateId")
	var existing *ExistingCertificate
	if reg := pl.in.Existing; reg != nil && id.kind == String {
		if c, ok := reg.Certificates[certKey(id.str)]; ok {
			existing = &c
		}
	}
	if existing != nil && existing.Status != "" {
		before := ObjectOf([]string{"Status"}, []Value{Str(existing.Status)})
		rp.Before = &before
		switch {
		case existing.Status == "REVOKED":
			pl.env.fail(propNode(cr, "CertificateId"), CodeCertConflict, "certificate "+quote(model.Abbrev(id.str))+" is REVOKED; a revoked certificate cannot be provisioned")
		case existing.Status != "PENDING_ACTIVATION" && existing.Status != status:
			switch cr.override["Status"] {
			case "DO_NOTHING":
				status = existing.Status
			case "FAIL":
				pl.env.fail(propNode(cr, "Status"), CodeConflict, "certificate "+quote(model.Abbrev(id.str))+" is already "+existing.Status+" and OverrideSettings.Status is FAIL; provisioning fails with ResourceConflictsException")
			case "REPLACE":
			default:
				pl.assume("U23", "a registered certificate's Status that OverrideSettings does not name is left as it is (DO_NOTHING), like a thing's properties")
				pl.warn(propNode(cr, "Status"), CodeAssumption, "certificate "+quote(model.Abbrev(id.str))+" is already "+existing.Status+" and OverrideSettings does not name Status; the plan keeps "+existing.Status+" (U23); set OverrideSettings.Status to be sure")
				status = existing.Status
			}
		}
	}
	if existing != nil && len(existing.Policies) > 0 {
		attached := slices.Clone(existing.Policies)
		for _, r := range pl.prog.res {
			if r.r.Type != model.TypePolicy {
				continue
			}
			name, _ := pl.evalProps(r).Get("PolicyName")
			if name.kind != String || !slices.Contains(attached, name.str) {
				attached = append(attached, name.Display())
			}
		}
		if len(attached) > model.MaxPoliciesPerCert {
			pl.env.fail(propNode(cr, "CertificateId"), CodeCertConflict, "the certificate would have "+strconv.Itoa(len(attached))+" policies attached; AWS IoT allows at most 10 per certificate")
		}
	}
	if pt, ok := props.Get("ThingPrincipalType"); ok && pt.kind == String && pt.str == "EXCLUSIVE_THING" && existing != nil {
		thing := pl.thingName()
		for _, other := range existing.Things {
			if thing.kind == String && other != thing.str {
				pl.env.fail(propNode(cr, "ThingPrincipalType"), CodeCertConflict, "the certificate is already attached to thing "+quote(other)+"; with EXCLUSIVE_THING it cannot be attached to another (U17)")
				break
			}
		}
	}
	if i := slices.Index(props.Keys(), "Status"); i >= 0 {
		items := pl.env.values(len(props.items))
		copy(items, props.items)
		items[i] = Str(status)
		rp.Properties = objectWith(props.keys, items)
	} else {
		items := pl.env.values(len(props.items) + 1)
		copy(items, props.items)
		items[len(props.items)] = Str(status)
		rp.Properties = objectWith(cr.keysWithStatus(), items)
	}
}

// The status a certificate had before provisioning, shared by every plan
// (values are immutable).
var (
	pendingActivation  = ObjectOf([]string{"Status"}, []Value{Str("PENDING_ACTIVATION")})
	statusAsRegistered = ObjectOf([]string{"Status"}, []Value{UnknownValue("status as registered")})
)

// keysWithStatus returns the certificate's property names and Status,
// made once.
func (cr *compiledResource) keysWithStatus() *[]string {
	cr.statusKeysOnce.Do(func() {
		keys := append(slices.Clone(cr.keys), "Status")
		cr.statusKeys = &keys
	})
	return cr.statusKeys
}

// thingName returns the ThingName of the template's thing, as this
// device's plan evaluates it (Null without a thing).
func (pl *planner) thingName() Value {
	for _, cr := range pl.prog.res {
		if cr.r.Type == model.TypeThing {
			name, _ := pl.evalProps(cr).Get("ThingName")
			return name
		}
	}
	return Value{}
}

// checkPolicyShape fails a policy document CreatePolicy rejects as
// malformed: no Statement, or a statement without Effect (Allow or Deny),
// Action or Resource [POL §9].
func (pl *planner) checkPolicyShape(at template.Node, doc Value) {
	st, ok := doc.Get("Statement")
	if !ok {
		pl.env.fail(at, codePolicyShapeDoc, "the policy document has no Statement; CreatePolicy rejects it as malformed")
		return
	}
	statements := []Value{st}
	if st.kind == List {
		statements = st.items
	}
	for _, s := range statements {
		if s.kind != Object {
			continue
		}
		for _, key := range []string{"Effect", "Action", "Resource"} {
			if _, ok := s.Get(key); !ok {
				pl.env.fail(at, codePolicyShapeDoc, "a statement of the policy document has no "+key+"; CreatePolicy rejects it as malformed")
				return
			}
		}
		if e, _ := s.Get("Effect"); e.kind == String && e.str != "Allow" && e.str != "Deny" {
			pl.env.fail(at, codePolicyShapeDoc, "a statement's Effect must be Allow or Deny, not "+quote(e.str))
			return
		}
	}
}
