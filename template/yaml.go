package template

import (
	"bytes"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// shortTags maps CloudFormation's YAML short forms to the functions they
// stand for.
var shortTags = map[string]string{
	"!Ref": "Ref", "!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split",
	"!FindInMap": "Fn::FindInMap", "!Sub": "Fn::Sub", "!GetAtt": "Fn::GetAtt", "!If": "Fn::If",
	"!Base64": "Fn::Base64", "!ImportValue": "Fn::ImportValue", "!Equals": "Fn::Equals",
	"!Not": "Fn::Not", "!And": "Fn::And", "!Or": "Fn::Or", "!GetAZs": "Fn::GetAZs", "!Cidr": "Fn::Cidr",
}

// IsYAMLName reports whether a file name has a YAML extension.
func IsYAMLName(name string) bool {
	return strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")
}

// yamlReader converts yaml.v3 nodes into this package's nodes, with byte
// offsets in the file.
type yamlReader struct {
	src   *Source
	diags Diagnostics
	depth int
	max   int

	// Alias expansion: nodes converted while inside an alias, and the
	// budget for them (see aliasBudget). Once over, the reader stops.
	aliased  int
	aliasAt  int // the outermost alias being expanded
	expanded int
	budget   int
	stopped  bool

	// Position index, built on first use: the character index of each line
	// start, and the byte offset of every posStride-th character, so that a
	// node's position costs O(posStride) whatever the line's length.
	lineChar []int32
	charByte []int32
	steps    int // characters decoded by offset, for the tests of its cost
}

// posStride is the spacing, in characters, of the position index.
const posStride = 32

// aliasBudget is how much YAML aliases (and merge keys, which use them)
// may add to a document of n bytes, counting one per node and one per byte
// of scalar text: half the file's size, at least 10,000. A document without
// aliases never has more nodes than bytes, so expansion at most adds half
// again to the memory and work the file itself costs, whether it repeats
// many small nodes (a "billion laughs" document, nine levels of nine
// aliases) or one long string many times. The limit grows with --max-bytes.
func aliasBudget(n int) int { return 10_000 + n/2 }

// parseYAML parses a YAML document into the same tree as JSON gives.
func parseYAML(src *Source, maxDepth int) (Node, Diagnostics) {
	if d, bad := yamlEncoding(src); bad {
		return nil, Diagnostics{d}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src.text, &doc); err != nil {
		return nil, Diagnostics{yamlError(src, err)}
	}
	if len(doc.Content) == 0 {
		return nil, Diagnostics{{Severity: Error, Code: CodeEmpty, Message: "the file is empty: expected a YAML mapping", Range: src.Range(0, 0)}}
	}
	r := &yamlReader{src: src, max: maxDepth, budget: aliasBudget(len(src.text))}
	if r.max <= 0 {
		r.max = DefaultMaxDepth
	}
	n := r.node(doc.Content[0], "")
	if r.stopped {
		return nil, r.diags // a partial tree would give misleading findings
	}
	return n, r.diags
}

// yamlEncoding reports text that is not UTF-8 YAML at the byte where it
// goes wrong: a UTF-16 or UTF-32 byte order mark (or the NUL bytes of
// UTF-16 without one), a NUL, or invalid UTF-8. yaml.v3 would report these
// without a line, or decode UTF-16 silently.
func yamlEncoding(src *Source) (Diagnostic, bool) {
	text := src.text
	at := func(off int, msg string) (Diagnostic, bool) {
		return Diagnostic{Severity: Error, Code: CodeSyntax, Message: "YAML: " + msg, Range: src.Range(off, off+1)}, true
	}
	if len(text) >= 2 && (text[0] == 0xFE && text[1] == 0xFF || text[0] == 0xFF && text[1] == 0xFE) {
		return at(0, "the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as UTF-8")
	}
	for off := 0; off < len(text); {
		c := text[off]
		if c < utf8.RuneSelf {
			if c == 0 {
				if off+2 < len(text) && text[off+2] == 0 || off >= 2 && text[off-2] == 0 { // every other byte: UTF-16
					return at(off, "NUL byte in the file; if it is UTF-16, save it as UTF-8")
				}
				return at(off, "NUL byte in the file")
			}
			off++
			continue
		}
		r, size := utf8.DecodeRune(text[off:])
		if r == utf8.RuneError && size <= 1 {
			return at(off, fmt.Sprintf("invalid UTF-8 byte 0x%02X; save the file as UTF-8", c))
		}
		off += size
	}
	return Diagnostic{}, false
}

// yamlError turns a yaml.v3 error ("yaml: line 3: ...") into a diagnostic
// on that line.
func yamlError(src *Source, err error) Diagnostic {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, after, ok := strings.Cut(rest, ":"); ok {
			if n, e := strconv.Atoi(num); e == nil {
				line, msg = n, strings.TrimSpace(after)
			}
		}
	}
	if d, ok := tabIndentation(src); ok && strings.HasPrefix(msg, "found character that cannot start any token") {
		return d
	}
	_, start := src.LineText(line)
	switch msg {
	case "did not find expected ',' or ']'", "did not find expected ',' or '}'", "found unexpected end of stream":
		// yaml.v3 reports where it gave up; the opening bracket or quote
		// that is never closed is what to fix.
		if open, ok := unclosed(src.Text()); ok {
			start = open
		}
	}
	if hint := yamlHints[msg]; hint != "" {
		msg = hint
	}
	return Diagnostic{Severity: Error, Code: CodeSyntax, Message: "YAML: " + msg, Range: src.Range(start, start+1)}
}

