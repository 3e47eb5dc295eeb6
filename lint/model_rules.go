package lint

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// modelRules are the rules generated from the service model
// (internal/model): each is one of AWS's checks, and reports what the plan
// computed with every parameter unknown found for it, so that lint and plan
// apply the same code to the same break. A rule of lint's own never restates
// an AWS constraint.
var modelRules = func() []*Rule {
	var out []*Rule
	for _, c := range model.Checks {
		if c.PlanOnly {
			continue
		}
		out = append(out, modelRule(c))
	}
	return out
}()

// modelRule turns a check of the service model into a rule.
func modelRule(c *model.Check) *Rule {
	code := c.Code
	return &Rule{
		Code: c.Code, Name: c.Name, Title: c.Title, Severity: severityOf(c.Level),
		Doc: c.Doc + "\n\n" + checkFacts(c), Bad: c.Bad, Good: c.Good, Model: c,
		Run: func(p *Pass) { p.reportPlan(code) },
	}
}

// checkFacts says when AWS applies a check, what it answers, where the
// fact comes from, and the uncertain point it rests on.
func checkFacts(c *model.Check) string {
	var b strings.Builder
	if c.Stage == model.AtCreate {
		b.WriteString("AWS applies this check when the template is created or attached to its CA")
	} else {
		b.WriteString("AWS applies this check when a device provisions")
	}
	if c.AWSError != "" {
		b.WriteString(" (" + c.AWSError + ")")
	}
	b.WriteString(". Source: " + c.Source + ".")
	if c.Assumption != "" {
		b.WriteString(" It rests on uncertain point " + c.Assumption + " (iotpt explain " + c.Assumption + ").")
	}
	return b.String()
}

func severityOf(l model.Level) template.Severity {
	switch l {
	case model.Warning:
		return template.Warning
	case model.Info:
		return template.Info
	}
	return template.Error
}

// reportPlan reports the plan's findings with a code: its errors at the
// rule's severity, its warnings as warnings at most. A finding inside a
// value the parser could not read is left to the parser's error.
func (p *Pass) reportPlan(code string) {
	for _, ds := range []template.Diagnostics{p.Plan.Errors, p.Plan.Warnings} {
		for _, d := range ds {
			if d.Code != code || p.underParseError(d.Path) {
				continue
			}
			sev := p.rule.Severity
			if d.Severity > sev { // Error < Warning < Info
				sev = d.Severity
			}
			d.Severity = sev
			p.report(d)
		}
	}
}

// underParseError reports whether a JSON pointer lies at or below a value
// the parser reported an error for.
func (p *Pass) underParseError(ptr string) bool {
	for _, q := range p.parseErrors {
		if ptr == q || strings.HasPrefix(ptr, q+"/") {
			return true
		}
	}
	return false
}
