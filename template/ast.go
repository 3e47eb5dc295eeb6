package template

import (
	"encoding/json"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Node is a JSON value in a parsed file: *Object, *Array, *String, *Number,
// *Bool or *Null. Only this package defines node types.
type Node interface {
	// Range is the node's text in file coordinates.
	Range() Range
	// Pointer is the node's JSON pointer, relative to the template body for
	// nodes inside it (for example "/Resources/thing/Properties/ThingName")
	// and relative to the file for wrapper fields ("/roleArn") and for the
	// policies beside the template (see File.Policies).
	Pointer() string
	// Source is the source the node was parsed from.
	Source() *Source
	// Span is the node's half-open byte span in Source().Text().
	Span() (start, end int)
	node()
}

type base struct {
	src        *Source
	start, end int32
	ptr        string
}

func (b *base) Range() Range           { return b.src.Range(int(b.start), int(b.end)) }
func (b *base) Pointer() string        { return b.ptr }
func (b *base) Source() *Source        { return b.src }
func (b *base) Span() (start, end int) { return int(b.start), int(b.end) }
func (b *base) node()                  {}
func (b *base) init(src *Source, start, end int, ptr string) {
	b.src, b.start, b.end, b.ptr = src, int32(start), int32(end), ptr
}

// Object is a JSON object. Members keep their source order; a duplicated key
// is kept (and reported), and Get returns its first occurrence.
type Object struct {
	base
	Members []*Member
}

// Member is one key/value pair of an object.
type Member struct {
	Key   *String
	Value Node
}

// Get returns the value of the first member named key, or nil.
func (o *Object) Get(key string) Node {
	if m := o.Member(key); m != nil {
		return m.Value
	}
	return nil
}

// Member returns the first member named key, or nil.
func (o *Object) Member(key string) *Member {
	if o == nil {
		return nil
	}
	for _, m := range o.Members {
		if m.Key.Value == key {
			return m
		}
	}
	return nil
}

// Array is a JSON array.
type Array struct {
	base
	Elems []Node
}

// String is a JSON string (its Range includes the quotes) or a YAML
// scalar.
type String struct {
	base
	Value string     // decoded
	yaml  yaml.Style // the scalar's style, for a string read from YAML
	emb   *Source    // the decoded content, when built by a reader other than JSON's (HCL)
}

// Embedded returns the decoded content of s as a source of its own, whose
// offsets map back to the file through the escapes of s.
func (s *String) Embedded() *Source {
	if s.emb != nil {
		return s.emb
	}
	if s.src.yaml {
		return s.embedYAML()
	}
	start, end := s.Span()
	if end-start >= 2 && s.src.text[start] == '"' {
		start, end = start+1, end-1
	} // else an unquoted word the parser accepted after reporting it
	return s.src.embed(start, end)
}

// Number is a JSON number, kept as written.
type Number struct {
	base
	Literal string
}

// Valid reports whether the literal is a JSON number. The parser keeps an
// invalid one (NaN, 0x1F, a lone "-") after reporting it, so that parsing
// goes on; writers of JSON must not copy such a literal as a number.
func (n *Number) Valid() bool { return validJSONNumber(n.Literal) }

// Float returns the number's value as a float64.
func (n *Number) Float() float64 {
	f, _ := strconv.ParseFloat(n.Literal, 64)
	return f
}

// Int returns the number as an int when it is a whole number that an int
// holds exactly.
func (n *Number) Int() (int, bool) {
	if i, err := strconv.Atoi(n.Literal); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(n.Literal, 64)
	if err != nil || f != float64(int(f)) || f > 1<<53 || f < -(1<<53) {
		return 0, false
	}
	return int(f), true
}

// Bool is true or false.
type Bool struct {
	base
	Value bool
}

// Null is null.
type Null struct{ base }

// KindOf names the JSON type of n for messages: "object", "array",
// "string", "number", "boolean" or "null".
func KindOf(n Node) string {
	switch n.(type) {
	case *Object:
		return "object"
	case *Array:
		return "array"
	case *String:
		return "string"
	case *Number:
		return "number"
	case *Bool:
		return "boolean"
	case *Null:
		return "null"
	}
	return "nothing"
}

// Describe names the JSON type of n with an article, for messages: "an
// object", "a string".
func Describe(n Node) string { return article(KindOf(n)) }

// Walk calls fn for n and, while fn returns true, for its descendants in
// source order (an object's keys are not visited as separate nodes).
func Walk(n Node, fn func(Node) bool) {
	if n == nil || !fn(n) {
		return
	}
	switch n := n.(type) {
	case *Object:
		for _, m := range n.Members {
			Walk(m.Value, fn)
		}
	case *Array:
		for _, e := range n.Elems {
			Walk(e, fn)
		}
	}
}

// Lookup returns the node at JSON pointer ptr below root, where ptr is
// relative to root's own pointer. It returns nil when there is none.
func Lookup(root Node, ptr string) Node {
	if ptr == "" {
		return root
	}
	if !strings.HasPrefix(ptr, "/") {
		return nil
	}
	n := root
	for _, tok := range strings.Split(ptr[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch v := n.(type) {
		case *Object:
			n = v.Get(tok)
		case *Array:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(v.Elems) || (len(tok) > 1 && tok[0] == '0') {
				return nil
			}
			n = v.Elems[i]
		default:
			return nil
		}
		if n == nil {
			return nil
		}
	}
	return n
}

// PointerToken escapes one JSON pointer reference token.
func PointerToken(s string) string {
	if !strings.ContainsAny(s, "~/") {
		return s
	}
	return strings.ReplaceAll(strings.ReplaceAll(s, "~", "~0"), "/", "~1")
}

// ToValue converts a node to the values encoding/json decodes to
// (map[string]any, []any, string, json.Number, bool, nil), for tools such
// as JSON Schema validators and CEL. A duplicated key keeps its first value.
func ToValue(n Node) any {
	switch n := n.(type) {
	case *Object:
		m := make(map[string]any, len(n.Members))
		for _, mem := range n.Members {
			if _, dup := m[mem.Key.Value]; !dup {
				m[mem.Key.Value] = ToValue(mem.Value)
			}
		}
		return m
	case *Array:
		a := make([]any, len(n.Elems))
		for i, e := range n.Elems {
			a[i] = ToValue(e)
		}
		return a
	case *String:
		return n.Value
	case *Number:
		return json.Number(n.Literal)
	case *Bool:
		return n.Value
	}
	return nil
}
