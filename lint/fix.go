package lint

import (
	"encoding/json"
	"slices"

	"github.com/iotpt/iotpt/template"
)

// ApplyFixes applies the safe fixes of the diagnostics that concern file
// name to text. A diagnostic's fix is used only when it is its only fix and
// it is marked Safe; edits that overlap an edit already taken are skipped
// (run again to apply them). It returns the new text and the number of
// fixes applied.
func ApplyFixes(name string, text []byte, diags template.Diagnostics) ([]byte, int) {
	out, applied := applyFixes(name, text, diags)
	return out, len(applied)
}

// applyFixes is ApplyFixes, returning the diagnostics whose fixes it
// applied.
func applyFixes(name string, text []byte, diags template.Diagnostics) ([]byte, template.Diagnostics) {
	var edits []template.Edit
	var applied template.Diagnostics
	for _, d := range diags {
		if d.Range.Filename != name || !Fixable(d) {
			continue
		}
		fix := d.Fixes[0]
		if slices.ContainsFunc(fix.Edits, func(e template.Edit) bool {
			return overlapsAny(e, edits) || e.Filename != name || e.Start < 0 || e.End > len(text) || e.Start > e.End
		}) {
			continue
		}
		edits = append(edits, fix.Edits...)
		applied = append(applied, d)
	}
	slices.SortFunc(edits, func(a, b template.Edit) int { return b.Start - a.Start })
	out := slices.Clone(text)
	for _, e := range edits {
		out = slices.Concat(out[:e.Start], []byte(e.NewText), out[e.End:])
	}
	return out, applied
}

// checkFixed compares the findings of a file before and after its fixes:
// after must hold exactly the findings of before, less the fixed ones
// (compared by code and JSON pointer, since positions move). When a fix
// mends a parse error, findings that the error hid may appear and those
// it caused may go: then only the parse errors are compared, and the
// fixed file must have no parse error the original did not. It returns
// why the fixed text must not be written, or "".
func checkFixed(before, fixed, after template.Diagnostics) string {
	mendsParse := slices.ContainsFunc(fixed, func(d template.Diagnostic) bool { return template.IsParseCode(d.Code) })
	counted := func(d template.Diagnostic) bool { return !mendsParse || template.IsParseCode(d.Code) }
	key := func(d template.Diagnostic) string { return d.Code + " " + d.Path }
	want := map[string]int{}
	for _, d := range before {
		if counted(d) {
			want[key(d)]++
		}
	}
	for _, d := range fixed {
		if counted(d) {
			want[key(d)]--
		}
	}
	for _, d := range after {
		if !counted(d) {
			continue
		}
		if want[key(d)] <= 0 {
			return "the fixed file would have a new finding: " + d.String()
		}
		want[key(d)]--
	}
	for _, d := range before {
		if counted(d) && want[key(d)] > 0 {
			return "a finding the fixes do not address would go away: " + d.String()
		}
	}
	return ""
}

// Fixable reports whether --fix applies d's fix: it has exactly one fix,
// marked Safe.
func Fixable(d template.Diagnostic) bool {
	return len(d.Fixes) == 1 && d.Fixes[0].Safe
}

func overlapsAny(e template.Edit, edits []template.Edit) bool {
	for _, o := range edits {
		if e.Start < o.End && o.Start < e.End || e.Start == o.Start {
			return true
		}
	}
	return false
}

// rewritable reports whether a JSON value can be written out again from its
// parsed form without changing what it means: every number is a JSON
// number (not NaN, Infinity or hex) and every string keeps its text (see
// keepsMeaning). YAML is not rewritten this way.
func rewritable(n template.Node) bool {
	if template.IsYAMLName(n.Source().Name()) {
		return false
	}
	ok := true
	template.Walk(n, func(n template.Node) bool {
		switch v := n.(type) {
		case *template.Number:
			ok = ok && json.Valid([]byte(v.Literal))
		case *template.String:
			ok = ok && keepsMeaning(v.Value)
		case *template.Object:
			for _, m := range v.Members {
				ok = ok && keepsMeaning(m.Key.Value)
			}
		}
		return ok
	})
	return ok
}
