package template

import "strings"

// Writer writes JSON from a parsed tree, keeping key order and numbers as
// written. Replace, when set, may stand in for a node: it returns the node
// to write instead, or a raw JSON text (with ok true) to write as is.
type Writer struct {
	Indent  string // "" writes compact JSON
	Replace func(n Node) (other Node, raw string, ok bool)
}

// Append appends n.
func (w Writer) Append(b []byte, n Node) []byte {
	return w.write(b, n, "")
}

func (w Writer) write(b []byte, n Node, prefix string) []byte {
	if w.Replace != nil {
		if other, raw, ok := w.Replace(n); ok {
			if other == nil {
				return append(b, raw...)
			}
			n = other
		}
	}
	inner := prefix + w.Indent
	if w.Indent != "" {
		if one, ok := w.oneLine(n, 60); ok {
			return append(b, one...)
		}
	}
	switch n := n.(type) {
	case *Object:
		if len(n.Members) == 0 {
			return append(b, "{}"...)
		}
		b = append(b, '{')
		for i, m := range n.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = w.newline(b, inner)
			b = appendQuoted(b, m.Key.Value)
			b = append(b, ':')
			if w.Indent != "" {
				b = append(b, ' ')
			}
			b = w.write(b, m.Value, inner)
		}
		b = w.newline(b, prefix)
		return append(b, '}')
	case *Array:
		if len(n.Elems) == 0 {
			return append(b, "[]"...)
		}
		b = append(b, '[')
		for i, e := range n.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = w.newline(b, inner)
			b = w.write(b, e, inner)
		}
		b = w.newline(b, prefix)
		return append(b, ']')
	}
	return AppendCompact(b, n)
}

// oneLine writes a small node on one line, {"Ref": "Name"} or ["a", "b"],
// when it fits in limit bytes.
func (w Writer) oneLine(n Node, limit int) (string, bool) {
	if w.Replace != nil {
		// A node written as raw text is not one this can shorten; one
		// replaced by another node (a policy document string written as
		// the object it holds) is written like that node, so formatting
		// the result again gives the same text.
		if other, _, ok := w.Replace(n); ok && other == nil {
			return "", false
		}
	}
	var b []byte
	var write func(n Node) bool
	write = func(n Node) bool {
		switch n := n.(type) {
		case *Object:
			b = append(b, '{')
			for i, m := range n.Members {
				if i > 0 {
					b = append(b, ", "...)
				}
				b = appendQuoted(b, m.Key.Value)
				b = append(b, ": "...)
				if len(b) > limit || !write(m.Value) {
					return false
				}
			}
			b = append(b, '}')
		case *Array:
			b = append(b, '[')
			for i, e := range n.Elems {
				if i > 0 {
					b = append(b, ", "...)
				}
				if len(b) > limit || !write(e) {
					return false
				}
			}
			b = append(b, ']')
		default:
			b = AppendCompact(b, n)
		}
		return len(b) <= limit
	}
	if !write(n) {
		return "", false
	}
	return string(b), true
}

func (w Writer) newline(b []byte, prefix string) []byte {
	if w.Indent == "" {
		return b
	}
	b = append(b, '\n')
	return append(b, prefix...)
}

// shortScalars reports whether an array holds only a few short scalars,
// which read best on one line (in YAML flow style).
func shortScalars(a *Array) bool {
	total := 0
	for _, e := range a.Elems {
		switch v := e.(type) {
		case *String:
			total += len(v.Value) + 4
		case *Number, *Bool, *Null:
			total += 6
		default:
			return false
		}
	}
	return total <= 60
}

// PolicyDocuments returns a Replace function for a Writer that writes every
// policy document of t as a string holding its compact JSON (asString), the
// way the API takes it, or as the JSON object it holds (readable source).
// Only documents that are plain JSON objects change form: a document with
// intrinsic functions stays an object (in a string they would no longer be
// functions), and a string that does not hold an object (a document encoded
// twice) is left as it is.
func PolicyDocuments(t *Template, asString bool) func(Node) (Node, string, bool) {
	docs := map[Node]*Resource{}
	if t != nil {
		for _, r := range t.Resources {
			if doc, ok := r.PolicyDocument.(*Object); ok && r.PolicyDocumentNode != nil && !containsCall(doc) {
				docs[r.PolicyDocumentNode] = r
			}
		}
	}
	return func(n Node) (Node, string, bool) {
		r, ok := docs[n]
		if !ok {
			return nil, "", false
		}
		if asString {
			return nil, `"` + Escape(string(AppendCompact(nil, r.PolicyDocument))) + `"`, true
		}
		return r.PolicyDocument, "", true
	}
}

// containsCall reports whether an intrinsic function call is at or below n.
func containsCall(n Node) bool {
	found := false
	Walk(n, func(c Node) bool {
		if _, ok := AsCall(c); ok {
			found = true
		}
		return !found
	})
	return found
}

// IndentJSON is the indentation of readable JSON written by iotpt.
const IndentJSON = "  "

// Readable returns the template body as readable JSON: indented, with
// policy documents as objects. Key order and numbers are kept.
func (t *Template) Readable() []byte {
	w := Writer{Indent: IndentJSON, Replace: PolicyDocuments(t, false)}
	return append(w.Append(nil, t.Root), '\n')
}

// Minified returns the template body as the APIs take it: compact, with
// policy documents as strings holding their JSON.
func (t *Template) Minified() string {
	w := Writer{Replace: PolicyDocuments(t, true)}
	return string(w.Append(nil, t.Root))
}

// jsonString quotes s as a JSON string.
func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	b.WriteString(Escape(s))
	b.WriteByte('"')
	return b.String()
}
