package eval

import (
	"strconv"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// This file applies the service model's value rules to evaluated values: a
// complete value fully, a value with unknown parts on its known parts only
// (what every completion would break), so that a plan for an input and the
// plan lint computes with every parameter unknown fail in the same way,
// with the same code.

// checkString fails when v breaks rule: a known string that breaks it, a
// value with unknown parts whose known parts do, or a value that is not a
// string at all.
func (pl *planner) checkString(n template.Node, v Value, rule *model.NameRule, code string) {
	if pl.checkedOnce(v) {
		return
	}
	switch v.kind {
	case String:
		if known, token := placeholderParts(v.str); token != "" {
			// A placeholder a script or tool fills in (${Account}, %s,
			// <name>): lint checks the text around it; a plan for real
			// inputs fails, since AWS would get the placeholder itself.
			if pl.in.Unknowns {
				if msg := rule.KnownPartsProblem(strconv.Quote(v.str), known); msg != "" {
					pl.env.fail(n, code, msg)
				}
			} else {
				pl.env.fail(n, code, rule.What+" "+strconv.Quote(model.Abbrev(v.str))+" still holds the placeholder "+token+"; fill it in before provisioning")
			}
			return
		}
		msg := rule.Problem(v.str)
		if msg == "" {
			return
		}
		// A bad character in a string written as it is: point at it.
		var at template.Range
		if s, ok := n.(*template.String); ok && s.Value == v.str && utf8.RuneCountInString(v.str) <= rule.MaxLen {
			if i := rule.BadChar(v.str); i >= 0 {
				_, size := utf8.DecodeRuneInString(v.str[i:])
				at = s.Embedded().Range(i, i+size)
			}
		}
		pl.failRange(n, at, code, msg)
	case Partial:
		if msg := rule.KnownPartsProblem(v.Display(), v.knownParts()); msg != "" {
			pl.env.fail(n, code, msg)
		}
	case Unknown:
	default:
		pl.env.fail(n, code, rule.What+" must be a string, not "+describe(v))
	}
}

// failRange fails at a range inside node n (a character of a string), or
// at n when the range is empty.
func (pl *planner) failRange(n template.Node, at template.Range, code, msg string) {
	if at.Filename == "" {
		pl.env.fail(n, code, msg)
		return
	}
	pl.env.fails = append(pl.env.fails, template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: at, Path: n.Pointer()})
}

// knownParts returns the known text of a Partial value.
func (v Value) knownParts() []string {
	var out []string
	for _, p := range v.items {
		if p.kind == String {
			out = append(out, p.str)
		}
	}
	return out
}

// checkLength fails a string-like value longer than max characters, as far
// as its known parts tell.
func (pl *planner) checkLength(n template.Node, v Value, max int, code, what string) {
	chars := 0
	switch v.kind {
	case String:
		chars = utf8.RuneCountInString(v.str)
	case Partial:
		for _, k := range v.knownParts() {
			chars += utf8.RuneCountInString(k)
		}
	default:
		return
	}
	if chars > max {
		pl.env.fail(n, code, what+" is "+strconv.Itoa(chars)+" characters; RegisterThing accepts at most "+strconv.Itoa(max))
	}
}

// placeholderParts splits a string around the placeholders a script or a
// template engine fills in (template.Placeholders: ${Name}, {{name}}, a
// Sprintf verb, <name>). It returns the text around them and the first
// placeholder, or "" when there is none.
func placeholderParts(s string) (known []string, first string) {
	found := template.Placeholders(s, false)
	if len(found) == 0 {
		return nil, ""
	}
	at := 0
	for _, f := range found {
		if f[0] > at {
			known = append(known, s[at:f[0]])
		}
		at = f[1]
	}
	if at < len(s) {
		known = append(known, s[at:])
	}
	return known, s[found[0][0]:found[0][1]]
}
