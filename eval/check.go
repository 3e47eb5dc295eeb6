package eval

import (
	"strconv"
	"strings"
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
// template engine fills in: ${Name} (shell, JavaScript, CloudFormation
// Sub), {{name}}, %s-style verbs and <name>. It returns the text around
// them and the first placeholder, or "" when there is none.
func placeholderParts(s string) (known []string, first string) {
	rest := s
	for rest != "" {
		i, j := placeholderAt(rest)
		if i < 0 {
			break
		}
		if first == "" {
			first = rest[i:j]
		}
		if i > 0 {
			known = append(known, rest[:i])
		}
		rest = rest[j:]
	}
	if first == "" {
		return nil, ""
	}
	if rest != "" {
		known = append(known, rest)
	}
	return known, first
}

// placeholderAt finds the first placeholder in s: its start and end, or -1.
func placeholderAt(s string) (int, int) {
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "${"):
			if j := strings.IndexByte(s[i:], '}'); j > 2 {
				return i, i + j + 1
			}
		case strings.HasPrefix(s[i:], "{{"):
			if j := strings.Index(s[i:], "}}"); j > 2 {
				return i, i + j + 2
			}
		case s[i] == '%' && i+1 < len(s) && strings.IndexByte("sdvq", s[i+1]) >= 0:
			return i, i + 2
		case s[i] == '<':
			j := strings.IndexByte(s[i:], '>')
			if j > 1 && placeholderName(s[i+1:i+j]) {
				return i, i + j + 1
			}
		}
	}
	return -1, -1
}

// placeholderName reports whether s can be the name in <name>: a letter,
// then letters, digits, '_', '-', '.' or spaces.
func placeholderName(s string) bool {
	for i, r := range s {
		letter := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' || r == ' ')) {
			return false
		}
	}
	return s != ""
}
