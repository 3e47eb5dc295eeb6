package lint

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
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
		if !template.IsParseCode(d.Code) && d.Path != "" && underAny(d.Path, broken) && !besideTemplate(f, d.Range) {
			continue
		}
		if template.IsParseCode(d.Code) && d.Path != "" && beforeBodyError(f, d, diags) {
			continue
		}
		out = append(out, d)
	}
	return out
}

// beforeBodyError reports a parse error inside a string of the body (a
// PolicyDocument, which has a pointer) that comes before a parse error of
// the body text itself (which has none): a PolicyDocument escaped once too
// few times ends its string early, and the body's error follows. The
// string's own error derives from the body's, which is the one to fix.
func beforeBodyError(f *template.File, d template.Diagnostic, diags template.Diagnostics) bool {
	body := f.BodyString
	if body == nil {
		return false
	}
	start, end := body.Span()
	in := func(r template.Range) bool { return r.Start.Byte >= start && r.Start.Byte < end }
	if !in(d.Range) {
		return false
	}
	for _, e := range diags {
		if e.Path == "" && unparsedCodes[e.Code] && in(e.Range) && e.Range.Start.Byte > d.Range.Start.Byte {
			return true
		}
	}
	return false
}

// besideTemplate reports whether a finding at r lies in the document of a
// policy defined beside the template (template.File.Policies). Its JSON
// pointer is one of the file, not of the body, so a finding in the body
// with the same pointer is about another value.
func besideTemplate(f *template.File, r template.Range) bool {
	for _, p := range f.Policies {
		if p.PolicyDocument == nil {
			continue
		}
		pr := p.PolicyDocument.Range()
		if pr.Filename == r.Filename && r.Start.Byte >= pr.Start.Byte && r.Start.Byte < pr.End.Byte {
			return true
		}
	}
	return false
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

// derivedFromAbsence lists the findings that report a missing key, by
// code, with the keys whose presence would silence them and whether they
// concern the whole template or one resource. When the file holds a
// misspelling of one of those keys where it belongs (PT201 and PT204
// report it, with the name meant), or the key with a value of the wrong
// JSON type (PT016), the finding follows from that and is dropped:
// "Propertes" is reported once, not again as "has no ThingName". A Ref
// that PT221 reports with the name of a declared parameter likewise keeps
// that parameter from being reported unused (PT223).
var derivedFromAbsence = map[string]struct {
	keys       []string
	ofResource bool
}{
	"PT202": {[]string{"Resources"}, false},
	"PT223": {[]string{"Resources"}, false},
	"PT273": {[]string{"Resources"}, false},
	"PT221": {[]string{"Parameters"}, false},
	"PT222": {[]string{"Parameters"}, false},
	"PT203": {[]string{"Type"}, true},
	"PT205": {[]string{"Properties", "ThingName"}, true},
	"PT206": {[]string{"Properties", "CertificateId", "CertificateSigningRequest", "CertificatePem"}, true},
	"PT207": {[]string{"Properties", "PolicyName", "PolicyDocument"}, true},
}

// misspelling is a key written close to a name the template expects where
// it stands: owner is the pointer of its resource, or "" for a section; at
// is the pointer of the finding that reports it (PT201, PT204, PT016, or
// PT221 for a Ref).
type misspelling struct{ owner, meant, at string }

// misspellings finds the keys PT201 and PT204 suggest a name for.
func misspellings(t *template.Template) []misspelling {
	var out []misspelling
	add := func(owner string, key *template.String, known []string) {
		if !contains(known, key.Value) {
			if meant := suggest(key.Value, known); meant != "" {
				out = append(out, misspelling{owner, meant, key.Pointer()})
			}
		}
	}
	for _, m := range t.Root.Members {
		add("", m.Key, sections)
	}
	for _, r := range t.Resources {
		owner := r.Key.Pointer()
		for _, m := range r.Node.Members {
			add(owner, m.Key, model.ResourceKeys)
		}
		if known, ok := properties[r.Type]; ok && r.Properties != nil {
			for _, m := range r.Properties.Members {
				add(owner, m.Key, known)
			}
		}
	}
	return out
}

// withoutAbsenceKnockOns drops the findings of a missing key that the file
// holds misspelt (see derivedFromAbsence), when the misspelling itself is
// reported. The misspelling then takes the severity of the most serious
// finding it explains, so that a run never turns green by the drop: a
// "Resource" section is an error, since the template has no Resources.
func withoutAbsenceKnockOns(f *template.File, diags template.Diagnostics) template.Diagnostics {
	if f.Template == nil || f.Template.Root == nil {
		return diags
	}
	reported := map[string]int{} // misspelt key pointer -> index in diags
	var miss []misspelling
	for i, d := range diags {
		switch d.Code {
		case "PT201", "PT204":
			reported[d.Path] = i
		case template.CodeSectionShape:
			// A section or Properties of the wrong JSON type is there, and
			// reported: it is not missing either.
			reported[d.Path] = i
			if j := strings.LastIndexByte(d.Path, '/'); j >= 0 {
				owner := d.Path[:j]
				if owner != "" && strings.Count(owner, "/") != 2 {
					continue // not a section, nor a key of a resource
				}
				miss = append(miss, misspelling{owner, strings.ReplaceAll(strings.ReplaceAll(d.Path[j+1:], "~1", "/"), "~0", "~"), d.Path})
			}
		}
	}
	for _, m := range misspellings(f.Template) {
		if _, ok := reported[m.at]; ok {
			miss = append(miss, m)
		}
	}
	miss = append(miss, misspeltRefs(f.Template, diags, reported)...)
	if len(miss) == 0 {
		return diags
	}
	drop := make([]bool, len(diags))
	for i, d := range diags {
		a, ok := derivedFromAbsence[d.Code]
		if !ok {
			continue
		}
		for _, m := range miss {
			if contains(a.keys, m.meant) && (!a.ofResource && m.owner == "" || a.ofResource && m.owner == d.Path) ||
				d.Code == "PT223" && m.meant == unusedParam && m.owner == d.Path {
				drop[i] = true
				if j := reported[m.at]; d.Severity < diags[j].Severity {
					diags[j].Severity = d.Severity // Error is the smallest
				}
				break
			}
		}
	}
	out := diags[:0]
	for i, d := range diags {
		if !drop[i] {
			out = append(out, d)
		}
	}
	return out
}

// misspeltRefs turns each Ref that PT221 reports with the name of a
// declared parameter into a "misspelling" of that parameter, so that the
// parameter is not also reported unused (PT223 at its declaration).
func misspeltRefs(t *template.Template, diags template.Diagnostics, reported map[string]int) []misspelling {
	var declared []string
	for _, p := range t.Parameters {
		declared = append(declared, p.Name)
	}
	at := map[string]int{}
	for i, d := range diags {
		if d.Code == "PT221" {
			at[d.Path] = i
		}
	}
	var out []misspelling
	for _, r := range refs(t.Root) {
		i, ok := at[r.node.Pointer()]
		if !ok || t.Parameter(r.name) != nil {
			continue
		}
		if meant := suggest(r.name, declared); meant != "" {
			if p := t.Parameter(meant); p != nil {
				reported[r.node.Pointer()] = i
				out = append(out, misspelling{owner: p.Key.Pointer(), meant: unusedParam, at: r.node.Pointer()})
			}
		}
	}
	return out
}

// unusedParam stands, in a misspelling made by misspeltRefs, for the use
// of a parameter that PT223 would find missing.
const unusedParam = "(a use of the parameter)"
