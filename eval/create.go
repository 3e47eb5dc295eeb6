package eval

import (
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// createResult is what createChecks finds for one template type.
type createResult struct {
	diags   template.Diagnostics
	assumed []Assumption
}

// createdFor returns createChecks for a type, worked out once per Program
// (they depend on the file alone), safely for concurrent plans.
func (p *Program) createdFor(typ string) createResult {
	p.createdMu.Lock()
	defer p.createdMu.Unlock()
	if r, ok := p.created[typ]; ok {
		return r
	}
	var r createResult
	r.diags, r.assumed = p.createChecks(typ)
	if p.created == nil {
		p.created = map[string]createResult{}
	}
	p.created[typ] = r
	return r
}

// createChecks applies the service model's checks that AWS makes when the
// template is created or attached to a CA (model.AtCreate): the fields
// around the body and the body's size. A template that fails them never
// exists, so every device fails.
func (p *Program) createChecks(typ string) (out template.Diagnostics, assumed []Assumption) {
	f := p.file
	if f == nil || f.Template == nil {
		return nil, nil
	}
	fail := func(n template.Node, code, msg string) {
		if s, ok := n.(*template.String); ok && strings.Contains(s.Value, template.CFNVarStart) {
			return // a value known only at deployment (a Terraform reference)
		}
		out = append(out, template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: n.Range(), Path: n.Pointer()})
	}
	warn := func(n template.Node, code, msg string) {
		out = append(out, template.Diagnostic{Severity: template.Warning, Code: code, Message: msg, Range: n.Range(), Path: n.Pointer()})
	}
	bodySize(f, fail, warn)
	switch rs := f.Template.Root.Get("Resources").(type) {
	case *template.String:
		if f.UnknownSection("Resources") {
			// Planning an empty section would say "would succeed".
			out = append(out, template.Diagnostic{Severity: template.Error, Code: CodeDeployTime, Range: rs.Range(), Path: rs.Pointer(),
				Message: "Resources is known only when Terraform runs (" + template.DeployLabel(rs.Value) + "): iotpt cannot see what provisioning would create; plan the body Terraform renders, or write Resources in the file"})
		}
	case nil:
		fail(f.Template.Root, codeNoResources, "the template has no Resources section; a template without resources is taken to be refused (A7)")
		assumed = append(assumed, Assumption{"A7", "a template with no resources is refused when it is created"})
	case *template.Object:
		if len(rs.Members) == 0 {
			fail(rs, codeNoResources, "the Resources section is empty; a template without resources is taken to be refused (A7)")
			assumed = append(assumed, Assumption{"A7", "a template with no resources is refused when it is created"})
		}
	}
	if typ == model.JITP && !hasPolicy(f.Template) {
		at := template.Node(f.Template.Root)
		if f.BodyString != nil {
			at = f.BodyString
		}
		fail(at, codeJITPPolicy, `the JITP template has no AWS::IoT::Policy resource; attaching it to a CA is taken to fail with "Neither policyName nor policyDocument is present in the Template" (U38)`)
		assumed = append(assumed, Assumption{"U38", "a JITP template without a policy resource is refused when attached to its CA"})
	}
	more, moreAssumed := WrapperChecks(f, typ)
	return append(out, more...), append(assumed, moreAssumed...)
}