// unclosed finds the offset of the quote or flow bracket that text leaves
// open: a quoted string that never ends, else the innermost [ or { without
// its closing bracket. It reads YAML loosely (quotes, comments, brackets),
// which is enough to point at the opener.
func unclosed(text []byte) (int, bool) {
	var stack []int
	for i := 0; i < len(text); i++ {
		switch c := text[i]; c {
		case '"', '\'':
			// A quote opens a string only where a value starts.
			if i > 0 && !strings.ContainsRune(" \t\n:[{,-", rune(text[i-1])) {
				continue
			}
			start := i
			for i++; i < len(text); i++ {
				if c == '"' && text[i] == '\\' {
					i++
				} else if text[i] == c {
					if c == '\'' && i+1 < len(text) && text[i+1] == '\'' {
						i++ // '' is a quote inside a single-quoted string
						continue
					}
					break
				}
			}
			if i >= len(text) {
				return start, true
			}
		case '#':
			if i == 0 || text[i-1] == ' ' || text[i-1] == '\t' || text[i-1] == '\n' {
				for i < len(text) && text[i] != '\n' {
					i++
				}
			}
		case '[', '{':
			stack = append(stack, i)
		case ']', '}':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		}
	}
	if len(stack) == 0 {
		return 0, false
	}
	return stack[len(stack)-1], true
}

// yamlHints rewrites yaml.v3's messages for the common causes of each.
var yamlHints = map[string]string{
	"mapping values are not allowed in this context": "a ': ' inside a plain value, or a key indented too far; quote the value (\"a: b\") or fix the indentation",
	"did not find expected key":                      "this line's indentation does not match its siblings, or text follows a closing quote; align the keys of one mapping",
	"did not find expected ',' or ']'":               "a flow list [ ... ] is not closed; add the missing ']' (or ',' between items)",
	"did not find expected ',' or '}'":               "a flow mapping { ... } is not closed; add the missing '}' (or ',' between entries)",
	"found unexpected end of stream":                 "the file ends inside a quoted string or a flow collection; close the quote or bracket",
	"did not find expected '-' indicator":            "a list item and a mapping key at the same indentation; start the line with '- ' or indent it under the list",
	"could not find expected ':'":                    "a key without ': value', or a plain value over several lines; add ': ' or quote the value",
	"found character that cannot start any token":    "a value starts with a character YAML reserves (@, `, %); quote the value",
}

