package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"
)

func newDocsCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "docs DIR",
		Short: "Write a Markdown reference page for every command",
		Long: `Docs writes one Markdown page per command into DIR (iotpt.md, iotpt_lint.md,
...), made from the same text as --help: usage, description, examples and
flags. docs/commands in the repository is its output.`,
		Example: "  iotpt docs docs/commands",
		Args:    argCount(1, 1),
		RunE: func(cmd *cobra.Command, args []string) error {
			pages := commandPages(cmd.Root())
			if err := os.MkdirAll(args[0], 0o755); err != nil {
				return usageErr("%v", err)
			}
			for name, text := range pages {
				if err := os.WriteFile(filepath.Join(args[0], name), []byte(text), 0o644); err != nil {
					return usageErr("%v", err)
				}
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %d pages to %s\n", len(pages), args[0])
			return nil
		},
	}
}

// commandPages renders the reference page of root and of every visible
// command below it, keyed by file name.
func commandPages(root *cobra.Command) map[string]string {
	pages := map[string]string{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "help" {
			return
		}
		// Cobra adds --help (and --version) to a command when it runs it: add
		// them to every page's command, so that the pages do not depend on which
		// command wrote them.
		c.InitDefaultHelpFlag()
		c.InitDefaultVersionFlag()
		pages[pageName(c)] = commandPage(c)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return pages
}

func pageName(c *cobra.Command) string {
	return strings.ReplaceAll(c.CommandPath(), " ", "_") + ".md"
}

func commandPage(c *cobra.Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\n%s.\n\n", c.CommandPath(), c.Short)
	if c.Runnable() {
		fmt.Fprintf(&b, "```\n%s\n```\n\n", c.UseLine())
	}
	if c.Long != "" {
		fmt.Fprintf(&b, "```text\n%s\n```\n\n", strings.TrimSpace(c.Long))
	}
	if c.Example != "" {
		fmt.Fprintf(&b, "## Examples\n\n```sh\n%s\n```\n\n", c.Example)
	}
	if fs := c.NonInheritedFlags(); fs.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Flags\n\n```text\n%s```\n\n", fs.FlagUsages())
	}
	if fs := c.InheritedFlags(); fs.HasAvailableFlags() {
		fmt.Fprintf(&b, "## Flags of every command\n\n```text\n%s```\n\n", fs.FlagUsages())
	}
	var subs []string
	for _, sub := range c.Commands() {
		if !sub.Hidden && sub.Name() != "help" {
			subs = append(subs, fmt.Sprintf("- [%s](%s): %s", sub.CommandPath(), pageName(sub), sub.Short))
		}
	}
	if len(subs) > 0 {
		fmt.Fprintf(&b, "## Commands\n\n%s\n\n", strings.Join(subs, "\n"))
	}
	if c.HasParent() {
		fmt.Fprintf(&b, "See also [%s](%s).\n", c.Parent().CommandPath(), pageName(c.Parent()))
	}
	return strings.TrimRight(b.String(), "\n") + "\n"
}
