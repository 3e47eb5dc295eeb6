package template

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Severity says how serious a diagnostic is. The zero value is invalid.
type Severity int

// Severities, most serious first.
const (
	SeverityInvalid Severity = iota
	Error
	Warning
	Info
)

// String returns "error", "warning" or "info".
func (s Severity) String() string {
	switch s {
	case Error:
		return "error"
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "invalid"
}

// ParseSeverity is the inverse of Severity.String.
func ParseSeverity(s string) (Severity, bool) {
	switch s {
	case "error":
		return Error, true
	case "warning":
		return Warning, true
	case "info":
		return Info, true
	}
	return SeverityInvalid, false
}

// Diagnostic is the one report type of iotpt: parse errors, lint findings,
// schema violations and provisioning failures all use it. Positions are in
// the coordinates of the file the user opened, even for findings inside
// escaped strings.
type Diagnostic struct {
	Severity Severity
	Code     string // stable, e.g. "PT004"
	Message  string // one line, starts lowercase, no final period
	Range    Range  // exactly the offending text; zero Start for file-level problems
	Path     string // JSON pointer of the offending value, relative to the template body (see Node.Pointer)
	Fixes    []Fix
	Related  []Related
}

// Fix is one way to resolve a diagnostic. Its edits are in file coordinates
// and their text is already escaped for the strings it lands in.
type Fix struct {
	Message string // a verb phrase: "remove the byte order mark"
	Edits   []Edit
	// Safe marks a fix that "iotpt lint --fix" may apply without review: it
	// cannot change what the template means beyond the finding.
	Safe bool
}

// Edit replaces the bytes [Start, End) of a file with NewText.
type Edit struct {
	Filename string
	Start    int
	End      int
	NewText  string
}

// Related is a secondary location that helps explain a diagnostic.
type Related struct {
	Range   Range
	Message string
}

// String formats d as "file:line:col: severity CODE: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s %s: %s", d.Range.Location(), d.Severity, d.Code, d.Message)
}

// Diagnostics is a list of diagnostics.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Count returns how many diagnostics have severity s.
func (ds Diagnostics) Count(s Severity) int {
	n := 0
	for _, d := range ds {
		if d.Severity == s {
			n++
		}
	}
	return n
}

// Sort orders diagnostics by file, position, code and message, so output
// never depends on the order in which checks ran. A parse error comes
// before every finding whose range holds it: what follows from a value that
// did not parse is read after the reason.
func (ds Diagnostics) Sort() {
	// at is where a diagnostic sorts: its start, or the start of the last
	// parse error inside its range.
	// The parse errors' starts, sorted per file, find that last one by a
	// binary search, so that sorting stays O(n log n) for the thousands of
	// findings a large template can have.
	parseStarts := map[string][]int{}
	for _, p := range ds {
		if IsParseCode(p.Code) {
			parseStarts[p.Range.Filename] = append(parseStarts[p.Range.Filename], p.Range.Start.Byte)
		}
	}
	for _, starts := range parseStarts {
		slices.Sort(starts)
	}
	at := make([]int, len(ds))
	for i, d := range ds {
		at[i] = d.Range.Start.Byte
		if IsParseCode(d.Code) {
			continue
		}
		starts := parseStarts[d.Range.Filename]
		if j, _ := slices.BinarySearch(starts, d.Range.End.Byte); j > 0 && starts[j-1] > at[i] {
			at[i] = starts[j-1] // the last parse error starting inside the range
		}
	}
	rank := func(d Diagnostic) int {
		if IsParseCode(d.Code) {
			return 0
		}
		return 1
	}
	idx := make([]int, len(ds))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(i, j int) int {
		a, b := ds[i], ds[j]
		return cmp.Or(
			cmp.Compare(a.Range.Filename, b.Range.Filename),
			cmp.Compare(at[i], at[j]),
			cmp.Compare(rank(a), rank(b)),
			cmp.Compare(a.Range.Start.Byte, b.Range.Start.Byte),
			cmp.Compare(a.Range.End.Byte, b.Range.End.Byte),
			cmp.Compare(a.Code, b.Code),
			cmp.Compare(a.Message, b.Message),
		)
	})
	sorted := make(Diagnostics, len(ds))
	for i, k := range idx {
		sorted[i] = ds[k]
	}
	copy(ds, sorted)
}

// Unique drops every diagnostic with the code and range of an earlier one:
// one mistake is reported once, even when two layers of a file (an escaped
// string and the JSON inside it) both see it.
func (ds Diagnostics) Unique() Diagnostics {
	type key struct {
		code, file string
		start, end int
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		k := key{d.Code, d.Range.Filename, d.Range.Start.Byte, d.Range.End.Byte}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// IsParseCode reports whether code is one of the parser's, PT001 to PT017:
// a problem with the JSON, YAML or wrapper of a file rather than with what
// the template means.
func IsParseCode(code string) bool {
	return len(code) == len(CodeSyntax) && code >= CodeSyntax && code <= CodeEmbeddedSyntax
}

// Err returns nil when there are no errors, and otherwise an error whose text
// lists the error diagnostics. It is safe on a nil list.
func (ds Diagnostics) Err() error {
	var errs []error
	for _, d := range ds {
		if d.Severity == Error {
			errs = append(errs, errors.New(d.String()))
		}
	}
	return errors.Join(errs...)
}

// Diagnostic codes reported by this package. Codes are stable: a code is
// never reused for another meaning.
const (
	CodeSyntax         = "PT001" // malformed JSON
	CodeTruncated      = "PT002" // input ends in the middle of a value
	CodeTrailing       = "PT003" // content after the document
	CodeDuplicateKey   = "PT004" // an object key appears twice
	CodeInvalidUTF8    = "PT005" // bytes that are not UTF-8
	CodeBOM            = "PT006" // a byte order mark at the start of the file
	CodeControlChar    = "PT007" // raw control character in a string
	CodeInvalidEscape  = "PT008" // invalid backslash escape
	CodeLoneSurrogate  = "PT009" // \uD800-\uDFFF without its pair
	CodeNonJSONNumber  = "PT010" // NaN, Infinity, hex, leading zeros, ...
	CodeNumberRange    = "PT011" // a number too large to represent
	CodeTooDeep        = "PT012" // nesting deeper than the limit
	CodeTooLarge       = "PT013" // file larger than the size limit
	CodeEmpty          = "PT014" // no JSON value at all
	CodeInputForm      = "PT015" // a wrapper (registration config, CLI input) is malformed
	CodeSectionShape   = "PT016" // a template section or resource has the wrong JSON type
	CodeEmbeddedSyntax = "PT017" // a string that must hold JSON does not
)

// CommandLine is the file name of a diagnostic about a value given on the
// command line (-p Name=value): it has no position, and no file to open.
const CommandLine = "<command line>"