// tabIndentation finds the first line whose indentation holds a tab, which
// YAML forbids, and offers to replace every tab in the indentation of the
// file with two spaces. The fix is offered on files only, not on YAML
// inside a JSON string.
func tabIndentation(src *Source) (Diagnostic, bool) {
	text := src.Text()
	var first = -1
	var edits []Edit
	for lineStart := 0; lineStart < len(text); {
		i := lineStart
		for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
			if text[i] == '\t' {
				if first < 0 {
					first = i
				}
				edits = append(edits, Edit{Filename: src.Name(), Start: i, End: i + 1, NewText: "  "})
			}
			i++
		}
		nl := bytes.IndexByte(text[i:], '\n')
		if nl < 0 {
			break
		}
		lineStart = i + nl + 1
	}
	if first < 0 {
		return Diagnostic{}, false
	}
	d := Diagnostic{Severity: Error, Code: CodeSyntax, Message: "YAML indentation must use spaces, not tabs", Range: src.Range(first, first+1)}
	if src.Parent() == nil {
		d.Fixes = []Fix{{Message: "replace each tab in the indentation with two spaces", Edits: edits, Safe: true}}
	}
	return d, true
}

// offset converts a yaml.v3 line and column (1-based, in characters) to a
// byte offset.
func (r *yamlReader) offset(line, col int) int {
	text, start := r.src.LineText(line)
	if r.lineChar == nil {
		r.index()
	}
	if line < 1 || line > len(r.lineChar) || col < 1 {
		return start
	}
	target := int(r.lineChar[line-1]) + col - 1
	k := min(target/posStride, len(r.charByte)-1)
	off, i, end := int(r.charByte[k]), k*posStride, start+len(text)
	if off < start { // the line starts after the mark
		off, i = start, int(r.lineChar[line-1])
	}
	for ; i < target && off < end; i++ {
		_, size := utf8.DecodeRune(r.src.text[off:end])
		off += size
		r.steps++
	}
	return min(off, end)
}

// index builds the position index in one pass over the file, counting
// characters as offset decodes them.
func (r *yamlReader) index() {
	text := r.src.text
	r.lineChar = []int32{0}
	r.charByte = []int32{0}
	chars := 0
	for off := 0; off < len(text); {
		c := text[off]
		size := 1
		if c >= utf8.RuneSelf {
			_, size = utf8.DecodeRune(text[off:])
		}
		off += size
		chars++
		if c == '\n' {
			r.lineChar = append(r.lineChar, int32(chars))
		}
		if chars%posStride == 0 {
			r.charByte = append(r.charByte, int32(off))
		}
	}
}

func (r *yamlReader) node(y *yaml.Node, ptr string) Node {
	if r.stopped {
		return &Null{}
	}
	if y.Kind == yaml.AliasNode && y.Alias != nil {
		at := r.offset(y.Line, y.Column)
		for y.Kind == yaml.AliasNode && y.Alias != nil {
			y = y.Alias
		}
		if r.aliased == 0 {
			r.aliasAt = at
		}
		r.aliased++
		defer func() { r.aliased-- }()
	}
	if r.aliased > 0 && !r.spend(1+len(y.Value)) {
		return &Null{}
	}
	start := r.offset(y.Line, y.Column)
	fn, ok := shortTags[y.Tag]
	if !ok && strings.HasPrefix(y.Tag, "!") && !strings.HasPrefix(y.Tag, "!!") && len(y.Tag) > 1 {
		// Another local tag (!REF, !Jion, !Condition) is a function too,
		// misspelt or unsupported, rather than a value whose tag is lost.
		fn, ok = "Fn::"+y.Tag[1:], true
		if strings.EqualFold(y.Tag, "!Ref") {
			fn = y.Tag[1:]
		}
	}
	if ok {
		arg := *y
		arg.Tag = ""
		if y.Kind == yaml.ScalarNode {
			arg.Tag = "!!str"
		}
		var value Node
		if y.Kind == yaml.ScalarNode {
			// The node's position is the tag's: the scalar starts after it.
			value = r.plainAt(&arg, ptr+"/"+PointerToken(fn), afterTag(r.src.text, start, y.Tag))
		} else {
			value = r.plain(&arg, ptr+"/"+PointerToken(fn))
		}
		key := &String{Value: fn}
		key.init(r.src, start, start+len(y.Tag), ptr+"/"+PointerToken(fn))
		o := &Object{Members: []*Member{{Key: key, Value: value}}}
		o.init(r.src, start, max(endOf(value), start+len(y.Tag)), ptr)
		return o
	}
	return r.plain(y, ptr)
}

