package template

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// rawProblem is a defect found while decoding the raw content of a JSON
// string: an invalid escape, a lone surrogate, a raw control character or
// invalid UTF-8. Offsets are relative to the raw content.
type rawProblem struct {
	start, end int
	code       string
	msg        string
}

// maxRawProblems bounds the defects one string reports.
const maxRawProblems = maxProblems + 1

// unescape decodes the raw content of a JSON string (the bytes between the
// quotes). With withMap, it also returns local, where local[i] is the raw
// offset of the escape sequence (or plain byte) that produced decoded byte i,
// and local[len(decoded)] == len(raw). Defects are reported and decoded as
// well as possible: an invalid escape keeps its text, a lone surrogate becomes
// U+FFFD.
func unescape(raw []byte, withMap bool) (decoded []byte, local []int32, problems []rawProblem) {
	decoded = make([]byte, 0, len(raw))
	if withMap {
		local = make([]int32, 0, len(raw)+1)
	}
	emit := func(at int, b ...byte) {
		decoded = append(decoded, b...)
		if withMap {
			for range b {
				local = append(local, int32(at))
			}
		}
	}
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c == '\\':
			n, b, p := decodeEscape(raw, i)
			if p != nil && len(problems) < maxRawProblems {
				problems = append(problems, *p)
			}
			emit(i, b...)
			i += n
		case c < 0x20:
			if len(problems) < maxRawProblems {
				problems = append(problems, rawProblem{i, i + 1, CodeControlChar,
					"raw control character " + quoteRune(rune(c)) + " in string; write it as an escape such as \\n or \\u00XX"})
			}
			emit(i, c)
			i++
		case c < utf8.RuneSelf:
			emit(i, c)
			i++
		default:
			r, size := utf8.DecodeRune(raw[i:])
			if r == utf8.RuneError && size == 1 && len(problems) < maxRawProblems {
				problems = append(problems, rawProblem{i, i + 1, CodeInvalidUTF8,
					"invalid UTF-8 byte in string; save the file as UTF-8"})
			}
			emit(i, raw[i:i+size]...)
			i += size
		}
	}
	if withMap {
		local = append(local, int32(len(raw)))
	}
	return decoded, local, problems
}

// decodeEscape decodes the escape sequence at raw[i] (a backslash). It returns
// the number of raw bytes consumed and the decoded bytes.
func decodeEscape(raw []byte, i int) (int, []byte, *rawProblem) {
	if i+1 >= len(raw) {
		return 1, []byte{'\\'}, &rawProblem{i, i + 1, CodeInvalidEscape, "backslash at the end of a string; write \\\\ for a backslash"}
	}
	switch raw[i+1] {
	case '"', '\\', '/':
		return 2, []byte{raw[i+1]}, nil
	case 'b':
		return 2, []byte{'\b'}, nil
	case 'f':
		return 2, []byte{'\f'}, nil
	case 'n':
		return 2, []byte{'\n'}, nil
	case 'r':
		return 2, []byte{'\r'}, nil
	case 't':
		return 2, []byte{'\t'}, nil
	case 'u':
		r1, ok := hex4(raw, i+2)
		if !ok {
			end := min(i+6, len(raw))
			return 2, []byte(`\u`), &rawProblem{i, end, CodeInvalidEscape, `\u must be followed by four hexadecimal digits`}
		}
		if utf16.IsSurrogate(r1) {
			if r1 < 0xDC00 && i+12 <= len(raw) && raw[i+6] == '\\' && raw[i+7] == 'u' {
				if r2, ok := hex4(raw, i+8); ok {
					if r := utf16.DecodeRune(r1, r2); r != utf8.RuneError {
						return 12, utf8.AppendRune(nil, r), nil
					}
				}
			}
			return 6, utf8.AppendRune(nil, utf8.RuneError), &rawProblem{i, i + 6, CodeLoneSurrogate,
				"lone UTF-16 surrogate " + string(raw[i:i+6]) + "; a high surrogate (D800-DBFF) must be followed by a low one (DC00-DFFF)"}
		}
		return 6, utf8.AppendRune(nil, r1), nil
	default:
		_, size := utf8.DecodeRune(raw[i+1:])
		return 1 + size, raw[i : i+1+size], &rawProblem{i, i + 1 + size, CodeInvalidEscape,
			"invalid escape " + strings.ToValidUTF8(string(raw[i:i+1+size]), "\uFFFD") + `; valid escapes are \" \\ \/ \b \f \n \r \t \uXXXX`}
	}
}

func hex4(raw []byte, i int) (rune, bool) {
	if i+4 > len(raw) {
		return 0, false
	}
	var r rune
	for _, c := range raw[i : i+4] {
		r <<= 4
		switch {
		case '0' <= c && c <= '9':
			r |= rune(c - '0')
		case 'a' <= c && c <= 'f':
			r |= rune(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// Escape returns s written as the content of a JSON string (without the
// surrounding quotes), the way the AWS APIs and encoding/json expect it:
// quotes, backslashes and control characters escaped; other text, including
// non-ASCII characters and '/', kept as it is. Invalid UTF-8 becomes \ufffd.
func Escape(s string) string {
	return string(AppendEscaped(make([]byte, 0, len(s)+len(s)/8), s))
}

// AppendEscaped appends Escape(s) to b without allocating.
func AppendEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c != 0x7f && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || size != 1 {
				i += size
				continue
			}
		}
		b = append(b, s[start:i]...)
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c >= utf8.RuneSelf: // invalid UTF-8
			b = append(b, `\ufffd`...)
		default:
			b = append(b, '\\', 'u', '0', '0', "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		}
		i++
		start = i
	}
	return append(b, s[start:]...)
}

// Unescape decodes the content of a JSON string (without quotes). Defects are
// decoded as well as possible; use Parse to have them reported.
func Unescape(raw string) string {
	b, _, _ := unescape([]byte(raw), false)
	return string(b)
}

func quoteRune(r rune) string {
	const hex = "0123456789ABCDEF"
	return "U+" + string([]byte{hex[r>>12&0xf], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf]})
}
