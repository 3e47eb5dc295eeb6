package main

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/render"
)

// commandLineError is a mistake in the command line itself (an unknown or
// misspelt flag, a missing argument): it is printed with the command's
// name and a pointer to its --help, and exits 2.
type commandLineError struct {
	cmd *cobra.Command
	msg string
}

func (e *commandLineError) Error() string { return e.msg }

func commandLineErr(cmd *cobra.Command, format string, args ...any) error {
	return &commandLineError{cmd: cmd, msg: fmt.Sprintf(format, args...)}
}

// printCommandLineError writes e as
//
//	iotpt plan: missing TEMPLATE; usage: iotpt plan TEMPLATE [flags]
//	Run 'iotpt plan --help' for the flags and examples.
func printCommandLineError(w io.Writer, e *commandLineError) {
	path := e.cmd.CommandPath()
	fmt.Fprintf(w, "%s: %s\n", path, render.CleanLines(e.msg))
	fmt.Fprintf(w, "Run '%s --help' for the flags and examples.\n", path)
}

// argCount checks the number of positional arguments against least and
// most (most < 0: no limit). A missing argument is named from the
// command's usage line ("missing TEMPLATE"), and the usage line follows.
func argCount(least, most int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		switch {
		case len(args) < least:
			return commandLineErr(cmd, "missing %s; usage: %s", argName(cmd, len(args)), cmd.UseLine())
		case most == 0 && len(args) > 0:
			return commandLineErr(cmd, "takes no arguments, got %q; usage: %s", args[0], cmd.UseLine())
		case most >= 0 && len(args) > most:
			return commandLineErr(cmd, "unexpected argument %q (takes %s); usage: %s", args[most], render.Plural(most, "argument"), cmd.UseLine())
		}
		return nil
	}
}

// argName is the name the usage line gives the i-th argument, "lint
// FILE|DIR|- ..." giving "FILE|DIR|-" for every i past the listed ones.
func argName(cmd *cobra.Command, i int) string {
	names := strings.Fields(cmd.Use)[1:]
	if len(names) == 0 {
		return "argument"
	}
	name := names[min(i, len(names)-1)]
	if name == "..." && len(names) > 1 {
		name = names[len(names)-2]
	}
	return strings.Trim(strings.TrimSuffix(name, "..."), "[]")
}

// flagError turns pflag's errors into commandLineErrors that teach: an
// unknown flag gets the nearest known one.
func flagError(cmd *cobra.Command, err error) error {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "unknown flag: --"); ok {
		if s := nearestFlag(cmd, name); s != "" {
			return commandLineErr(cmd, "unknown flag --%s; did you mean --%s?", name, s)
		}
		return commandLineErr(cmd, "unknown flag --%s", name)
	}
	if rest, ok := strings.CutPrefix(msg, "unknown shorthand flag: "); ok {
		letter, arg, _ := strings.Cut(rest, " in ")
		if letter = "-" + strings.Trim(letter, "'"); arg != letter {
			return commandLineErr(cmd, "unknown flag %s (in %s)", letter, arg)
		}
		return commandLineErr(cmd, "unknown flag %s", letter)
	}
	if m := reInvalidArgument.FindStringSubmatch(msg); m != nil {
		want := "a valid value"
		flagName := strings.TrimLeft(m[2], "-")
		if len(flagName) == 1 {
			if f := cmd.Flags().ShorthandLookup(flagName); f != nil {
				flagName = f.Name
			}
		}
		if f := cmd.Flags().Lookup(flagName); f != nil {
			if w := map[string]string{"int": "a whole number", "bool": "true or false"}[f.Value.Type()]; w != "" {
				want = w
			}
		}
		return commandLineErr(cmd, "%s takes %s, not %s", m[2], want, m[1])
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: "); ok {
		if strings.HasPrefix(name, "'") { // a shorthand: 'p' in -p
			name, _, _ = strings.Cut(strings.Trim(name, "'"), "'")
			name = "-" + name
		}
		return commandLineErr(cmd, "%s needs a value", name)
	}
	return commandLineErr(cmd, "%s", msg)
}

// reInvalidArgument matches pflag's message for a value its flag cannot
// take.
var reInvalidArgument = regexp.MustCompile(`^invalid argument ("(?:[^"\\]|\\.)*") for "([^"]+)" flag`)

