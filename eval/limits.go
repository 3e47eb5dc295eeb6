package eval

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// NameRule is an AWS IoT API constraint on a name or value: its length and
// the characters it may hold (from the botocore iot service model). Plan and
// lint check resolved and literal values against the same rules.
type NameRule struct {
	What    string // "thing name"
	MinLen  int
	MaxLen  int // in characters
	Allowed string
	allowed func(r rune) bool
}

func alnum(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }

func oneOf(extra string) func(r rune) bool {
	return func(r rune) bool {
		if alnum(r) {
			return true
		}
		for _, e := range extra {
			if r == e {
				return true
			}
		}
		return false
	}
}

// The name rules iotpt checks.
var (
	ThingNameRule       = NameRule{"thing name", 1, 128, "letters, digits, ':', '_' and '-'", oneOf(":_-")}
	ThingTypeNameRule   = NameRule{"thing type name", 1, 128, "letters, digits, ':', '_' and '-'", oneOf(":_-")}
	ThingGroupNameRule  = NameRule{"thing group name", 1, 128, "letters, digits, ':', '_' and '-'", oneOf(":_-")}
	BillingGroupRule    = NameRule{"billing group name", 1, 128, "letters, digits, ':', '_' and '-'", oneOf(":_-")}
	AttributeNameRule   = NameRule{"attribute name", 1, 128, "letters, digits and _ . , @ / : # -", oneOf("_.,@/:#-")}
	AttributeValueRule  = NameRule{"attribute value", 0, 800, "letters, digits and _ . , @ / : # = [ ] - (no spaces)", oneOf("_.,@/:#=[]-")}
	PolicyNameRule      = NameRule{"policy name", 1, 128, "letters, digits and _ + = , . @ -", oneOf("_+=,.@-")}
	TemplateNameRule    = NameRule{"template name", 1, 36, "letters, digits, '_' and '-'", oneOf("_-")}
	certificateIDDigits = oneOf("")
)

// BadChar returns the byte offset of the first character of s the rule does
// not allow, or -1.
func (n NameRule) BadChar(s string) int {
	for i, r := range s {
		if !n.allowed(r) {
			return i
		}
	}
	return -1
}

// Problem describes what is wrong with a complete value, or returns "".
func (n NameRule) Problem(s string) string {
	chars := utf8.RuneCountInString(s)
	switch {
	case chars < n.MinLen:
		return n.What + " is empty"
	case chars > n.MaxLen:
		return n.What + " " + strconv.Quote(abbrev(s)) + " is longer than " + strconv.Itoa(n.MaxLen) + " characters"
	}
	if i := n.BadChar(s); i >= 0 {
		return n.What + " " + strconv.Quote(abbrev(s)) + " may only contain " + n.Allowed + " (it has " + describeRune(s, i) + ")"
	}
	return ""
}

func describeRune(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return "a space"
	}
	return strconv.QuoteRune(r)
}

// ValidCertificateID reports whether s is a certificate ID: 64 hexadecimal
// digits, optionally after 0x.
func ValidCertificateID(s string) bool {
	if len(s) > 2 && s[:2] == "0x" {
		s = s[2:]
	}
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !certificateIDDigits(r) || unicode.IsLetter(r) && (r|0x20) > 'f' {
			return false
		}
	}
	return true
}

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
