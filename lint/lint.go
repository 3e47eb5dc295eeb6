// Package lint checks provisioning templates and reports what AWS IoT would
// reject or mishandle, with positions in the files the user wrote.
//
// # One file
//
// Check runs the parser, every enabled rule of the registry (see Rules), and,
// when sample parameters are given, a plan for them. CheckAll does so for
// every template of a file (a Terraform file may hold several). Rules are data plus a
// function (Rule); their severity comes from the registry and the user's
// Config, never from the rule itself. Lookup, Markdown and Index give their
// documentation, the source of "iotpt explain" and docs/rules.
//
// # Many files
//
// Run lints files and directories as "iotpt lint" does: a directory or glob
// search keeps only files that may hold a template (LooksLikeTemplate),
// reports the others in Report.Skipped with the reason, and fails when it
// finds no template at all; each file gets the .iotpt.yaml found from its
// directory upward (LoadConfig, FindConfig), and ApplyFixes applies the
// safe fixes.
//
// # Findings people can trust
//
// Check reports nothing about a value that did not parse beyond the parse
// error itself (a PolicyDocument escaped once too often gets its parse
// error, not "no Statement") nor about a key it reports misspelt ("Propertes"
// is not also "has no ThingName"), one finding per code and range, and sorts a
// parse error before the findings whose range holds it. Output is the same
// on every run. TestCorpus (go test ./lint -run TestCorpus -corpus DIR)
// compares the findings on a directory of real templates with the
// judgments kept in testdata/corpus/judgments.tsv.
//
// # Organisation rules
//
// LoadUserRules reads a YAML file of rules written in CEL; pass the result
// as Options.UserRules. Its findings carry the rule's id as their code and
// go through the same configuration as built-in ones.
package lint

import (
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/schema"
	"github.com/iotpt/iotpt/template"
)

// Options tunes a lint run. The zero value lints with the defaults.
type Options struct {
	Form     template.InputForm // FormAuto to detect each file's form
	MaxBytes int                // per-file size limit; template.DefaultMaxBytes when 0
	// Type is the template type when the file does not declare one
	// (FLEET_PROVISIONING or JITP); FLEET_PROVISIONING when empty.
	Type string
	// Certificate is a device certificate to check JITP requirements
	// against (--cert).
	Certificate *eval.Certificate
	// Params, when not nil, are sample parameters: the template is also
	// planned with them and every reason provisioning would fail is
	// reported.
	Params []eval.Param
	Config *Config
	// UserRules are the organisation's rules (LoadUserRules), or nil.
	UserRules *UserRules
	// Address picks, for Check, one template of a Terraform file that
	// holds several (template.ParseOptions.Address).
	Address string
}

// Result is the outcome of linting one file.
type Result struct {
	File        *template.File
	Diagnostics template.Diagnostics // sorted by position
}

// Check lints one file's content (of a Terraform file, the one template
// it holds; see CheckAll).
func Check(name string, text []byte, opts Options) Result {
	f, diags := template.Parse(name, text, template.ParseOptions{Form: opts.Form, MaxBytes: opts.MaxBytes, Address: opts.Address})
	return check(f, diags, opts)
}

// CheckAll lints every template a file holds: one for a JSON or YAML file,
// one per resource for a Terraform file (template.ParseAll).
func CheckAll(name string, text []byte, opts Options) []Result {
	var out []Result
	for _, p := range template.ParseAll(name, text, template.ParseOptions{Form: opts.Form, MaxBytes: opts.MaxBytes}) {
		out = append(out, check(p.File, p.Diagnostics, opts))
	}
	return out
}

func check(f *template.File, diags template.Diagnostics, opts Options) Result {
	if f.Template != nil && !f.Incomplete {
		diags = append(diags, runRules(f, diags, opts)...)
		diags = append(diags, newSchemaFindings(f, schema.Validate(f), diags)...)
	} else if f.Wrapper != nil {
		diags = append(diags, runWrapperRules(f, opts)...)
	}
	diags = withoutKnockOns(f, diags)
	diags = knownOnly(f, diags)
	diags = opts.Config.apply(diags)
	diags = withoutAbsenceKnockOns(f, diags)
	diags.Sort()
	return Result{File: f, Diagnostics: diags.Unique()}
}

