package eval

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"

	"github.com/iotpt/iotpt/template"
)

// Input is what a plan is computed for. Parameter sources apply in this
// order, later ones winning: the template's Defaults, Params, the
// Certificate's fields, the Hook's parameterOverrides. In JITP only the
// certificate supplies parameters.
type Input struct {
	Type        string  // FleetProvisioning, JITP or BulkRegistration; "" for the file's own type, else inferred (InferType)
	Params      []Param // later ones win
	Certificate *Certificate
	Hook        *HookResponse
	Existing    *Registry // nil: registry unknown
	Region      string    // for ARNs; unknown when empty
	Account     string    // for ARNs; unknown when empty

	// Unknowns makes every parameter without a value an expected unknown
	// instead of a failure, so that a plan can be computed before any
	// parameter exists (lint uses this to check the known parts of values).
	Unknowns bool
}

// Plan is what provisioning would do for one input.
type Plan struct {
	Outcome             string // "success" or "failure"
	TemplateType        string
	Parameters          []Named // declared and referenced parameters with their values
	Resources           []*ResourcePlan
	ThingName           Value // as RegisterThing returns it; Null without a thing, and when the plan fails
	DeviceConfiguration Value // as RegisterThing returns it; an empty object when absent, Null when the plan fails
	ResourceArns        []Named
	Steps               []string
	Requirements        []string     // what must already exist (when the registry is unknown)
	Assumptions         []Assumption // undocumented AWS behaviour the plan relied on
	Response            Response     // what the service answers the device
	// Unparsed is set when the file did not parse: Errors are the parse
	// errors, and nothing was planned.
	Unparsed bool
	Errors   template.Diagnostics
	Warnings template.Diagnostics
}

// Assumption is undocumented AWS behaviour a plan relied on: the id of the
// point in the service model's register (U1..U40 from the fact sheet, A1..
// for iotpt's own) and what was assumed, in this plan's words.
type Assumption struct {
	ID   string `json:"id"`
	Text string `json:"text"`
}

// Named is a name with a value.
type Named struct {
	Name  string
	Value Value
}

// Resource actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionNoOp   = "no-op"
	ActionFail   = "fail"
)

// ResourcePlan is what happens to one resource of the template.
type ResourcePlan struct {
	LogicalID  string
	Type       string
	Action     string
	Properties Value  // the resource as it will stand after provisioning
	Before     *Value // for an update, the existing state
	Resource   *template.Resource
}

// planner holds the state of planning: for Program.Plan, one call; for an
// Evaluator, every device it evaluates, with its memory reused.
type planner struct {
	prog *Program
	in   Input
	typ  string
	env  *env
	plan *Plan
	note map[string]bool // assumptions already noted
	// denied is set when the pre-provisioning hook refuses: nothing is
	// created at all.
	denied bool
	// lean skips what only a person reading one plan needs (steps, ARNs,
	// requirements) and reuses the plan's memory between devices.
	lean bool
	res  []ResourcePlan // backing store of plan.Resources in lean mode
	// resFails collects, per resource, the failures of a non-lean run; an
	// Evaluator keeps those of its static run (every parameter unknown) in
	// static and adds them to every device's plan, since the values they
	// concern are written in the template.
	resFails [][]template.Diagnostic
	static   [][]template.Diagnostic
	noParams bool // leave Plan.Parameters empty (see Evaluator.OmitParameters)
}

// Plan evaluates the program for one input. It never fails: problems are
// in Plan.Errors, and the outcome says whether provisioning would succeed.
func (p *Program) Plan(in Input) *Plan {
	pl := p.newPlanner(in)
	pl.env.reset()
	for _, kv := range in.Params {
		if i, ok := p.slotOf[kv.Name]; ok {
			pl.env.vals[i], pl.env.set[i] = kv.Value, true
		} else {
			pl.warn(kv.Node, CodeIgnoredInput, "parameter "+quote(kv.Name)+" is given but the template neither declares nor uses it")
		}
	}
	return pl.run()
}

func (p *Program) newPlanner(in Input) *planner {
	n := len(p.slots)
	typ := p.templateType(in.Type)
	return &planner{
		prog: p, in: in, typ: typ, note: map[string]bool{}, plan: &Plan{},
		env: &env{prog: p, vals: make([]string, n), set: make([]bool, n), unknownOK: make([]bool, n), reported: make([]bool, n), bulk: typ == BulkRegistration},
	}
}

