package render

import (
	"fmt"
	"io"
	"strings"

	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/template"
)

// GitHub writes diagnostics as GitHub Actions workflow commands, which show
// as annotations on the pull request:
//
//	::error file=t.json,line=3,endLine=3,col=5,endColumn=9,title=PT201::message
func GitHub(w io.Writer, diags template.Diagnostics) {
	for _, d := range diags {
		cmd := "notice"
		switch d.Severity {
		case template.Error:
			cmd = "error"
		case template.Warning:
			cmd = "warning"
		}
		var props string
		if d.Range.Filename != template.CommandLine { // a value given on the command line is in no file
			props = "file=" + ghProperty(d.Range.Filename) + ","
			if d.Range.Start.IsValid() {
				props += fmt.Sprintf("line=%d,endLine=%d,col=%d,endColumn=%d,", d.Range.Start.Line, d.Range.End.Line, d.Range.Start.Column, d.Range.End.Column)
			}
		}
		props += "title=" + ghProperty(d.Code)
		fmt.Fprintf(w, "::%s %s::%s\n", cmd, props, ghData(secret.Redact(d.Message)))
	}
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
