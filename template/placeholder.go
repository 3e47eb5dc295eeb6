package template

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// The placeholders a script, a program or a template engine fills in,
// which AWS would take literally if they were left in a value.
var (
	// ${THING_GROUP}, ${this.policy.policyName} (a JavaScript template
	// literal): not a policy variable (${iot:...}), a CloudFormation pseudo
	// parameter (${AWS::Region}) or an escaped ${!Literal}.
	reDollarBrace = regexp.MustCompile(`\$\{[^}:!\s][^}:]*\}`)
	// ${AWS::Region}: CloudFormation's, which no IoT Fn::Sub resolves
	// either (in an Fn::Sub too).
	reCFNPseudo = regexp.MustCompile(`\$\{AWS::[A-Za-z]+\}`)
	// {{thing_name}} (Jinja, Mustache, Go templates).
	reMustache = regexp.MustCompile(`\{\{ *[A-Za-z_.][A-Za-z0-9_.]* *\}\}`)
	// <ACCOUNT_ID>, <region>.
	reAngle = regexp.MustCompile(`<[A-Za-z][A-Za-z0-9_ .-]*>`)
)

// Placeholders returns the byte ranges, in order and without overlaps, of
// the placeholders in s: ${Name}, ${AWS::Region}, {{name}}, <name> and a Sprintf verb
// where a word starts ("%s", "fleet-%d"; not "100%s", nor any in a date
// format such as "%Y-%m-%d"). In the text of an Fn::Sub (inSub) ${Name} is
// a substitution, not a placeholder.
func Placeholders(s string, inSub bool) [][2]int {
	if !strings.ContainsAny(s, "${<%") {
		return nil
	}
	var found [][2]int
	res := []*regexp.Regexp{reCFNPseudo, reMustache, reAngle}
	if !inSub {
		res = append(res, reDollarBrace)
	}
	for _, re := range res {
		for _, l := range re.FindAllStringIndex(s, -1) {
			found = append(found, [2]int{l[0], l[1]})
		}
	}
	found = append(found, printfVerbs(s)...)
	return Disjoint(found)
}

// Disjoint sorts ranges by start, the longest first, and drops each that
// begins inside the one kept before it.
func Disjoint(found [][2]int) [][2]int {
	slices.SortFunc(found, func(a, b [2]int) int { return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(b[1], a[1])) })
	var out [][2]int
	for _, f := range found {
		if len(out) > 0 && f[0] < out[len(out)-1][1] {
			continue // inside the one before
		}
		out = append(out, f)
	}
	return out
}

// printfVerbs finds the Sprintf verbs (%s, %d, %v, %q) where a word starts.
func printfVerbs(s string) [][2]int {
	for i := 0; i+1 < len(s); i++ {
		if s[i] == '%' && strings.ContainsRune("YmHMSjabBpZzIyeF", rune(s[i+1])) {
			return nil // a date format ("%Y-%m-%d"), kept for a program that reads it
		}
	}
	var out [][2]int
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '%' || !strings.ContainsRune("sdvq", rune(s[i+1])) {
			continue
		}
		if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '%') || i+2 < len(s) && isAlnum(s[i+2]) {
			continue
		}
		out = append(out, [2]int{i, i + 2})
	}
	return out
}

func isAlnum(b byte) bool {
	return b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
}
