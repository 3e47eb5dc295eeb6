package template

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// srcBuilder builds the text of an embedded source and the file offset of
// each of its bytes.
type srcBuilder struct {
	text   []byte
	toFile []int32
}

// add appends text whose bytes all come from file offset at.
func (b *srcBuilder) add(text string, at int) {
	for i := range len(text) {
		b.text = append(b.text, text[i])
		b.toFile = append(b.toFile, int32(at))
	}
}

// align appends the decoded text val of raw (which starts at rawStart in
// src), mapping each byte to the raw text it comes from: escapes (in a
// quoted string), $${ and %%{, and indentation a heredoc strips.
func (b *srcBuilder) align(val string, raw []byte, rawStart int, quoted bool, src *Source) {
	j := 0
	for i := 0; i < len(val); {
		at := src.FileOffset(rawStart + min(j, len(raw)))
		if j >= len(raw) {
			b.add(val[i:], at)
			return
		}
		if quoted && raw[j] == '\\' {
			if dec, n := hclEscape(raw[j:]); n > 0 && strings.HasPrefix(val[i:], dec) {
				b.add(dec, at)
				i, j = i+len(dec), j+n
				continue
			}
		}
		if (raw[j] == '$' || raw[j] == '%') && j+2 < len(raw) && raw[j+1] == raw[j] && raw[j+2] == '{' && strings.HasPrefix(val[i:], string(raw[j])+"{") {
			b.add(val[i:i+2], at)
			i, j = i+2, j+3
			continue
		}
		if raw[j] == val[i] {
			b.add(val[i:i+1], at)
			i, j = i+1, j+1
			continue
		}
		j++ // stripped: heredoc indentation, a \r of a line end
	}
}

// hclEscape decodes the escape sequence at the start of raw; n is 0 when
// it is not one.
func hclEscape(raw []byte) (string, int) {
	if len(raw) < 2 {
		return "", 0
	}
	switch raw[1] {
	case 'n':
		return "\n", 2
	case 'r':
		return "\r", 2
	case 't':
		return "\t", 2
	case '"':
		return `"`, 2
	case '\\':
		return `\`, 2
	case 'u', 'U':
		n := 4
		if raw[1] == 'U' {
			n = 8
		}
		if len(raw) < 2+n {
			return "", 0
		}
		var r rune
		for _, c := range raw[2 : 2+n] {
			var d byte
			switch {
			case c >= '0' && c <= '9':
				d = c - '0'
			case c >= 'a' && c <= 'f':
				d = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				d = c - 'A' + 10
			default:
				return "", 0
			}
			r = r<<4 | rune(d)
		}
		return string(r), 2 + n
	}
	return "", 0
}

// appendJSON appends n as compact JSON (as Terraform's jsonencode writes
// it), each byte mapped to the node it comes from; a byte after a value
// (',', ':', a closing bracket) maps to the end of that value, so that
// every node's range ends where its expression does.
func (b *srcBuilder) appendJSON(n Node) {
	start, _ := n.Span()
	at := n.Source().FileOffset(start)
	switch n := n.(type) {
	case *Object:
		b.add("{", at)
		after := at + 1
		for i, m := range n.Members {
			if i > 0 {
				b.add(",", after)
			}
			b.appendString(m.Key)
			b.add(":", fileEnd(m.Key))
			b.appendJSON(m.Value)
			after = fileEnd(m.Value)
		}
		b.add("}", after)
	case *Array:
		b.add("[", at)
		after := at + 1
		for i, e := range n.Elems {
			if i > 0 {
				b.add(",", after)
			}
			b.appendJSON(e)
			after = fileEnd(e)
		}
		b.add("]", after)
	case *String:
		b.appendString(n)
	default:
		b.add(string(AppendCompact(nil, n)), at)
	}
}

// fileEnd is the file offset where a node ends.
func fileEnd(n Node) int {
	_, end := n.Span()
	return n.Source().FileOffset(end)
}

// appendString appends a JSON string, each character mapped through the
// node's own decoded source.
func (b *srcBuilder) appendString(s *String) {
	emb := s.Embedded()
	start, _ := s.Span()
	b.add(`"`, s.Source().FileOffset(start))
	for i := 0; i < len(s.Value); {
		_, size := utf8.DecodeRuneInString(s.Value[i:])
		b.add(Escape(s.Value[i:i+size]), emb.FileOffset(i))
		i += size
	}
	b.add(`"`, max(emb.FileOffset(len(s.Value)), fileEnd(s)-1))
}

// source makes the embedded source; end is the file offset just past it.
func (b *srcBuilder) source(parent *Source, end int) *Source {
	toFile := append(slices.Clip(b.toFile), int32(end))
	return &Source{name: parent.name, text: b.text, parent: parent, file: parent.file, toFile: toFile}
}

// jsonScan follows JSON text written so far, to tell whether an
// interpolation stands inside a string or where a value belongs.
type jsonScan struct {
	inString, escaped bool
	first             byte // the first byte that is not white space
	last              byte // the last byte outside strings and white space
}

func (j *jsonScan) feed(s string) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case j.inString && j.escaped:
			j.escaped = false
		case j.inString && c == '\\':
			j.escaped = true
		case j.inString && c == '"':
			j.inString = false
			j.last = '"'
		case j.inString:
		case c == '"':
			j.inString = true
		case c != ' ' && c != '\t' && c != '\n' && c != '\r':
			j.last = c
		}
		if j.first == 0 && c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			j.first = c
		}
	}
}

// wantsValue reports whether the text so far is JSON text (it starts with
// '{' or '[') that ends where a JSON value belongs: after ':', '[' or ','
// inside an array or object (a key after '{' or ',' in an object is read as
// a value too, and parses as a string). Other text, such as the ARN
// "arn:aws:iot:${var.region}:...", is a plain string.
func (j *jsonScan) wantsValue() bool {
	return (j.first == '{' || j.first == '[') && !j.inString && (j.last == ':' || j.last == '[' || j.last == ',' || j.last == '{')
}
