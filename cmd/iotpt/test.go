package main

import (
	"fmt"
	"regexp"

	"github.com/spf13/cobra"

	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/testrun"
	"github.com/iotpt/iotpt/template"
)

func newTestCmd() *cobra.Command {
	var run string
	var maxBytes int
	cmd := &cobra.Command{
		Use:   "test [FILE|DIR ...]",
		Short: "Run template tests: plan for given inputs and check the result",
		Long: `Test runs template test files: YAML files named *.iotpt-test.yaml, beside the
templates they test. Each case plans the file's template (or its own
template: key) for its inputs (params, a certificate by subject or file, a
hook response, the existing registry, the template type) and checks what
it expects: the outcome, the exact error codes, and CEL assertions over the
plan in the JSON shape of "iotpt plan --format json":

  template: template.json
  cases:
    - name: tokyo sensor
      params: {SerialNumber: ABC-1, DeviceLocation: Tokyo}
      expect:
        assert:
          - plan.thingName == "sensor_ABC-1"
          - '"ap-northeast" in plan.resources.thing.properties.ThingGroups'
    - name: unknown location
      params: {SerialNumber: ABC-1, DeviceLocation: Oslo}
      expect:
        errors: [PT242]

Without arguments the current directory is searched. The report has a line
per case; a failed case shows what broke: the outcome with the plan's
errors, or the assertion with the values of its operands.

Exit codes: 0 every case passed, 1 a case failed or a test file is broken,
2 usage or I/O problem.`,
		Example: `  iotpt test
  iotpt test examples/
  iotpt test -run 'tokyo|dublin' examples/fleet-provisioning/template.iotpt-test.yaml`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts := testrun.Options{MaxBytes: maxBytes}
			if run != "" {
				re, err := regexp.Compile(run)
				if err != nil {
					return usageErr("-run: %v", err)
				}
				opts.Run = re
			}
			if len(args) == 0 {
				args = []string{"."}
			}
			files, notes, err := testrun.Find(args)
			if err != nil {
				return usageErr("%v", err)
			}
			for _, note := range notes {
				fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: %s\n", render.Clean(note))
			}
			sum, err := testrun.Run(files, opts, cmd.OutOrStdout())
			if err != nil {
				return usageErr("%v", err)
			}
			if !sum.OK() {
				fmt.Fprintln(cmd.OutOrStdout(), render.Fail(cmd.OutOrStdout(), "FAIL"))
				if sum.Unreadable > 0 {
					return &exitError{code: exitUsage}
				}
				return &exitError{code: exitFailed}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&run, "run", "", "run only the cases whose name matches this regular expression (-run also works)")
	cmd.Flags().IntVar(&maxBytes, "max-bytes", template.DefaultMaxBytes, "largest file to read, in bytes")
	return cmd
}