// spend counts n nodes added by alias expansion and, once the budget is
// spent, reports it at the alias being expanded and stops the reader.
func (r *yamlReader) spend(n int) bool {
	r.expanded += n
	if r.expanded <= r.budget {
		return true
	}
	r.stopped = true
	r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeTooLarge,
		Message: fmt.Sprintf("YAML aliases expand the document past %d nodes and bytes of text, the limit for a file of %d bytes (a \"billion laughs\" document?); write the repeated values out, or raise --max-bytes", r.budget, len(r.src.text)),
		Range:   r.src.Range(r.aliasAt, r.aliasAt+1)})
	return false
}

func endOf(n Node) int {
	_, end := n.Span()
	return end
}

// afterTag returns where the value of a tagged node whose tag is at start
// begins: past the tag, the white space and any comment after it; start
// when the text there is not the tag.
func afterTag(text []byte, start int, tag string) int {
	if !bytes.HasPrefix(text[start:], []byte(tag)) {
		return start
	}
	i := start + len(tag)
	for i < len(text) {
		switch text[i] {
		case ' ', '\t', '\r', '\n':
			i++
		case '#':
			for i < len(text) && text[i] != '\n' {
				i++
			}
		default:
			return i
		}
	}
	return start
}

// plain converts a node without a function tag.
func (r *yamlReader) plain(y *yaml.Node, ptr string) Node {
	return r.plainAt(y, ptr, r.offset(y.Line, y.Column))
}

// plainAt is plain for a node whose text starts at byte start.
func (r *yamlReader) plainAt(y *yaml.Node, ptr string, start int) Node {
	switch y.Kind {
	case yaml.MappingNode:
		if r.depth++; r.depth > r.max {
			r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeTooDeep, Message: fmt.Sprintf("nesting deeper than %d levels", r.max), Range: r.src.Range(start, start+1)})
			n := &Null{}
			n.init(r.src, start, start+1, ptr)
			return n
		}
		defer func() { r.depth-- }()
		o := &Object{}
		end := start + 1
		seen := map[string]*String{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			ky, vy := y.Content[i], y.Content[i+1]
			kstart := r.offset(ky.Line, ky.Column)
			if r.aliased > 0 && !r.spend(1+len(ky.Value)) {
				break
			}
			key := &String{Value: ky.Value, yaml: ky.Style}
			key.init(r.src, kstart, r.scalarEnd(ky, kstart), ptr+"/"+PointerToken(ky.Value))
			if first, dup := seen[ky.Value]; dup {
				r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeDuplicateKey, Message: "duplicate key " + strconv.Quote(ky.Value),
					Range: key.Range(), Path: key.ptr, Related: []Related{{Range: first.Range(), Message: "first defined here"}}})
			} else {
				seen[ky.Value] = key
			}
			val := r.node(vy, ptr+"/"+PointerToken(ky.Value))
			o.Members = append(o.Members, &Member{Key: key, Value: val})
			end = max(end, endOf(val))
		}
		o.init(r.src, start, end, ptr)
		return o
	case yaml.SequenceNode:
		if r.depth++; r.depth > r.max {
			r.diags = append(r.diags, Diagnostic{Severity: Error, Code: CodeTooDeep, Message: fmt.Sprintf("nesting deeper than %d levels", r.max), Range: r.src.Range(start, start+1)})
			n := &Null{}
			n.init(r.src, start, start+1, ptr)
			return n
		}
		defer func() { r.depth-- }()
		a := &Array{}
		end := start + 1
		for i, e := range y.Content {
			el := r.node(e, ptr+"/"+strconv.Itoa(i))
			a.Elems = append(a.Elems, el)
			end = max(end, endOf(el))
		}
		a.init(r.src, start, end, ptr)
		return a
	}
	end := r.scalarEnd(y, start)
	switch y.Tag {
	case "!!int", "!!float":
		lit := y.Value
		if f, err := strconv.ParseFloat(strings.ReplaceAll(lit, "_", ""), 64); err == nil && !math.IsInf(f, 0) && !math.IsNaN(f) && validJSONNumber(lit) {
			n := &Number{Literal: lit}
			n.init(r.src, start, end, ptr)
			return n
		}
		s := &String{Value: lit} // 0x1F, 1_000, .inf: not JSON numbers; keep the text
		s.init(r.src, start, end, ptr)
		return s
	case "!!bool":
		b := &Bool{Value: y.Value == "true" || y.Value == "True" || y.Value == "TRUE"}
		b.init(r.src, start, end, ptr)
		return b
	case "!!null":
		n := &Null{}
		n.init(r.src, start, end, ptr)
		return n
	}
	s := &String{Value: y.Value, yaml: y.Style}
	s.init(r.src, start, end, ptr)
	return s
}