// run plans with the parameter values already in the environment.
func (pl *planner) run() *Plan {
	p, plan := pl.prog, pl.plan
	plan.TemplateType = pl.typ
	plan.Errors = append(plan.Errors[:0], p.diags...)
	if pl.lean { // Program.Plan may have warned about its input already
		plan.Warnings = plan.Warnings[:0]
	}
	plan.Resources = plan.Resources[:0]
	plan.ThingName = Value{}
	pl.denied = false
	plan.Response = Response{}
	switch {
	case p.file != nil && p.file.Template == nil && p.file.UnknownBody != nil:
		plan.Errors = append(plan.Errors, template.Diagnostic{Severity: template.Error, Code: CodeDeployTime, Range: p.file.UnknownBody.Range(),
			Message: "the template body is known only when Terraform runs: iotpt cannot see what provisioning would do; plan the body Terraform renders, or write it in the file"})
	case p.file != nil && p.file.Template == nil:
		plan.Errors = append(plan.Errors, template.Diagnostic{Severity: template.Error, Code: CodeNotTemplate,
			Message: "the file holds no template body to plan", Range: p.file.Source.Range(0, 0)})
	}
	if p.unparsed {
		// The template as AWS would see it is not known: report the parse
		// errors alone.
		plan.Outcome, plan.Unparsed = "failure", true
		plan.Errors = dedupe(plan.Errors)
		plan.Resources, plan.Parameters, plan.ThingName, plan.DeviceConfiguration = nil, nil, Value{}, Value{}
		plan.Response = Response{Stage: "create", Rejected: &Rejected{StatusCode: 400, ErrorCode: "InvalidRequestException", ErrorMessage: "the template does not parse"}}
		return plan
	}
	created := p.createdFor(pl.typ)
	plan.Errors = append(plan.Errors, created.diags...)
	for _, a := range created.assumed {
		pl.assume(a.ID, a.Text)
	}
	if !pl.lean {
		pl.noteTemplate()
	}
	pl.bindParameters()
	if p.tmpl != nil {
		pl.planResources()
		if pl.typ != JITP { // JITP returns no deviceConfiguration (U7)
			pl.planDeviceConfiguration()
		} else {
			pl.plan.DeviceConfiguration = ObjectOf(nil, nil)
		}
	}
	pl.finish()
	return plan
}

// templateType decides the template type (see InferType).
func (p *Program) templateType(requested string) string {
	t, _ := InferType(p.file, requested)
	return t
}

// InferType decides a file's template type: the file's own (a registration
// config is JITP, CLI input says it), else the requested one (in any case),
// else a guess: BulkRegistration when a certificate comes from a CSR or a
// PEM (AWS's single-thing and bulk examples), FleetProvisioning otherwise.
// guessed reports that neither the file nor the request said.
func InferType(f *template.File, requested string) (typ string, guessed bool) {
	if f != nil {
		if t := f.TemplateType(); t != "" {
			return NormalizeType(t), false
		}
	}
	if requested != "" {
		return NormalizeType(requested), false
	}
	if f != nil && f.Template != nil {
		for _, r := range f.Template.Resources {
			if r.Type == template.TypeCertificate && (r.Property("CertificateSigningRequest") != nil || r.Property("CertificatePem") != nil) {
				return BulkRegistration, true
			}
		}
	}
	return FleetProvisioning, true
}

// NormalizeType returns a template type as iotpt spells it, whatever its
// case and separators ("jitp", "bulk-registration"); a value that is none
// of the types comes back in upper case (ValidType tells).
func NormalizeType(s string) string {
	up := strings.ToUpper(strings.ReplaceAll(s, "-", "_"))
	switch up {
	case FleetProvisioning, JITP, BulkRegistration:
		return up
	case "BULK", "REGISTRATION", "REGISTER_THING":
		return BulkRegistration
	case "FLEET":
		return FleetProvisioning
	}
	return up
}

// ValidType reports whether s names a template type (NormalizeType).
func ValidType(s string) bool {
	switch NormalizeType(s) {
	case FleetProvisioning, JITP, BulkRegistration:
		return true
	}
	return false
}

// assume records that the plan relied on uncertain point id.
func (pl *planner) assume(id, text string) {
	if !pl.note[text] {
		pl.note[text] = true
		pl.plan.Assumptions = append(pl.plan.Assumptions, Assumption{id, text})
	}
}

func (pl *planner) warn(n template.Node, code, msg string) {
	d := template.Diagnostic{Severity: template.Warning, Code: code, Message: msg, Range: template.Range{Filename: template.CommandLine}}
	if n != nil {
		d.Range, d.Path = n.Range(), n.Pointer()
	}
	pl.plan.Warnings = append(pl.plan.Warnings, d)
}

// reset puts the parameters' Defaults in the environment and forgets the
// previous evaluation.
func (e *env) reset() {
	copy(e.vals, e.prog.defVals)
	copy(e.set, e.prog.defSet)
	clear(e.unknownOK)
	clear(e.reported)
	e.why = nil
	e.fails = e.fails[:0]
	e.assumed = e.assumed[:0]
	e.warns = e.warns[:0]
	e.arena = e.arena[:0]
}

