package template

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// InputForm is the shape of a file that holds a template.
type InputForm int

// The input forms iotpt reads.
const (
	// FormAuto detects the form from the file's content.
	FormAuto InputForm = iota
	// FormBody is a bare template body: {"Parameters": ..., "Resources": ...}.
	FormBody
	// FormRegistrationConfig is a JITP registration config, as given to
	// register-ca-certificate or update-ca-certificate:
	// {"templateBody": "<escaped body>", "roleArn": ..., "templateName"?}.
	FormRegistrationConfig
	// FormCLIInput is the --cli-input-json of create-provisioning-template:
	// {"templateName", "templateBody", "provisioningRoleArn", "type", ...}.
	FormCLIInput
	// FormString is a file whose whole content is one JSON string holding a
	// body.
	FormString
	// FormCloudFormation is a CloudFormation template (JSON or YAML) with an
	// AWS::IoT::ProvisioningTemplate resource whose TemplateBody is a string
	// or an Fn::Sub.
	FormCloudFormation
	// FormTerraform is an aws_iot_provisioning_template resource, or the
	// registration_config of an aws_iot_ca_certificate, in a Terraform file
	// (.tf or .tf.json). A file may hold several: see ParseAll.
	FormTerraform
	// FormDescribe is the output of aws iot describe-provisioning-template,
	// describe-provisioning-template-version or describe-ca-certificate:
	// output-only keys (templateArn, creationDate, ...) are expected.
	FormDescribe
)

var formNames = []string{"auto", "body", "registration-config", "cli-input", "string", "cloudformation", "terraform", "describe"}

// String returns the form's name as the --input-form flag spells it.
func (f InputForm) String() string {
	if int(f) < len(formNames) {
		return formNames[f]
	}
	return "InputForm(" + strconv.Itoa(int(f)) + ")"
}

// ParseInputForm is the inverse of InputForm.String.
func ParseInputForm(s string) (InputForm, error) {
	for i, n := range formNames {
		if n == s {
			return InputForm(i), nil
		}
	}
	return 0, fmt.Errorf("unknown input form %q (want one of %s)", s, strings.Join(formNames, ", "))
}

// InputFormNames lists the accepted --input-form values.
func InputFormNames() []string { return append([]string(nil), formNames...) }

// ParseOptions tunes Parse. The zero value gives the defaults.
type ParseOptions struct {
	Form     InputForm // FormAuto to detect
	MaxBytes int       // default DefaultMaxBytes
	MaxDepth int       // default DefaultMaxDepth
	// YAML reads the file as YAML; files named *.yaml or *.yml always are.
	YAML bool
	// Address picks one template of a Terraform file that holds several
	// (aws_iot_provisioning_template.fleet); see ParseAll.
	Address string
	// ReadFile reads a file a Terraform file() or templatefile() names, at
	// most limit bytes; nil reads it from disk.
	ReadFile func(path string, limit int) ([]byte, error)
}

// File is a parsed file: its JSON tree, the form it was written in, and the
// template body it holds.
type File struct {
	Source  *Source
	Root    Node      // the whole file; nil when it could not be parsed at all
	Form    InputForm // never FormAuto once parsed
	Wrapper *Object   // the registration config or CLI input object, if any

	// BodyString is the string the body was decoded from, or nil when the
	// body is written as JSON directly (a bare body, or a wrapper whose
	// templateBody is an object).
	BodyString *String

	// Template is the typed view of the body; nil when the file has none.
	Template *Template

	// CFNResource is the AWS::IoT::ProvisioningTemplate resource of a
	// CloudFormation template; nil for other forms.
	CFNResource *Object

	// Policies are the AWS IoT policies defined beside the template in the
	// same file: the AWS::IoT::Policy resources of a CloudFormation
	// template (LogicalID is the logical ID) and the aws_iot_policy
	// resources of a Terraform file (LogicalID is the address,
	// aws_iot_policy.device; TypeNode and Properties are nil). Type is
	// TypePolicy, and PolicyDocument the document with positions in the
	// file, nil when it is known only at deployment or does not parse.
	// Node pointers are those of the file (for Terraform, of its JSON
	// syntax: /resource/aws_iot_policy/device/policy/Statement/0). Of a
	// Terraform file with several templates, ParseAll gives them to the
	// first File and Parse to the one it returns.
	Policies []*Resource

	// Address is the Terraform address of the resource that holds the
	// template (aws_iot_provisioning_template.fleet), for FormTerraform.
	Address string
	// Included are the other files the template was read from (a
	// Terraform file() or templatefile()), for showing positions in them.
	Included []*Source

	// unknowns are the ranges of values known only when the template is
	// deployed (Terraform references and interpolations).
	unknowns []Range
	// unknownSections are the body's sections that are unknown as a whole.
	unknownSections []string

	// Foreign says why a file that is not broken gives no template to work
	// on: what it is when iotpt recognises it (a CDK or Pulumi program,
	// JSON Lines, a parameters file, a Terraform file without a
	// provisioning template) and what to run instead, or which templates a
	// Terraform file holds when Parse cannot tell which one is meant; ""
	// otherwise.
	Foreign string

	// Incomplete is set when the parser stopped before the end of the file
	// or of the body (a syntax error it could not get past): the tree holds
	// only what came before, and checks of what is missing would mislead.
	Incomplete bool
	// UnknownBody is the template_body when it is known only when Terraform
	// runs (a reference, jsonencode of one, or interpolations where its
	// JSON structure belongs): Template is nil, and nothing can be checked.
	UnknownBody Node
}

