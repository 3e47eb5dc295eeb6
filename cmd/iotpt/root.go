package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/template"
)

// Exit codes shared by every command.
const (
	exitOK     = 0 // nothing at error level / provisioning would succeed
	exitFailed = 1 // errors found / provisioning would fail
	exitUsage  = 2 // bad flags or arguments, unreadable input
	// exitInterrupted is the exit code of a bulk plan stopped by SIGINT
	// (128 + the signal's number, as shells report it).
	exitInterrupted = 130
)

// exitError carries an exit code out of a command. A nil err means the
// command already printed what the user needs.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit %d", e.code)
	}
	return e.err.Error()
}

// usageErr wraps a problem with the command line or its inputs (exit 2).
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, err: fmt.Errorf(format, args...)}
}

// run executes the command line and returns the process exit code.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRootCmd()
	args = goStyleRun(args)
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	err := singleDashFlag(root, args)
	if err == nil {
		_, err = root.ExecuteC()
	}
	if err == nil {
		return exitOK
	}
	var ee *exitError
	var cl *commandLineError
	switch {
	case errors.As(err, &ee):
		if ee.err != nil {
			fmt.Fprintln(stderr, "iotpt:", render.CleanLines(ee.err.Error()))
		}
		return ee.code
	case errors.As(err, &cl):
		printCommandLineError(stderr, cl)
		return exitUsage
	}
	// Cobra's own errors: an unknown command.
	if msg, ok := unknownCommand(root, err); ok {
		fmt.Fprintln(stderr, "iotpt:", render.CleanLines(msg))
	} else {
		fmt.Fprintln(stderr, "iotpt:", render.CleanLines(err.Error()))
	}
	fmt.Fprintln(stderr, "Run 'iotpt --help' for the commands.")
	return exitUsage
}

// inputFormHelp describes --input-form with the forms template knows.
var inputFormHelp = "input form: " + strings.Join(template.InputFormNames(), ", ")

// wantColor decides whether to colour a stream: always or never as asked;
// for auto, only on a terminal, and not when NO_COLOR is set to anything
// (https://no-color.org) or TERM is dumb.
func wantColor(mode string, w io.Writer, getenv func(string) string) bool {
	switch mode {
	case "always":
		return true
	case "never":
		return false
	}
	if getenv("NO_COLOR") != "" || getenv("TERM") == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// outputWidth is the width text output is laid out for: COLUMNS when set,
// else the terminal's width, else (a pipe, a file) render.DefaultWidth.
func outputWidth(w io.Writer, getenv func(string) string) int {
	if n, err := strconv.Atoi(getenv("COLUMNS")); err == nil && n > 0 {
		return n
	}
	if f, ok := w.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		if n, _, err := term.GetSize(int(f.Fd())); err == nil && n > 0 {
			return n
		}
	}
	return render.DefaultWidth
}

// goStyleRun accepts go test's single-dash -run for iotpt test by
// rewriting it to --run, which is what the flag parser knows.
func goStyleRun(args []string) []string {
	if i := slices.Index(args, "test"); i < 0 || slices.Contains(args[:i], "--") {
		return args // not the test command (global flags may come before it)
	}
	out := slices.Clone(args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if a == "-run" || strings.HasPrefix(a, "-run=") {
			out[i] = "-" + a
		}
	}
	return out
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:   "iotpt",
		Short: "Lint, plan and compile AWS IoT Core provisioning templates",
		Long: `iotpt checks AWS IoT Core provisioning templates on your machine, before
anything reaches the cloud: fleet provisioning, just-in-time provisioning
(JITP) and bulk registration templates, written as bare bodies, as JITP
registration configs or as create-provisioning-template CLI input, with
positions that point inside escaped templateBody and PolicyDocument strings.

Exit codes: 0 success, 1 problems found, 2 usage or input error.`,
		Example: `  iotpt lint template.json
  iotpt lint --format json templates/
  cat registration-config.json | iotpt lint -`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			mode, _ := cmd.Flags().GetString("color")
			if mode != "auto" && mode != "always" && mode != "never" {
				return commandLineErr(cmd, "unknown --color %q (want auto, always or never)", mode)
			}
			if n, err := cmd.Flags().GetInt("max-bytes"); err == nil && (n <= 0 || n > template.MaxMaxBytes) {
				return commandLineErr(cmd, "--max-bytes %d: give a size from 1 to %d bytes (%d MiB); memory use grows with it (see SECURITY.md)", n, template.MaxMaxBytes, template.MaxMaxBytes>>20)
			}
			out, errOut := cmd.OutOrStdout(), cmd.ErrOrStderr()
			cmd.SetOut(render.WithWidth(out, outputWidth(out, os.Getenv)))
			cmd.SetErr(render.WithWidth(errOut, outputWidth(errOut, os.Getenv)))
			if wantColor(mode, out, os.Getenv) {
				cmd.SetOut(render.Color(cmd.OutOrStdout()))
			}
			if wantColor(mode, errOut, os.Getenv) {
				cmd.SetErr(render.Color(cmd.ErrOrStderr()))
			}
			return nil
		},
	}
	root.PersistentFlags().String("color", "auto", "colour the output: auto (on terminals, unless NO_COLOR is set), always or never")
	registerValues(root, map[string][]string{"color": {"auto", "always", "never"}})
	root.Version = versionString()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	root.SetHelpCommand(newHelpCmd(root))
	root.AddCommand(newLintCmd(), newPlanCmd(), newCompileCmd(), newFmtCmd(), newSchemaCmd(), newRulesCmd(), newExplainCmd(), newTestCmd(), newServeCmd(), newDocsCmd(), newVersionCmd())
	strictCompletion(root)
	initDefaultFlags(root)
	return root
}