// knownOnly drops the findings about values known only at deployment (a
// Terraform or CloudFormation reference is not a mistake), and in a
// Terraform file the fixes, whose edits are escaped for JSON, not HCL.
func knownOnly(f *template.File, diags template.Diagnostics) template.Diagnostics {
	out := diags[:0]
	for _, d := range diags {
		if d.Severity != template.Info && f.DependsOnUnknown(d.Range) {
			continue
		}
		if section := sectionCodes[d.Code]; section != "" && f.UnknownSection(section) {
			continue // "not declared" when the declarations are unknown
		}
		if strings.Contains(d.Message, template.UnknownMark) || strings.Contains(d.Message, quotedUnknown) {
			continue // a rule that took a reference for the value it stands for
		}
		if f.Form == template.FormTerraform {
			d.Fixes = nil
		}
		out = append(out, d)
	}
	return out
}

// TypeRegistration is the Pass.Type of a template used by bulk registration
// (StartThingRegistrationTask) or RegisterThing, which take a body without a
// template type.
const TypeRegistration = eval.BulkRegistration

func runRules(f *template.File, parsed template.Diagnostics, opts Options) template.Diagnostics {
	prog, _ := eval.Compile(f)
	typ, guessed := eval.InferType(f, opts.Type)
	planType := typ
	pass := &Pass{
		File: f, Template: f.Template, Type: typ, TypeAssumed: guessed, Cert: opts.Certificate,
		Plan: prog.Plan(eval.Input{Type: planType, Unknowns: true, Certificate: opts.Certificate}),
	}
	for _, d := range parsed {
		if d.Severity == template.Error && d.Path != "" {
			pass.parseErrors = append(pass.parseErrors, d.Path)
		}
	}
	var diags template.Diagnostics
	pass.report = func(d template.Diagnostic) {
		if pass.TypeAssumed && typeDependent[d.Code] && pass.rule != nil && pass.rule.Severity == template.Error && d.Severity != template.Info {
			d.Severity = template.Warning
			d.Message += " (iotpt assumed a " + typ + " template: declare the type with --type or in the file)"
		}
		if d.Severity == template.Error && evaluatedOnly[d.Code] && !pass.Evaluated(d.Path) {
			d.Severity = template.Warning
			d.Message += "; provisioning does not evaluate this part of the template, so here it cannot make provisioning fail"
		}
		if fix := modelFixes[d.Code]; fix != nil && len(d.Fixes) == 0 {
			d.Fixes = fix(pass, d)
		}
		diags = append(diags, d)
	}
	for _, r := range registry {
		if _, off, _ := opts.Config.severityFor(r.Code); off {
			continue // a rule turned off does not run at all
		}
		pass.rule = r
		r.Run(pass)
	}
	// What the plan cannot see (a section known only when Terraform runs)
	// is not a mistake, but lint does not pass it in silence.
	for _, ds := range []template.Diagnostics{pass.Plan.Errors, pass.Plan.Warnings} {
		for _, d := range ds {
			if d.Code == eval.CodeDeployTime {
				d.Severity = template.Info
				diags = append(diags, d)
			}
		}
	}
	var plan *eval.Plan
	if opts.Params != nil {
		plan = prog.Plan(eval.Input{Type: planType, Params: opts.Params, Certificate: opts.Certificate})
		// Every reason the plan fails is reported as an error: once, where
		// lint has no error of its own at the same place, and raising a
		// lint warning of the same code there (a limit the plan found broken
		// for these values) instead of repeating it.
		type at struct {
			start int
			code  string
		}
		same := map[at]int{}
		errorAt := map[int]bool{}
		for i, d := range diags {
			same[at{d.Range.Start.Byte, d.Code}] = i
			errorAt[d.Range.Start.Byte] = errorAt[d.Range.Start.Byte] || d.Severity == template.Error
		}
		for _, d := range plan.Errors {
			if d.Severity != template.Error || coveredByRules[d.Code] || d.Code == eval.CodeDeployTime {
				continue // what the plan cannot see lint notes as an info (above)
			}
			if d.Range.Filename != f.Source.Name() {
				// In the parameters (a value over RegisterThing's limits),
				// at its place there; renderers show no snippet of it.
				diags = append(diags, d)
				continue
			}
			if i, ok := same[at{d.Range.Start.Byte, d.Code}]; ok {
				diags[i].Severity, diags[i].Message = template.Error, d.Message
				continue
			}
			if !errorAt[d.Range.Start.Byte] {
				diags = append(diags, d)
			}
		}
	}
	return append(diags, opts.UserRules.check(pass, opts.Params, plan, opts.Config)...)
}

