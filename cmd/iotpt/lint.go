package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

type lintFlags struct {
	format      string
	inputForm   string
	maxBytes    int
	typ         string
	certFile    string
	paramsFile  string
	params      []string
	configFile  string
	rulesFile   string
	maxWarnings int
	fix         bool
	verbose     bool
}

func newLintCmd() *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:   "lint FILE|DIR|- ...",
		Short: "Check templates for mistakes, with exact positions",
		Long: `Lint parses each file, runs the rule catalogue (iotpt rules lists it) and
reports every problem as file:line:col: severity CODE: message, followed by
the source line with a caret. Positions inside escaped templateBody and
PolicyDocument strings point at the character in the file you opened.

A file may be a bare template body, a JITP registration config
({"templateBody": "...", "roleArn": ...}), create-provisioning-template CLI
input, one JSON string holding a body, a CloudFormation template with an
AWS::IoT::ProvisioningTemplate (also as CDK synthesises it), in JSON or
YAML, the output of aws iot describe-provisioning-template or
describe-ca-certificate, or a Terraform file (*.tf, *.tf.json), whose every
aws_iot_provisioning_template and registration_config is checked, with
positions in the HCL; the form is detected unless --input-form says. - reads
stdin. A program (CDK, Pulumi) or JSON Lines file gets one line saying what
to lint instead.

A directory, or a quoted glob pattern, is searched for *.json, *.yaml, *.yml
and *.tf files that may hold a template: Resources of objects with a Type
(whatever the types: a misspelt AWS::IOT::Thing is still linted), a
templateBody, a CloudFormation AWS::IoT::ProvisioningTemplate, a Terraform
provisioning template, or text that does not parse but mentions Resources,
Parameters, templateBody or AWS::IoT. Other files (parameter files, other
CloudFormation stacks and Terraform files, Helm charts) are skipped: the
summary counts them and --verbose names each and why. A directory or
pattern with no template in it is an error (exit 2).

JITP rules apply to registration configs, to CLI input of type JITP and with
--type JITP. With --cert, the JITP certificate requirements are checked
against a device certificate. With --params or -p, the template is also
planned for those sample parameters, and every reason provisioning would
fail is reported.

Configuration comes from .iotpt.yaml (found from each file's directory
upward) or --config: severities per rule, ignored files, suppressions by
file and JSON pointer, max-warnings, and a rules file.

Organisation rules are CEL expressions in a YAML rules file (--rules, or
rules: in .iotpt.yaml); their findings carry the rule's id as code and obey
the same configuration. The README's "Organisation rules" section teaches
the format; examples/rules.yaml has realistic ones.

Exit codes: 0 nothing at error level, 1 errors (or more warnings than
--max-warnings), 2 usage or I/O problem.`,
		Example: `  # Lint one template and a directory of them
  iotpt lint fleet-template.json templates/

  # For CI: SARIF for GitHub code scanning, or annotations in the log
  iotpt lint --format sarif templates/ > iotpt.sarif
  iotpt lint --format github templates/

  # A JITP registration config against a real device certificate
  iotpt lint --cert device.pem registration-config.json

  # Terraform, CDK output, and what is deployed
  iotpt lint infra/iot.tf cdk.out/
  aws iot describe-provisioning-template --template-name fleet | iotpt lint -

  # Add the organisation's own rules
  iotpt lint --rules examples/rules.yaml examples/

  # Also plan it for sample parameters; apply the safe fixes
  iotpt lint -p SerialNumber=SN1 -p DeviceLocation=Tokyo --fix template.json`,
		Args: argCount(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLint(cmd, args, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text, json, sarif or github")
	f.StringVar(&fl.inputForm, "input-form", "auto", inputFormHelp)
	f.IntVar(&fl.maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	f.StringVar(&fl.typ, "type", "", "template type when a file does not say: FLEET_PROVISIONING, JITP or BULK_REGISTRATION (any case); inferred when absent")
	f.StringVar(&fl.certFile, "cert", "", "PEM device certificate to check JITP subject requirements against")
	f.StringVar(&fl.paramsFile, "params", "", "JSON file of sample parameters to plan the template with")
	f.StringArrayVarP(&fl.params, "param", "p", nil, "a sample parameter as KEY=VALUE (repeatable)")
	f.StringVar(&fl.configFile, "config", "", "configuration file (default: .iotpt.yaml found upward from each file)")
	f.StringVar(&fl.rulesFile, "rules", "", "YAML file of organisation rules in CEL (default: rules: of the configuration)")
	f.IntVar(&fl.maxWarnings, "max-warnings", -1, "fail when there are more warnings than this (-1: no limit)")
	f.BoolVar(&fl.fix, "fix", false, "apply safe fixes to the files in place, then report what is left")
	f.BoolVarP(&fl.verbose, "verbose", "v", false, "name on stderr each file a directory search skipped, and why")
	registerValues(cmd, map[string][]string{"format": {"text", "json", "sarif", "github"}, "type": templateTypes, "input-form": template.InputFormNames()})
	return cmd
}

func runLint(cmd *cobra.Command, args []string, fl lintFlags) error {
	switch fl.format {
	case "text", "json", "sarif", "github":
	default:
		return commandLineErr(cmd, "unknown --format %q (want text, json, sarif or github)", fl.format)
	}
	form, err := template.ParseInputForm(fl.inputForm)
	if err != nil {
		return usageErr("%v", err)
	}
	if fl.typ != "" && !eval.ValidType(fl.typ) {
		return commandLineErr(cmd, "unknown --type %q (want FLEET_PROVISIONING, JITP or BULK_REGISTRATION, in any case)", fl.typ)
	}
	fl.typ = eval.NormalizeType(fl.typ)
	sources := render.Sources{}
	in, err := readPlanInput(cmd, planFlags{paramsFile: fl.paramsFile, params: fl.params, certFile: fl.certFile, maxBytes: fl.maxBytes}, sources)
	if err != nil {
		return err
	}
	opts := lint.RunOptions{
		Options:    lint.Options{Form: form, MaxBytes: fl.maxBytes, Type: fl.typ, Certificate: in.Certificate},
		ConfigFile: fl.configFile, RulesFile: fl.rulesFile, Fix: fl.fix, Stdin: cmd.InOrStdin(),
	}
	if fl.paramsFile != "" || len(fl.params) > 0 {
		opts.Params = append([]eval.Param{}, in.Params...)
	}
	rep, err := lint.Run(args, opts)
	if err != nil {
		return inputErr(cmd, err)
	}
	if fl.verbose {
		for _, sk := range rep.Skipped {
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: skipped %s: %s\n", sk.File, sk.Reason)
		}
	}
	if err := writeLintReport(cmd.OutOrStdout(), fl.format, rep); err != nil {
		return err
	}
	for _, note := range rep.Notes {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s\n", render.Clean(note))
	}
	for _, msg := range rep.Unreadable {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s\n", render.Clean(msg))
	}
	if fl.fix && rep.Fixed > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: applied %s\n", render.Plural(rep.Fixed, "fix"))
	}
	for _, name := range rep.NotFixed {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: left %s unchanged: it would not parse after the fixes; fix its syntax errors first\n", render.Clean(name))
	}
	maxWarnings, limit := fl.maxWarnings, fmt.Sprintf("--max-warnings %d", fl.maxWarnings)
	if !cmd.Flags().Changed("max-warnings") && rep.Config != nil && rep.Config.MaxWarnings != nil {
		maxWarnings = *rep.Config.MaxWarnings
		limit = fmt.Sprintf("max-warnings: %d in %s", maxWarnings, rep.Config.Path())
	}
	if len(rep.Unreadable) > 0 {
		return &exitError{code: exitUsage}
	}
	if len(rep.NotFixed) > 0 || rep.Diagnostics.HasErrors() {
		return &exitError{code: exitFailed}
	}
	if warnings := rep.Diagnostics.Count(template.Warning); maxWarnings >= 0 && warnings > maxWarnings {
		return &exitError{code: exitFailed, err: fmt.Errorf("%s, more than %s", render.Plural(warnings, "warning"), limit)}
	}
	return nil
}

func writeLintReport(out io.Writer, format string, rep *lint.Report) error {
	all := rep.Diagnostics
	switch format {
	case "json":
		r := render.NewJSONReport(rep.Files, all)
		r.Summary.Skipped = len(rep.Skipped)
		for _, sk := range rep.Skipped {
			r.Skipped = append(r.Skipped, render.JSONSkipped{File: sk.File, Reason: sk.Reason})
		}
		return render.WriteJSON(out, r)
	case "sarif":
		return render.SARIF(out, versionString(), all, ruleInfo)
	case "github":
		render.GitHub(out, all)
		return nil
	}
	fixable := 0
	for _, d := range all {
		if lint.Fixable(d) {
			fixable++
			render.TextFixable(out, d, rep.Sources[d.Range.Filename])
		} else {
			render.Text(out, d, rep.Sources[d.Range.Filename])
		}
	}
	if len(all) > 0 || len(rep.Skipped) > 0 {
		fmt.Fprintf(out, "%s, %s, %s in %s%s", render.Plural(all.Count(template.Error), "error"),
			render.Plural(all.Count(template.Warning), "warning"), render.Plural(all.Count(template.Info), "info"),
			render.Plural(rep.Files, "file"), skippedNote(len(rep.Skipped)))
		if fixable > 0 {
			fmt.Fprintf(out, " (%d fixable with --fix)", fixable)
		}
		fmt.Fprintln(out)
	}
	return nil
}

// skippedNote is the summary's account of the files a search skipped.
func skippedNote(n int) string {
	if n == 0 {
		return ""
	}
	if n == 1 {
		return "; 1 file skipped (not a template; --verbose names it)"
	}
	return "; " + render.Plural(n, "file") + " skipped (not templates; --verbose names them)"
}

// inputErr reports a problem with the inputs (exit 2); the problems of a
// configuration file are listed one per line, then counted.
func inputErr(cmd *cobra.Command, err error) error {
	var ce *lint.ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(cmd.ErrOrStderr(), ce)
		return usageErr("%s in %s", render.Plural(len(ce.Problems), "problem"), ce.File)
	}
	return usageErr("%v", err)
}

// ruleInfo describes a code for SARIF.
func ruleInfo(code string) render.RuleInfo {
	if r := lint.Lookup(code); r != nil {
		return render.RuleInfo{Code: r.Code, Name: r.Name, Title: r.Title, Help: strings.Join(strings.Fields(r.Doc), " "), Severity: r.Severity}
	}
	title := lint.CodeTitle(code)
	if title == "" {
		title = "Organisation rule " + code
	}
	return render.RuleInfo{Code: code, Title: title, Severity: template.Error}
}

// displayName is how a path appears in diagnostics.
func displayName(p string) string {
	if p == "-" {
		return "<stdin>"
	}
	return p
}
