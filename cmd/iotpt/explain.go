package main

import (
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
)

// explainEntry is one thing iotpt explain knows: a rule, a diagnostic
// code, an organisation rule.
type explainEntry struct {
	names    []string      // what it is looked up by (a code, a name), ignoring case
	markdown func() string // its documentation, in Markdown
}

// explainSources are where explain looks, in this order. Each gives its
// entries; a new kind of entry is one more function here.
var explainSources = []func() []explainEntry{ruleEntries, codeEntries, pointEntries}

// pointEntries are the uncertain points of the service model's register
// (U1 to U40) and iotpt's own assumptions (A1 and up), which plans cite.
func pointEntries() []explainEntry {
	var out []explainEntry
	for _, p := range append(append([]model.Point(nil), model.Uncertain...), model.Own...) {
		out = append(out, explainEntry{names: []string{p.ID}, markdown: p.Markdown})
	}
	return out
}

// ruleEntries are the lint rules, by code and name.
func ruleEntries() []explainEntry {
	var out []explainEntry
	for _, r := range lint.Rules() {
		out = append(out, explainEntry{names: []string{r.Code, r.Name}, markdown: func() string { return lint.Markdown(r) }})
	}
	return out
}

// codeEntries are the codes of the parser, the planner, the compiler,
// bulk files and organisation rules.
func codeEntries() []explainEntry {
	var out []explainEntry
	for _, code := range lint.Codes() {
		out = append(out, explainEntry{names: []string{code}, markdown: func() string {
			return fmt.Sprintf("# %s: %s\n\n%s\n", code, lint.CodeTitle(code), lint.CodeHelp(code))
		}})
	}
	return out
}

// userRuleEntries are the organisation rules of a rules file.
func userRuleEntries(file string, rules []lint.UserRule) []explainEntry {
	var out []explainEntry
	for _, r := range rules {
		out = append(out, explainEntry{names: []string{r.ID}, markdown: func() string { return userRuleMarkdown(file, r) }})
	}
	return out
}

func userRuleMarkdown(file string, r lint.UserRule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n**Organisation rule** of %s (severity: %s)\n\n", r.ID, file, r.Severity)
	if r.Message != "" {
		fmt.Fprintf(&b, "%s.\n\n", strings.TrimSuffix(r.Message, "."))
	}
	if len(r.Resources) > 0 {
		fmt.Fprintf(&b, "Checked for every %s resource.\n\n", strings.Join(r.Resources, " and every "))
	} else {
		b.WriteString("Checked once for the template.\n\n")
	}
	fmt.Fprintf(&b, "## Passes when\n\n```cel\n%s\n```\n", strings.TrimSpace(r.Expression))
	if r.MessageExpression != "" {
		fmt.Fprintf(&b, "\n## Message\n\n```cel\n%s\n```\n", strings.TrimSpace(r.MessageExpression))
	}
	return b.String()
}

// lookupEntry finds name among the entries, ignoring case; else it returns
// the nearest name to suggest.
func lookupEntry(entries []explainEntry, name string) (*explainEntry, string) {
	best, bestDist := "", max(3, len(name)/4)+1
	if len(name) <= 6 { // a code: PT209 is not a near miss of PT999
		bestDist = 2
	}
	for i, e := range entries {
		for _, n := range e.names {
			if strings.EqualFold(n, name) {
				return &entries[i], ""
			}
			if d := editDistance(strings.ToLower(name), strings.ToLower(n)); d < bestDist {
				best, bestDist = n, d
			}
		}
	}
	return nil, best
}

func allEntries(extra ...explainEntry) []explainEntry {
	out := slices.Clone(extra)
	for _, source := range explainSources {
		out = append(out, source()...)
	}
	return out
}

func newExplainCmd() *cobra.Command {
	var rulesFile string
	cmd := &cobra.Command{
		Use:   "explain CODE|NAME",
		Short: "Show the documentation of a rule or diagnostic code",
		Long: `Explain prints what a rule or a diagnostic code catches, why it matters and
how to fix it; for a rule, with an example that fires and one that does not.
It knows every code: the rules' (iotpt rules lists them) and those of the
parser (PT0xx), the planner and bulk files (PT1xx), compile and the
organisation rules; and the ids of assumptions (U1 to U40 from the fact
sheet's register of uncertain points, A1 and up of iotpt's own), which plans
list where AWS does not document its behaviour, with the question, the
reading iotpt takes and its sources. Codes and names are matched ignoring
case. With --rules, the organisation rules of that file are explained too,
by id.

On a terminal (or with --color always) the Markdown is laid out for
reading; piped, it is printed as Markdown.`,
		Example: "  iotpt explain PT323\n  iotpt explain action-resource-mismatch\n  iotpt explain U7\n  iotpt explain --rules examples/rules.yaml thing-in-group",
		Args:    argCount(1, 1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
			var names []string
			for _, e := range allEntries() {
				names = append(names, e.names...)
			}
			return names, cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			var extra []explainEntry
			if rulesFile != "" {
				rules, err := loadRulesFile(cmd, rulesFile)
				if err != nil {
					return err
				}
				extra = userRuleEntries(rulesFile, rules)
			}
			e, nearest := lookupEntry(allEntries(extra...), args[0])
			if e == nil {
				hint := ""
				if nearest != "" {
					hint = fmt.Sprintf("; did you mean %s?", nearest)
				}
				return usageErr("no rule or code %q%s (iotpt rules lists the rules)", args[0], hint)
			}
			out := cmd.OutOrStdout()
			color, _ := cmd.Flags().GetString("color")
			if f, ok := render.Underlying(out).(*os.File); color == "always" || ok && term.IsTerminal(int(f.Fd())) {
				render.Markdown(out, e.markdown())
				return nil
			}
			_, err := fmt.Fprint(out, e.markdown())
			return err
		},
	}
	cmd.Flags().StringVar(&rulesFile, "rules", "", "also explain the organisation rules of this YAML file")
	return cmd
}
