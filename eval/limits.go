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
	allowed *[128]bool // ASCII characters allowed; nothing else is
}

// charClass builds the table of letters, digits and extra.
func charClass(extra string) *[128]bool {
	var t [128]bool
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range extra {
		t[c] = true
	}
	return &t
}

// The name rules iotpt checks.
var (
	ThingNameRule      = NameRule{"thing name", 1, 128, "letters, digits, ':', '_' and '-'", charClass(":_-")}
	ThingTypeNameRule  = NameRule{"thing type name", 1, 128, "letters, digits, ':', '_' and '-'", charClass(":_-")}
	ThingGroupNameRule = NameRule{"thing group name", 1, 128, "letters, digits, ':', '_' and '-'", charClass(":_-")}
	BillingGroupRule   = NameRule{"billing group name", 1, 128, "letters, digits, ':', '_' and '-'", charClass(":_-")}
	AttributeNameRule  = NameRule{"attribute name", 1, 128, "letters, digits and _ . , @ / : # -", charClass("_.,@/:#-")}
	AttributeValueRule = NameRule{"attribute value", 0, 800, "letters, digits and _ . , @ / : # = [ ] - (no spaces)", charClass("_.,@/:#=[]-")}
	PolicyNameRule     = NameRule{"policy name", 1, 128, "letters, digits and _ + = , . @ -", charClass("_+=,.@-")}
	TemplateNameRule   = NameRule{"template name", 1, 36, "letters, digits, '_' and '-'", charClass("_-")}
)

// BadChar returns the byte offset of the first character of s the rule does
// not allow, or -1.
func (n NameRule) BadChar(s string) int {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || !n.allowed[c] {
			return i
		}
	}
	return -1
}

// Problem describes what is wrong with a complete value, or returns "".
func (n NameRule) Problem(s string) string {
	bad := n.BadChar(s)
	chars := len(s) // every allowed character is ASCII
	if bad >= 0 {
		chars = utf8.RuneCountInString(s)
	}
	switch {
	case chars < n.MinLen:
		return n.What + " is empty"
	case chars > n.MaxLen:
		return n.What + " " + strconv.Quote(abbrev(s)) + " is longer than " + strconv.Itoa(n.MaxLen) + " characters"
	}
	if bad >= 0 {
		return n.What + " " + strconv.Quote(abbrev(s)) + " may only contain " + n.Allowed + " (it has " + describeRune(s, bad) + ")"
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
	for i := 0; i < len(s); i++ {
		c := s[i] | 0x20 // lower case for letters
		if !('0' <= s[i] && s[i] <= '9' || 'a' <= c && c <= 'f') {
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
