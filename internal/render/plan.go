package render

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// actionSymbol marks resources the way terraform plan does.
var actionSymbol = map[string]string{
	eval.ActionCreate: "+",
	eval.ActionUpdate: "~",
	eval.ActionNoOp:   "=",
	eval.ActionFail:   "!",
}

// actionStyle colours each action's symbol the way terraform plan does.
var actionStyle = map[string]string{
	eval.ActionCreate: styleGreen,
	eval.ActionUpdate: styleYellow,
	eval.ActionNoOp:   styleDim,
	eval.ActionFail:   styleRed,
}

var actionText = map[string]string{
	eval.ActionCreate: "will be created",
	eval.ActionUpdate: "will be updated",
	eval.ActionNoOp:   "stays as it is",
	eval.ActionFail:   "fails",
}

// Plan writes a plan for people: parameters, resources with their
// properties (old -> new for updates), the steps AWS IoT takes, what
// RegisterThing returns, requirements, assumptions, problems with source
// snippets, and a one-line summary. On a colour stream the actions are
// coloured like terraform plan's (+ green, ~ yellow, ! and failure red, =
// dim); lines wider than w's Width are wrapped.
func Plan(w io.Writer, p *eval.Plan, sources Sources) {
	var buf strings.Builder
	writePlan(styled{Writer: &buf, color: IsColor(w), width: Width(w)}, p, sources)
	io.WriteString(w, wrapText(buf.String(), Width(w), planHang))
}

// planHang is how far a wrapped plan line's continuation is indented:
// under the value of "key = value" (inside the quote of a string), after a
// list marker, else four columns past the line's own indentation.
func planHang(line string) int {
	plain := stripANSI(line)
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	rest := plain[indent:]
	if i := strings.Index(plain, " = "); i >= 0 && i < 40 {
		if strings.HasPrefix(plain[i+3:], `"`) {
			return displayWidth(plain[:i]) + 4 // under the string, inside its quote
		}
		return displayWidth(plain[:i]) + 3
	}
	if i := strings.Index(rest, ". "); i > 0 && i <= 3 && strings.Trim(rest[:i], "0123456789") == "" {
		return indent + i + 2
	}
	if strings.HasPrefix(rest, "- ") {
		return indent + 2
	}
	return indent + 4
}

// stripANSI removes ANSI escape sequences.
func stripANSI(s string) string {
	var b strings.Builder
	for _, part := range splitANSI(s) {
		if !strings.HasPrefix(part, "\x1b[") {
			b.WriteString(part)
		}
	}
	return b.String()
}

func writePlan(w io.Writer, p *eval.Plan, sources Sources) {
	if p.Unparsed {
		for _, d := range p.Errors {
			Text(w, d, sources[d.Range.Filename])
		}
		fmt.Fprintf(w, "\nPlan: nothing planned: the template does not parse (%s).\n", Plural(len(p.Errors), "error"))
		return
	}
	fmt.Fprintf(w, "Template type: %s\n", p.TemplateType)
	if len(p.Parameters) > 0 {
		fmt.Fprintln(w, "\nParameters:")
		width := 0
		for _, n := range p.Parameters {
			width = max(width, len(n.Name))
		}
		for _, n := range p.Parameters {
			fmt.Fprintf(w, "  %-*s = %s\n", width, Clean(n.Name), formatValue(n.Value, "  "))
		}
	}
	fmt.Fprintln(w, "\nResources:")
	for _, r := range p.Resources {
		writeResourceLine(w, r)
		writeProperties(w, r)
	}
	if len(p.Steps) > 0 {
		fmt.Fprintln(w, "\nSteps, in AWS IoT's order:")
		for i, s := range p.Steps {
			fmt.Fprintf(w, "  %d. %s\n", i+1, Clean(s))
		}
	}
	if len(p.ResourceArns) > 0 {
		fmt.Fprintln(w, "\nresourceArns:")
		for _, n := range p.ResourceArns {
			fmt.Fprintf(w, "  %s: %s\n", Clean(n.Name), Clean(n.Value.Display()))
		}
	}
	writeResponse(w, p)
	writeList(w, "Must already exist (pass --existing to check):", p.Requirements)
	writeAssumptions(w, p.Assumptions)
	if len(p.Errors)+len(p.Warnings) > 0 {
		fmt.Fprintln(w)
		all := append(append(template.Diagnostics{}, p.Errors...), p.Warnings...)
		all.Sort()
		for _, d := range all {
			Text(w, d, sources[d.Range.Filename])
		}
	}
	fmt.Fprintln(w)
	summaryStyle := styleGreen
	if p.Outcome != "success" {
		summaryStyle = styleRed
	}
	fmt.Fprintln(w, paint(w, summaryStyle, planSummary(p)))
}

