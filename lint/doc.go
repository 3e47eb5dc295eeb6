package lint

import (
	"fmt"
	"strings"
)

// Markdown renders a rule's documentation: what `iotpt explain` prints and
// what docs/rules/<CODE>.md holds.
func Markdown(r *Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s %s\n\n", r.Code, r.Name)
	fmt.Fprintf(&b, "**%s** (default severity: %s)\n\n", r.Title, r.Severity)
	fmt.Fprintf(&b, "%s\n\n", unwrap(r.Doc))
	fmt.Fprintf(&b, "## Fires on\n\n```\n%s\n```\n\n", r.Bad)
	fmt.Fprintf(&b, "## Does not fire on\n\n```\n%s\n```\n\n", r.Good)
	fmt.Fprintf(&b, "## Configure\n\n```yaml\n# .iotpt.yaml\nseverity:\n  %s: off   # or error, warning, info\n```\n", r.Code)
	return b.String()
}

// Index renders the list of all rules as a markdown table.
func Index() string {
	var b strings.Builder
	b.WriteString("# iotpt lint rules\n\nGenerated from the rule registry by `go test ./lint -run TestRuleDocs -update-docs`; do not edit.\n\n")
	b.WriteString("| code | name | severity | what it catches |\n|---|---|---|---|\n")
	for _, r := range Rules() {
		fmt.Fprintf(&b, "| [%s](%s.md) | %s | %s | %s |\n", r.Code, r.Code, r.Name, r.Severity, strings.ReplaceAll(r.Title, "|", `\|`))
	}
	return b.String()
}

// unwrap joins the hard-wrapped lines of each paragraph.
func unwrap(s string) string {
	paras := strings.Split(strings.TrimSpace(s), "\n\n")
	for i, p := range paras {
		paras[i] = strings.Join(strings.Fields(p), " ")
	}
	return strings.Join(paras, "\n\n")
}
