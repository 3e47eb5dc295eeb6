package template

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// Limits that protect the parser from hostile input.
const (
	DefaultMaxBytes = 4 << 20 // 4 MiB
	// MaxMaxBytes is the largest size limit a user may set (--max-bytes):
	// parsing takes memory in proportion to the input, about a hundred
	// times its size for YAML with aliases, so the limit stays well below
	// what a machine has.
	MaxMaxBytes     = 256 << 20
	DefaultMaxDepth = 128
	// maxProblems is how many problems one source reports before the
	// parser gives up on it.
	maxProblems = 100
)

// parser reads one source into nodes. It reports every problem as a
// diagnostic, recovers from the common ones (missing or trailing commas,
// unquoted keys, bad escapes) and stops at the first one it cannot get past.
type parser struct {
	src      *Source
	text     []byte
	off      int
	depth    int
	maxDepth int
	context  string // "" for the file; "in the templateBody string: " for embedded text
	stopped  bool
	diags    Diagnostics
}

func newParser(src *Source, maxDepth int, context string) *parser {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	return &parser{src: src, text: src.text, maxDepth: maxDepth, context: context}
}

// document parses one JSON value that must fill the whole source.
func (p *parser) document(ptr string) Node {
	if p.src.parent == nil && len(p.text) >= 3 && p.text[0] == 0xEF && p.text[1] == 0xBB && p.text[2] == 0xBF {
		p.report(0, 3, Error, CodeBOM, "the file starts with a UTF-8 byte order mark, which the AWS APIs reject; save it as UTF-8 without BOM",
			Fix{Message: "remove the byte order mark", Safe: true, Edits: []Edit{{Filename: p.src.Name(), Start: 0, End: 3}}})
		p.off = 3
	}
	p.skipSpace()
	if p.off >= len(p.text) {
		what := "the file is empty"
		if p.src.parent != nil {
			what = "the string is empty"
		}
		p.report(p.off, p.off, Error, CodeEmpty, what+": expected a JSON object")
		return nil
	}
	n := p.value(ptr)
	if p.stopped {
		return n
	}
	p.skipSpace()
	if p.off < len(p.text) {
		p.report(p.off, p.tokenEnd(p.off), Error, CodeTrailing, "unexpected "+p.describe(p.off)+" after the end of the JSON value; remove it or check for an extra closing bracket")
	}
	return n
}

func (p *parser) report(start, end int, sev Severity, code, msg string, fixes ...Fix) {
	p.add(Diagnostic{Severity: sev, Code: code, Message: p.context + msg, Range: p.src.Range(start, end), Fixes: fixes})
}

// add records d, unless the parser has stopped. After maxProblems problems
// it records one last diagnostic and stops, which bounds the work that
// hostile input can cause.
func (p *parser) add(d Diagnostic) {
	if p.stopped {
		return
	}
	if len(p.diags) == maxProblems {
		d.Message = p.context + fmt.Sprintf("too many problems (more than %d); stopped reading here", maxProblems)
		d.Fixes, d.Related, d.Severity = nil, nil, Error
		p.stopped = true
	}
	p.diags = append(p.diags, d)
}

// fail reports an error the parser cannot recover from and stops it.
func (p *parser) fail(start, end int, code, msg string) {
	p.report(start, end, Error, code, msg)
	p.stopped = true
}

func (p *parser) skipSpace() {
	for p.off < len(p.text) {
		switch p.text[p.off] {
		case ' ', '\t', '\n', '\r':
			p.off++
		default:
			return
		}
	}
}

// value parses any JSON value at p.off.
func (p *parser) value(ptr string) Node {
	if p.stopped {
		return nil
	}
	p.skipSpace()
	if p.off >= len(p.text) {
		p.fail(p.off, p.off, CodeTruncated, "unexpected end of input: expected a value")
		return nil
	}
	switch c := p.text[p.off]; {
	case c == '{':
		return p.object(ptr)
	case c == '[':
		return p.array(ptr)
	case c == '"':
		return p.string(ptr)
	case c == '-' || c == '+' || c == '.' || ('0' <= c && c <= '9'):
		return p.number(ptr)
	case isWordByte(c):
		return p.word(ptr)
	default:
		p.unexpected(p.off, "a value")
		return nil
	}
}