// bindParameters completes the environment: the certificate's fields, the
// hook's overrides, the parameters that may stay unknown, and the JITP
// rules; then it lists the parameters in the plan.
func (pl *planner) bindParameters() {
	p, in, e := pl.prog, pl.in, pl.env
	put := func(name, value string) {
		if i, ok := p.slotOf[name]; ok {
			e.vals[i], e.set[i] = value, true
		}
	}
	switch pl.typ {
	case JITP:
		pl.bindJITP()
	default:
		if c := in.Certificate; c != nil {
			put(CertParamID, c.ID)
			for name, v := range c.Subject {
				if _, ok := p.slotOf[name]; ok {
					put(name, v)
					pl.assume("U25", "in fleet provisioning, AWS IoT fills "+CertParamPrefix+"* subject parameters from the device certificate as it does in JITP (documented for JITP only)")
				}
			}
		}
		if i, ok := p.slotOf[CertParamID]; ok && !e.set[i] && pl.typ == FleetProvisioning {
			e.unknownOK[i] = true // the service supplies the ID of the certificate being provisioned
		}
		pl.applyHook()
	}
	if in.Unknowns {
		for i := range e.unknownOK {
			e.unknownOK[i] = true
			// A Default stands only until the request gives a value: with
			// unknown inputs the value is not known.
			if e.set[i] && p.slots[i].hasDef && e.vals[i] == p.slots[i].def && !given(in, p.slots[i].name) {
				e.set[i] = false
			}
		}
	}
	if !pl.lean {
		pl.checkDeclarations()
	}
	for _, kv := range in.Params {
		if pl.typ == JITP {
			break // JITP takes no request parameters: they are ignored
		}
		switch {
		case len(kv.Name) > model.MaxParamKeyChars:
			pl.env.fail(paramNode(kv), CodeRequestLimit, "parameter name "+quote(model.Abbrev(kv.Name))+" is longer than RegisterThing's 2,048 characters (U4)")
		case utf8.RuneCountInString(kv.Value) > model.MaxParamValueChars:
			pl.env.fail(paramNode(kv), CodeRequestLimit, "the value of parameter "+quote(kv.Name)+" is "+itoa(utf8.RuneCountInString(kv.Value))+" characters; RegisterThing accepts at most 4,096 (U4)")
		default:
			continue
		}
		pl.assume("U4", "RegisterThing over MQTT and bulk lines hold parameters to the API's limits (name 2,048, value 4,096 characters)")
	}
	for i := range p.slots {
		s := &p.slots[i]
		if s.textDef && !e.set[i] || s.textDef && e.vals[i] == s.def && pl.in.Params == nil {
			pl.assume("U2", "the number or boolean Default of "+quote(s.name)+" is taken as the string "+quote(s.def))
		}
		if s.decl == nil && s.used && e.set[i] && !IsCertParam(s.name) {
			pl.warn(s.firstRef, CodeUndeclaredParam, quote(s.name)+" is not declared in Parameters; the plan uses the value given for it, as AWS's own examples assume")
			pl.assume("U5", "a Ref to an undeclared parameter resolves from the request's parameters (AWS examples rely on it)")
		}
	}
	if pl.noParams {
		return
	}
	if len(pl.plan.Parameters) != len(p.slots) {
		pl.plan.Parameters = make([]Named, len(p.slots))
	}
	for i := range p.slots {
		v := UnknownValue(p.slots[i].name)
		if e.set[i] {
			v = Str(e.vals[i])
		}
		pl.plan.Parameters[i] = Named{p.slots[i].name, v}
	}
}

// given reports whether the input gives a parameter a value.
func given(in Input, name string) bool {
	for _, kv := range in.Params {
		if kv.Name == name {
			return true
		}
	}
	return false
}

