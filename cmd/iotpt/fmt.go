package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/internal/atomicfile"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/textdiff"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

type fmtFlags struct {
	yaml, check, write, diff bool
	maxBytes                 int
	address                  string
}

func newFmtCmd() *cobra.Command {
	var fl fmtFlags
	cmd := &cobra.Command{
		Use:   "fmt FILE|DIR...",
		Short: "Rewrite templates readably: indented, policy documents as objects",
		Long: `Fmt is compile in reverse: it reads a template in any form (a body, a
registration config, CLI input, a JSON string, a Terraform resource; JSON,
YAML or HCL) and prints the body readably, indented two spaces, with policy documents unescaped to
objects and keys in their original order (--yaml for YAML with
CloudFormation short tags).

-w rewrites JSON template bodies in place; --check lists those that are not
formatted and exits 1 (for pre-commit); --diff prints what -w would change
as a unified diff (like gofmt -d). Registration configs, CLI input and
JSON strings are compiled artifacts: fmt prints their body but does not
rewrite them (iotpt compile makes them). YAML files are not rewritten
either, since that would drop their comments. A file that does not parse
is never rewritten.

A directory is searched as lint searches it: the *.json, *.yaml and *.yml
files that look like templates, less those .iotpt.yaml ignores; with -w,
--check or --diff, the compiled artifacts and YAML files found there are
passed over without a note.

Exit codes: 0 formatted, 1 files not formatted (--check) or unreadable
templates, 2 usage or I/O problem.`,
		Example: `  iotpt fmt registration-config.json > template.json   # unescape an artifact
  iotpt fmt --yaml template.json > template.yaml
  iotpt fmt -w templates/
  iotpt fmt --check templates/*.json
  iotpt fmt --diff templates/`,
		Args: argCount(1, -1),
		RunE: func(cmd *cobra.Command, args []string) error { return runFmt(cmd, args, fl) },
	}
	f := cmd.Flags()
	f.BoolVar(&fl.yaml, "yaml", false, "print YAML instead of JSON")
	f.BoolVar(&fl.check, "check", false, "list the files that are not formatted and exit 1 if any")
	f.BoolVarP(&fl.write, "write", "w", false, "rewrite the files in place")
	f.BoolVarP(&fl.diff, "diff", "d", false, "print a unified diff of what -w would change")
	f.IntVar(&fl.maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	f.StringVar(&fl.address, "address", "", "the template to print of a Terraform file that holds several (aws_iot_provisioning_template.NAME)")
	return cmd
}

func runFmt(cmd *cobra.Command, args []string, fl fmtFlags) error {
	if n := countTrue(fl.check, fl.write, fl.diff); n > 1 {
		return commandLineErr(cmd, "--check, --diff and -w do not go together; choose one")
	}
	if fl.yaml && (fl.check || fl.write || fl.diff) {
		return commandLineErr(cmd, "--yaml prints YAML; it does not go with --check, --diff or -w")
	}
	files := input.Expand(args)
	failed, unreadable := false, false
	configs := map[string]*lint.Config{}
	for _, file := range files {
		path := file.Name
		switch {
		case file.Err != nil: // reported; the other files are still formatted
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s\n", render.Clean(file.Err.Error()))
			unreadable = true
			continue
		case file.Skip != "":
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: skipped %s: %s\n", render.Clean(path), file.Skip)
			continue
		}
		if file.FromDir {
			ignored, err := ignoredByConfig(path, configs)
			if err != nil {
				return inputErr(cmd, err)
			}
			if ignored {
				continue // lint would not look at it either
			}
		}
		text, err := input.Read(path, cmd.InOrStdin(), fl.maxBytes)
		if err != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s\n", render.Clean(err.Error()))
			unreadable = true
			continue
		}
		name := displayName(path)
		f, diags := template.Parse(name, text, template.ParseOptions{MaxBytes: fl.maxBytes, Address: fl.address})
		if file.FromDir && !lint.LooksLikeTemplate(f) {
			continue // a parameters file, a registry, a package.json...
		}
		if f.Foreign != "" {
			return usageErr("%s: %s", name, f.Foreign)
		}
		if diags.HasErrors() || f.Template == nil {
			for _, d := range diags {
				render.Text(cmd.ErrOrStderr(), d, f.Source)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s cannot be formatted until it parses\n", name)
			failed = true
			continue
		}
		out := template.ShowUnknowns(f.Template.Readable())
		if fl.yaml {
			if out, err = template.AppendYAML(nil, f.Template.Root, template.PolicyDocuments(f.Template, false)); err != nil {
				return err
			}
		}
		source := f.Form == template.FormBody && !template.IsYAMLName(name) && path != input.Stdin
		switch {
		case (fl.check || fl.write || fl.diff) && !source && file.FromDir:
			continue // found in a directory: not ours to rewrite
		case (fl.check || fl.write || fl.diff) && !source:
			fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: skipped %s: %s\n", name, notSource(f, name))
		case fl.diff:
			if _, err := io.WriteString(cmd.OutOrStdout(), textdiff.Unified(name+".orig", name, text, out)); err != nil {
				return err
			}
		case fl.check:
			if !bytes.Equal(out, text) {
				fmt.Fprintln(cmd.OutOrStdout(), name)
				failed = true
			}
		case fl.write:
			if !bytes.Equal(out, text) {
				// Re-read what would be written: it must parse, and
				// formatting it again must give it back.
				g, gd := template.Parse(name, out, template.ParseOptions{MaxBytes: max(fl.maxBytes, len(out))})
				if gd.HasErrors() || g.Template == nil || !bytes.Equal(g.Template.Readable(), out) {
					fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s not rewritten: the formatted text does not read back the same (please report this)\n", name)
					failed = true
					continue
				}
				if err := atomicfile.Replace(path, out); err != nil {
					return usageErr("%v", err)
				}
			}
		default:
			if _, err := cmd.OutOrStdout().Write(out); err != nil {
				return err
			}
		}
	}
	if unreadable {
		return &exitError{code: exitUsage}
	}
	if failed {
		return &exitError{code: exitFailed}
	}
	return nil
}

// ignoredByConfig reports whether the .iotpt.yaml found for a file found in
// a directory ignores it, as lint would; configurations are loaded once per
// directory.
func ignoredByConfig(path string, configs map[string]*lint.Config) (bool, error) {
	dir := filepath.Dir(path)
	cfg, ok := configs[dir]
	if !ok {
		if p := lint.FindConfig(dir); p != "" {
			var err error
			if cfg, err = lint.LoadConfig(p); err != nil {
				return false, err
			}
		}
		configs[dir] = cfg
	}
	return cfg.Ignored(path), nil
}

func countTrue(bs ...bool) int {
	n := 0
	for _, b := range bs {
		if b {
			n++
		}
	}
	return n
}

// notSource says why fmt does not rewrite a file.
func notSource(f *template.File, name string) string {
	switch {
	case name == "<stdin>":
		return "standard input cannot be rewritten"
	case template.IsYAMLName(name):
		return "fmt does not rewrite YAML, which would drop its comments"
	case f.Form == template.FormTerraform:
		return "fmt does not rewrite HCL; iotpt fmt " + name + " prints the body as JSON"
	}
	return "a " + f.Form.String() + " is a compiled artifact (iotpt compile makes it); iotpt fmt " + name + " prints its body"
}
