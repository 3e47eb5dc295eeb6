// Package policy evaluates AWS IoT policies for the local endpoint: which
// statement of which attached policy allows or denies a Connect, Publish,
// Subscribe or Receive, with policy variables resolved, Deny over Allow,
// and * and ? wildcards in actions and resources (MQTT's + and # are
// literal characters there, as in AWS IoT).
package policy

import (
	"encoding/json"
	"fmt"
	"strings"
)

// MaxDocument is the largest policy document read (AWS IoT: 2048
// characters without white space; a formatted document is longer).
const MaxDocument = 64 << 10

// Policy is a parsed policy document.
type Policy struct {
	Name       string
	Statements []Statement
}

// Statement is one statement of a policy.
type Statement struct {
	Index       int // from 0, in the document
	Sid         string
	Allow       bool
	Actions     []string
	NotActions  []string
	Resources   []string
	NotResource []string
	Conditions  []Condition
}

// Condition is one operator-key-values test of a statement's Condition.
type Condition struct {
	Operator string
	Key      string
	Values   []string
}

// stringList reads a JSON string or list of strings.
type stringList []string

func (l *stringList) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*l = []string{s}
		return nil
	}
	var ss []string
	if err := json.Unmarshal(b, &ss); err != nil {
		return fmt.Errorf("want a string or a list of strings")
	}
	*l = ss
	return nil
}

type rawStatement struct {
	Sid         string                           `json:"Sid"`
	Effect      string                           `json:"Effect"`
	Action      stringList                       `json:"Action"`
	NotAction   stringList                       `json:"NotAction"`
	Resource    stringList                       `json:"Resource"`
	NotResource stringList                       `json:"NotResource"`
	Condition   map[string]map[string]stringList `json:"Condition"`
}

