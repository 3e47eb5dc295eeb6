package template

import (
	"strings"
	"testing"
)

func TestSortParseErrorFirstAndUnique(t *testing.T) {
	at := func(start, end int) Range {
		return Range{Filename: "f", Start: Pos{Byte: start, Line: 1, Column: start + 1}, End: Pos{Byte: end, Line: 1, Column: end + 1}}
	}
	ds := Diagnostics{
		{Code: "PT329", Message: "no Statement", Range: at(10, 50)},    // holds the parse error at 12
		{Code: "PT311", Message: "placeholder", Range: at(60, 65)},     // after it
		{Code: CodeSyntax, Message: "syntax", Range: at(12, 13)},       // the parse error
		{Code: "PT201", Message: "unknown section", Range: at(2, 5)},   // before everything
		{Code: CodeInvalidEscape, Message: "outer", Range: at(70, 72)}, // one mistake seen by two layers
		{Code: CodeInvalidEscape, Message: "inner", Range: at(70, 72)},
	}
	ds.Sort()
	ds = ds.Unique()
	var got []string
	for _, d := range ds {
		got = append(got, d.Code+" "+d.Message)
	}
	want := "PT201 unknown section|PT001 syntax|PT329 no Statement|PT311 placeholder|PT008 inner"
	if strings.Join(got, "|") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
}
