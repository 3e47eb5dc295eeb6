package render

import (
	"encoding/json"
	"io"

	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/template"
)

// JSONDiagnostic is one diagnostic in the --format json output of lint.
// Lines and columns are 1-based; columns count characters.
type JSONDiagnostic struct {
	File      string `json:"file"`
	Line      int    `json:"line"`
	Column    int    `json:"column"`
	EndLine   int    `json:"endLine"`
	EndColumn int    `json:"endColumn"`
	Severity  string `json:"severity"`
	Code      string `json:"code"`
	Message   string `json:"message"`
	Path      string `json:"path"`
}

// JSONSummary counts files and diagnostics by severity, and the files a
// directory search skipped (absent when none was).
type JSONSummary struct {
	Files    int `json:"files"`
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Infos    int `json:"infos"`
	Skipped  int `json:"skipped,omitempty"`
}

// JSONSkipped is a file a directory search found and did not lint.
type JSONSkipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

// JSONReport is the whole --format json document of lint.
type JSONReport struct {
	Diagnostics []JSONDiagnostic `json:"diagnostics"`
	Summary     JSONSummary      `json:"summary"`
	// Skipped lists the files a search skipped; absent when none was.
	Skipped []JSONSkipped `json:"skipped,omitempty"`
}

// NewJSONReport converts diagnostics of the given number of files.
func NewJSONReport(files int, diags template.Diagnostics) JSONReport {
	r := JSONReport{Diagnostics: make([]JSONDiagnostic, 0, len(diags)), Summary: JSONSummary{Files: files}}
	for _, d := range diags {
		r.Diagnostics = append(r.Diagnostics, JSONDiagnostic{
			File: d.Range.Filename, Line: d.Range.Start.Line, Column: d.Range.Start.Column,
			EndLine: d.Range.End.Line, EndColumn: d.Range.End.Column,
			Severity: d.Severity.String(), Code: d.Code, Message: secret.Redact(d.Message), Path: d.Path,
		})
		switch d.Severity {
		case template.Error:
			r.Summary.Errors++
		case template.Warning:
			r.Summary.Warnings++
		case template.Info:
			r.Summary.Infos++
		}
	}
	return r
}

// WriteJSON writes v as indented JSON followed by a newline.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
