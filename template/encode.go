package template

// AppendCompact appends n as compact JSON: no white space, members in source
// order, numbers as written, strings escaped as the AWS APIs expect.
func AppendCompact(b []byte, n Node) []byte {
	switch n := n.(type) {
	case *Object:
		b = append(b, '{')
		for i, m := range n.Members {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendQuoted(b, m.Key.Value)
			b = append(b, ':')
			b = AppendCompact(b, m.Value)
		}
		return append(b, '}')
	case *Array:
		b = append(b, '[')
		for i, e := range n.Elems {
			if i > 0 {
				b = append(b, ',')
			}
			b = AppendCompact(b, e)
		}
		return append(b, ']')
	case *String:
		return appendQuoted(b, n.Value)
	case *Number:
		if !n.Valid() {
			return appendQuoted(b, n.Literal) // reported by the parser; kept as text
		}
		return append(b, n.Literal...)
	case *Bool:
		if n.Value {
			return append(b, "true"...)
		}
		return append(b, "false"...)
	}
	return append(b, "null"...)
}

func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	b = append(b, Escape(s)...)
	return append(b, '"')
}