// WrapperField returns the wrapper member named key, or nil.
func (f *File) WrapperField(key string) Node { return f.Wrapper.Get(key) }

// TemplateType is the provisioning template type the file itself declares:
// "JITP" for a registration config, the "type" field of a CLI input (default
// FLEET_PROVISIONING), and "" when the file does not say.
func (f *File) TemplateType() string {
	switch f.Form {
	case FormRegistrationConfig:
		return "JITP"
	case FormCLIInput:
		if s, ok := f.WrapperField("type").(*String); ok {
			return s.Value
		}
		return "FLEET_PROVISIONING"
	case FormCloudFormation:
		if f.CFNResource != nil {
			return f.cfnType()
		}
	case FormTerraform:
		if strings.HasPrefix(f.Address, TFCACertificate+".") {
			return "JITP"
		}
		if s, ok := f.WrapperField("type").(*String); ok {
			if strings.Contains(s.Value, CFNVarStart) {
				return "" // known only when Terraform runs
			}
			return s.Value
		}
		return "FLEET_PROVISIONING" // the provider's default
	case FormDescribe:
		if f.Wrapper != nil && f.Wrapper != f.Root {
			return "JITP" // the registrationConfig of describe-ca-certificate
		}
		if s, ok := f.WrapperField("type").(*String); ok {
			return s.Value
		}
	}
	return ""
}

// Parse parses a file holding a provisioning template. Every problem is
// returned as a diagnostic; the File is never nil and holds as much as could
// be read.
func Parse(name string, text []byte, opts ParseOptions) (*File, Diagnostics) {
	if isTerraform(name, text, opts) {
		return parseTerraformOne(name, text, opts)
	}
	src := NewSource(name, text)
	f := &File{Source: src, Form: opts.Form}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(text) > maxBytes {
		return f, Diagnostics{TooLarge(name, maxBytes)}
	}
	if opts.Form == FormAuto {
		if msg, ok := sniffForeign(name, text); ok {
			f.Form, f.Foreign = FormBody, msg
			return f, Diagnostics{notTemplate(name, msg)}
		}
	}
	var diags Diagnostics
	if opts.YAML || IsYAMLName(name) {
		src.yaml = true
		f.Root, diags = parseYAML(src, opts.MaxDepth)
		f.Incomplete = f.Root == nil
	} else {
		p := newParser(src, opts.MaxDepth, "")
		f.Root = p.document("")
		f.Incomplete = p.stopped
		diags = p.diags
	}
	if f.Root == nil {
		if f.Form == FormAuto {
			f.Form = FormBody
		}
		return f, diags
	}
	if f.Form == FormAuto {
		f.Form = detectForm(f.Root)
		if msg, ok := sniffData(name, f.Root); ok && f.Form == FormBody && !f.Incomplete {
			f.Foreign = msg
			return f, append(diags, notTemplate(name, msg))
		}
	}
	if root, ok := f.Root.(*Object); ok && f.Form == FormCloudFormation && !f.Incomplete && isCloudFormation(root) {
		f.cfnPolicies(root, opts.MaxDepth)
	}
	body, more := f.body(opts.MaxDepth)
	diags = append(diags, more...)
	if inner, twice := body.(*String); twice && f.BodyString != nil {
		diags = append(diags, encodedTwice(f.BodyString, inner))
	} else if _, isObj := body.(*Object); body != nil && (isObj || !more.HasErrors()) {
		var tdiags Diagnostics
		f.Template, tdiags = newTemplate(body, opts.MaxDepth)
		diags = append(diags, tdiags...)
	}
	diags.Sort()
	return f, diags
}

