package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
)

func newRulesCmd() *cobra.Command {
	var rulesFile string
	cmd := &cobra.Command{
		Use:   "rules",
		Short: "List the lint rules",
		Long: `Rules lists every lint rule: its code, name, default severity and title.
Change severities or turn rules off in .iotpt.yaml; iotpt explain CODE shows
one rule's documentation. With --rules, the organisation rules of that file
follow, with their id, severity, the resources they concern and their
message; a mistake in the file is reported and the exit code is 1.`,
		Example: "  iotpt rules\n  iotpt rules | grep policy\n  iotpt rules --rules examples/rules.yaml",
		Args:    argCount(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			var user []lint.UserRule
			if rulesFile != "" {
				var err error
				if user, err = loadRulesFile(cmd, rulesFile); err != nil {
					return err
				}
			}
			tw := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tTITLE")
			for _, r := range lint.Rules() {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Severity, r.Title)
			}
			if err := tw.Flush(); err != nil || user == nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "\nOrganisation rules of %s:\n", rulesFile)
			tw = tabwriter.NewWriter(cmd.OutOrStdout(), 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, "ID\tSEVERITY\tRESOURCES\tMESSAGE")
			for _, r := range user {
				resources, message := strings.Join(r.Resources, ","), r.Message
				if resources == "" {
					resources = "-"
				}
				if message == "" {
					message = "(messageExpression)"
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.ID, r.Severity, resources, message)
			}
			return tw.Flush()
		},
	}
	cmd.Flags().StringVar(&rulesFile, "rules", "", "also list the organisation rules of this YAML file")
	return cmd
}

// loadRulesFile reads the organisation rules of --rules, reporting the
// file's mistakes on stderr (exit 1 when there are errors).
func loadRulesFile(cmd *cobra.Command, path string) ([]lint.UserRule, error) {
	data, err := input.Read(path, nil, template.DefaultMaxBytes)
	if err != nil {
		return nil, usageErr("%v", err)
	}
	u, src, diags := lint.LoadUserRules(path, data)
	for _, d := range diags {
		render.Text(cmd.ErrOrStderr(), d, src)
	}
	if diags.HasErrors() {
		return nil, &exitError{code: exitFailed}
	}
	return u.List(), nil
}