// scalarEnd finds where a scalar's text ends in the file.
func (r *yamlReader) scalarEnd(y *yaml.Node, start int) int {
	text := r.src.text
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(text); i++ {
			if text[i] == '\\' {
				i++
			} else if text[i] == '"' {
				return i + 1
			}
		}
	case y.Style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(text); i++ {
			if text[i] == '\'' {
				if i+1 < len(text) && text[i+1] == '\'' {
					i++
					continue
				}
				return i + 1
			}
		}
	case y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return start + 1 // the block indicator
	default:
		end := start
		for end < len(text) && text[end] != '\n' && end-start < len(y.Value) {
			end++
		}
		return min(max(end, start+1), len(text)) // not past the end: an empty value at the end of the file
	}
	return len(text)
}

// embedYAML maps the content of a YAML string node to the file: exactly for
// plain and literal block scalars, and for quoted ones written without
// escapes or line breaks; otherwise each decoded byte maps to the scalar's
// start.
func (s *String) embedYAML() *Source {
	start, _ := s.Span()
	src := s.src
	decoded := []byte(s.Value)
	toFile := make([]int32, len(decoded)+1)
	for i := range toFile {
		toFile[i] = int32(src.FileOffset(start))
	}
	switch {
	case s.yaml&yaml.LiteralStyle != 0:
		mapLiteralBlock(src, start, decoded, toFile)
	case s.yaml == 0 || s.yaml == yaml.TaggedStyle:
		if start+len(decoded) <= len(src.text) && string(src.text[start:start+len(decoded)]) == s.Value {
			for i := range toFile {
				toFile[i] = int32(src.FileOffset(start + i))
			}
		}
	case s.yaml&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
		if content := start + 1; content+len(decoded) <= len(src.text) && string(src.text[content:content+len(decoded)]) == s.Value {
			for i := range toFile {
				toFile[i] = int32(src.FileOffset(content + i))
			}
		}
	}
	return &Source{name: src.name, text: decoded, parent: src, file: src.file, toFile: toFile}
}

// mapLiteralBlock maps the lines of a literal block scalar (| or |-) to the
// file lines they come from, skipping each line's indentation.
func mapLiteralBlock(src *Source, indicator int, decoded []byte, toFile []int32) {
	text := src.text
	i := indicator
	for i < len(text) && text[i] != '\n' { // the rest of the indicator line
		i++
	}
	i++
	indent := -1
	d := 0
	for d < len(decoded) && i < len(text) {
		lineEnd := i
		for lineEnd < len(text) && text[lineEnd] != '\n' {
			lineEnd++
		}
		spaces := 0
		for i+spaces < lineEnd && text[i+spaces] == ' ' {
			spaces++
		}
		if indent < 0 && i+spaces < lineEnd {
			indent = spaces
		}
		content := i + min(spaces, max(indent, 0))
		for j := content; j <= lineEnd && d < len(decoded); j++ {
			toFile[d] = int32(src.FileOffset(j))
			d++
		}
		i = lineEnd + 1
	}
	toFile[len(decoded)] = int32(src.FileOffset(min(i, len(text))))
}

// AppendYAML appends n as readable YAML, with CloudFormation short tags for
// intrinsic functions. replace works as for Writer.
func AppendYAML(b []byte, n Node, replace func(Node) (Node, string, bool)) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(toYAML(n, replace)); err != nil {
		return b, err
	}
	if err := enc.Close(); err != nil {
		return b, err
	}
	return append(b, buf.Bytes()...), nil
}