// unexpected fails at the byte at off, which is not what the grammar needs.
func (p *parser) unexpected(off int, want string) {
	if off >= len(p.text) {
		p.fail(off, off, CodeTruncated, "unexpected end of input: expected "+want)
		return
	}
	msg := "unexpected " + p.describe(off) + ": expected " + want
	switch c := p.text[off]; {
	case c == '\\' && p.src.parent != nil:
		msg += "; the string looks escaped one time too many (a \\\" where a \" belongs)"
	case c == '\'':
		msg += "; JSON strings use double quotes"
	case c == '/' && off+1 < len(p.text) && (p.text[off+1] == '/' || p.text[off+1] == '*'):
		msg += "; JSON has no comments (write the template in YAML to keep comments)"
	}
	p.fail(off, p.tokenEnd(off), CodeSyntax, msg)
}

// describe names the token at off for messages.
func (p *parser) describe(off int) string {
	if off >= len(p.text) {
		return "end of input"
	}
	r, size := utf8.DecodeRune(p.text[off:])
	switch {
	case r == utf8.RuneError && size == 1:
		return fmt.Sprintf("byte 0x%02X", p.text[off])
	case isWordByte(p.text[off]):
		end := off
		for end < len(p.text) && end-off < 40 && isWordByte(p.text[end]) {
			end++
		}
		return strconv.Quote(string(p.text[off:end]))
	case r < 0x20:
		return "control character " + quoteRune(r)
	}
	return "character " + strconv.QuoteRune(r)
}

// tokenEnd returns the end of a one-character (or one-word) token at off.
func (p *parser) tokenEnd(off int) int {
	if off >= len(p.text) {
		return off
	}
	if isWordByte(p.text[off]) {
		end := off
		for end < len(p.text) && isWordByte(p.text[end]) {
			end++
		}
		return end
	}
	_, size := utf8.DecodeRune(p.text[off:])
	return off + size
}

// bareEnd returns the end of an unquoted literal starting at off: everything
// up to white space or JSON punctuation.
func (p *parser) bareEnd(off int) int {
	for off < len(p.text) {
		switch p.text[off] {
		case ' ', '\t', '\n', '\r', ',', ':', '[', ']', '{', '}', '"':
			return off
		}
		off++
	}
	return off
}

func isWordByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '$'
}

func (p *parser) enter(open int) bool {
	p.depth++
	if p.depth > p.maxDepth {
		p.fail(open, open+1, CodeTooDeep, fmt.Sprintf("nesting deeper than %d levels", p.maxDepth))
		return false
	}
	return true
}

func (p *parser) object(ptr string) Node {
	open := p.off
	if !p.enter(open) {
		return nil
	}
	defer func() { p.depth-- }()
	obj := &Object{}
	p.off++ // '{'
	var seen map[string]*String
	for {
		p.skipSpace()
		if p.off >= len(p.text) {
			p.truncated(open, "object")
			break
		}
		if p.text[p.off] == '}' {
			p.off++
			break
		}
		key := p.key(ptr)
		if p.stopped || key == nil {
			break
		}
		p.skipSpace()
		if p.off < len(p.text) && p.text[p.off] == ':' {
			p.off++
		} else if p.off < len(p.text) && p.startsValue(p.text[p.off]) {
			p.report(key.end32(), key.end32(), Error, CodeSyntax, "missing ':' after key "+strconv.Quote(key.Value))
		} else {
			p.unexpected(p.off, "':' after key "+strconv.Quote(key.Value))
			break
		}
		val := p.value(ptr + "/" + PointerToken(key.Value))
		if val == nil {
			break
		}
		p.checkDuplicate(&seen, obj, key)
		obj.Members = append(obj.Members, &Member{Key: key, Value: val})
		if !p.separator(open, '}', "object", "after object member") {
			break
		}
	}
	obj.init(p.src, open, p.off, ptr)
	return obj
}

// key parses an object key. An unquoted word is reported and accepted.
func (p *parser) key(ptr string) *String {
	if p.text[p.off] == '"' {
		s, _ := p.string("").(*String)
		if s != nil {
			s.ptr = ptr + "/" + PointerToken(s.Value)
		}
		return s
	}
	if isWordByte(p.text[p.off]) {
		start, end := p.off, p.bareEnd(p.off)
		p.report(start, end, Error, CodeSyntax, "object key "+strconv.Quote(string(p.text[start:end]))+" must be in double quotes",
			p.fixQuote(start, end, true))
		p.off = end
		s := &String{Value: string(p.text[start:end])}
		s.init(p.src, start, end, ptr+"/"+PointerToken(s.Value))
		return s
	}
	p.unexpected(p.off, "a string key or '}'")
	return nil
}