// ParseData parses a JSON or YAML file that is not a template (a rules
// file, a test file, a parameters file) into nodes with positions. YAML is
// read when opts.YAML is set or the name ends in .yaml or .yml. The root is
// nil when nothing could be read.
func ParseData(name string, text []byte, opts ParseOptions) (Node, *Source, Diagnostics) {
	src := NewSource(name, text)
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	if len(text) > maxBytes {
		return nil, src, Diagnostics{TooLarge(name, maxBytes)}
	}
	if opts.YAML || IsYAMLName(name) {
		src.yaml = true
		root, diags := parseYAML(src, opts.MaxDepth)
		diags.Sort()
		return root, src, diags
	}
	p := newParser(src, opts.MaxDepth, "")
	root := p.document("")
	if p.stopped {
		root = nil
	}
	p.diags.Sort()
	return root, src, p.diags
}

// TooLarge is the diagnostic for a file over the size limit. Callers that
// stop reading at the limit use it instead of calling Parse.
func TooLarge(name string, limit int) Diagnostic {
	return Diagnostic{Severity: Error, Code: CodeTooLarge,
		Message: fmt.Sprintf("file is larger than the limit of %d bytes; raise it with --max-bytes if the file is genuine", limit),
		Range:   Range{Filename: name, Start: Pos{Line: 1, Column: 1}, End: Pos{Line: 1, Column: 1}}}
}

// detectForm decides what a file holds from its top-level shape.
func detectForm(root Node) InputForm {
	switch n := root.(type) {
	case *String:
		return FormString
	case *Object:
		if isCloudFormation(n) {
			return FormCloudFormation
		}
		if isDescribe(n) {
			return FormDescribe
		}
		if n.Get("templateBody") == nil && n.Get("templateName") == nil {
			return FormBody
		}
		if n.Get("Resources") != nil || n.Get("Parameters") != nil {
			return FormBody
		}
		// The CLI input has fields a registration config has not: with a
		// type, enabled or a hook the file is CLI input, even when its role
		// is written roleArn, the registration config's name (the CLI
		// input's is provisioningRoleArn). Otherwise roleArn makes it a
		// registration config; the weaker CLI fields (a description, tags)
		// make it CLI input; and a templateBody with none of them is a
		// registration config missing its roleArn.
		for _, k := range []string{"type", "enabled", "preProvisioningHook"} {
			if n.Get(k) != nil {
				return FormCLIInput
			}
		}
		if n.Get("roleArn") != nil && n.Get("provisioningRoleArn") == nil {
			return FormRegistrationConfig
		}
		for _, k := range cliOnlyFields {
			if n.Get(k) != nil {
				return FormCLIInput
			}
		}
		if n.Get("templateBody") != nil {
			return FormRegistrationConfig
		}
		return FormCLIInput
	}
	return FormBody
}

// cliOnlyFields are the create-provisioning-template fields a
// registration config does not have.
var cliOnlyFields = []string{"provisioningRoleArn", "type", "enabled", "preProvisioningHook", "description", "tags"}

// describeFields are the output-only fields of describe-provisioning-template
// and describe-provisioning-template-version.
var describeFields = []string{"templateArn", "creationDate", "lastModifiedDate", "defaultVersionId", "versionId", "isDefaultVersion"}

// isDescribe reports whether an object is the output of
// describe-provisioning-template(-version) or describe-ca-certificate.
func isDescribe(o *Object) bool {
	if _, ok := o.Get("certificateDescription").(*Object); ok {
		return true
	}
	if o.Get("templateBody") == nil {
		return false
	}
	for _, k := range describeFields {
		if o.Get(k) != nil {
			return true
		}
	}
	return false
}

