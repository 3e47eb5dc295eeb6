package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

type lintFlags struct {
	format    string
	inputForm string
	maxBytes  int
}

func newLintCmd() *cobra.Command {
	var fl lintFlags
	cmd := &cobra.Command{
		Use:   "lint FILE|DIR|- ...",
		Short: "Check templates for mistakes, with exact positions",
		Long: `Lint parses each file and reports every problem as
file:line:col: severity CODE: message, followed by the source line with a
caret. Positions inside escaped templateBody and PolicyDocument strings point
at the character in the file you opened.

A file may be a bare template body, a JITP registration config
({"templateBody": "...", "roleArn": ...}), create-provisioning-template CLI
input, or one JSON string holding a body; the form is detected unless
--input-form says. A directory is searched for *.json files; - reads stdin.

Exit codes: 0 no errors, 1 errors found, 2 usage or I/O problem.`,
		Example: `  # Lint one template and a directory of them
  iotpt lint fleet-template.json templates/

  # Machine-readable output for CI
  iotpt lint --format json registration-config.json

  # A body piped in, read as a JSON string holding the template
  jq .templateBody cli-input.json | iotpt lint --input-form string -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error { return runLint(cmd, args, fl) },
	}
	f := cmd.Flags()
	f.StringVar(&fl.format, "format", "text", "output format: text or json")
	f.StringVar(&fl.inputForm, "input-form", "auto", "input form: auto, body, registration-config, cli-input or string")
	f.IntVar(&fl.maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	return cmd
}

func runLint(cmd *cobra.Command, args []string, fl lintFlags) error {
	if fl.format != "text" && fl.format != "json" {
		return usageErr("unknown --format %q (want text or json)", fl.format)
	}
	form, err := template.ParseInputForm(fl.inputForm)
	if err != nil {
		return usageErr("%v", err)
	}
	if fl.maxBytes <= 0 {
		return usageErr("--max-bytes must be positive")
	}
	paths, err := input.Expand(args)
	if err != nil {
		return usageErr("%v", err)
	}
	opts := lint.Options{Form: form, MaxBytes: fl.maxBytes}
	var all template.Diagnostics
	sources := map[string]*template.Source{}
	for _, p := range paths {
		text, err := input.Read(p, cmd.InOrStdin(), fl.maxBytes)
		if errors.Is(err, input.ErrTooLarge) {
			all = append(all, template.TooLarge(displayName(p), fl.maxBytes))
			continue
		} else if err != nil {
			return usageErr("%v", err)
		}
		res := lint.Check(displayName(p), text, opts)
		sources[displayName(p)] = res.File.Source
		all = append(all, res.Diagnostics...)
	}
	out := cmd.OutOrStdout()
	switch fl.format {
	case "json":
		if err := render.WriteJSON(out, render.NewJSONReport(len(paths), all)); err != nil {
			return err
		}
	default:
		for _, d := range all {
			render.Text(out, d, sources[d.Range.Filename])
		}
		if len(all) > 0 {
			fmt.Fprintf(out, "%s, %s, %s in %s\n", plural(all.Count(template.Error), "error"),
				plural(all.Count(template.Warning), "warning"), plural(all.Count(template.Info), "info"), plural(len(paths), "file"))
		}
	}
	if all.HasErrors() {
		return &exitError{code: exitFailed}
	}
	return nil
}

// displayName is how a path appears in diagnostics.
func displayName(p string) string {
	if p == input.Stdin {
		return "<stdin>"
	}
	return p
}

// plural formats "1 error", "2 errors".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