// writeResourceLine writes "  + thing (AWS::IoT::Thing) will be created",
// the symbol in its action's colour; a resource that stays as it is is dim
// and one that fails says so in red.
func writeResourceLine(w io.Writer, r *eval.ResourcePlan) {
	style := actionStyle[r.Action]
	line := fmt.Sprintf("%s (%s) %s", Clean(r.LogicalID), Clean(r.Type), paint(w, style, actionText[r.Action]))
	switch r.Action {
	case eval.ActionNoOp:
		line = fmt.Sprintf("%s (%s) %s", Clean(r.LogicalID), Clean(r.Type), actionText[r.Action])
		fmt.Fprintf(w, "  %s\n", paint(w, styleDim, actionSymbol[r.Action]+" "+line))
		return
	case eval.ActionCreate, eval.ActionUpdate:
		line = fmt.Sprintf("%s (%s) %s", Clean(r.LogicalID), Clean(r.Type), actionText[r.Action])
	}
	fmt.Fprintf(w, "  %s %s\n", paint(w, style, actionSymbol[r.Action]), line)
}

// writeAssumptions lists assumptions with their ids, which iotpt explain
// documents.
func writeAssumptions(w io.Writer, as []eval.Assumption) {
	items := make([]string, len(as))
	for i, a := range as {
		items[i] = a.ID + ": " + a.Text
	}
	writeList(w, "Assumptions (AWS behaviour that is not documented; iotpt explain ID tells more):", items)
}

func writeList(w io.Writer, title string, items []string) {
	if len(items) == 0 {
		return
	}
	fmt.Fprintf(w, "\n%s\n", title)
	for _, it := range items {
		fmt.Fprintf(w, "  - %s\n", Clean(it))
	}
}

func planSummary(p *eval.Plan) string {
	count := map[string]int{}
	for _, r := range p.Resources {
		count[r.Action]++
	}
	tally := fmt.Sprintf("%d to create, %d to update, %d unchanged", count[eval.ActionCreate], count[eval.ActionUpdate], count[eval.ActionNoOp])
	if p.Outcome == "success" {
		return "Plan: provisioning would succeed: " + tally + "."
	}
	return fmt.Sprintf("Plan: provisioning would FAIL with %s (%s, %s).", Plural(len(p.Errors), "error"), tally, Plural(count[eval.ActionFail], "failing resource"))
}

// writeProperties lists a resource's properties; for an update, changed
// ones as old -> new.
func writeProperties(w io.Writer, r *eval.ResourcePlan) {
	props := r.Properties
	width := 0
	for _, k := range props.Keys() {
		width = max(width, len(k))
	}
	for i, k := range props.Keys() {
		v := props.Items()[i]
		if r.Before != nil {
			old, had := r.Before.Get(k)
			switch {
			case !had:
				fmt.Fprintf(w, "      %s %-*s = %s\n", paint(w, styleGreen, "+"), width, Clean(k), formatValue(v, "        "))
				continue
			case formatValue(old, "") != formatValue(v, ""):
				fmt.Fprintf(w, "      %s %-*s = %s -> %s\n", paint(w, styleYellow, "~"), width, Clean(k), formatValue(old, "        "), formatValue(v, "        "))
				continue
			}
		}
		fmt.Fprintf(w, "        %-*s = %s\n", width, Clean(k), formatValue(v, "        "))
	}
}

