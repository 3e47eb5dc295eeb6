package render

import (
	"fmt"
	"io"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/iotpt/iotpt/internal/bulk"
)

// BulkSummary writes what a bulk plan found, for people, wrapped to w's
// Width.
func BulkSummary(w io.Writer, s *bulk.Summary, paramsName, templateName, typ string) {
	var buf strings.Builder
	writeBulkSummary(styled{Writer: &buf, color: IsColor(w), width: Width(w)}, s, paramsName, templateName, typ)
	io.WriteString(w, wrapText(buf.String(), Width(w), bulkHang))
}

// reReasonLine matches the start of a failure reason line of the summary,
// up to its message.
var reReasonLine = regexp.MustCompile(`^ +PT\d+ +\d+  `)

// bulkHang indents a wrapped reason under its message, other lines four
// columns past their indentation.
func bulkHang(line string) int {
	if m := reReasonLine.FindString(line); m != "" {
		return len(m)
	}
	return len(line) - len(strings.TrimLeft(line, " ")) + 4
}

func writeBulkSummary(w io.Writer, s *bulk.Summary, paramsName, templateName, typ string) {
	fmt.Fprintf(w, "Bulk plan: %s of %s through %s (%s)\n", Plural(int(s.Lines), "line"), paramsName, templateName, typ)
	fmt.Fprintf(w, "  succeeded: %d\n  failed:    %d\n", s.Succeeded, s.Failed)
	for _, r := range s.Reasons {
		fmt.Fprintf(w, "    %s  %d  %s (%s)\n", r.Code, r.Count, r.Example, lineList(r.Lines, r.Count))
		if r.Problem == bulk.ProblemEmptyLine && slices.Contains(r.Lines, s.Lines) {
			fmt.Fprintf(w, "      hint: the last line, %d, is blank: remove it; every line must be a JSON object of parameters\n", s.Lines)
		}
	}
	if len(s.Resources) > 0 {
		fmt.Fprintln(w, "\nWhat the successful lines do:")
		for _, r := range s.Resources {
			var acts []string
			for _, a := range []string{"create", "update", "no-op"} {
				if n := r.Actions[a]; n > 0 {
					acts = append(acts, fmt.Sprintf("%d %s", n, map[string]string{"create": "to create", "update": "to update", "no-op": "unchanged"}[a]))
				}
			}
			if len(acts) == 0 {
				acts = []string{"nothing"}
			}
			if r.Type == "AWS::IoT::Policy" && r.Actions["create"] > 0 {
				// Named by a hash of its document, the policy is created once
				// per distinct document and attached to every certificate.
				acts = []string{fmt.Sprintf("%d attachments of a policy created from its document (one policy per distinct document)", r.Actions["create"])}
			}
			fmt.Fprintf(w, "  %s (%s): %s\n", r.LogicalID, r.Type, strings.Join(acts, ", "))
		}
	}
	if len(s.MustExist) > 0 {
		fmt.Fprintln(w, "\nMust already exist (pass --existing to check):")
		for _, m := range s.MustExist {
			fmt.Fprintf(w, "  - %s\n", m)
		}
		if s.MoreMustExist > 0 {
			fmt.Fprintf(w, "  … and %d more\n", s.MoreMustExist)
		}
	}
	if s.DuplicateNames > 0 {
		fmt.Fprintf(w, "\nThing names on more than one line: %d\n", s.DuplicateNames)
		for _, d := range s.Duplicates {
			fmt.Fprintf(w, "  %s: lines %s\n", d.Name, joinLines(d.Lines))
		}
		if int64(len(s.Duplicates)) < s.DuplicateNames {
			fmt.Fprintf(w, "  … and %d more\n", s.DuplicateNames-int64(len(s.Duplicates)))
		}
	}
	if len(s.UnknownKeys) > 0 {
		keys := append([]bulk.UnknownKey(nil), s.UnknownKeys...)
		sort.Slice(keys, func(i, j int) bool { return keys[i].Line < keys[j].Line })
		var parts []string
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s (first on line %d)", k.Name, k.Line))
		}
		fmt.Fprintf(w, "\nParameters the template does not use: %s\n", strings.Join(parts, ", "))
	}
	writeAssumptions(w, s.Assumptions)
}

func joinLines(lines []int64) string {
	parts := make([]string, len(lines))
	for i, l := range lines {
		parts[i] = fmt.Sprint(l)
	}
	return strings.Join(parts, ", ")
}

// lineList shows the first lines of a reason: "lines 3, 9, 12, …".
func lineList(lines []int64, count int64) string {
	word := "lines "
	if count == 1 {
		word = "line "
	}
	s := word + joinLines(lines)
	if int64(len(lines)) < count {
		s += ", …"
	}
	return s
}
