package lint

import (
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

func quote(s string) string { return strconv.Quote(s) }

// ref is one reference to a parameter: a Ref, or a ${Name} in an Fn::Sub
// string.
type ref struct {
	name string
	node template.Node
}

// refs lists the parameter references below n, in source order.
func refs(n template.Node) []ref {
	var out []ref
	template.Walk(n, func(c template.Node) bool {
		call, ok := template.AsCall(c)
		if !ok {
			return true
		}
		name := call.Name
		if call.Meant != "" {
			name = call.Meant // {"REF": "Serial"} is reported as misspelt, and still meant Serial
		}
		switch name {
		case "Ref":
			if s, ok := call.Arg.(*template.String); ok {
				out = append(out, ref{s.Value, c})
			}
		case "Fn::Sub":
			s, vars := subParts(call)
			if s != nil {
				for _, name := range subVariables(s.Value) {
					if vars.Get(name) == nil && !model.IsPolicyVariable(name) {
						out = append(out, ref{name, s})
					}
				}
			}
		}
		return true
	})
	return out
}

// subParts returns the string and the variable map of an Fn::Sub call.
func subParts(call *template.Call) (*template.String, *template.Object) {
	switch a := call.Arg.(type) {
	case *template.String:
		return a, nil
	case *template.Array:
		if len(a.Elems) == 2 {
			s, _ := a.Elems[0].(*template.String)
			o, _ := a.Elems[1].(*template.Object)
			return s, o
		}
	}
	return nil, nil
}

// subVariables lists the ${Name} variables of an Fn::Sub string, skipping
// ${!Literal} escapes.
func subVariables(s string) []string {
	var out []string
	for i := 0; i+1 < len(s); i++ {
		if s[i] != '$' || s[i+1] != '{' {
			continue
		}
		end := i + 2
		for end < len(s) && s[end] != '}' {
			end++
		}
		if end == len(s) {
			break
		}
		if name := s[i+2 : end]; name != "" && name[0] != '!' {
			out = append(out, name)
		}
		i = end
	}
	return out
}

// walkStrings calls fn for every string value below n (keys, among them
// intrinsic function names, are not values).
func walkStrings(n template.Node, fn func(*template.String)) {
	template.Walk(n, func(c template.Node) bool {
		if s, ok := c.(*template.String); ok {
			fn(s)
		}
		return true
	})
}

// literal returns the string written at n, if n is a plain string: one
// with no part known only at deployment (a Terraform reference, a
// CloudFormation variable).
func literal(n template.Node) (*template.String, bool) {
	s, ok := n.(*template.String)
	if ok && strings.Contains(s.Value, template.CFNVarStart) {
		return nil, false
	}
	return s, ok
}

// charRange returns the file range of decoded bytes [from, to) of a string
// node, so a finding can point at one character inside it, escapes and all.
func charRange(s *template.String, from, to int) template.Range {
	src := s.Embedded()
	return src.Range(from, to)
}