// formatValue renders a value: strings quoted, unknown parts as <label>,
// partly known strings as "known" + <label>, objects over several lines.
// maxShown is the length above which a plan shows only the start of a
// string, and its length.
const maxShown = 200

func formatValue(v eval.Value, indent string) string {
	switch v.Kind() {
	case eval.String:
		if t := v.Text(); utf8.RuneCountInString(t) > maxShown {
			return Clean(quoteJSON(string([]rune(t)[:maxShown/2])+"…")) + fmt.Sprintf(" (%d characters)", utf8.RuneCountInString(t))
		}
		return Clean(quoteJSON(v.Text()))
	case eval.Unknown:
		return Clean(v.Display())
	case eval.Partial:
		parts := make([]string, len(v.Items()))
		for i, p := range v.Items() {
			parts[i] = formatValue(p, indent)
		}
		return strings.Join(parts, " + ")
	case eval.List:
		parts := make([]string, len(v.Items()))
		for i, p := range v.Items() {
			parts[i] = formatValue(p, indent+"  ")
		}
		one := "[" + strings.Join(parts, ", ") + "]"
		if len(one) <= 80 && !strings.Contains(one, "\n") {
			return one
		}
		return "[\n" + indent + "  " + strings.Join(parts, ",\n"+indent+"  ") + "\n" + indent + "]"
	case eval.Object:
		if len(v.Keys()) == 0 {
			return "{}"
		}
		var b strings.Builder
		b.WriteString("{\n")
		width := 0
		for _, k := range v.Keys() {
			width = max(width, displayWidth(quoteJSON(k)))
		}
		for i, k := range v.Keys() {
			key := quoteJSON(k)
			fmt.Fprintf(&b, "%s  %s%s = %s\n", indent, key, strings.Repeat(" ", width-displayWidth(key)), formatValue(v.Items()[i], indent+"  "))
		}
		b.WriteString(indent + "}")
		return b.String()
	}
	return v.Display()
}

func quoteJSON(s string) string { return `"` + template.Escape(s) + `"` }

// writeResponse shows what the service answers: the accepted or rejected
// RegisterThing payload, or what JITP does with the connection.
func writeResponse(w io.Writer, p *eval.Plan) {
	r := p.Response
	switch {
	case r.Accepted != nil && p.TemplateType == eval.FleetProvisioning:
		fmt.Fprintln(w, "\nRegisterThing would return (accepted):")
		fmt.Fprintf(w, "  thingName: %s\n", formatValue(r.Accepted.ThingName, "  "))
		fmt.Fprintf(w, "  deviceConfiguration: %s\n", formatValue(r.Accepted.DeviceConfiguration, "  "))
	case r.Rejected != nil && r.Stage == "create":
		fmt.Fprintln(w, "\nAWS would refuse the template itself, so every device fails:")
		fmt.Fprintf(w, "  %s: %s\n", r.Rejected.ErrorCode, Clean(r.Rejected.ErrorMessage))
	case r.Rejected != nil && p.TemplateType == eval.FleetProvisioning:
		fmt.Fprintln(w, "\nRegisterThing would be rejected:")
		fmt.Fprintf(w, "  statusCode: %d\n  errorCode: %s\n  errorMessage: %s\n", r.Rejected.StatusCode, r.Rejected.ErrorCode, Clean(r.Rejected.ErrorMessage))
	case r.Rejected != nil:
		fmt.Fprintln(w, "\nRegisterThing would fail:")
		fmt.Fprintf(w, "  %s: %s\n", r.Rejected.ErrorCode, Clean(r.Rejected.ErrorMessage))
	case r.JITP != nil:
		fmt.Fprintln(w, "\nJITP on the device's first connection:")
		fmt.Fprintf(w, "  certificate status: %s\n  connection: %s\n", r.JITP.CertificateStatus, r.JITP.Connection)
	}
}
