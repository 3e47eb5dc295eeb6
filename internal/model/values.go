package model

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// NameRule is an AWS IoT API constraint on a string: its length in
// characters and the characters it may hold (from the botocore service
// model). Plan checks complete values with Problem; lint checks the known
// parts of a value with KnownPartsProblem, which only reports what every
// completion of those parts would break.
type NameRule struct {
	What    string // "thing name"
	MinLen  int
	MaxLen  int    // in characters
	Allowed string // the allowed characters, in words
	Pattern string // the API's pattern, for JSON Schemas
	Source  string
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

const nameChars = "letters, digits, ':', '_' and '-'"

// The string rules of the AWS IoT API that templates meet.
var (
	ThingName      = NameRule{"thing name", 1, 128, nameChars, "^[a-zA-Z0-9:_-]+$", "[BC ThingName] §3.1", charClass(":_-")}
	ThingTypeName  = NameRule{"thing type name", 1, 128, nameChars, "^[a-zA-Z0-9:_-]+$", "[BC ThingTypeName] §3.1", charClass(":_-")}
	ThingGroupName = NameRule{"thing group name", 1, 128, nameChars, "^[a-zA-Z0-9:_-]+$", "[BC ThingGroupName] §3.1", charClass(":_-")}
	BillingGroup   = NameRule{"billing group name", 1, 128, nameChars, "^[a-zA-Z0-9:_-]+$", "[BC BillingGroupName] §3.1", charClass(":_-")}
	AttributeName  = NameRule{"attribute name", 1, 128, "letters, digits and _ . , @ / : # -", "^[a-zA-Z0-9_.,@/:#-]+$", "[BC AttributeName] §3.1", charClass("_.,@/:#-")}
	AttributeValue = NameRule{"attribute value", 0, 800, "letters, digits and _ . , @ / : # = [ ] - (no spaces)", `^[a-zA-Z0-9_.,@/:#=\[\]-]*$`, "[BC AttributeValue] §3.1", charClass("_.,@/:#=[]-")}
	PolicyName     = NameRule{"policy name", 1, 128, "letters, digits and _ + = , . @ -", `^[\w+=,.@-]+$`, "[BC PolicyName] §3.3", charClass("_+=,.@-")}
	TemplateName   = NameRule{"template name", 1, 36, "letters, digits, '_' and '-'", "^[0-9A-Za-z_-]+$", "[BC TemplateName] §8", charClass("_-")}
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
		if chars == 0 {
			return n.What + " is empty"
		}
		return n.What + " " + strconv.Quote(Abbrev(s)) + " is shorter than " + strconv.Itoa(n.MinLen) + " characters"
	case chars > n.MaxLen:
		return n.What + " " + strconv.Quote(Abbrev(s)) + " is longer than " + strconv.Itoa(n.MaxLen) + " characters"
	}
	if bad >= 0 {
		return n.What + " " + strconv.Quote(Abbrev(s)) + " may only contain " + n.Allowed + " (it has " + DescribeRune(s, bad) + ")"
	}
	return ""
}

// KnownPartsProblem checks a value of which only some parts are known
// (display is how the whole value is shown, with its unknown parts): it
// reports a character the rule does not allow in a known part, or known
// parts longer together than the maximum, since no value of the unknown
// parts can mend either.
func (n NameRule) KnownPartsProblem(display string, known []string) string {
	total := 0
	for _, k := range known {
		if i := n.BadChar(k); i >= 0 {
			return n.What + " " + display + " may only contain " + n.Allowed + "; its known part " + strconv.Quote(k) + " has " + DescribeRune(k, i)
		}
		total += utf8.RuneCountInString(k)
	}
	if total > n.MaxLen {
		return n.What + " " + display + " is longer than " + strconv.Itoa(n.MaxLen) + " characters whatever its unknown parts are"
	}
	return ""
}

// DescribeRune names the character at byte i of s for a message.
func DescribeRune(s string, i int) string {
	r, _ := utf8.DecodeRuneInString(s[i:])
	if unicode.IsSpace(r) {
		return "a space"
	}
	return strconv.QuoteRune(r)
}

// Abbrev shortens a long value for a message.
func Abbrev(s string) string {
	if len(s) > 60 {
		i := 60
		for i > 0 && !utf8.RuneStart(s[i]) {
			i--
		}
		return s[:i] + "…"
	}
	return s
}

// CertificateIDProblem checks a certificate ID: exactly 64 characters that
// match (0x)?[a-fA-F0-9]+ [BC CertificateId; API-CD]. The length counts the
// whole string, so 0x and 64 hexadecimal digits (66 characters) is refused
// although the pattern alone matches it.
func CertificateIDProblem(s string) string {
	hex := s
	if len(hex) > 2 && hex[:2] == "0x" {
		hex = hex[2:]
	}
	for i := 0; i < len(hex); i++ {
		c := hex[i] | 0x20 // lower case for letters
		if !('0' <= hex[i] && hex[i] <= '9' || 'a' <= c && c <= 'f') {
			return "certificate ID " + strconv.Quote(Abbrev(s)) + " is not hexadecimal (it has " + DescribeRune(hex, i) + "); a certificate ID is 64 hexadecimal characters"
		}
	}
	if hex == "" || len(s) != 64 {
		msg := "certificate ID " + strconv.Quote(Abbrev(s)) + " has " + strconv.Itoa(len(s)) + " characters; the API takes exactly 64"
		if len(s) == 66 && len(hex) == 64 {
			msg += " (the 0x prefix counts: drop it)"
		}
		return msg
	}
	return ""
}

// CertificateIDKnownPartsProblem reports a known part of a certificate ID
// that cannot be part of any valid one. known are the known parts in
// order, and startsKnown says whether the first of them starts the value.
// A known part after an unknown one may begin with the x of an 0x prefix
// (the unknown part may be the 0).
func CertificateIDKnownPartsProblem(display string, known []string, startsKnown bool) string {
	total := 0
	for i, k := range known {
		total += len(k)
		switch {
		case i == 0 && startsKnown && len(k) >= 2 && k[:2] == "0x":
			k = k[2:]
		case (i > 0 || !startsKnown) && k != "" && k[0] == 'x':
			k = k[1:]
		}
		for j := 0; j < len(k); j++ {
			c := k[j] | 0x20
			if !('0' <= k[j] && k[j] <= '9' || 'a' <= c && c <= 'f') {
				return "certificate ID " + display + " is not hexadecimal: its known part " + strconv.Quote(k) + " has " + DescribeRune(k, j)
			}
		}
	}
	if total > 64 {
		return "certificate ID " + display + " is longer than 64 characters whatever its unknown parts are"
	}
	return ""
}

// NonSpaceChars counts the characters of s that are not white space, as
// the policy document limit does.
func NonSpaceChars(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}
