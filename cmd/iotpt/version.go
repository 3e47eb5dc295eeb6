package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

func newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print the iotpt version and the commit it was built from",
		Example: "  iotpt version",
		Args:    argCount(0, 0),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(cmd.OutOrStdout(), versionString())
			return nil
		},
	}
}

// versionString reads the module version and VCS data from the build info.
func versionString() string {
	version, commit, modified := "(devel)", "", false
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				commit = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	out := "iotpt " + version
	switch {
	case commit == "":
		out += " (built without VCS information)"
	case modified:
		out += " commit " + commit + " (modified)"
	default:
		out += " commit " + commit
	}
	return out
}