// noteTemplate lists the uncertain points the template's own shape makes a
// plan rely on, whatever the input.
func (pl *planner) noteTemplate() {
	t, f := pl.prog.tmpl, pl.prog.file
	if t == nil {
		return
	}
	for _, m := range t.Root.Members {
		switch m.Key.Value {
		case "Parameters", "Resources", "Mappings", "DeviceConfiguration":
			if f == nil || !f.UnknownSection(m.Key.Value) {
				break
			}
			label := ""
			if s, ok := m.Value.(*template.String); ok {
				label = " (" + template.DeployLabel(s.Value) + ")"
			}
			if m.Key.Value != "Resources" { // which createChecks fails
				pl.warn(m.Value, CodeDeployTime, m.Key.Value+" is known only when Terraform runs"+label+": iotpt cannot see it, and checks the rest without it")
			}
		default:
			pl.assume("U1", "the top-level key "+quote(m.Key.Value)+" is ignored by AWS (it may instead be refused)")
		}
	}
	count := map[string]int{}
	for _, r := range t.Resources {
		count[r.Type]++
		if count[r.Type] == 2 && (r.Type == model.TypeThing || r.Type == model.TypeCertificate) {
			pl.warn(r.Key, codeSecondResource, "a second "+r.Type+" resource, "+quote(r.LogicalID)+"; AWS documents one per template and may refuse provisioning it (U6)")
		}
		if r.Type == model.TypeThing && r.Property("PackageVersions") != nil {
			pl.warn(r.Property("PackageVersions"), CodeAssumption, "PackageVersions is not documented in what iotpt knows of AWS; it is not checked and may be refused (U14)")
			pl.assume("U14", "PackageVersions is passed to AWS unchecked")
		}
		if _, isObj := r.PolicyDocumentNode.(*template.Object); isObj && r.Type == model.TypePolicy {
			pl.assume("U20", "a PolicyDocument written as a JSON object is accepted and serialised, like the escaped string the docs describe")
		}
	}
	if count[model.TypeThing] > 1 || count[model.TypeCertificate] > 1 {
		pl.assume("U6", "a template with more than one thing or certificate resource is provisioned resource by resource (AWS may refuse it)")
	}
	if pl.typ == JITP && (t.Mappings != nil || t.DeviceConfiguration != nil) {
		pl.warn(t.Root, CodeAssumption, "Mappings and DeviceConfiguration are documented for fleet provisioning only; AWS may refuse them in a JITP template (U7), and JITP returns no deviceConfiguration")
		pl.assume("U7", "a JITP template's DeviceConfiguration is not evaluated or returned, and AWS may refuse Mappings and DeviceConfiguration in it")
	}
	if pl.typ == FleetProvisioning && pl.in.Hook == nil && f != nil && f.Wrapper.Get("preProvisioningHook") != nil {
		pl.assume("A3", "the pre-provisioning hook is taken to allow provisioning, with no parameterOverrides (pass --hook-response to plan its answer)")
	}
	if c := pl.in.Certificate; c != nil {
		pl.assume("A4", "the certificate ID is the SHA-256 of the DER certificate, as AWS IoT's IDs are computed by moto")
		for name, v := range c.Subject {
			if strings.ContainsAny(v, `,=+<>#;\"`) {
				pl.warn(nil, CodeAssumption, "the certificate's "+certAttrName(name)+" "+quote(v)+" holds characters a distinguished name escapes; AWS may pass it with backslashes (U26)")
				pl.assume("U26", "certificate subject values reach the template as the certificate holds them, not DN-escaped")
			}
		}
	}
}

// paramNode returns where a parameter was given, or a command-line range.
func paramNode(kv Param) template.Node {
	if kv.Node != nil {
		return kv.Node
	}
	return cmdLine{}
}

// cmdLine is the position of a value given on the command line.
type cmdLine struct{ template.Node }

func (cmdLine) Range() template.Range { return template.Range{Filename: template.CommandLine} }
func (cmdLine) Pointer() string       { return "" }

// checkDeclarations warns about parameter declarations AWS does not
// document: a Type other than String, constraint keys, a Default that is
// not a string (U2).
func (pl *planner) checkDeclarations() {
	if pl.prog.tmpl == nil {
		return // no body (a file that holds no template)
	}
	for _, d := range pl.prog.tmpl.Parameters {
		switch t := d.Type.(type) {
		case nil:
			pl.warn(d.Key, codeParamType, "parameter "+quote(d.Name)+` has no Type; add "Type": "String" (U2)`)
		case *template.String:
			if t.Value != "String" {
				pl.warn(t, codeParamType, "parameter "+quote(d.Name)+" has Type "+quote(t.Value)+"; String is the only type provisioning templates document, and iotpt treats every value as a string (U2)")
				pl.assume("U2", "a parameter Type other than String ("+t.Value+") is accepted and its values are strings")
			}
		default:
			pl.warn(t, codeParamType, "the Type of parameter "+quote(d.Name)+` must be the string "String" (U2)`)
		}
		for _, m := range d.Node.Members {
			if m.Key.Value != "Type" && m.Key.Value != "Default" && m.Key.Value != "Description" {
				pl.warn(m.Key, codeParamType, "parameter attribute "+quote(m.Key.Value)+" is not documented for provisioning templates (only Type and Default are); iotpt does not enforce it (U2)")
			}
		}
		if d.Default != nil {
			if _, ok := d.Default.(*template.String); !ok {
				msg := "the Default of parameter " + quote(d.Name) + " should be a string, not " + template.Describe(d.Default)
				switch d.Default.(type) {
				case *template.Number, *template.Bool:
					msg += "; the plan takes it as its text (U2)"
				default:
					msg += "; it cannot be a parameter value, so the parameter has no Default"
				}
				pl.warn(d.Default, codeParamDefault, msg)
			}
		}
	}
}

