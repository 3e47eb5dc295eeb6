package eval

import (
	"strconv"
	"strings"

	"github.com/iotpt/iotpt/template"
)

// Kind is the kind of a Value.
type Kind uint8

// Value kinds.
const (
	Null    Kind = iota
	String       // a known string
	Partial      // a string with unknown parts, e.g. "sensor_" + <SerialNumber>
	Unknown      // a value nothing is known about (a string or a list)
	List
	Object
	Number
	Bool
)

// Value is an evaluated template value. A parameter with no value evaluates
// to an Unknown that flows through functions: Fn::Join of a known and an
// unknown part gives a Partial that keeps the known text.
//
// The zero Value is Null. Values are immutable and safe to share.
type Value struct {
	kind Kind
	// written marks a value written in the template itself, the same for
	// every device: an Evaluator checks such values once, not per device.
	written bool
	str     string    // String; Number literal; Bool "true"/"false"; Unknown label; cached JSON of a written List or Object
	items   []Value   // List elements; Object member values; Partial parts
	keys    *[]string // Object member names, in template order; shared between values
}

// Str returns a known string.
func Str(s string) Value { return Value{kind: String, str: s} }

// UnknownValue returns a value known only by a label, such as a parameter
// name.
func UnknownValue(label string) Value { return Value{kind: Unknown, str: label} }

// ListOf returns a list.
func ListOf(items ...Value) Value { return Value{kind: List, items: items} }

// ObjectOf returns an object with the given member names and values, which
// must have the same length.
func ObjectOf(keys []string, values []Value) Value {
	return Value{kind: Object, keys: &keys, items: values}
}

// objectWith returns an object whose member names are shared with other
// values (the names of an object written in the template).
func objectWith(keys *[]string, values []Value) Value {
	return Value{kind: Object, keys: keys, items: values}
}

// Kind returns the value's kind.
func (v Value) Kind() Kind { return v.kind }

// IsKnown reports whether v holds no unknown part, at any depth.
func (v Value) IsKnown() bool {
	switch v.kind {
	case Partial, Unknown:
		return false
	case List, Object:
		for _, it := range v.items {
			if !it.IsKnown() {
				return false
			}
		}
	}
	return true
}

// Written reports whether v is written in the template itself, the same
// for every device.
func (v Value) Written() bool { return v.written }

// Text returns the string of a String value, and "" for other kinds.
func (v Value) Text() string {
	if v.kind == String {
		return v.str
	}
	return ""
}

// Items returns the elements of a List or the member values of an Object.
func (v Value) Items() []Value { return v.items }

// Keys returns the member names of an Object.
func (v Value) Keys() []string {
	if v.keys == nil {
		return nil
	}
	return *v.keys
}

// Get returns the member named key of an Object.
func (v Value) Get(key string) (Value, bool) {
	for i, k := range v.Keys() {
		if k == key {
			return v.items[i], true
		}
	}
	return Value{}, false
}

// isStringLike reports whether v is, or may be, a string.
func (v Value) isStringLike() bool {
	return v.kind == String || v.kind == Partial || v.kind == Unknown
}

// concat joins string-like values, merging adjacent known text, and returns a
// String when every part is known.
func concat(parts []Value, sep string) Value {
	known := true
	for _, p := range parts {
		if p.kind != String {
			known = false
			break
		}
	}
	if known {
		if len(parts) == 1 {
			return parts[0]
		}
		n := len(sep) * max(len(parts)-1, 0)
		for _, p := range parts {
			n += len(p.str)
		}
		var b strings.Builder
		b.Grow(n)
		for i, p := range parts {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(p.str)
		}
		return Str(b.String())
	}
	var out []Value
	var text strings.Builder
	flush := func() {
		if text.Len() > 0 {
			out = append(out, Str(text.String()))
			text.Reset()
		}
	}
	for i, p := range parts {
		if i > 0 {
			text.WriteString(sep)
		}
		switch p.kind {
		case String:
			text.WriteString(p.str)
		case Partial:
			for _, q := range p.items {
				if q.kind == String {
					text.WriteString(q.str)
				} else {
					flush()
					out = append(out, q)
				}
			}
		default:
			flush()
			out = append(out, p)
		}
	}
	flush()
	return Value{kind: Partial, items: out}
}

