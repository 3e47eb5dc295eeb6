package bulk

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/template"
)

// lineError is why a parameters line could not be read, and where (a
// 1-based column, counted in characters). problem names the kind of
// mistake, by which the summary groups the lines.
type lineError struct {
	column  int
	problem string
	msg     string
}

// Problems of malformed lines, by which the summary groups them.
const (
	ProblemEmptyLine    = "empty line"
	ProblemNotObject    = "not an object"
	ProblemNotString    = "value not a string"
	ProblemTrailing     = "trailing comma"
	ProblemSyntax       = "malformed JSON"
	ProblemString       = "malformed string"
	ProblemDuplicate    = "parameter given twice"
	ProblemTooLongValue = "parameter over RegisterThing's limits"
	ProblemInvalidUTF8  = "not UTF-8"
	ProblemTooLong      = "line too long"
)

// decoder reads one line of a bulk parameters file: a JSON object whose
// values are strings. It is hand-written so that a line costs one string
// allocation (values without escapes are substrings of the line) and no
// reflection.
type decoder struct {
	line string
	off  int
}

// pair is one parameter of a line.
type pair struct {
	key, value string
	// scalar marks a number, boolean or null value, kept as its text: a
	// problem only when the template uses the parameter (see worker.line).
	scalar bool
	column int // where the value starts, for a scalar
}

// decode parses line, which must be valid UTF-8, into pairs (appended to
// out).
func (d *decoder) decode(line string, out []pair) ([]pair, *lineError) {
	d.line, d.off = line, 0
	d.space()
	if d.off < len(d.line) && d.line[d.off] != '{' {
		return out, d.errorf(ProblemNotObject, "the line is "+d.describe()+"; each line must be one JSON object of parameters, such as {\"SerialNumber\": \"SN1\"}")
	}
	if !d.eat('{') {
		return out, d.errorf(ProblemNotObject, "expected a JSON object of parameters such as {\"SerialNumber\": \"SN1\"}")
	}
	d.space()
	if d.eat('}') {
		return out, d.end()
	}
	for {
		d.space()
		if d.off < len(d.line) && d.line[d.off] == '}' && len(out) > 0 {
			d.off = strings.LastIndexByte(d.line[:d.off], ',')
			return out, d.errorf(ProblemTrailing, "trailing comma after the last parameter; JSON does not allow it: remove the ','")
		}
		if d.off < len(d.line) && d.line[d.off] == '\'' {
			return out, d.errorf(ProblemSyntax, "parameter names take double quotes, not single quotes")
		}
		if d.off >= len(d.line) || d.line[d.off] != '"' {
			return out, d.errorf(ProblemSyntax, "expected a parameter name in double quotes")
		}
		key, err := d.string()
		if err != nil {
			return out, err
		}
		d.space()
		if !d.eat(':') {
			return out, d.errorf(ProblemSyntax, "expected ':' after the parameter name")
		}
		d.space()
		if d.off < len(d.line) && d.line[d.off] == '\'' {
			return out, d.errorf(ProblemSyntax, "the value of "+strconv.Quote(key)+" takes double quotes, not single quotes")
		}
		if tok, ok := d.scalar(); ok {
			out = append(out, pair{key: key, value: tok, scalar: true, column: utf8.RuneCountInString(d.line[:d.off-len(tok)]) + 1})
		} else {
			if d.off >= len(d.line) || d.line[d.off] != '"' {
				return out, d.errorf(ProblemNotString, "the value of "+strconv.Quote(key)+" must be a string, not "+d.describe()+"; parameter values are always strings, so quote numbers and booleans")
			}
			value, err := d.string()
			if err != nil {
				return out, err
			}
			out = append(out, pair{key: key, value: value})
		}
		d.space()
		if d.eat('}') {
			return out, d.end()
		}
		if !d.eat(',') {
			return out, d.errorf(ProblemSyntax, "expected ',' or '}' after a parameter")
		}
	}
}