// WrapperChecks applies the create-time checks of the fields around a body
// (a registration config's or CLI input's): they hold even when the body
// itself cannot be read.
func WrapperChecks(f *template.File, typ string) (out template.Diagnostics, assumed []Assumption) {
	fail := func(n template.Node, code, msg string) {
		if s, ok := n.(*template.String); ok && strings.Contains(s.Value, template.CFNVarStart) {
			return // a value known only at deployment (a Terraform reference)
		}
		out = append(out, template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: n.Range(), Path: n.Pointer()})
	}
	w := f.Wrapper
	if w == nil {
		return nil, nil
	}
	if m := w.Member("templateBody"); m != nil {
		if _, isObj := m.Value.(*template.Object); isObj {
			fail(m.Key, codeBodyObject, "templateBody must be a string holding the template JSON, not an object")
		}
	}
	if s, ok := w.Get("templateName").(*template.String); ok {
		if msg := model.TemplateName.Problem(s.Value); msg != "" {
			fail(s, codeWrapper, msg)
		}
	}
	if s, ok := w.Get("description").(*template.String); ok {
		if msg, at := descriptionProblem(s.Value); at >= 0 {
			_, size := utf8.DecodeRuneInString(s.Value[at:])
			out = append(out, template.Diagnostic{Severity: template.Error, Code: codeWrapper, Message: msg,
				Range: s.Embedded().Range(at, at+size), Path: s.Pointer()})
		} else if msg != "" {
			fail(s, codeWrapper, msg)
		}
	}
	if n := w.Get("type"); n != nil {
		if s, ok := n.(*template.String); !ok || typeProblem(s.Value) != "" {
			fail(n, codeWrapper, typeProblem(""))
		}
	}
	switch e := w.Get("enabled").(type) {
	case nil:
		if f.Form == template.FormCLIInput {
			fail(w, codeDisabled, `the CLI input does not say "enabled": true; the API's default is taken to be false (U31), so every provisioning request would fail`)
			assumed = append(assumed, Assumption{"U31", "a template created without enabled is disabled"})
		}
		if f.Form == template.FormTerraform && strings.HasPrefix(f.Address, template.TFProvisioningTemplate+".") {
			fail(w, codeDisabled, f.Address+" does not set enabled, and Terraform's default is false: the template is created disabled and every provisioning request fails; add enabled = true")
		}
	case *template.Bool:
		if !e.Value && f.Form == template.FormDescribe {
			fail(e, codeDisabled, "the deployed template is disabled: every provisioning request fails until it is enabled")
		} else if !e.Value {
			fail(e, codeDisabled, "the template is created disabled: every provisioning request fails until it is enabled")
		}
	default:
		fail(e, codeWrapper, "enabled must be true or false, not "+template.Describe(e))
	}
	roleKey := "provisioningRoleArn"
	if f.Form == template.FormRegistrationConfig {
		roleKey = "roleArn"
	}
	for _, key := range []string{"roleArn", "provisioningRoleArn"} {
		switch s := w.Get(key).(type) {
		case *template.String:
			if msg := roleProblem(key, s.Value); msg != "" {
				fail(s, codeWrapper, msg)
			}
		case nil:
			if key == roleKey && f.Form == template.FormCLIInput && w.Get("roleArn") != nil {
				fail(w.Member("roleArn").Key, codeWrapper, "the CLI input names its role provisioningRoleArn; roleArn is the registration config's name for it, so create-provisioning-template gets no role")
			} else if key == roleKey && (f.Form == template.FormRegistrationConfig || f.Form == template.FormCLIInput) {
				fail(w, codeWrapper, "the "+formName(f.Form)+" has no "+key+": the API requires the role AWS IoT assumes to create resources")
			}
		default:
			fail(s, codeWrapper, key+" must be a string")
		}
	}
	if fields := wrapperFields[f.Form]; fields != nil {
		for _, m := range w.Members {
			misnamedRole := f.Form == template.FormCLIInput && m.Key.Value == "roleArn" && w.Get("provisioningRoleArn") == nil // reported as such
			if !slices.Contains(fields, m.Key.Value) && !misnamedRole {
				fail(m.Key, codeWrapper, "the "+formName(f.Form)+" has no field "+quote(m.Key.Value)+", and the AWS CLI refuses it (Unknown parameter in input)"+didYouMean(m.Key.Value, fields))
			}
		}
	}
	if tags := w.Get("tags"); tags != nil {
		tagsShape(tags, fail)
	}
	if m := w.Member("preProvisioningHook"); m != nil {
		if typ == model.JITP {
			fail(m.Key, codeJITPHook, jitpHookProblem)
		}
		hookShape(m.Value, fail)
	}
	return out, assumed
}

// wrapperFields are the fields of the forms the AWS CLI reads as a whole
// [BC CreateProvisioningTemplate, RegistrationConfig]; another is refused.
var wrapperFields = map[template.InputForm][]string{
	template.FormCLIInput:           {"templateName", "description", "templateBody", "enabled", "provisioningRoleArn", "preProvisioningHook", "tags", "type"},
	template.FormRegistrationConfig: {"templateBody", "roleArn", "templateName"},
}

// The checks of single wrapper fields, shared by WrapperChecks (fields in a
// file) and Compile (fields given as flags).

// jitpHookProblem says why a JITP template cannot have a hook.
const jitpHookProblem = "pre-provisioning hooks run only for FLEET_PROVISIONING templates; creating a JITP template with one fails (U37); remove it or change the type"

// descriptionProblem checks a template description; at is the byte offset
// of a bad character, or -1.
func descriptionProblem(v string) (msg string, at int) {
	if utf8.RuneCountInString(v) > model.MaxDescriptionChars {
		return "description is longer than 500 characters", -1
	}
	for i, r := range v {
		if unicode.IsControl(r) {
			return "description may not contain control characters", i
		}
	}
	return "", -1
}

// typeProblem checks a template type.
func typeProblem(v string) string {
	if v != model.FleetProvisioning && v != model.JITP {
		return "type must be FLEET_PROVISIONING or JITP"
	}
	return ""
}

// roleProblem checks the provisioning role ARN held in field key.
func roleProblem(key, v string) string {
	switch {
	case len(v) > model.MaxRoleArnChars:
		return key + " is " + strconv.Itoa(len(v)) + " characters; the API takes at most 2048"
	case !model.RoleARN.MatchString(v) && !placeholder(v):
		return key + " " + quote(model.Abbrev(v)) + " is not an IAM role ARN (arn:aws:iam::<12-digit account>:role/<name>)"
	}
	return ""
}