// bindJITP fills parameters the JITP way: from the certificate only. A
// declared parameter that cannot get a value fails at its declaration
// (failDeclared), an undeclared one where it is used.
func (pl *planner) bindJITP() {
	p, in, e := pl.prog, pl.in, pl.env
	clear(e.set) // Defaults and given values do not apply
	e.why = make([]missing, len(p.slots))
	if len(in.Params) > 0 {
		pl.warn(nil, CodeIgnoredInput, "JITP takes parameters only from the device certificate; the --params and -p values are ignored")
	}
	if in.Hook != nil {
		pl.warn(in.Hook.Node, CodeIgnoredInput, "pre-provisioning hooks run only for FLEET_PROVISIONING templates; the hook response is ignored")
	}
	c := in.Certificate
	for i, s := range p.slots {
		switch {
		case !IsCertParam(s.name):
			e.why[i] = missing{CodeJITPParam, "JITP templates can only use the " + CertParamPrefix + "* parameters; " + quote(s.name) + " cannot be given a value"}
			pl.failDeclared(i)
		case c == nil:
			e.unknownOK[i] = true
			if s.name != CertParamID {
				pl.addRequirement("the device certificate's subject must have " + certAttrName(s.name) + " (pass --cert to check)")
			}
		case s.name == CertParamID:
			e.vals[i], e.set[i] = c.ID, true
		case c.Subject[s.name] != "" && s.name != CertParamID && !pl.lean:
			e.vals[i], e.set[i] = c.Subject[s.name], true
			pl.assume("U25", "the certificate parameters map to the subject's X.520 attributes (SerialNumber is the subject serialNumber), the first value of a multi-valued one")
		default:
			if v, ok := c.Subject[s.name]; ok {
				e.vals[i], e.set[i] = v, true
				break
			}
			e.why[i] = missing{CodeCertAttrMissing, "the device certificate has no " + certAttrName(s.name) + " in its subject, but the template declares " + quote(s.name) + "; JITP fails and the certificate stays PENDING_ACTIVATION"}
			pl.failDeclared(i)
		}
		if s.hasDef && IsCertParam(s.name) {
			pl.assume("U3", "in JITP the Default of a certificate parameter does not stand in for a missing subject field (the certificate must contain values for all of the parameters)")
		}
	}
}

// failDeclared fails a declared parameter that JITP cannot fill at its
// declaration, where lint reports it too, whether or not anything
// evaluated uses it (DeviceConfiguration, which JITP does not evaluate,
// U7): the certificate must hold every declared certificate parameter, and
// JITP fills no other. A use of it then fails without a second report; an
// undeclared one fails where it is used.
func (pl *planner) failDeclared(i int) {
	e, s := pl.env, pl.prog.slots[i]
	if s.decl != nil {
		e.reported[i] = true
		e.fail(s.decl.Key, e.why[i].code, e.why[i].msg)
	}
}

func certAttrName(param string) string {
	for _, p := range CertSubjectParams {
		if p.Param == param {
			return p.Attr
		}
	}
	return param
}

// hasHook reports whether a file can have a pre-provisioning hook: a bare
// body cannot say (the hook is set where the template is created), the
// forms that hold the template's settings say whether they have one.
func hasHook(f *template.File) bool {
	switch f.Form {
	case template.FormDescribe:
		// describe-provisioning-template says (it has a templateArn); a
		// template version's description never carries the hook.
		return f.WrapperField("templateArn") == nil || f.WrapperField("preProvisioningHook") != nil
	case template.FormCLIInput, template.FormTerraform:
		return f.WrapperField("preProvisioningHook") != nil
	case template.FormCloudFormation:
		if f.CFNResource != nil {
			if props, ok := f.CFNResource.Get("Properties").(*template.Object); ok {
				return props.Get("PreProvisioningHook") != nil
			}
		}
		return false
	}
	return true
}

// applyHook applies a pre-provisioning hook's response (fleet only).
func (pl *planner) applyHook() {
	h := pl.in.Hook
	if h == nil {
		return
	}
	if f := pl.prog.file; f != nil && !hasHook(f) {
		pl.warn(h.Node, CodeIgnoredInput, "the template has no pre-provisioning hook, so AWS IoT calls none: the hook response is ignored")
		return
	}
	for _, k := range h.Unknown {
		pl.warn(k, CodeIgnoredInput, "unknown hook response field "+quote(k.Value)+"; a hook returns allowProvisioning and parameterOverrides, and the plan ignores the rest")
	}
	if h.AllowedByString {
		pl.env.fail(h.AllowNode, CodeHookDenied, `allowProvisioning is the string "true", not the boolean true; only the boolean is taken to allow provisioning (U33), so provisioning fails with ACCESS_DENIED: return true without quotes`)
		pl.assume("U33", `only the JSON boolean true in allowProvisioning allows provisioning; the string "true" is taken to be refused with ACCESS_DENIED`)
		pl.denied = true
		return
	}
	if !h.AllowProvisioning {
		msg := "the pre-provisioning hook did not return allowProvisioning: true; provisioning fails with ACCESS_DENIED before anything is created"
		if h.Refusal != "" {
			msg = h.Refusal + "; only the boolean true allows provisioning (U33), so it fails with ACCESS_DENIED before anything is created"
			pl.assume("U33", `only the JSON boolean true in allowProvisioning allows provisioning`)
		}
		pl.env.fail(h.AllowNode, CodeHookDenied, msg)
		pl.denied = true
		return
	}
	for _, o := range h.ParameterOverrides {
		if i, ok := pl.prog.slotOf[o.Name]; ok {
			// Over a Default the hook's value simply applies; over a value
			// the device sent, which one wins is undocumented (U32).
			if pl.env.set[i] && pl.env.vals[i] != o.Value && given(pl.in, o.Name) {
				pl.warn(o.Node, CodeAssumption, "the hook overrides "+quote(o.Name)+" with "+quote(o.Value)+" where the device sent "+quote(pl.env.vals[i])+"; the plan takes the hook's value (U32)")
				pl.assume("U32", "when the device and the hook both give a parameter, the hook's value wins")
			}
			pl.env.vals[i], pl.env.set[i] = o.Value, true
		} else {
			pl.warn(o.Node, CodeIgnoredInput, "the hook overrides parameter "+quote(o.Name)+", which the template neither declares nor uses")
		}
	}
}

