package lint

import (
	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// checkValue checks a resolved value against a name rule. A complete value
// is checked fully, and a finding in a string written literally points at
// the offending character; for a value with unknown parts, only the known
// text is checked for characters the rule does not allow.
func checkValue(p *Pass, n template.Node, v eval.Value, rule eval.NameRule) {
	switch v.Kind() {
	case eval.String:
		msg := rule.Problem(v.Text())
		if msg == "" {
			return
		}
		if s, ok := literal(n); ok && s.Value == v.Text() {
			if i := rule.BadChar(s.Value); i >= 0 {
				_, size := firstRune(s.Value[i:])
				p.ReportAt(charRange(s, i, i+size), s.Pointer(), msg)
				return
			}
		}
		p.Report(n, msg)
	case eval.Partial:
		for _, part := range v.Items() {
			if part.Kind() != eval.String {
				continue
			}
			if i := rule.BadChar(part.Text()); i >= 0 {
				p.Report(n, rule.What+" "+v.Display()+" may only contain "+rule.Allowed+"; its known part "+quote(part.Text())+" does not")
				return
			}
		}
	}
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// propertyNode returns a property's node, or the resource key.
func propertyNode(r *template.Resource, name string) template.Node {
	if n := r.Property(name); n != nil {
		return n
	}
	return r.Key
}
