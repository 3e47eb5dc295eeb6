package lint

import (
	"strconv"
	"unicode/utf8"

	"github.com/iotpt/iotpt/template"
)

const maxBodyChars = 10240

var ruleBodyTooLong = &Rule{
	Code: "PT284", Name: "body-too-long", Severity: template.Error,
	Title: "Template body longer than the 10,240 characters the APIs accept",
	Doc: `CreateProvisioningTemplate, RegisterThing, StartThingRegistrationTask and
the JITP registration config accept a templateBody of at most 10,240
characters. The length counts the body as sent: indentation and line breaks
included. iotpt compile sends it minified; if even that is too long, move
policies out (PolicyName of an existing policy) or shorten names.`,
	Bad:  `(a pretty-printed body of 12,000 characters)`,
	Good: `(the same body, minified by iotpt compile, 8,000 characters)`,
	Run: func(p *Pass) {
		var sent int
		at := template.Node(p.Template.Root)
		if p.File.BodyString != nil {
			sent, at = utf8.RuneCountInString(p.File.BodyString.Value), p.File.BodyString
		} else if p.File.Form == template.FormBody {
			start, end := p.Template.Root.Span()
			sent = utf8.RuneCount(p.File.Source.Text()[start:end])
		} else {
			sent = utf8.RuneCount(template.AppendCompact(nil, p.Template.Root))
		}
		if sent <= maxBodyChars {
			return
		}
		compact := utf8.RuneCount(template.AppendCompact(nil, p.Template.Root))
		msg := "the template body is " + strconv.Itoa(sent) + " characters; the APIs accept at most 10,240"
		if compact <= maxBodyChars {
			msg += "; minified it is " + strconv.Itoa(compact) + ": send it through iotpt compile"
		} else {
			msg += " (even minified it is " + strconv.Itoa(compact) + ")"
		}
		p.Report(at, msg)
	},
}