// separator consumes ',' or the closing bracket after an element and reports
// whether another element follows. It recovers from a missing comma when the
// next token clearly starts an element, and from a trailing comma.
func (p *parser) separator(open int, closer byte, what, where string) bool {
	p.skipSpace()
	if p.off >= len(p.text) {
		p.truncated(open, what)
		return false
	}
	switch c := p.text[p.off]; {
	case c == ',':
		comma := p.off
		p.off++
		p.skipSpace()
		if p.off < len(p.text) && p.text[p.off] == closer {
			p.report(comma, comma+1, Error, CodeSyntax, "trailing comma before '"+string(closer)+"'; JSON does not allow it",
				Fix{Message: "remove the trailing comma", Safe: true, Edits: []Edit{p.edit(comma, comma+1, "")}})
		}
		return true
	case c == closer:
		p.off++
		return false
	case closer == '}' && c == '"', closer == ']' && p.startsValue(c):
		p.report(p.off, p.off, Error, CodeSyntax, "missing ',' before the next "+map[byte]string{'}': "member", ']': "element"}[closer],
			Fix{Message: "insert a comma", Safe: true, Edits: []Edit{p.edit(p.lastNonSpace(p.off)+1, p.lastNonSpace(p.off)+1, ",")}})
		return true
	default:
		p.unexpected(p.off, "',' or '"+string(closer)+"' "+where)
		return false
	}
}

func (p *parser) startsValue(c byte) bool {
	return c == '{' || c == '[' || c == '"' || c == '-' || ('0' <= c && c <= '9') || isWordByte(c)
}

// lastNonSpace returns the offset of the last non-space byte before off.
func (p *parser) lastNonSpace(off int) int {
	i := off - 1
	for i > 0 && (p.text[i] == ' ' || p.text[i] == '\t' || p.text[i] == '\n' || p.text[i] == '\r') {
		i--
	}
	return max(i, 0)
}

func (p *parser) truncated(open int, what string) {
	pos := p.src.Pos(open)
	p.fail(len(p.text), len(p.text), CodeTruncated, fmt.Sprintf("unexpected end of input: the %s opened at line %d, column %d is not closed", what, pos.Line, pos.Column))
}

func (p *parser) checkDuplicate(seen *map[string]*String, obj *Object, key *String) {
	var first *String
	if len(obj.Members) < 8 {
		for _, m := range obj.Members {
			if m.Key.Value == key.Value {
				first = m.Key
				break
			}
		}
	} else {
		if *seen == nil {
			*seen = make(map[string]*String, 16)
			for _, m := range obj.Members {
				if _, ok := (*seen)[m.Key.Value]; !ok {
					(*seen)[m.Key.Value] = m.Key
				}
			}
		}
		first = (*seen)[key.Value]
		if first == nil {
			(*seen)[key.Value] = key
		}
	}
	if first != nil {
		start, end := key.Span()
		p.add(Diagnostic{
			Severity: Error, Code: CodeDuplicateKey,
			Message: p.context + "duplicate key " + strconv.Quote(key.Value) + "; the AWS parser keeps only one of them, so remove or rename one",
			Range:   p.src.Range(start, end), Path: key.ptr,
			Related: []Related{{Range: first.Range(), Message: "first defined here"}},
		})
	}
}

func (p *parser) array(ptr string) Node {
	open := p.off
	if !p.enter(open) {
		return nil
	}
	defer func() { p.depth-- }()
	arr := &Array{}
	p.off++ // '['
	for {
		p.skipSpace()
		if p.off >= len(p.text) {
			p.truncated(open, "array")
			break
		}
		if p.text[p.off] == ']' {
			p.off++
			break
		}
		el := p.value(ptr + "/" + strconv.Itoa(len(arr.Elems)))
		if el == nil {
			break
		}
		arr.Elems = append(arr.Elems, el)
		if !p.separator(open, ']', "array", "after array element") {
			break
		}
	}
	arr.init(p.src, open, p.off, ptr)
	return arr
}

