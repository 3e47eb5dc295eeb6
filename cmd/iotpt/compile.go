package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/atomicfile"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

type compileFlags struct {
	opts     template.CompileOptions
	enabled  bool
	output   string
	maxBytes int
	address  string
}

func newCompileCmd() *cobra.Command {
	var fl compileFlags
	cmd := &cobra.Command{
		Use:   "compile SRC",
		Short: "Turn a readable template into the escaped artifact an AWS API takes",
		Long: `Compile reads a template written readably (JSON or YAML, comments and all,
policy documents as objects) and writes exactly what an AWS API takes:

  --emit body                 the minified body, as --template-body takes it
  --emit registration-config  {"templateBody", "roleArn", "templateName"} for
                              aws iot register-ca-certificate --registration-config
  --emit cli-input            the --cli-input-json of aws iot create-provisioning-template
  --emit cloudformation       an AWS::IoT::ProvisioningTemplate resource (--yaml for YAML)
  --emit terraform            an aws_iot_provisioning_template resource in HCL, the body
                              as template_body = jsonencode({...})

Every form that has one says the template is enabled unless --enabled=false
or the source says otherwise: the APIs' own default is disabled, which
fails every device.

Policy documents written as objects become escaped strings; key order
follows the source; output is byte-for-byte deterministic. The template is
linted first and errors stop the compile; API limits (body length, name
pattern, role ARN) are checked on the result. -o never writes over the
source file or through a symbolic link. Fields the flags leave empty
are taken from the source when it is a registration config or CLI input.

Exit codes: 0 compiled, 1 lint or compile errors, 2 usage or I/O problem.`,
		Example: `  iotpt compile template.yaml > body.json
  iotpt compile template.yaml --emit registration-config \
      --role-arn arn:aws:iam::123456789012:role/JITPRole -o registration-config.json
  iotpt compile template.yaml --emit cli-input --name sensors --type FLEET_PROVISIONING \
      --role-arn arn:aws:iam::123456789012:role/Provisioning
  iotpt compile template.yaml --emit cloudformation --name sensors --role-arn ... --yaml`,
		Args: argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if cmd.Flags().Changed("enabled") {
				fl.opts.Enabled = &fl.enabled
			}
			return runCompile(cmd, args[0], fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.opts.Emit, "emit", template.EmitBody, "what to write: "+strings.Join(template.EmitForms, ", "))
	f.StringVar(&fl.opts.Name, "name", "", "template name (cli-input, cloudformation, terraform; optional in registration-config)")
	f.StringVar(&fl.opts.RoleARN, "role-arn", "", "IAM role AWS IoT provisions with")
	f.StringVar(&fl.opts.Type, "type", "", "FLEET_PROVISIONING or JITP")
	f.StringVar(&fl.opts.HookARN, "hook-arn", "", "Lambda function ARN of a pre-provisioning hook")
	f.StringVar(&fl.opts.Description, "description", "", "template description")
	f.BoolVar(&fl.enabled, "enabled", true, "whether the template is enabled; the APIs' own default is disabled, so every artifact says enabled: true unless this is false or the source says otherwise")
	f.BoolVar(&fl.opts.YAML, "yaml", false, "write the CloudFormation template as YAML")
	f.StringVarP(&fl.output, "output", "o", "", "write to this file instead of standard output")
	f.IntVar(&fl.maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	f.StringVar(&fl.address, "address", "", "the template to compile of a Terraform file that holds several (aws_iot_provisioning_template.NAME)")
	registerValues(cmd, map[string][]string{"emit": template.EmitForms, "type": templateTypes})
	return cmd
}

func runCompile(cmd *cobra.Command, path string, fl compileFlags) error {
	if !slices.Contains(template.EmitForms, fl.opts.Emit) {
		return commandLineErr(cmd, "unknown --emit %q (want %s)", fl.opts.Emit, strings.Join(template.EmitForms, ", "))
	}
	text, err := input.Read(path, cmd.InOrStdin(), fl.maxBytes)
	if err != nil {
		return usageErr("%v", err)
	}
	name := displayName(path)
	var cfg *lint.Config
	if path != input.Stdin {
		if p := lint.FindConfig(filepath.Dir(path)); p != "" {
			if cfg, err = lint.LoadConfig(p); err != nil {
				return inputErr(cmd, err)
			}
		}
	}
	res := lint.Check(name, text, lint.Options{Type: fl.opts.Type, MaxBytes: fl.maxBytes, Config: cfg, Address: fl.address})
	if res.File.Foreign != "" {
		return usageErr("%s: %s", name, res.File.Foreign)
	}
	if missing := missingCompileFlags(res.File, fl.opts); len(missing) > 0 {
		return commandLineErr(cmd, "--emit %s needs %s (%s gives none); usage: %s %s --emit %s %s", fl.opts.Emit,
			strings.Join(missing, " and "), name, cmd.CommandPath(), path, fl.opts.Emit, strings.Join(flagPlaceholders(missing), " "))
	}
	if res.Diagnostics.HasErrors() {
		for _, d := range res.Diagnostics {
			if d.Severity == template.Error {
				render.Text(cmd.ErrOrStderr(), d, res.File.Source)
			}
		}
		return &exitError{code: exitFailed, err: errorsStop(name)}
	}
	out, diags := eval.Emit(res.File, fl.opts)
	if len(diags) > 0 {
		for _, d := range diags {
			render.Text(cmd.ErrOrStderr(), d, nil)
		}
		return &exitError{code: exitFailed}
	}
	if fl.output != "" {
		if path != input.Stdin {
			if src, err := os.Stat(path); err == nil {
				if dst, err := os.Stat(fl.output); err == nil && os.SameFile(src, dst) {
					return usageErr("-o %s is the source file %s: compiling over it would lose the readable source; write the artifact to another file", fl.output, path)
				}
			}
		}
		if err := atomicfile.Write(fl.output, out); err != nil {
			return usageErr("%v", err)
		}
		return nil
	}
	_, err = cmd.OutOrStdout().Write(out)
	return err
}

func errorsStop(name string) error {
	return &stopError{name}
}

type stopError struct{ name string }

func (e *stopError) Error() string {
	return e.name + " has errors; fix them before compiling (iotpt lint " + e.name + ")"
}

// missingCompileFlags names the flags the emitted form needs that neither
// the command line nor the source file (a registration config or CLI input
// carries a name and a role) gives.
func missingCompileFlags(f *template.File, o template.CompileOptions) []string {
	given := func(v string, keys ...string) bool {
		if v != "" {
			return true
		}
		for _, k := range keys {
			if f == nil {
				break
			}
			if s, ok := f.WrapperField(k).(*template.String); ok && s.Value != "" {
				return true
			}
		}
		return false
	}
	var missing []string
	if (o.Emit == template.EmitCLIInput || o.Emit == template.EmitCloudFormation || o.Emit == template.EmitTerraform) && !given(o.Name, "templateName") {
		missing = append(missing, "--name")
	}
	if o.Emit != template.EmitBody && !given(o.RoleARN, "provisioningRoleArn", "roleArn") {
		missing = append(missing, "--role-arn")
	}
	return missing
}

// flagPlaceholders writes flags with a placeholder value: "--name NAME".
func flagPlaceholders(flags []string) []string {
	out := make([]string, len(flags))
	for i, f := range flags {
		out[i] = f + " " + strings.ToUpper(strings.ReplaceAll(strings.TrimPrefix(f, "--"), "-", "_"))
	}
	return out
}