// yamlString is a string scalar, double-quoted where a plain or block
// scalar would not read back as the same string in every YAML reader: line
// and paragraph separators and other characters a reader may normalise or
// refuse, and YAML 1.1's other types (yes, off, 12:30:00, =, <<), which
// PyYAML and tools built on it still read.
func yamlString(v string) *yaml.Node {
	y := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
	quote := yaml11Special[strings.ToLower(v)] || reSexagesimal.MatchString(v)
	for _, r := range v {
		if r == '\u2028' || r == '\u2029' || r == '\u0085' || r == '\ufeff' || (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			quote = true
			break
		}
	}
	if quote {
		y.Style = yaml.DoubleQuotedStyle
	}
	return y
}

var (
	yaml11Special = map[string]bool{"y": true, "n": true, "yes": true, "no": true, "on": true, "off": true,
		"true": true, "false": true, "null": true, "~": true, "=": true, "<<": true}
	reSexagesimal = regexp.MustCompile(`^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$`)
)

var longToShort = func() map[string]string {
	m := map[string]string{}
	for short, long := range shortTags {
		m[long] = short
	}
	return m
}()

func toYAML(n Node, replace func(Node) (Node, string, bool)) *yaml.Node {
	if replace != nil {
		if other, raw, ok := replace(n); ok {
			if other == nil {
				var s string
				if err := yamlUnquote(raw, &s); err == nil {
					return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
				}
			} else {
				n = other
			}
		}
	}
	if c, ok := AsCall(n); ok {
		if short, ok := longToShort[c.Name]; ok && c.Func != nil {
			y := toYAML(c.Arg, replace)
			y.Tag = short
			y.Style &^= yaml.DoubleQuotedStyle | yaml.SingleQuotedStyle
			return y
		}
	}
	switch n := n.(type) {
	case *Object:
		y := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		for _, m := range n.Members {
			y.Content = append(y.Content, yamlString(m.Key.Value), toYAML(m.Value, replace))
		}
		return y
	case *Array:
		y := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		if shortScalars(n) {
			y.Style = yaml.FlowStyle
		}
		for _, e := range n.Elems {
			y.Content = append(y.Content, toYAML(e, replace))
		}
		return y
	case *String:
		y := yamlString(n.Value)
		if strings.Contains(n.Value, "\n") && y.Style == 0 {
			y.Style = yaml.LiteralStyle
		}
		return y
	case *Number:
		tag := "!!int"
		if strings.ContainsAny(n.Literal, ".eE") {
			tag = "!!float"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: n.Literal}
	case *Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(n.Value)}
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
}

// yamlUnquote decodes a JSON string literal.
func yamlUnquote(raw string, s *string) error {
	if len(raw) < 2 || raw[0] != '"' {
		return fmt.Errorf("not a string")
	}
	*s = Unescape(raw[1 : len(raw)-1])
	return nil
}

// ReplaceValue returns an edit that replaces the value of s with text,
// written the way the file needs it: inside the quotes of a JSON string
// (escaped for every level of string it is embedded in), or as a YAML
// scalar of the same style as far as text allows (plain text stays plain,
// quoted stays quoted, a block scalar becomes double-quoted). It reports
// false when it cannot edit the exact bytes of the value: a plain scalar
// that spans lines, a block scalar with a comment on its indicator line,
// or a string embedded in a YAML scalar whose bytes do not map one to one
// to the file.
func (s *String) ReplaceValue(text string) (Edit, bool) {
	start, end := s.Span()
	src := s.src
	if src == nil || end < start+1 {
		return Edit{}, false
	}
	if src.yaml && src.parent == nil {
		raw := string(src.text[start:end])
		var repl string
		switch {
		case s.yaml&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
			blockEnd, ok := blockScalarEnd(src.text, start)
			if !ok {
				return Edit{}, false
			}
			end, repl = blockEnd, `"`+Escape(text)+`"`
		case s.yaml&yaml.DoubleQuotedStyle != 0:
			repl = `"` + Escape(text) + `"`
		case s.yaml&yaml.SingleQuotedStyle != 0:
			repl = yamlSingleQuoted(text)
		default:
			if raw != s.Value {
				return Edit{}, false // a multi-line or otherwise transformed plain scalar
			}
			repl = yamlPlain(text)
		}
		return Edit{Filename: src.Name(), Start: start, End: end, NewText: repl}, true
	}
	if end < start+2 || src.text[start] != '"' || src.text[end-1] != '"' {
		return Edit{}, false
	}
	// The string's raw text, escaped as each enclosing level stores it,
	// must be exactly the bytes the file holds there.
	want := string(src.text[start:end])
	for l := src; l.parent != nil; l = l.parent {
		if !l.parent.yaml {
			want = Escape(want)
		}
	}
	fs, fe := src.FileOffset(start), src.FileOffset(end)
	file := src.file.text
	if fe < fs || fe > len(file) || string(file[fs:fe]) != want {
		return Edit{}, false
	}
	return src.Edit(start+1, end-1, Escape(text)), true
}