// wrapperRules check only the fields around the body and the policies
// beside it (template.File.Policies): they still run when the body of a
// registration config, CLI input, CloudFormation or Terraform resource does
// not parse or is known only at deployment, since a bad roleArn or an iot:*
// policy is a mistake of its own. PT327 is not among them: it needs the
// body's certificate. The model's rules among them read
// eval.WrapperChecks.
var wrapperRules = func() []*Rule {
	out := []*Rule{rulePlaceholder, rulePolicyVersion, rulePolicyAction, ruleActionResource, ruleOverlyPermissive, ruleMQTTWildcard, rulePolicyVariable, ruleClaimPolicyTemplate}
	for _, r := range modelRules {
		if r.Model.Stage == model.AtCreate || r.Code == "PT312" {
			out = append(out, r)
		}
	}
	return out
}()

// runWrapperRules runs wrapperRules over a file whose body could not be
// read, with an empty template in its place.
func runWrapperRules(f *template.File, opts Options) template.Diagnostics {
	var diags template.Diagnostics
	typ := eval.NormalizeType(f.TemplateType())
	checked, _ := eval.WrapperChecks(f, typ)
	pass := &Pass{File: f, Template: &template.Template{Root: &template.Object{}}, Type: typ, Plan: &eval.Plan{Errors: checked}}
	pass.report = func(d template.Diagnostic) { diags = append(diags, d) }
	for _, r := range wrapperRules {
		if _, off, _ := opts.Config.severityFor(r.Code); !off {
			pass.rule = r
			r.Run(pass)
		}
	}
	return diags
}

// newSchemaFindings keeps the schema violations of f's body that nothing
// else reported: a violation at or around a value that a rule or the
// parser already reported is the same mistake, told less well.
func newSchemaFindings(f *template.File, found, reported template.Diagnostics) template.Diagnostics {
	var out template.Diagnostics
	for _, d := range found {
		dup := false
		for _, r := range reported {
			if r.Path == "" || besideTemplate(f, r.Range) {
				continue // a finding about the whole file, or outside the body, says nothing of a value of the body
			}
			if r.Path == d.Path || strings.HasPrefix(r.Path, d.Path+"/") || strings.HasPrefix(d.Path, r.Path+"/") {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, d)
		}
	}
	return out
}

// quotedUnknown is how the mark of a reference reads in a message that
// quoted it with %q.
var quotedUnknown = strings.Trim(strconv.Quote(template.UnknownMark), `"`)

// sectionCodes are the findings that hold only when a section is known:
// nothing is undeclared in Parameters = merge(...).
var sectionCodes = map[string]string{
	"PT107": "Parameters", "PT221": "Parameters", "PT222": "Parameters", "PT261": "Parameters",
	"PT242": "Mappings",
	"PT223": template.AnySection, // unused: a value unknown as a whole may use it
}

// coveredByRules lists plan codes that rules already report without
// parameters (an Fn::Sub policy variable is PT244, a bad Ref PT107, ...).
var coveredByRules = map[string]bool{
	eval.CodeSubVariable: true, eval.CodeBadRef: true,
	template.CodeUnsupportedFunction: true, template.CodeFunctionArgs: true,
}

// evaluatedOnly lists the codes of lint's own rules that say provisioning
// fails because of a value, which holds only where provisioning evaluates
// values (Pass.Evaluated); elsewhere they are warnings, and the plan, which
// evaluates nothing there, agrees.
var evaluatedOnly = map[string]bool{
	template.CodeUnsupportedFunction: true, template.CodeFunctionArgs: true, eval.CodeSubVariable: true,
}

// typeDependent lists the codes whose findings hold only for the template
// type: when iotpt guessed the type, they are warnings that name it.
var typeDependent = map[string]bool{
	"PT262": true, "PT271": true, "PT222": true, "PT261": true, "PT264": true, "PT265": true,
}

// apply sets configured severities and drops what the configuration turns
// off or suppresses.
func (c *Config) apply(diags template.Diagnostics) template.Diagnostics {
	if c == nil {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		sev, off, set := c.severityFor(d.Code)
		if off || c.suppressed(d) {
			continue
		}
		if set {
			d.Severity = sev
		}
		out = append(out, d)
	}
	return out
}
