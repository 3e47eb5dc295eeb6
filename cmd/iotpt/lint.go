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
input, one JSON string holding a body, or a CloudFormation template with an
AWS::IoT::ProvisioningTemplate, in JSON or YAML; the form is detected unless
--input-form says. A directory is searched for *.json, *.yaml and *.yml
files that look like templates (parameter files and other JSON beside them
are left alone); - reads stdin.

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
	f.StringVar(&fl.typ, "type", "", "template type when a file does not say: FLEET_PROVISIONING (default) or JITP")
	f.StringVar(&fl.certFile, "cert", "", "PEM device certificate to check JITP subject requirements against")
	f.StringVar(&fl.paramsFile, "params", "", "JSON file of sample parameters to plan the template with")
	f.StringArrayVarP(&fl.params, "param", "p", nil, "a sample parameter as KEY=VALUE (repeatable)")
	f.StringVar(&fl.configFile, "config", "", "configuration file (default: .iotpt.yaml found upward from each file)")
	f.StringVar(&fl.rulesFile, "rules", "", "YAML file of organisation rules in CEL (default: rules: of the configuration)")
	f.IntVar(&fl.maxWarnings, "max-warnings", -1, "fail when there are more warnings than this (-1: no limit)")
	f.BoolVar(&fl.fix, "fix", false, "apply safe fixes to the files in place, then report what is left")
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
	if fl.typ != "" && fl.typ != eval.FleetProvisioning && fl.typ != eval.JITP {
		return commandLineErr(cmd, "unknown --type %q (want FLEET_PROVISIONING or JITP)", fl.typ)
	}
	if fl.maxBytes <= 0 {
		return commandLineErr(cmd, "--max-bytes must be positive")
	}
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
	if err := writeLintReport(cmd.OutOrStdout(), fl.format, rep); err != nil {
		return err
	}
	if fl.fix && rep.Fixed > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: applied %s\n", render.Plural(rep.Fixed, "fix"))
	}
	for _, name := range rep.NotFixed {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: left %s unchanged: it would not parse after the fixes; fix its syntax errors first\n", name)
	}
	maxWarnings, limit := fl.maxWarnings, fmt.Sprintf("--max-warnings %d", fl.maxWarnings)
	if !cmd.Flags().Changed("max-warnings") && rep.Config != nil && rep.Config.MaxWarnings != nil {
		maxWarnings = *rep.Config.MaxWarnings
		limit = fmt.Sprintf("max-warnings: %d in %s", maxWarnings, rep.Config.Path())
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
		return render.WriteJSON(out, render.NewJSONReport(rep.Files, all))
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
	if len(all) > 0 {
		fmt.Fprintf(out, "%s, %s, %s in %s", render.Plural(all.Count(template.Error), "error"),
			render.Plural(all.Count(template.Warning), "warning"), render.Plural(all.Count(template.Info), "info"), render.Plural(rep.Files, "file"))
		if fixable > 0 {
			fmt.Fprintf(out, " (%d fixable with --fix)", fixable)
		}
		fmt.Fprintln(out)
	}
	return nil
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
