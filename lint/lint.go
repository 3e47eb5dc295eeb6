// Package lint checks provisioning templates and reports what AWS IoT would
// reject or mishandle, with positions in the files the user wrote.
package lint

import (
	"github.com/iotpt/iotpt/template"
)

// Options tunes a lint run. The zero value lints with the defaults.
type Options struct {
	Form     template.InputForm // FormAuto to detect each file's form
	MaxBytes int                // per-file size limit; template.DefaultMaxBytes when 0
}

// Result is the outcome of linting one file.
type Result struct {
	File        *template.File
	Diagnostics template.Diagnostics // sorted by position
}

// Check lints one file's content.
func Check(name string, text []byte, opts Options) Result {
	f, diags := template.Parse(name, text, template.ParseOptions{Form: opts.Form, MaxBytes: opts.MaxBytes})
	if f.Template != nil {
		diags = append(diags, checkCalls(f.Template.Root)...)
		for _, r := range f.Template.Resources {
			if r.PolicyDocument != nil && r.PolicyDocument != r.PolicyDocumentNode {
				diags = append(diags, checkCalls(r.PolicyDocument)...)
			}
		}
	}
	diags.Sort()
	return Result{File: f, Diagnostics: diags}
}

// checkCalls checks the shape of every intrinsic function call below n.
func checkCalls(n template.Node) template.Diagnostics {
	var diags template.Diagnostics
	template.Walk(n, func(n template.Node) bool {
		if c, ok := template.AsCall(n); ok {
			diags = append(diags, c.Check()...)
		}
		return true
	})
	return diags
}