// blockScalarEnd finds the end of the content of the block scalar whose
// indicator (| or >) is at start: the end of its last non-blank line. It
// reports false when the indicator line holds a comment, which replacing
// the block would drop.
func blockScalarEnd(text []byte, start int) (int, bool) {
	i := start
	for i < len(text) && text[i] != '\n' {
		if text[i] == '#' {
			return 0, false
		}
		i++
	}
	end, indent := i, -1
	for i < len(text) {
		i++ // past '\n'
		lineEnd := i
		for lineEnd < len(text) && text[lineEnd] != '\n' {
			lineEnd++
		}
		line := text[i:lineEnd]
		spaces := 0
		for spaces < len(line) && line[spaces] == ' ' {
			spaces++
		}
		if blank := len(bytes.TrimSpace(line)) == 0; !blank {
			if indent < 0 {
				indent = spaces
			}
			if spaces < indent || indent == 0 {
				break
			}
			end = lineEnd
		}
		i = lineEnd
	}
	return end, indent > 0
}

// yamlPlain writes text as a YAML plain scalar when it reads back as the
// same string, else double-quoted.
func yamlPlain(text string) string {
	ok := text != "" && !strings.ContainsAny(text, ":#{}[],&*!|>'\"%@`\\\t\n\r") && strings.TrimSpace(text) == text &&
		!strings.ContainsAny(text[:1], "-?~")
	if ok {
		var m map[string]any
		err := yaml.Unmarshal([]byte("v: "+text), &m)
		v, isStr := m["v"].(string)
		ok = err == nil && isStr && v == text
	}
	if ok {
		for _, r := range text {
			if r < 0x20 || r == 0x7f || !utf8.ValidRune(r) {
				ok = false
			}
		}
	}
	if !ok {
		return `"` + Escape(text) + `"`
	}
	return text
}

// yamlSingleQuoted writes text as a single-quoted YAML scalar when it can
// be one (one line of printable characters), else double-quoted.
func yamlSingleQuoted(text string) string {
	for _, r := range text {
		if r < 0x20 || r == 0x7f {
			return `"` + Escape(text) + `"`
		}
	}
	return "'" + strings.ReplaceAll(text, "'", "''") + "'"
}

// shortTag returns the YAML tag a function name was written as (!Reff for
// the call a tag made), or "" for a name written as a key.
func shortTag(name *String) string {
	if name == nil || name.src == nil || !name.src.yaml {
		return ""
	}
	start, end := name.Span()
	if start < end && end <= len(name.src.text) && name.src.text[start] == '!' {
		return string(name.src.text[start:end])
	}
	return ""
}

// tagNames lists the short tags, sorted, for suggestions.
var tagNames = func() []string {
	names := make([]string, 0, len(shortTags))
	for t := range shortTags {
		names = append(names, t)
	}
	slices.Sort(names)
	return names
}()

// meantTag returns the function a misspelt YAML tag stands for (Ref for
// !Reff), or "".
func meantTag(name *String) string {
	tag := shortTag(name)
	if tag == "" {
		return ""
	}
	return shortTags[Suggest(tag, tagNames)]
}
