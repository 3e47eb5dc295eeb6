package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/lint"
)

func newRulesCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "rules",
		Short: "List the lint rules",
		Long: `Rules lists every lint rule: its code, name, default severity and title.
Change severities or turn rules off in .iotpt.yaml; iotpt explain CODE shows
one rule's documentation.`,
		Example: "  iotpt rules\n  iotpt rules | grep policy",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tTITLE")
			for _, r := range lint.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Severity, r.Title)
			}
			return tw.Flush()
		},
	}
}

func newExplainCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "explain CODE|NAME",
		Short: "Show the documentation of a rule or diagnostic code",
		Long: `Explain prints what a rule catches, why it matters and how to fix it, with
an example that fires and one that does not. Codes of the parser (PT0xx) and
the planner (PT1xx) get their title.`,
		Example: "  iotpt explain PT323\n  iotpt explain action-resource-mismatch",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if r := lint.Lookup(args[0]); r != nil {
				fmt.Fprint(cmd.OutOrStdout(), lint.Markdown(r))
				return nil
			}
			if help := lint.CodeHelp(args[0]); help != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "# %s: %s\n\n%s\n", args[0], lint.CodeTitle(args[0]), help)
				return nil
			}
			if title := lint.CodeTitle(args[0]); title != "" {
				fmt.Fprintf(cmd.OutOrStdout(), "# %s\n\n%s (reported by the parser or the planner; see the README's table of codes)\n", args[0], title)
				return nil
			}
			return usageErr("no rule or code %q; iotpt rules lists them", args[0])
		},
	}
}
