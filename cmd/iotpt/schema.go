package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/schema"
)

func newSchemaCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "schema [" + strings.Join(schema.Names(), "|") + "]",
		Short: "Print a JSON Schema, for editors and other tools",
		Long: `Schema prints one of iotpt's JSON Schemas (draft 2020-12): a template body
(the default), a JITP registration config, create-provisioning-template CLI
input, one line of a bulk parameters file, an --existing registry file, a
--hook-response file, an organisation rules file (rules) or a template test
file (tests). Point your editor at it for completion and checking as you
type; the README shows how for VS Code and JetBrains IDEs.`,
		Example: `  iotpt schema > .vscode/iot-template.schema.json
  iotpt schema registration-config
  iotpt schema tests > .vscode/iotpt-test.schema.json`,
		Args:      argCount(0, 1),
		ValidArgs: schema.Names(),
		RunE: func(cmd *cobra.Command, args []string) error {
			name := "body"
			if len(args) == 1 {
				name = args[0]
			}
			data, ok := schema.Get(name)
			if !ok {
				return commandLineErr(cmd, "no schema %q (want one of %s)", name, strings.Join(schema.Names(), ", "))
			}
			_, err := cmd.OutOrStdout().Write(data)
			return err
		},
	}
}