func (p *parser) string(ptr string) Node {
	open := p.off
	i := open + 1
	for i < len(p.text) && p.text[i] != '"' {
		if p.text[i] == '\\' {
			i++
		}
		i++
	}
	if i >= len(p.text) {
		p.fail(open, open+1, CodeTruncated, "unterminated string: the string that starts here has no closing quote")
		return nil
	}
	raw := p.text[open+1 : i]
	decoded, _, problems := unescape(raw, false)
	for _, pr := range problems {
		p.report(open+1+pr.start, open+1+pr.end, Error, pr.code, pr.msg)
	}
	p.off = i + 1
	s := &String{Value: string(decoded)}
	s.init(p.src, open, p.off, ptr)
	return s
}

// number parses a number, reporting forms JSON does not allow (a leading
// '+' or '.', leading zeros, hexadecimal, a trailing '.') and values that do
// not fit a float64.
func (p *parser) number(ptr string) Node {
	start := p.off
	end := start
	for end < len(p.text) && (isWordByte(p.text[end]) || p.text[end] == '.' || p.text[end] == '+' || p.text[end] == '-') {
		end++
	}
	lit := string(p.text[start:end])
	p.off = end
	switch {
	case lit == "-Infinity" || lit == "+Infinity":
		p.report(start, end, Error, CodeNonJSONNumber, lit+" is not a JSON number; write the value as a string")
	case !validJSONNumber(lit):
		p.report(start, end, Error, CodeNonJSONNumber, strconv.Quote(lit)+" is not a valid JSON number")
	default:
		if _, err := strconv.ParseFloat(lit, 64); errors.Is(err, strconv.ErrRange) {
			p.report(start, end, Error, CodeNumberRange, "number "+abbreviate(lit, 24)+" is out of range; write it as a string")
		}
	}
	n := &Number{Literal: lit}
	n.init(p.src, start, end, ptr)
	return n
}

// word parses true, false or null, and reports other bare words (NaN,
// Infinity, unquoted strings) while keeping them as values so parsing goes on.
func (p *parser) word(ptr string) Node {
	start, end := p.off, p.tokenEnd(p.off)
	w := string(p.text[start:end])
	p.off = end
	switch w {
	case "true", "false":
		b := &Bool{Value: w == "true"}
		b.init(p.src, start, end, ptr)
		return b
	case "null":
		n := &Null{}
		n.init(p.src, start, end, ptr)
		return n
	case "NaN", "Infinity":
		p.report(start, end, Error, CodeNonJSONNumber, w+" is not a JSON number; write the value as a string")
		n := &Number{Literal: w}
		n.init(p.src, start, end, ptr)
		return n
	}
	end = p.bareEnd(start)
	w = string(p.text[start:end])
	p.off = end
	if p.depth == 0 {
		p.fail(start, end, CodeSyntax, "unexpected word "+strconv.Quote(abbreviate(w, 40))+": expected a JSON value; this does not look like JSON")
		return nil
	}
	p.report(start, end, Error, CodeSyntax, "unexpected word "+strconv.Quote(abbreviate(w, 40))+": strings must be in double quotes", p.fixQuote(start, end, false))
	s := &String{Value: w}
	s.init(p.src, start, end, ptr)
	return s
}

func validJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := func() int {
		n := 0
		for i < len(s) && '0' <= s[i] && s[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(s) && s[i] == '0' {
		i++
	} else if digits() == 0 {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}

// edit builds an Edit replacing [start, end) of p.src, escaping the new
// text for every string level it lands in.
func (p *parser) edit(start, end int, text string) Edit {
	return p.src.Edit(start, end, text)
}

// fixQuote builds a fix that puts [start, end) in double quotes. Quoting a
// key is safe; quoting a bare value may hide a placeholder that a script
// was meant to fill in, so that fix is left for review.
func (p *parser) fixQuote(start, end int, safe bool) Fix {
	return Fix{Message: "add double quotes", Safe: safe, Edits: []Edit{p.edit(start, start, `"`), p.edit(end, end, `"`)}}
}

func (s *String) end32() int { return int(s.end) }

func abbreviate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Edit returns an edit that replaces [start, end) of s with text. The edit is
// in file coordinates, and text is escaped once for every string level
// between s and the file.
func (s *Source) Edit(start, end int, text string) Edit {
	for l := s; l.parent != nil; l = l.parent {
		if !l.parent.yaml { // a YAML block scalar holds JSON as it is
			text = Escape(text)
		}
	}
	return Edit{Filename: s.Name(), Start: s.FileOffset(start), End: s.FileOffset(end), NewText: text}
}