// evalProps evaluates a resource's properties into an object value. When
// every property is constant, the value was computed at compile time.
func (pl *planner) evalProps(cr *compiledResource) Value {
	if cr.constProps != nil {
		return *cr.constProps
	}
	vals := pl.env.values(len(cr.props))
	for i := range cr.props {
		vals[i] = cr.props[i].e.eval(pl.env)
	}
	return objectWith(cr.keysPtr, vals)
}

func (pl *planner) planResources() {
	if pl.lean && len(pl.res) != len(pl.prog.res) {
		pl.res = make([]ResourcePlan, len(pl.prog.res))
	}
	for i, cr := range pl.prog.res {
		before := len(pl.env.fails)
		var rp *ResourcePlan
		if pl.lean {
			rp = &pl.res[i]
		} else {
			rp = new(ResourcePlan)
		}
		switch cr.r.Type {
		case template.TypeThing:
			pl.planThing(cr, rp)
		case template.TypeCertificate:
			pl.planCertificate(cr, rp)
		case template.TypePolicy:
			pl.planPolicy(cr, rp)
		default:
			*rp = ResourcePlan{Properties: pl.evalProps(cr)}
			at := cr.r.TypeNode
			if at == nil {
				at = cr.r.Key
			}
			pl.env.fail(at, codeUnknownType, "resource "+quote(cr.r.LogicalID)+" has type "+quote(cr.r.Type)+"; provisioning templates support AWS::IoT::Thing, AWS::IoT::Certificate and AWS::IoT::Policy")
		}
		rp.LogicalID, rp.Type, rp.Resource = cr.r.LogicalID, cr.r.Type, cr.r
		if len(cr.unknownProps) > 0 && !pl.lean {
			pl.env.fails = append(pl.env.fails, cr.unknownProps...)
			pl.assume("A5", "a resource property or resource key AWS does not document makes provisioning fail")
		}
		if pl.lean {
			pl.env.fails = append(pl.env.fails, pl.static[i]...)
		} else {
			pl.resFails = append(pl.resFails, slices.Clone(pl.env.fails[before:]))
		}
		// A value that failed without a failure of its own in this plan
		// comes from a compile-time problem (a function in Mappings).
		if len(pl.env.fails) > before || pl.denied || len(pl.prog.diags) > 0 && hasErr(rp.Properties) {
			rp.Action = ActionFail
		}
		pl.plan.Resources = append(pl.plan.Resources, rp)
	}
}

func (pl *planner) planDeviceConfiguration() {
	if pl.prog.devConf == nil {
		pl.plan.DeviceConfiguration = ObjectOf(nil, nil)
		return
	}
	dc := pl.prog.devConf.eval(pl.env)
	pl.plan.DeviceConfiguration = dc
	if pl.checkedOnce(dc) || dc.kind != Object {
		return
	}
	obj := pl.prog.tmpl.DeviceConfiguration
	for i, k := range dc.Keys() {
		v := dc.items[i]
		if v.isStringLike() || pl.checkedOnce(v) || isErr(v) {
			continue
		}
		at := template.Node(obj)
		if m := obj.Member(k); m != nil {
			at = m.Value
		}
		msg := "DeviceConfiguration value " + quote(k) + " must be a string, not " + describe(v)
		if v.kind == Object {
			msg += "; nested objects are not supported"
		}
		pl.env.fail(at, codeDevConf, msg)
	}
}

// hasErr reports whether a value holds a part whose evaluation failed (a
// failure reported where it happened, as in Mappings).
func hasErr(v Value) bool {
	if isErr(v) {
		return true
	}
	if v.kind == List || v.kind == Object || v.kind == Partial {
		for _, it := range v.items {
			if hasErr(it) {
				return true
			}
		}
	}
	return false
}

// assumptionOf is the uncertain point a failure with a code rests on, for
// the planner's own codes (a check of the service model names its own).
var assumptionOf = map[string]Assumption{
	CodeMissingParam:                 {"U3", "a parameter without a value or Default fails provisioning (\"Cannot resolve reference value\")"},
	CodeSubVariable:                  {"U11", "an ${iot:...} policy variable inside Fn::Sub is taken as a substitution variable it cannot resolve"},
	CodeBadRef:                       {"U27", "CloudFormation pseudo parameters (AWS::Region, AWS::AccountId, ...) cannot be referenced"},
	CodeMapLookup:                    {"U10", "Fn::FindInMap fails for a map or key that Mappings does not have, as in CloudFormation"},
	template.CodeUnsupportedFunction: {"U8", "a function AWS does not document fails provisioning"},
	codeJITPHook:                     {"U37", "CreateProvisioningTemplate refuses a pre-provisioning hook on a JITP template"},
}