// scalar reads a JSON number, true, false or null at the offset, and
// returns its text.
func (d *decoder) scalar() (string, bool) {
	end := d.off
	for end < len(d.line) && strings.IndexByte(" \t\r\n,}", d.line[end]) < 0 {
		end++
	}
	tok := d.line[d.off:end]
	switch tok {
	case "true", "false", "null":
	default:
		if tok == "" || strings.IndexByte("-0123456789", tok[0]) < 0 {
			return "", false
		}
		if _, err := strconv.ParseFloat(tok, 64); err != nil {
			return "", false
		}
	}
	d.off = end
	return tok, true
}

func (d *decoder) space() {
	for d.off < len(d.line) {
		switch d.line[d.off] {
		case ' ', '\t', '\r', '\n':
			d.off++
		default:
			return
		}
	}
}

func (d *decoder) eat(c byte) bool {
	if d.off < len(d.line) && d.line[d.off] == c {
		d.off++
		return true
	}
	return false
}

func (d *decoder) end() *lineError {
	d.space()
	if d.off < len(d.line) {
		return d.errorf(ProblemSyntax, "unexpected text after the end of the object; each line holds one object")
	}
	return nil
}

func (d *decoder) errorf(problem, msg string) *lineError {
	if d.off >= len(d.line) {
		msg = "the line ends too early: " + msg
	}
	return &lineError{column: utf8.RuneCountInString(d.line[:min(d.off, len(d.line))]) + 1, problem: problem, msg: msg}
}

// describe names the JSON value that starts at d.off: "a JSON array",
// "the number 5", "the boolean true"...
func (d *decoder) describe() string {
	if d.off >= len(d.line) {
		return "nothing"
	}
	rest := d.line[d.off:]
	switch c := rest[0]; {
	case c == '[':
		return "a JSON array"
	case c == '{':
		return "an object"
	case c == '"':
		return "a string"
	case c == '-' || '0' <= c && c <= '9':
		end := strings.IndexAny(rest, ",}] \t")
		if end < 0 {
			end = len(rest)
		}
		return "the number " + rest[:min(end, 20)]
	case strings.HasPrefix(rest, "true"), strings.HasPrefix(rest, "false"):
		return "the boolean " + rest[:strings.IndexByte(rest, 'e')+1]
	case strings.HasPrefix(rest, "null"):
		return "null"
	}
	return "not JSON"
}

// string reads a JSON string at d.off. Without escapes it is a substring
// of the line; with escapes it is decoded.
func (d *decoder) string() (string, *lineError) {
	start := d.off + 1
	// Fast path: no escape and no control character before the closing
	// quote (the usual case), found with the vectorised IndexByte.
	if q := strings.IndexByte(d.line[start:], '"'); q >= 0 {
		seg := d.line[start : start+q]
		if strings.IndexByte(seg, '\\') < 0 && !hasControl(seg) {
			d.off = start + q + 1
			return seg, nil
		}
	}
	escaped := false
	i := start
	for ; i < len(d.line); i++ {
		c := d.line[i]
		if c == '"' {
			break
		}
		if c == '\\' {
			escaped = true
			i++
		} else if c < 0x20 {
			d.off = i
			return "", d.errorf(ProblemString, "raw control character in a string; write it as an escape")
		}
	}
	if i >= len(d.line) {
		d.off = len(d.line)
		return "", d.errorf(ProblemString, "unterminated string")
	}
	d.off = i + 1
	raw := d.line[start:i] // the caller checked that the line is UTF-8
	if !escaped {
		return raw, nil
	}
	if problem := checkEscapes(raw); problem != "" {
		d.off = start
		return "", d.errorf(ProblemString, problem)
	}
	return template.Unescape(raw), nil
}

func hasControl(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 {
			return true
		}
	}
	return false
}

// checkEscapes reports the first invalid escape of a raw JSON string.
func checkEscapes(raw string) string {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		if i+1 >= len(raw) {
			return "a string ends with a backslash"
		}
		switch raw[i+1] {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			i++
		case 'u':
			if i+6 > len(raw) {
				return `\u must be followed by four hexadecimal digits`
			}
			for _, c := range raw[i+2 : i+6] {
				if !('0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f') {
					return `\u must be followed by four hexadecimal digits`
				}
			}
			i += 5
		default:
			return "invalid escape \\" + string(raw[i+1])
		}
	}
	return ""
}
