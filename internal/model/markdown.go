package model

import (
	"strconv"
	"strings"
)

// ChecksTable is the Markdown table of every check: its code, what it
// checks, when AWS applies it and what AWS answers. The README shows it,
// generated; docs/model.md adds sources.
func ChecksTable(withSources bool) string {
	var b strings.Builder
	if withSources {
		b.WriteString("| code | check | when AWS applies it | what AWS answers | source | rests on |\n|---|---|---|---|---|---|\n")
	} else {
		b.WriteString("| code | check | when AWS applies it | what AWS answers |\n|---|---|---|---|\n")
	}
	for _, c := range Checks {
		when := "when a device provisions"
		if c.Stage == AtCreate {
			when = "when the template is created or attached to a CA"
		}
		answer := c.AWSError
		if c.Rejected.ErrorCode != "" {
			if answer != "" {
				answer += "; "
			}
			answer += "MQTT " + itoa(c.Rejected.StatusCode) + " " + c.Rejected.ErrorCode
		}
		row := "| " + c.Code + " | " + c.Title + " | " + when + " | " + escapeCell(answer) + " |"
		if withSources {
			rests := c.Assumption
			if c.Rejected.Assumption != "" && c.Rejected.Assumption != c.Assumption {
				rests = strings.TrimPrefix(rests+", "+c.Rejected.Assumption, ", ")
			}
			row += " " + escapeCell(c.Source) + " | " + rests + " |"
		}
		b.WriteString(row + "\n")
	}
	return b.String()
}

// RegisterTable is the Markdown table of the uncertain points and iotpt's
// own assumptions, with the reading iotpt takes.
func RegisterTable() string {
	var b strings.Builder
	b.WriteString("| id | question | what iotpt assumes |\n|---|---|---|\n")
	for _, p := range append(append([]Point(nil), Uncertain...), Own...) {
		reading := p.Reading
		if p.NotApplicable != "" {
			reading = "not relied on: " + p.NotApplicable
		}
		b.WriteString("| " + p.ID + " | " + escapeCell(p.Question) + " | " + escapeCell(reading) + " |\n")
	}
	return b.String()
}

// Document is docs/model.md: the service model as people read it.
func Document() string {
	return `# What iotpt knows of AWS IoT

Generated from the service model (` + "`internal/model`" + `) by
` + "`go test ./internal/model -run TestDocs -update`" + `; do not edit by hand.

Every fact below lives once, in the model, with its source in the
project's fact sheet. ` + "`iotpt plan`" + ` applies each check to concrete values and
fails with its code; ` + "`iotpt lint`" + ` applies the same check to the known parts
of values (a ThingName ` + "`\"sensor \" + <Serial>`" + ` has a space whatever the
serial) and reports the same code. Checks AWS applies **when the template
is created** (CreateProvisioningTemplate, RegisterCACertificate /
UpdateCACertificate) refuse every device; checks applied **when a device
provisions** refuse that device, with the MQTT answer shown.

## Checks

` + ChecksTable(true) + `
## Where AWS does not document its behaviour

Each point of the fact sheet's register of uncertain points (U1 to U40),
and each assumption of iotpt's own (A1 and up), with the reading iotpt
takes. A plan that relies on one lists it under Assumptions with its id;
` + "`iotpt explain U7`" + ` shows one in full.

` + RegisterTable()
}

func escapeCell(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func itoa(n int) string { return strconv.Itoa(n) }