// Parse reads a policy document.
func Parse(name, doc string) (*Policy, error) {
	if len(doc) > MaxDocument {
		return nil, fmt.Errorf("policy %s: the document has %d bytes; the most read is %d", name, len(doc), MaxDocument)
	}
	var raw struct {
		Statement json.RawMessage `json:"Statement"`
	}
	if err := json.Unmarshal([]byte(doc), &raw); err != nil {
		return nil, fmt.Errorf("policy %s: %v", name, err)
	}
	var stmts []rawStatement
	if err := json.Unmarshal(raw.Statement, &stmts); err != nil {
		var one rawStatement
		if err1 := json.Unmarshal(raw.Statement, &one); err1 != nil {
			return nil, fmt.Errorf("policy %s: Statement: %v", name, err)
		}
		stmts = []rawStatement{one}
	}
	p := &Policy{Name: name}
	for i, r := range stmts {
		if r.Effect != "Allow" && r.Effect != "Deny" {
			return nil, fmt.Errorf("policy %s: statement %d: Effect is %q; want Allow or Deny", name, i, r.Effect)
		}
		st := Statement{Index: i, Sid: r.Sid, Allow: r.Effect == "Allow", Actions: r.Action, NotActions: r.NotAction, Resources: r.Resource, NotResource: r.NotResource}
		for op, keys := range r.Condition {
			for key, vals := range keys {
				st.Conditions = append(st.Conditions, Condition{Operator: op, Key: key, Values: vals})
			}
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

// Request is what is asked: an action on a resource ARN, with the values
// of the policy variables (names without ${}, such as "iot:ClientId").
// A variable missing from Vars is unresolved: a resource that uses it
// matches nothing.
type Request struct {
	Action   string
	Resource string
	Vars     map[string]string
}

// Decision is the outcome of an evaluation.
type Decision struct {
	Allowed   bool
	Policy    string     // the deciding policy; "" for the implicit deny
	Statement *Statement // the deciding statement
}

// String names the deciding statement.
func (d Decision) String() string {
	verdict := "denied"
	if d.Allowed {
		verdict = "allowed"
	}
	if d.Statement == nil {
		return "denied: no statement of the attached policies allows it (implicit deny)"
	}
	effect := "Deny"
	if d.Statement.Allow {
		effect = "Allow"
	}
	sid := ""
	if d.Statement.Sid != "" {
		sid = fmt.Sprintf(" (Sid %q)", d.Statement.Sid)
	}
	return fmt.Sprintf("%s by policy %s statement %d%s, Effect %s", verdict, d.Policy, d.Statement.Index, sid, effect)
}

// Evaluate decides a request against policies: an explicit Deny wins over
// every Allow; without either the request is denied.
func Evaluate(policies []*Policy, req Request) Decision {
	var allow Decision
	for _, p := range policies {
		for i := range p.Statements {
			st := &p.Statements[i]
			if !st.applies(req) {
				continue
			}
			if !st.Allow {
				return Decision{Policy: p.Name, Statement: st}
			}
			if allow.Statement == nil {
				allow = Decision{Allowed: true, Policy: p.Name, Statement: st}
			}
		}
	}
	return allow
}

func (st *Statement) applies(req Request) bool {
	if len(st.Actions) > 0 && !anyMatch(st.Actions, req.Action, true, nil) {
		return false
	}
	if len(st.NotActions) > 0 && anyMatch(st.NotActions, req.Action, true, nil) {
		return false
	}
	if len(st.Resources) > 0 && !anyMatch(st.Resources, req.Resource, false, req.Vars) {
		return false
	}
	if len(st.NotResource) > 0 && anyMatch(st.NotResource, req.Resource, false, req.Vars) {
		return false
	}
	for _, c := range st.Conditions {
		if !c.holds(req.Vars) {
			return false
		}
	}
	return true
}

func anyMatch(patterns []string, s string, fold bool, vars map[string]string) bool {
	for _, p := range patterns {
		if vars != nil {
			var ok bool
			if p, ok = Substitute(p, vars); !ok {
				continue
			}
		}
		if fold {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		if Glob(p, s) {
			return true
		}
	}
	return false
}

// holds tests a condition. Policy variables in its values are resolved
// (a value whose variable has no value matches nothing). An operator the
// endpoint does not know makes the statement not apply.
func (c Condition) holds(vars map[string]string) bool {
	op, ifExists := strings.CutSuffix(c.Operator, "IfExists")
	v, ok := vars[c.Key]
	if !ok {
		return ifExists || op == "Null" && anyEqual(c.Values, "true", true)
	}
	var vals []string
	for _, x := range c.Values {
		if x, ok := substitute(x, vars, false); ok {
			vals = append(vals, x)
		}
	}
	switch op {
	case "StringEquals":
		return anyEqual(vals, v, false)
	case "StringNotEquals":
		return !anyEqual(vals, v, false)
	case "StringEqualsIgnoreCase":
		return anyEqual(vals, v, true)
	case "StringNotEqualsIgnoreCase":
		return !anyEqual(vals, v, true)
	case "StringLike":
		return anyMatch(c.Values, v, false, vars)
	case "StringNotLike":
		return !anyMatch(c.Values, v, false, vars)
	case "Bool":
		return anyEqual(vals, v, true)
	case "Null":
		return anyEqual(vals, "false", true)
	}
	return false
}

func anyEqual(vals []string, v string, fold bool) bool {
	for _, x := range vals {
		if x == v || fold && strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

// Substitute replaces the policy variables ${name} of s with their values,
// as a Glob pattern: the values, and ${*}, ${?} and ${$} (the literal
// characters), are escaped so that they match only themselves. ok is false
// when a variable has no value.
func Substitute(s string, vars map[string]string) (string, bool) {
	return substitute(s, vars, true)
}

// substitute replaces policy variables, escaping for Glob or not.
func substitute(s string, vars map[string]string, glob bool) (string, bool) {
	if !strings.Contains(s, "${") {
		return s, true
	}
	var b strings.Builder
	for {
		i := strings.Index(s, "${")
		if i < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String(), true
		}
		name := s[i+2 : i+j]
		b.WriteString(s[:i])
		v, ok := vars[name]
		switch name {
		case "*", "?", "$":
			v, ok = name, true
		}
		if !ok {
			return "", false
		}
		if glob {
			v = escape(v)
		}
		b.WriteString(v)
		s = s[i+j+1:]
	}
}

// escape makes a variable's value literal for Glob.
func escape(v string) string {
	if !strings.ContainsAny(v, `*?\`) {
		return v
	}
	r := strings.NewReplacer(`\`, `\\`, `*`, `\*`, `?`, `\?`)
	return r.Replace(v)
}

// Glob matches s against a pattern where * is any run of characters, ? one
// character, and \x the character x. It runs in O(len(p)*len(s)) at worst.
func Glob(p, s string) bool {
	px, sx := 0, 0
	starP, starS := -1, -1
	for sx < len(s) {
		if px < len(p) {
			switch c := p[px]; {
			case c == '*':
				starP, starS = px, sx
				px++
				continue
			case c == '?':
				px++
				sx++
				continue
			case c == '\\' && px+1 < len(p):
				if p[px+1] == s[sx] {
					px += 2
					sx++
					continue
				}
			case c == s[sx]:
				px++
				sx++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		starS++
		px, sx = starP+1, starS
	}
	for px < len(p) && p[px] == '*' {
		px++
	}
	return px == len(p)
}