// Display renders v for people: known strings as they are, unknown parts as
// <label>, lists as [a, b] and objects as {k: v}.
func (v Value) Display() string {
	var b strings.Builder
	v.display(&b)
	return b.String()
}

func (v Value) display(b *strings.Builder) {
	switch v.kind {
	case Null:
		b.WriteString("null")
	case Number, Bool:
		b.WriteString(v.str)
	case String:
		b.WriteString(v.str)
	case Unknown:
		b.WriteString("<" + v.str + ">")
	case Partial:
		for _, p := range v.items {
			p.display(b)
		}
	case List:
		b.WriteByte('[')
		for i, it := range v.items {
			if i > 0 {
				b.WriteString(", ")
			}
			it.display(b)
		}
		b.WriteByte(']')
	case Object:
		b.WriteByte('{')
		for i, it := range v.items {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(v.Keys()[i] + ": ")
			it.display(b)
		}
		b.WriteByte('}')
	}
}

// AppendJSON appends v as JSON. Members keep template order. A value with
// unknown parts is written as {"unknown": "<display form>"}, so that no
// consumer can mistake it for a real string.
func (v Value) AppendJSON(b []byte) []byte {
	switch v.kind {
	case Null:
		return append(b, "null"...)
	case String:
		return appendJSONString(b, v.str)
	case Number, Bool:
		return append(b, v.str...)
	case Unknown, Partial:
		b = append(b, `{"unknown":`...)
		b = appendJSONString(b, v.Display())
		return append(b, '}')
	case List:
		if v.str != "" { // encoded at compile time
			return append(b, v.str...)
		}
		b = append(b, '[')
		for i, it := range v.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = it.AppendJSON(b)
		}
		return append(b, ']')
	case Object:
		if v.str != "" {
			return append(b, v.str...)
		}
		b = append(b, '{')
		for i, it := range v.items {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONString(b, v.Keys()[i])
			b = append(b, ':')
			b = it.AppendJSON(b)
		}
		return append(b, '}')
	}
	return b
}

// MarshalJSON implements json.Marshaler with AppendJSON.
func (v Value) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = template.AppendEscaped(b, s)
	return append(b, '"')
}

// withJSON returns v with its JSON encoded once and cached, for a List or
// Object written in the template.
func withJSON(v Value) Value {
	if (v.kind == List || v.kind == Object) && v.IsKnown() {
		v.str = string(v.AppendJSON(nil))
	}
	return v
}

// cfnString is the value of text from the body: the text itself, or, when
// it holds CloudFormation variables (a body taken from a CloudFormation
// Fn::Sub), the text with each variable an unknown value, since
// CloudFormation resolves them before AWS IoT sees the body.
func cfnString(text string) Value {
	parts, isVar, ok := template.CFNVariables(text)
	if !ok {
		return Str(text)
	}
	items := make([]Value, len(parts))
	for i, p := range parts {
		items[i] = Str(p)
		if isVar[i] {
			items[i] = UnknownValue(template.UnknownLabel(p))
		}
	}
	return concat(items, "")
}

// literal converts a JSON node that holds no function call into a Value
// marked as written in the template.
func literal(n template.Node) Value {
	var v Value
	switch n := n.(type) {
	case *template.String:
		v = cfnString(n.Value)
	case *template.Number:
		if n.Valid() {
			v = Value{kind: Number, str: n.Literal}
		} else {
			v = Str(n.Literal) // reported by the parser; kept as text, as the YAML reader does
		}
	case *template.Bool:
		v = Value{kind: Bool, str: strconv.FormatBool(n.Value)}
	case *template.Array:
		items := make([]Value, len(n.Elems))
		for i, e := range n.Elems {
			items[i] = literal(e)
		}
		v = ListOf(items...)
	case *template.Object:
		keys := make([]string, len(n.Members))
		items := make([]Value, len(n.Members))
		for i, m := range n.Members {
			keys[i], items[i] = m.Key.Value, literal(m.Value)
		}
		v = ObjectOf(keys, items)
	}
	v.written = true
	return v
}