// nearestFlag is the flag of cmd whose name is closest to name, or "" when
// none is close enough to be what was meant.
func nearestFlag(cmd *cobra.Command, name string) string {
	best, bestDist := "", len(name)/2+1
	visit := func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := editDistance(strings.ToLower(name), f.Name)
		if strings.HasPrefix(f.Name, name) || strings.HasPrefix(name, f.Name) {
			d = min(d, 1)
		}
		if d < bestDist || (d == bestDist && best != "" && f.Name < best) {
			best, bestDist = f.Name, d
		}
	}
	cmd.Flags().VisitAll(visit)
	cmd.InheritedFlags().VisitAll(visit)
	if bestDist > 2 && len(name) < 6 {
		return ""
	}
	return best
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// singleDashFlag finds a long flag written Go-style with one dash
// ("-params") in the arguments of the command args run, which pflag would
// otherwise read as a cluster of one-letter flags. go test's -run for
// iotpt test is accepted (see goStyleRun).
func singleDashFlag(root *cobra.Command, args []string) error {
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == nil {
		return nil
	}
	for _, a := range rest {
		if a == "--" {
			break
		}
		if !strings.HasPrefix(a, "-") || strings.HasPrefix(a, "--") || len(a) < 3 {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if len(name) < 2 {
			continue
		}
		if cmd.Flags().Lookup(name) != nil || cmd.InheritedFlags().Lookup(name) != nil {
			return commandLineErr(cmd, "unknown flag %s; flags take two dashes: -%s", a, a)
		}
		// Not a flag either way: when its first letter is no shorthand
		// (pflag would refuse it), suggest the long flag it resembles.
		if cmd.Flags().ShorthandLookup(name[:1]) == nil && cmd.InheritedFlags().ShorthandLookup(name[:1]) == nil {
			if s := nearestFlag(cmd, name); s != "" {
				return commandLineErr(cmd, "unknown flag %s; did you mean --%s?", a, s)
			}
		}
	}
	return nil
}

// unknownCommand rewrites cobra's "unknown command" error as one line with
// the nearest command.
func unknownCommand(root *cobra.Command, err error) (string, bool) {
	first, _, _ := strings.Cut(err.Error(), "\n")
	if !strings.HasPrefix(first, "unknown command ") {
		return "", false
	}
	q := strings.TrimPrefix(first, "unknown command ")
	name, err2 := strconv.QuotedPrefix(q)
	if err2 != nil {
		return first, true
	}
	name, _ = strconv.Unquote(name)
	return fmt.Sprintf("unknown command %q", name) + nearestCommand(root, name), true
}

// nearestCommand is "; did you mean "x"?" for the command nearest name, or
// "" when none is near.
func nearestCommand(root *cobra.Command, name string) string {
	best, bestDist := "", 3
	for _, c := range root.Commands() {
		if c.Hidden || !c.IsAvailableCommand() {
			continue
		}
		if d := editDistance(strings.ToLower(name), c.Name()); d < bestDist {
			best, bestDist = c.Name(), d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// newHelpCmd replaces cobra's help command, which prints the root's usage
// and exits 0 for a topic it does not know.
func newHelpCmd(root *cobra.Command) *cobra.Command {
	return &cobra.Command{
		Use:   "help [command]",
		Short: "Help about any command",
		Long:  "Help shows the help of a command: iotpt help plan is iotpt plan --help.",
		ValidArgsFunction: func(_ *cobra.Command, args []string, _ string) ([]cobra.Completion, cobra.ShellCompDirective) {
			if len(args) > 0 {
				return nil, cobra.ShellCompDirectiveNoFileComp
			}
			var names []cobra.Completion
			for _, c := range root.Commands() {
				if c.IsAvailableCommand() {
					names = append(names, c.Name())
				}
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(c *cobra.Command, args []string) error {
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == nil || len(rest) > 0 {
				topic := strings.Join(args, " ")
				return usageErr("unknown help topic %q%s\nRun 'iotpt --help' for the commands.", topic, nearestCommand(root, topic))
			}
			cmd.InitDefaultHelpFlag()
			return cmd.Help()
		},
	}
}

// completeValues completes a flag's value from a fixed list.
func completeValues(values ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return values, cobra.ShellCompDirectiveNoFileComp
	}
}

// registerValues registers completions for flags with fixed values; a flag
// the command does not have is a programming error.
func registerValues(cmd *cobra.Command, flagValues map[string][]string) {
	names := make([]string, 0, len(flagValues))
	for name := range flagValues {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		if err := cmd.RegisterFlagCompletionFunc(name, completeValues(flagValues[name]...)); err != nil {
			panic(err)
		}
	}
}

// initDefaultFlags adds cobra's --help (and the root's --version) to every
// command now rather than when it runs, so that a Go-style -help or
// -version is recognised like any other long flag.
func initDefaultFlags(c *cobra.Command) {
	c.InitDefaultHelpFlag()
	c.InitDefaultVersionFlag()
	for _, sub := range c.Commands() {
		initDefaultFlags(sub)
	}
}

// templateTypes are the values of --type.
var templateTypes = []string{eval.FleetProvisioning, eval.JITP}

// shells are the shells iotpt completion writes scripts for.
var shells = []string{"bash", "zsh", "fish", "powershell"}

// strictCompletion makes "iotpt completion SHELL" refuse an unknown shell
// (exit 2) instead of printing the help and exiting 0.
func strictCompletion(root *cobra.Command) {
	root.InitDefaultCompletionCmd()
	for _, c := range root.Commands() {
		if c.Name() != "completion" {
			continue
		}
		c.Args = cobra.ArbitraryArgs
		c.RunE = func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return cmd.Help()
			}
			return commandLineErr(cmd, "unknown shell %q (want %s)", args[0], strings.Join(shells, ", "))
		}
	}
}
