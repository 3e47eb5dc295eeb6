package lint

import (
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// Rule is one lint check: its documentation, which is data, and a function
// that runs it. Rules never choose their severity: it comes from the
// registry (Severity) and the user's configuration.
type Rule struct {
	Code     string            // stable, e.g. "PT201"
	Name     string            // readable alias, e.g. "unknown-section"
	Title    string            // one line, no final period
	Severity template.Severity // default severity
	Doc      string            // what the rule catches, why it matters, how to fix it
	Bad      string            // a template fragment that fires
	Good     string            // the same fragment, fixed
	Run      func(*Pass)
	// Model is the service model's check the rule applies, for rules
	// generated from it (nil for lint's own rules).
	Model *model.Check
}

// Pass is what a rule sees of one file and how it reports.
type Pass struct {
	File     *template.File
	Template *template.Template // never nil when a rule runs
	// Type is the template type: the file's own, --type, else inferred
	// (eval.InferType: BULK_REGISTRATION for a body whose certificate comes
	// from a CSR or PEM, FLEET_PROVISIONING otherwise).
	Type string
	// TypeAssumed is set when neither the file nor the options gave the
	// type, so that Type is iotpt's guess.
	TypeAssumed bool
	// Plan is the template evaluated with every parameter unknown, so that
	// rules can check the known parts of values ("sensor_" + <Serial>).
	Plan *eval.Plan
	// Cert is the device certificate given with --cert, or nil.
	Cert *eval.Certificate

	rule        *Rule
	report      func(template.Diagnostic)
	parseErrors []string // JSON pointers of values the parser reported errors in

	policyStrings map[template.Node]bool            // see isPolicyDocumentString
	planned       map[*template.Resource]eval.Value // see PlannedProperties
}

// Report records a finding at node n.
func (p *Pass) Report(n template.Node, msg string, fixes ...template.Fix) {
	p.ReportAt(n.Range(), n.Pointer(), msg, fixes...)
}

// ReportSeverity records a finding at node n with a severity below the
// rule's: for a case the rule cannot be sure of.
func (p *Pass) ReportSeverity(sev template.Severity, n template.Node, msg string) {
	sev = max(sev, p.rule.Severity)
	p.report(template.Diagnostic{Severity: sev, Code: p.rule.Code, Message: msg, Range: n.Range(), Path: n.Pointer()})
}

// ReportAt records a finding at a range, with the JSON pointer of the value
// it concerns.
func (p *Pass) ReportAt(r template.Range, ptr, msg string, fixes ...template.Fix) {
	msg = cfnMarkers.Replace(msg)
	p.report(template.Diagnostic{Severity: p.rule.Severity, Code: p.rule.Code, Message: msg, Range: r, Path: ptr, Fixes: fixes})
}

// cfnMarkers writes the CloudFormation variables of a body taken from an
// Fn::Sub (kept as private-use characters while checking) as the ${Name}
// the user wrote, raw or as strconv.Quote escapes them.
var cfnMarkers = strings.NewReplacer(template.CFNVarStart, "${", template.CFNVarEnd, "}", `\ue000`, "${", `\ue001`, "}")

// JITP reports whether the template is a just-in-time provisioning one.
func (p *Pass) JITP() bool { return p.Type == eval.JITP }

// Evaluated reports whether provisioning evaluates the body's value at the
// JSON pointer ptr, as the plan does: resource properties, Mappings (where
// a function fails the template, PT241) and DeviceConfiguration, except a
// JITP template's (U7). A mistake anywhere else (an attribute of a
// parameter, a section AWS ignores, U1) cannot make provisioning fail.
func (p *Pass) Evaluated(ptr string) bool {
	under := func(prefix string) bool { return ptr == prefix || strings.HasPrefix(ptr, prefix+"/") }
	switch {
	case under("/Mappings"):
		return true
	case under("/DeviceConfiguration"):
		return !p.JITP()
	}
	rest, ok := strings.CutPrefix(ptr, "/Resources/")
	if !ok {
		return false
	}
	_, rest, ok = strings.Cut(rest, "/") // past the logical ID (a "/" in it is "~1")
	return ok && (rest == "Properties" || strings.HasPrefix(rest, "Properties/"))
}

// Fleet reports whether the template is a fleet provisioning one.
func (p *Pass) Fleet() bool { return p.Type == eval.FleetProvisioning }

// PlannedProperties returns the evaluated properties of a resource.
func (p *Pass) PlannedProperties(r *template.Resource) eval.Value {
	if p.planned == nil { // built once, so that a rule per resource stays linear
		p.planned = make(map[*template.Resource]eval.Value, len(p.Plan.Resources))
		for _, rp := range p.Plan.Resources {
			if _, dup := p.planned[rp.Resource]; !dup {
				p.planned[rp.Resource] = rp.Properties
			}
		}
	}
	return p.planned[r]
}

// Resources returns the template's resources of type typ.
func (p *Pass) Resources(typ string) []*template.Resource {
	var out []*template.Resource
	for _, r := range p.Template.Resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// replaceString builds a fix that replaces the value of string node s
// with text, escaped for every level it lands in (see
// template.String.ReplaceValue). It returns no fix when the exact bytes of
// the value cannot be edited (a YAML block scalar), and a fix that is not
// safe when s held text that its decoded value does not keep (invalid
// UTF-8, a lone surrogate), since rewriting it would change it.
func replaceString(s *template.String, msg, text string) []template.Fix {
	edit, ok := s.ReplaceValue(text)
	if !ok {
		return nil
	}
	safe := keepsMeaning(s.Value) && keepsMeaning(text)
	return []template.Fix{{Message: msg, Safe: safe, Edits: []template.Edit{edit}}}
}

// keepsMeaning reports whether text, decoded from a string, can be written
// back without changing it: not when decoding replaced something by U+FFFD
// (invalid UTF-8, a lone surrogate) or the text is not valid UTF-8.
func keepsMeaning(text string) bool {
	return utf8.ValidString(text) && !strings.ContainsRune(text, utf8.RuneError)
}

// suggest returns the candidate closest to s, or "" (template.Suggest).
func suggest(s string, candidates []string) string { return template.Suggest(s, candidates) }

// didYouMean formats a suggestion for a message.
func didYouMean(s string, candidates []string) string {
	if c := suggest(s, candidates); c != "" {
		return "; did you mean " + quote(c) + "?"
	}
	return ""
}