// finish derives the outcome, steps and ARNs.
func (pl *planner) finish() {
	plan := pl.plan
	plan.Errors = dedupe(dropUnderParseErrors(append(plan.Errors, pl.env.fails...)))
	for _, a := range pl.env.assumed {
		pl.assume(a.ID, a.Text)
	}
	if !pl.lean {
		plan.Warnings = dedupe(append(plan.Warnings, pl.env.warns...))
	}
	if !pl.lean {
		for _, d := range plan.Errors {
			if a, ok := assumptionOf[d.Code]; ok && d.Severity == template.Error {
				pl.assume(a.ID, a.Text)
			}
		}
	}
	plan.Warnings = dedupe(plan.Warnings)
	plan.Outcome = "success"
	if plan.Errors.HasErrors() {
		plan.Outcome = "failure"
	}
	for _, r := range plan.Resources {
		if r.Type == template.TypeThing {
			plan.ThingName, _ = r.Properties.Get("ThingName")
			break
		}
	}
	if pl.lean {
		return
	}
	pl.respond()
	if plan.Outcome != "success" {
		// Nothing is returned: the rejection is in Response.
		plan.ThingName, plan.DeviceConfiguration = Value{}, Value{}
		return
	}
	pl.arns()
	pl.steps()
}

// arns simulates RegisterThing's resourceArns: keyed by logical ID, for the
// certificate, the things and the policies created from a document (a policy
// named by PolicyName is not returned).
func (pl *planner) arns() {
	plan := pl.plan
	for _, r := range plan.Resources {
		switch r.Type {
		case template.TypeCertificate:
			plan.ResourceArns = append(plan.ResourceArns, Named{r.LogicalID, pl.arn("cert", certIDValue(r))})
		case template.TypeThing:
			name, ok := r.Properties.Get("ThingName")
			if !ok {
				name = UnknownValue("no ThingName")
			}
			plan.ResourceArns = append(plan.ResourceArns, Named{r.LogicalID, pl.arn("thing", name)})
		case template.TypePolicy:
			if _, named := r.Properties.Get("PolicyName"); !named {
				plan.ResourceArns = append(plan.ResourceArns, Named{r.LogicalID, pl.arn("policy", policyName(r))})
			}
		}
	}
}

// arn builds a simulated ARN; it is unknown where the name, the region
// or the account is.
func (pl *planner) arn(kind string, name Value) Value {
	region, account := Str(pl.in.Region), Str(pl.in.Account)
	if pl.in.Region == "" {
		region = UnknownValue("region")
	}
	if pl.in.Account == "" {
		account = UnknownValue("account-id")
	}
	return concat([]Value{Str("arn:aws:iot:"), region, Str(":"), account, Str(":" + kind + "/"), name}, "")
}

// steps lists what AWS IoT does, in its order (documented for JITP), for a
// plan that succeeds.
func (pl *planner) steps() {
	plan := pl.plan
	var certs, things, policies []*ResourcePlan
	for _, r := range plan.Resources {
		switch r.Type {
		case template.TypeCertificate:
			certs = append(certs, r)
		case template.TypeThing:
			things = append(things, r)
		case template.TypePolicy:
			policies = append(policies, r)
		}
	}
	add := func(s string) { plan.Steps = append(plan.Steps, s) }
	if plan.TemplateType == FleetProvisioning && pl.in.Hook != nil {
		add("invoke the pre-provisioning hook")
	}
	certName := func(r *ResourcePlan) string { return "certificate " + certLabel(r) }
	for _, c := range certs {
		if plan.TemplateType == JITP {
			add("register " + certName(c) + " with status PENDING_ACTIVATION")
		} else if _, ok := c.Properties.Get("CertificateId"); ok {
			add("take " + certName(c) + ", in PENDING_ACTIVATION since CreateKeysAndCertificate or CreateCertificateFromCsr")
		} else {
			add("create " + certName(c) + " with status PENDING_ACTIVATION")
		}
	}
	for _, t := range things {
		name, _ := t.Properties.Get("ThingName")
		switch t.Action {
		case ActionUpdate:
			add("update thing " + name.Display())
		case ActionNoOp:
			add("keep thing " + name.Display() + " as it is")
		default:
			add("create thing " + name.Display())
		}
		var oldGroups, oldBilling Value
		if t.Before != nil {
			oldGroups, _ = t.Before.Get("ThingGroups")
			oldBilling, _ = t.Before.Get("BillingGroup")
		}
		if g, ok := t.Properties.Get("ThingGroups"); ok {
			if added := listDiff(g, oldGroups); len(added) > 0 {
				add("add thing " + name.Display() + " to thing groups " + ListOf(added...).Display())
			}
			if removed := listDiff(oldGroups, g); len(removed) > 0 {
				add("remove thing " + name.Display() + " from thing groups " + ListOf(removed...).Display())
			}
		}
		if b, ok := t.Properties.Get("BillingGroup"); ok && !equalValues(b, oldBilling) {
			add("add thing " + name.Display() + " to billing group " + b.Display())
		}
	}
	for _, p := range policies {
		name := policyName(p)
		if _, named := p.Properties.Get("PolicyName"); named {
			add("use existing policy " + name.Display())
		} else {
			add("create policy " + name.Display() + " from the policy document")
		}
	}
	for _, p := range policies {
		for _, c := range certs {
			add("attach policy " + policyName(p).Display() + " to " + certName(c))
		}
	}
	for _, c := range certs {
		for _, t := range things {
			name, _ := t.Properties.Get("ThingName")
			add("attach " + certName(c) + " to thing " + name.Display())
		}
	}
	for _, c := range certs {
		add("set " + certName(c) + " status to " + certStatus(c))
	}
}

