package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/internal/serve"
	"github.com/iotpt/iotpt/template"
)

type planFlags struct {
	format       string
	inputForm    string
	maxBytes     int
	typ          string
	paramsFile   string
	params       []string
	certFile     string
	hookFile     string
	existingFile string
	region       string
	account      string
	bulkFile     string
	summaryOnly  bool
	address      string
}

func newPlanCmd() *cobra.Command {
	var fl planFlags
	cmd := &cobra.Command{
		Use:   "plan TEMPLATE",
		Short: "Preview what provisioning would create or change, and whether it would succeed",
		Long: `Plan evaluates a template the way AWS IoT would for one device and shows
what would be created (+), updated (~), left as it is (=) or would fail (!),
the steps AWS IoT takes in its order, the thingName and deviceConfiguration
RegisterThing returns, and why provisioning would fail.

Parameters come from these sources, later ones winning: the template's
Defaults, --params, -p, --cert (the certificate's subject fields and ID), and
--hook-response (a pre-provisioning hook's parameterOverrides). For JITP only
the certificate supplies parameters. A parameter with no value is shown as
<Name>; provisioning fails on it, except for AWS::IoT::Certificate::Id in
fleet provisioning (the service supplies it) and the certificate parameters
of a JITP plan without --cert.

A Terraform file is read as lint reads it; one that holds several
templates needs --address to pick one.

The template type comes from the file (a registration config is JITP; CLI
input carries "type"), else from --type, else a guess the plan states: a
bare body whose certificate comes from a CSR or a PEM is BULK_REGISTRATION
(AWS's single-thing and bulk examples), any other FLEET_PROVISIONING.

With --existing, OverrideSettings are applied against that registry state
and missing thing types, groups, billing groups and policies fail the plan;
without it, the plan lists what must already exist. Where AWS's behaviour is
undocumented the plan says what it assumed.

With --bulk FILE (- for stdin), every line of a bulk registration file (a
JSON object of parameters) is planned, on every core, in input order: text
output lists the failing lines and a summary (lines, failures by reason,
what would be created, what must exist, thing names on more than one line);
--format json writes one plan per line (JSON Lines, with "line": N) and the
summary to stderr; --summary-only writes only the summary (as JSON with
--format json). Lines are planned as BULK_REGISTRATION templates (every
parameter from the line, certificates from a CSR, PEM or ID) unless the file
or --type says otherwise. A progress bar shows on stderr when it is a
terminal. Ctrl-C (SIGINT) stops a bulk plan cleanly: the lines read so far
are planned and written whole, the summary covers them, and iotpt exits
130; a second Ctrl-C exits at once.

Exit codes: 0 provisioning would succeed (every line, with --bulk), 1 it
would fail, 2 usage or input problem, 130 interrupted.`,
		Example: `  # A fleet provisioning template for one device
  iotpt plan template.json -p SerialNumber=SN1 -p DeviceLocation=Tokyo

  # JITP: parameters come from the device certificate
  iotpt plan registration-config.json --cert device.pem

  # With a hook response and the registry as it is today, as JSON
  iotpt plan template.json --params params.json --hook-response hook.json \
      --existing registry.json --format json

  # A bulk registration file: one JSON object of parameters per line
  iotpt plan template.json --bulk devices.jsonl --summary-only
  iotpt plan template.json --bulk devices.jsonl --format json > plans.jsonl`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error { return runPlan(cmd, args[0], fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text or json")
	f.StringVar(&fl.inputForm, "input-form", "auto", inputFormHelp)
	f.IntVar(&fl.maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	f.StringVar(&fl.typ, "type", "", "template type when the file does not say: FLEET_PROVISIONING, JITP or BULK_REGISTRATION (any case)")
	f.StringVar(&fl.paramsFile, "params", "", "JSON file with an object of parameter values")
	f.StringArrayVarP(&fl.params, "param", "p", nil, "a parameter value as KEY=VALUE (repeatable)")
	f.StringVar(&fl.certFile, "cert", "", "PEM device certificate: its subject fields and ID become the AWS::IoT::Certificate::* parameters")
	f.StringVar(&fl.hookFile, "hook-response", "", `JSON file with a pre-provisioning hook response: {"allowProvisioning": true, "parameterOverrides": {...}}`)
	f.StringVar(&fl.existingFile, "existing", "", "JSON file with the registry as it stands: things, thingTypes, thingGroups, dynamicThingGroups, billingGroups, policies, certificates; or an iotpt serve --dir directory")
	f.StringVar(&fl.region, "region", "", "AWS region for the simulated ARNs")
	f.StringVar(&fl.account, "account", "", "AWS account ID for the simulated ARNs")
	f.StringVar(&fl.bulkFile, "bulk", "", "plan every line of a bulk registration parameters file (JSON Lines; - for stdin)")
	f.BoolVar(&fl.summaryOnly, "summary-only", false, "with --bulk, print only the summary")
	f.StringVar(&fl.address, "address", "", "the template to plan in a Terraform file that holds several (aws_iot_provisioning_template.NAME)")
	registerValues(cmd, map[string][]string{"format": {"text", "json"}, "type": templateTypes, "input-form": template.InputFormNames()})
	return cmd
}

func runPlan(cmd *cobra.Command, path string, fl planFlags) error {
	if fl.format != "text" && fl.format != "json" {
		return commandLineErr(cmd, "unknown --format %q (want text or json)", fl.format)
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
	if fl.summaryOnly && fl.bulkFile == "" {
		return commandLineErr(cmd, "--summary-only goes with --bulk")
	}
	if fl.bulkFile != "" {
		return runBulk(cmd, path, form, fl)
	}
	in, err := readPlanInput(cmd, fl, sources)
	if err != nil {
		return err
	}
	text, err := input.Read(path, cmd.InOrStdin(), fl.maxBytes)
	if err != nil {
		return usageErr("%v", err)
	}
	name := displayName(path)
	plan, f := eval.PlanFile(name, text, template.ParseOptions{Form: form, MaxBytes: fl.maxBytes, Address: fl.address}, in)
	if f.Foreign != "" {
		return usageErr("%s: %s", name, f.Foreign)
	}
	if declared := eval.NormalizeType(f.TemplateType()); fl.typ != "" && declared != "" && declared != fl.typ {
		return usageErr("%s is a %s template (%s); --type %s contradicts it", name, declared, f.Form, fl.typ)
	}
	out := cmd.OutOrStdout()
	if fl.format == "json" {
		var buf bytes.Buffer
		if err := json.Indent(&buf, plan.AppendJSON(nil), "", "  "); err != nil {
			return err
		}
		buf.WriteByte('\n')
		if _, err := out.Write(buf.Bytes()); err != nil {
			return err
		}
	} else {
		render.Plan(out, plan, sources.Add(f.Source).Add(f.Included...))
	}
	if plan.Outcome != "success" {
		return &exitError{code: exitFailed}
	}
	return nil
}

// readPlanInput reads the parameter, certificate, hook and registry inputs.
// A problem in any of them is an input error (exit 2), shown with its
// position.
func readPlanInput(cmd *cobra.Command, fl planFlags, sources render.Sources) (eval.Input, error) {
	in := eval.Input{Type: fl.typ, Region: fl.region, Account: fl.account}
	var diags template.Diagnostics
	load := func(flag, path string, parse func(string, []byte) template.Diagnostics) error {
		if path == "" {
			return nil
		}
		data, err := input.Read(path, cmd.InOrStdin(), fl.maxBytes)
		if err != nil {
			return usageErr("%s: %v", flag, err)
		}
		sources.Add(template.NewSource(path, data))
		diags = append(diags, parse(path, data)...)
		return nil
	}
	if err := load("--params", fl.paramsFile, func(name string, data []byte) template.Diagnostics {
		pairs, d := eval.ParseParams(name, data)
		in.Params = append(pairs, in.Params...)
		return d
	}); err != nil {
		return in, err
	}
	for _, kv := range fl.params {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || k == "" {
			return in, commandLineErr(cmd, "-p %q: write a parameter as KEY=VALUE", kv)
		}
		in.Params = append(in.Params, eval.Param{Name: k, Value: v})
	}
	for i, p := range in.Params {
		if masked, ok := secret.Mask(p.Value); ok {
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: warning: %s\n", secret.Warning(p.Name, len(p.Value)))
			in.Params[i].Value = masked
		}
	}
	if fl.certFile != "" {
		data, err := input.Read(fl.certFile, cmd.InOrStdin(), fl.maxBytes)
		if err != nil {
			return in, usageErr("--cert: %v", err)
		}
		c, err := eval.ParseCertificate(data)
		if err != nil {
			return in, usageErr("%s: %v", fl.certFile, err)
		}
		in.Certificate = c
	}
	if err := load("--hook-response", fl.hookFile, func(name string, data []byte) template.Diagnostics {
		h, d := eval.ParseHookResponse(name, data)
		in.Hook = h
		return d
	}); err != nil {
		return in, err
	}
	if st, err := os.Stat(fl.existingFile); err == nil && st.IsDir() {
		// An iotpt serve directory: its stored registry.
		if in.Existing, err = serve.ReadRegistry(fl.existingFile); err != nil {
			return in, usageErr("--existing %s: %v", fl.existingFile, err)
		}
	} else if err := load("--existing", fl.existingFile, func(name string, data []byte) template.Diagnostics {
		r, d := eval.ParseRegistry(name, data)
		in.Existing = r
		return d
	}); err != nil {
		return in, err
	}
	if diags.HasErrors() {
		printDiagnostics(cmd.ErrOrStderr(), diags, sources)
		return in, &exitError{code: exitUsage}
	}
	return in, nil
}

func printDiagnostics(w io.Writer, diags template.Diagnostics, sources render.Sources) {
	for _, d := range diags {
		render.Text(w, d, sources[d.Range.Filename])
	}
	fmt.Fprintf(w, "iotpt: %s in the input files\n", render.Plural(diags.Count(template.Error), "error"))
}
