package lint

import (
	"strings"

	"github.com/iotpt/iotpt/template"
)

// unparsedCodes are the parse errors after which the value they sit in is
// not what the author wrote: the parser dropped or replaced part of it.
// Findings about such a value follow from the parse error, not from the
// template.
var unparsedCodes = map[string]bool{
	template.CodeSyntax: true, template.CodeTruncated: true, template.CodeInvalidUTF8: true,
	template.CodeControlChar: true, template.CodeInvalidEscape: true, template.CodeLoneSurrogate: true,
	template.CodeNonJSONNumber: true, template.CodeNumberRange: true, template.CodeTooDeep: true,
	template.CodeEmpty: true, template.CodeEmbeddedSyntax: true,
}

// withoutKnockOns drops the findings derived from a part of the file that
// did not parse: for every parse error, the value it sits in (the innermost
// node holding it, or the whole string it was embedded in, such as a
// PolicyDocument) is broken, and no other finding at or below a broken
// value is kept. A PolicyDocument escaped once too often then gets its
// parse error, not "the policy document has no Statement" as well.
func withoutKnockOns(f *template.File, diags template.Diagnostics) template.Diagnostics {
	var broken []string
	for _, d := range diags {
		if !unparsedCodes[d.Code] || d.Range.Filename != f.Source.Name() {
			continue
		}
		ptr, ok := d.Path, d.Path != ""
		if !ok {
			ptr, ok = innermostPointer(f, d.Range)
		}
		if ok && ptr != "" {
			broken = append(broken, ptr)
		}
	}
	if len(broken) == 0 {
		return diags
	}
	out := diags[:0]
	for _, d := range diags {
		if !template.IsParseCode(d.Code) && d.Path != "" && underAny(d.Path, broken) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// underAny reports whether ptr is one of roots or below one of them.
func underAny(ptr string, roots []string) bool {
	for _, r := range roots {
		if ptr == r || strings.HasPrefix(ptr, r+"/") {
			return true
		}
	}
	return false
}

// innermostPointer returns the pointer of the smallest value of the file
// (the wrapper, the body, or a policy document parsed from a string) whose
// text holds the start of r.
func innermostPointer(f *template.File, r template.Range) (string, bool) {
	at := r.Start.Byte
	var best template.Node
	bestSize := -1
	visit := func(root template.Node) {
		template.Walk(root, func(n template.Node) bool {
			nr := n.Range()
			if nr.Filename != r.Filename || at < nr.Start.Byte || at >= max(nr.End.Byte, nr.Start.Byte+1) {
				return true // a sibling may still hold it: embedded text need not nest in file order
			}
			if size := nr.End.Byte - nr.Start.Byte; bestSize < 0 || size <= bestSize {
				best, bestSize = n, size
			}
			return true
		})
	}
	visit(f.Root)
	if f.Template != nil {
		visit(f.Template.Root)
		for _, res := range f.Template.Resources {
			if res.PolicyDocument != nil && res.PolicyDocument != res.PolicyDocumentNode {
				visit(res.PolicyDocument)
			}
		}
	}
	if best == nil {
		return "", false
	}
	return best.Pointer(), true
}