func certIDValue(c *ResourcePlan) Value {
	if v, ok := c.Properties.Get("CertificateId"); ok {
		return v
	}
	return UnknownValue("ID assigned at registration")
}

func certLabel(c *ResourcePlan) string {
	v := certIDValue(c)
	if v.kind == String && len(v.str) > 12 {
		return v.str[:12] + "…"
	}
	return v.Display()
}

func certStatus(c *ResourcePlan) string {
	if v, ok := c.Properties.Get("Status"); ok && v.kind == String {
		return strings.ToUpper(v.str)
	}
	return "ACTIVE"
}

func policyName(p *ResourcePlan) Value {
	if v, ok := p.Properties.Get("PolicyName"); ok {
		return v
	}
	return UnknownValue("hash of the policy document")
}

// PlanFile parses, compiles and plans a file in one call (CompileFile, then
// Program.Plan).
func PlanFile(name string, text []byte, opts template.ParseOptions, in Input) (*Plan, *template.File) {
	prog := CompileFile(name, text, opts)
	return prog.Plan(in), prog.File()
}

// CompileFile parses and compiles a file, to plan it for many inputs.
// Problems with the file itself (syntax, unsupported functions) become
// errors of every plan, since AWS IoT would reject such a template.
func CompileFile(name string, text []byte, opts template.ParseOptions) *Program {
	f, diags := template.Parse(name, text, opts)
	prog, _ := Compile(f)
	prog.unparsed = f.Incomplete
	for _, d := range diags {
		if d.Severity == template.Error {
			prog.diags = append(prog.diags, d)
			prog.unparsed = prog.unparsed || (unparsable[d.Code] && !strings.Contains(d.Path, "/PolicyDocument"))
		}
	}
	return prog
}

// dedupe sorts diagnostics and drops exact repeats (the same problem found
// twice at the same place, as for two empty groups out of one Fn::Split).
func dedupe(ds template.Diagnostics) template.Diagnostics {
	ds.Sort()
	out := ds[:0]
	for i, d := range ds {
		if i > 0 && d.Code == ds[i-1].Code && d.Message == ds[i-1].Message && d.Range == ds[i-1].Range {
			continue
		}
		out = append(out, d)
	}
	return out
}

// listDiff returns the items of list a that list b does not have.
func listDiff(a, b Value) []Value {
	var out []Value
	for _, it := range a.items {
		found := false
		for _, o := range b.items {
			if equalValues(it, o) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, it)
		}
	}
	return out
}

// dropUnderParseErrors drops what the planner found about a value the
// parser could not read (a PolicyDocument string that is not JSON): the
// parse error tells it first and better.
func dropUnderParseErrors(ds template.Diagnostics) template.Diagnostics {
	var parsed []string
	for _, d := range ds {
		if d.Severity == template.Error && strings.HasPrefix(d.Code, "PT0") && d.Path != "" {
			parsed = append(parsed, d.Path)
		}
	}
	if len(parsed) == 0 {
		return ds
	}
	out := ds[:0]
	for _, d := range ds {
		if !strings.HasPrefix(d.Code, "PT0") && slices.Contains(parsed, d.Path) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// unparsable lists the parser's codes after which the template AWS would
// see is not known (a policy document that does not parse is planned: the
// policy fails).
var unparsable = map[string]bool{
	template.CodeSyntax: true, template.CodeTruncated: true, template.CodeTrailing: true, template.CodeInvalidUTF8: true,
	template.CodeControlChar: true, template.CodeInvalidEscape: true, template.CodeLoneSurrogate: true,
	template.CodeNonJSONNumber: true, template.CodeTooDeep: true, template.CodeEmpty: true, template.CodeTooLarge: true,
}

func itoa(n int) string { return strconv.Itoa(n) }