// body locates (and for escaped strings, parses) the template body.
func (f *File) body(maxDepth int) (Node, Diagnostics) {
	switch f.Form {
	case FormBody:
		return f.Root, nil
	case FormString:
		s, ok := f.Root.(*String)
		if !ok {
			return nil, Diagnostics{shapeDiag(CodeInputForm, f.Root, "with --input-form string the file must be one JSON string holding a template body, not "+article(KindOf(f.Root)))}
		}
		f.BodyString = s
		return f.parseBody(s, "the template body string", maxDepth)
	}
	obj, ok := f.Root.(*Object)
	if !ok {
		return nil, Diagnostics{shapeDiag(CodeInputForm, f.Root, "a "+f.Form.String()+" must be a JSON object, not "+article(KindOf(f.Root)))}
	}
	f.Wrapper = obj
	if f.Form == FormDescribe {
		if _, isCA := obj.Get("certificateDescription").(*Object); isCA {
			rc, _ := obj.Get("registrationConfig").(*Object)
			if rc == nil {
				return nil, Diagnostics{shapeDiag(CodeInputForm, obj, "the describe-ca-certificate output has no registrationConfig: the CA has no JITP template")}
			}
			f.Wrapper = rc
			if rc.Get("templateBody") == nil && rc.Get("templateName") != nil {
				return nil, nil // the body lives in a named provisioning template
			}
			obj = rc
		}
	}
	if f.Form == FormCloudFormation {
		if !isCloudFormation(obj) {
			return nil, Diagnostics{shapeDiag(CodeInputForm, obj, "the file has no AWS::IoT::ProvisioningTemplate resource")}
		}
		return f.cfnBody(maxDepth)
	}
	m := obj.Member("templateBody")
	if m == nil {
		if f.Form == FormRegistrationConfig && obj.Get("templateName") != nil {
			return nil, nil // the body lives in a named provisioning template
		}
		return nil, Diagnostics{shapeDiag(CodeInputForm, obj, "the "+f.Form.String()+" has no templateBody field")}
	}
	switch v := m.Value.(type) {
	case *String:
		f.BodyString = v
		return f.parseBody(v, "the templateBody string", maxDepth)
	case *Object:
		rebase(v, v.ptr)
		return v, nil
	}
	return nil, Diagnostics{shapeDiag(CodeInputForm, m.Value, "templateBody must be a string holding the template body, not "+article(KindOf(m.Value)))}
}

// encodedTwice reports a body string whose content is itself a JSON string
// (the body JSON-encoded twice), with a fix that removes one encoding.
func encodedTwice(outer, inner *String) Diagnostic {
	d := shapeDiag(CodeSectionShape, inner, "the template body is JSON-encoded twice: its string holds a JSON string, not an object; encode it once")
	if edit, ok := outer.ReplaceValue(inner.Value); ok {
		// Invalid UTF-8 or a lone surrogate decodes to U+FFFD: rewriting
		// the string from its value would change it.
		safe := utf8.ValidString(inner.Value) && !strings.ContainsRune(inner.Value, utf8.RuneError)
		d.Fixes = []Fix{{Message: "remove one level of encoding", Safe: safe, Edits: []Edit{edit}}}
	}
	return d
}

// parseBody parses a body held in a string, noting whether it parsed to
// its end.
func (f *File) parseBody(s *String, what string, maxDepth int) (Node, Diagnostics) {
	p := newParser(s.Embedded(), maxDepth, "in "+what+": ")
	n := p.document("")
	f.Incomplete = f.Incomplete || p.stopped
	return n, p.diags
}

// ParseEmbedded parses the JSON held by string s. Nodes get JSON pointers
// under base, and messages are prefixed with "in <what>: ". All positions are
// in file coordinates.
func ParseEmbedded(s *String, base, what string, maxDepth int) (Node, Diagnostics) {
	p := newParser(s.Embedded(), maxDepth, "in "+what+": ")
	n := p.document(base)
	return n, p.diags
}

// rebase strips prefix from the pointers of n and its descendants, so that a
// body written as an object inside a wrapper gets body-relative pointers.
func rebase(n Node, prefix string) {
	Walk(n, func(c Node) bool {
		b := baseOf(c)
		b.ptr = strings.TrimPrefix(b.ptr, prefix)
		if o, ok := c.(*Object); ok {
			for _, m := range o.Members {
				m.Key.ptr = strings.TrimPrefix(m.Key.ptr, prefix)
			}
		}
		return true
	})
}

func baseOf(n Node) *base {
	switch n := n.(type) {
	case *Object:
		return &n.base
	case *Array:
		return &n.base
	case *String:
		return &n.base
	case *Number:
		return &n.base
	case *Bool:
		return &n.base
	case *Null:
		return &n.base
	}
	panic("template: unknown node type")
}

func shapeDiag(code string, n Node, msg string) Diagnostic {
	return Diagnostic{Severity: Error, Code: code, Message: msg, Range: n.Range(), Path: n.Pointer()}
}

func article(kind string) string {
	if kind == "object" || kind == "array" {
		return "an " + kind
	}
	return "a " + kind
}
