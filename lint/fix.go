package lint

import (
	"slices"

	"github.com/iotpt/iotpt/template"
)

// ApplyFixes applies the safe fixes of the diagnostics that concern file
// name to text. A diagnostic's fix is used only when it is its only fix and
// it is marked Safe; edits that overlap an edit already taken are skipped
// (run again to apply them). It returns the new text and the number of
// fixes applied.
func ApplyFixes(name string, text []byte, diags template.Diagnostics) ([]byte, int) {
	var edits []template.Edit
	applied := 0
	for _, d := range diags {
		if d.Range.Filename != name || !Fixable(d) {
			continue
		}
		fix := d.Fixes[0]
		if slices.ContainsFunc(fix.Edits, func(e template.Edit) bool { return overlapsAny(e, edits) || e.Filename != name }) {
			continue
		}
		edits = append(edits, fix.Edits...)
		applied++
	}
	slices.SortFunc(edits, func(a, b template.Edit) int { return b.Start - a.Start })
	out := slices.Clone(text)
	for _, e := range edits {
		out = slices.Concat(out[:e.Start], []byte(e.NewText), out[e.End:])
	}
	return out, applied
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