// hookTargetProblem checks a pre-provisioning hook's targetArn.
func hookTargetProblem(v string) string {
	if (!model.LambdaARN.MatchString(v) && !placeholder(v)) || len(v) > model.MaxHookTargetChars {
		return "targetArn " + quote(model.Abbrev(v)) + " is not a Lambda function ARN; only Lambda hooks are supported"
	}
	return ""
}

func formName(f template.InputForm) string {
	if f == template.FormRegistrationConfig {
		return "registration config"
	}
	return "CLI input"
}

func hasPolicy(t *template.Template) bool {
	for _, r := range t.Resources {
		if r.Type == model.TypePolicy {
			return true
		}
	}
	return false
}

// bodySize checks the body against the 10,240 characters the APIs take.
// A body written in a string is sent as written; a bare body file is sent
// as iotpt compile writes it (minified), so only a body that is too long
// even minified fails.
func bodySize(f *template.File, fail, warn func(template.Node, string, string)) {
	root := f.Template.Root
	compact := utf8.RuneCountInString(f.Template.Minified()) // as iotpt compile writes it
	var sent int
	at := template.Node(root)
	switch {
	case f.BodyString != nil:
		sent, at = utf8.RuneCountInString(f.BodyString.Value), f.BodyString
	case f.Form == template.FormBody:
		start, end := root.Span()
		sent = utf8.RuneCount(f.Source.Text()[start:end])
	default:
		sent = compact
	}
	if sent <= model.MaxBodyChars {
		return
	}
	msg := "the template body is " + strconv.Itoa(sent) + " characters; the APIs accept at most 10,240"
	switch {
	case compact > model.MaxBodyChars:
		fail(at, codeBodyTooLong, msg+" (even minified it is "+strconv.Itoa(compact)+")")
	case f.BodyString != nil:
		fail(at, codeBodyTooLong, msg+"; minified it is "+strconv.Itoa(compact)+": send it through iotpt compile")
	default:
		warn(at, codeBodyTooLong, msg+" as written; minified it is "+strconv.Itoa(compact)+": send it through iotpt compile, not as it is")
	}
}

// tagsShape checks the CLI input's tags: a list of {"Key", "Value"} with the
// lengths and key characters the API takes (§8 [BC Tag]).
func tagsShape(n template.Node, fail func(template.Node, string, string)) {
	list, ok := n.(*template.Array)
	if !ok {
		fail(n, codeWrapper, `tags must be a list of {"Key": "...", "Value": "..."}, not `+template.Describe(n))
		return
	}
	for _, e := range list.Elems {
		tag, ok := e.(*template.Object)
		if !ok {
			fail(e, codeWrapper, `a tag must be {"Key": "...", "Value": "..."}, not `+template.Describe(e))
			continue
		}
		switch k := tag.Get("Key").(type) {
		case *template.String:
			switch n := utf8.RuneCountInString(k.Value); {
			case n == 0 || n > model.MaxTagKeyChars:
				fail(k, codeWrapper, "a tag key has 1 to 128 characters, not "+strconv.Itoa(n))
			case !model.TagKey.MatchString(k.Value):
				fail(k, codeWrapper, "tag key "+quote(model.Abbrev(k.Value))+" may only contain letters, spaces, digits and _ . : / = + - @")
			}
		case nil:
			fail(tag, codeWrapper, "a tag needs a Key")
		default:
			fail(k, codeWrapper, "a tag's Key must be a string, not "+template.Describe(k))
		}
		if v, ok := tag.Get("Value").(*template.String); ok && utf8.RuneCountInString(v.Value) > model.MaxTagValueChars {
			fail(v, codeWrapper, "a tag value has at most 256 characters, not "+strconv.Itoa(utf8.RuneCountInString(v.Value)))
		}
	}
}

// hookShape checks a preProvisioningHook object.
func hookShape(n template.Node, fail func(template.Node, string, string)) {
	hook, ok := n.(*template.Object)
	if !ok {
		fail(n, codeHookShape, `preProvisioningHook must be an object: {"targetArn": "...", "payloadVersion": "2020-04-01"}`)
		return
	}
	switch t := hook.Get("targetArn").(type) {
	case nil:
		fail(hook, codeHookShape, "preProvisioningHook needs a targetArn: the ARN of a Lambda function")
	case *template.String:
		if msg := hookTargetProblem(t.Value); msg != "" {
			fail(t, codeHookShape, msg)
		}
	default:
		fail(t, codeHookShape, "targetArn must be a string")
	}
	if v := hook.Get("payloadVersion"); v != nil {
		if s, ok := v.(*template.String); !ok || s.Value != model.HookPayloadVersion {
			fail(v, codeHookShape, `payloadVersion must be "2020-04-01"`)
		}
	}
}

// placeholder reports whether a value holds a placeholder that a script or
// a deployment tool fills in (${ACCOUNT}, <account-id>): its shape is
// checked once filled; lint reports the placeholder itself (PT311).
func placeholder(s string) bool {
	return strings.Contains(s, "${") || strings.ContainsAny(s, "<>")
}
