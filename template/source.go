package template

import (
	"fmt"
	"sort"
)

// Pos is a position in the file the user opened. Byte is a 0-based offset;
// Line and Column are 1-based, and Column counts characters (Unicode code
// points; in invalid UTF-8, each byte that is not a continuation byte), not
// bytes. The zero Pos means
// "no position" (for example an I/O problem with a whole file).
type Pos struct {
	Byte   int `json:"byte"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// IsValid reports whether p names a real position.
func (p Pos) IsValid() bool { return p.Line > 0 }

// Range is a half-open span [Start, End) of a file.
type Range struct {
	Filename string
	Start    Pos
	End      Pos
}

// Location formats the start of r as "file:line:col", or "file" when r
// has no position.
func (r Range) Location() string {
	if !r.Start.IsValid() {
		return r.Filename
	}
	return fmt.Sprintf("%s:%d:%d", r.Filename, r.Start.Line, r.Start.Column)
}

// Source is text that the parser reads: either a whole file, or the decoded
// content of a JSON string inside another source (a templateBody string, or a
// PolicyDocument string inside such a body). Every byte of an embedded source
// maps back to the byte of the file it was unescaped from, so positions
// reported anywhere are in the coordinates of the file the user opened.
type Source struct {
	name   string
	text   []byte
	parent *Source
	file   *Source // the outermost source; itself for a file

	// For an embedded source: toFile[i] is the file offset of the escape
	// sequence (or plain byte) that produced text[i]; toFile[len(text)] is
	// the offset of the closing quote. Nil for a file.
	toFile []int32

	yaml bool // the text is YAML (a file), not JSON

	lines []int // file only: offsets of line starts
	// file only: chars[i] is the number of characters that start before
	// byte i*charBlock, so a column costs at most one block of counting.
	chars []int32
}

const charBlock = 1024

// NewSource returns the source of a whole file. The text is not copied and
// must not be changed afterwards.
func NewSource(name string, text []byte) *Source {
	s := &Source{name: name, text: text}
	s.file = s
	s.lines = lineStarts(text)
	s.chars = charMarks(text)
	return s
}

// Name is the name of the file the source belongs to.
func (s *Source) Name() string { return s.file.name }

// Text returns the bytes parsed at this level (decoded, for an embedded
// source). Callers must not modify it.
func (s *Source) Text() []byte { return s.text }

// File returns the outermost source, the file the user opened.
func (s *Source) File() *Source { return s.file }

// Parent returns the source this one was decoded from, or nil for a file.
func (s *Source) Parent() *Source { return s.parent }

// Depth is the number of string-escaping levels between s and its file
// (0 for the file, 1 for a templateBody, 2 for a PolicyDocument inside it).
func (s *Source) Depth() int {
	d := 0
	for p := s; p.parent != nil; p = p.parent {
		d++
	}
	return d
}

// FileOffset maps an offset in s (0..len(Text())) to an offset in the file.
func (s *Source) FileOffset(off int) int {
	if s.toFile == nil {
		return off
	}
	if off < 0 {
		off = 0
	}
	if off >= len(s.toFile) {
		off = len(s.toFile) - 1
	}
	return int(s.toFile[off])
}

// Range returns the file range of the half-open span [start, end) of s.
func (s *Source) Range(start, end int) Range {
	fs, fe := s.FileOffset(start), s.FileOffset(end)
	if fe < fs {
		fe = fs
	}
	return Range{Filename: s.file.name, Start: s.file.pos(fs), End: s.file.pos(fe)}
}

// Pos returns the file position of offset off in s.
func (s *Source) Pos(off int) Pos { return s.file.pos(s.FileOffset(off)) }

// pos converts a file byte offset to a position. Only valid on a file.
func (s *Source) pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > len(s.text) {
		off = len(s.text)
	}
	line := sort.Search(len(s.lines), func(i int) bool { return s.lines[i] > off }) - 1
	col := 1 + s.charsBefore(off) - s.charsBefore(s.lines[line])
	return Pos{Byte: off, Line: line + 1, Column: col}
}

// charsBefore counts the characters that start before file offset off.
func (s *Source) charsBefore(off int) int {
	block := off / charBlock
	return int(s.chars[block]) + countChars(s.text[block*charBlock:off])
}

// charMarks computes the per-block character counts of a file.
func charMarks(text []byte) []int32 {
	marks := make([]int32, len(text)/charBlock+1)
	n := 0
	for b := 1; b < len(marks); b++ {
		n += countChars(text[(b-1)*charBlock : b*charBlock])
		marks[b] = int32(n)
	}
	return marks
}

// countChars counts the bytes that start a character: every byte but UTF-8
// continuation bytes. For valid UTF-8 this is the number of code points.
func countChars(b []byte) int {
	n := 0
	for _, c := range b {
		if c&0xC0 != 0x80 {
			n++
		}
	}
	return n
}

// LineText returns the text of 1-based line n of the file, without its line
// terminator, and the file offset where it starts.
func (s *Source) LineText(n int) ([]byte, int) {
	f := s.file
	if n < 1 || n > len(f.lines) {
		return nil, 0
	}
	start := f.lines[n-1]
	end := len(f.text)
	if n < len(f.lines) {
		end = f.lines[n] - 1 // drop '\n'
	}
	if end > start && f.text[end-1] == '\r' {
		end--
	}
	return f.text[start:end], start
}

// lineStarts returns the offsets at which lines start. Lines end at '\n'; a
// '\r' before it belongs to the terminator.
func lineStarts(text []byte) []int {
	starts := []int{0}
	for i, c := range text {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// embed returns the source made of the decoded content of the JSON string
// whose raw content (between the quotes) is s.text[rawStart:rawEnd]. Defects
// in the string were reported when it was scanned.
func (s *Source) embed(rawStart, rawEnd int) *Source {
	decoded, local, _ := unescape(s.text[rawStart:rawEnd], true)
	toFile := make([]int32, len(local))
	for i, l := range local {
		toFile[i] = int32(s.FileOffset(rawStart + int(l)))
	}
	return &Source{name: s.name, text: decoded, parent: s, file: s.file, toFile: toFile}
}
