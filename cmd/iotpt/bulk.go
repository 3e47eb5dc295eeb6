package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/bulk"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/template"
)

// runBulk plans every line of a bulk parameters file.
func runBulk(cmd *cobra.Command, path string, form template.InputForm, fl planFlags) error {
	if fl.paramsFile != "" || len(fl.params) > 0 || fl.certFile != "" || fl.hookFile != "" {
		return commandLineErr(cmd, "--bulk takes every parameter from its lines; --params, -p, --cert and --hook-response do not go with it")
	}
	if path == input.Stdin && fl.bulkFile == input.Stdin {
		return commandLineErr(cmd, "the template and the --bulk file cannot both be standard input")
	}
	in := eval.Input{Type: fl.typ, Region: fl.region, Account: fl.account}
	if fl.existingFile != "" {
		sources := render.Sources{}
		full, err := readPlanInput(cmd, planFlags{existingFile: fl.existingFile, maxBytes: fl.maxBytes}, sources)
		if err != nil {
			return err
		}
		in.Existing = full.Existing
	}
	text, err := input.Read(path, cmd.InOrStdin(), fl.maxBytes)
	if err != nil {
		return usageErr("%v", err)
	}
	name := displayName(path)
	f, diags := template.Parse(name, text, template.ParseOptions{Form: form, MaxBytes: fl.maxBytes, Address: fl.address})
	if diags.HasErrors() || f.Template == nil {
		for _, d := range diags {
			render.Text(cmd.ErrOrStderr(), d, f.Source)
		}
		return usageErr("%s cannot be planned: fix the template first (iotpt lint %s)", name, name)
	}
	prog, _ := eval.Compile(f)
	if in.Type == "" && f.TemplateType() == "" {
		in.Type = eval.BulkRegistration
	}

	var r io.Reader = cmd.InOrStdin()
	opts := bulk.Options{Input: in, ParamsName: displayName(fl.bulkFile)}
	stdout := cmd.OutOrStdout()
	opts.Snippet = func(line []byte, n int64, col int) string { return render.LineSnippet(stdout, line, int(n), col) }
	if fl.bulkFile != input.Stdin {
		file, err := os.Open(fl.bulkFile)
		if err != nil {
			return usageErr("%v", err)
		}
		defer file.Close()
		r = file
		if info, err := file.Stat(); err == nil && info.Mode().IsRegular() {
			opts.InputSize = info.Size()
			r = withProgress(cmd.ErrOrStderr(), file, info.Size())
		}
	} else {
		r = withProgress(cmd.ErrOrStderr(), r, -1)
	}
	switch {
	case fl.summaryOnly:
		opts.Format = bulk.FormatNone
	case fl.format == "json":
		opts.Format = bulk.FormatJSON
	default:
		opts.Format = bulk.FormatText
	}
	if os.Getenv("GOMEMLIMIT") == "" && os.Getenv("GOGC") == "" {
		// Bulk runs keep little memory live (the duplicate-name table) and
		// make garbage fast: collect less often (GOGC 300, measured best
		// with scripts/bench.sh), and never let the heap pass 224 MiB.
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(224 << 20))
		defer debug.SetGCPercent(debug.SetGCPercent(300))
	}
	// The first SIGINT stops reading: the lines read are planned, written
	// whole and summarised; a second one exits at once.
	stop := make(chan struct{})
	opts.Stop = stop
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt)
	go func() {
		if _, ok := <-sig; ok {
			close(stop)
			if _, ok := <-sig; ok {
				os.Exit(exitInterrupted)
			}
		}
	}()
	defer func() { signal.Stop(sig); close(sig) }()
	out := bufio.NewWriterSize(cmd.OutOrStdout(), 1<<20)
	sum, err := bulk.Run(prog, r, out, opts)
	if err != nil {
		return usageErr("%v", err)
	}
	typ := in.Type
	if t := f.TemplateType(); t != "" {
		typ = t
	}
	switch {
	case fl.summaryOnly && fl.format == "json":
		err = render.WriteJSON(out, sum)
	case fl.format == "json":
		render.BulkSummary(cmd.ErrOrStderr(), sum, opts.ParamsName, name, typ)
	default:
		if !fl.summaryOnly && sum.Failed > 0 {
			fmt.Fprintln(out)
		}
		render.BulkSummary(out, sum, opts.ParamsName, name, typ)
	}
	if err == nil {
		err = out.Flush()
	}
	if err != nil {
		return err
	}
	if sum.PrivateKeys > 0 {
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: warning: %s held a private key, shown as <private key, N bytes, not shown>; a private key does not belong in a parameter: keep it on the device\n", render.Plural(int(sum.PrivateKeys), "parameter"))
	}
	if sum.Interrupted {
		of := ""
		if fl.bulkFile != input.Stdin {
			if total, err := countLines(fl.bulkFile); err == nil {
				of = fmt.Sprintf(" of %d", total)
			}
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "iotpt: interrupted after %d%s lines\n", sum.Lines, of)
		return &exitError{code: exitInterrupted}
	}
	if sum.Failed > 0 {
		return &exitError{code: exitFailed}
	}
	return nil
}

// countLines counts the lines of a file, a last line without '\n'
// included.
func countLines(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	buf := make([]byte, 1<<16)
	var n int64
	last := byte('\n')
	for {
		k, err := f.Read(buf)
		if k > 0 {
			n += int64(bytes.Count(buf[:k], []byte{'\n'}))
			last = buf[k-1]
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return 0, err
		}
	}
	if last != '\n' {
		n++
	}
	return n, nil
}

// withProgress shows a progress bar on w while r is read, when w is a
// terminal; size is the input's size, or -1 when unknown.
func withProgress(w io.Writer, r io.Reader, size int64) io.Reader {
	f, ok := render.Underlying(w).(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return r
	}
	bar := progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(f), progressbar.OptionShowBytes(true), progressbar.OptionSetDescription("planning"),
		progressbar.OptionClearOnFinish(), progressbar.OptionThrottle(100_000_000))
	pr := progressbar.NewReader(r, bar)
	return &pr
}
