package bulk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

const fleetBody = `{
  "Parameters": {"SerialNumber": {"Type": "String"}, "Site": {"Type": "String", "Default": "tokyo"}},
  "Mappings": {"Sites": {"tokyo": {"Group": "ap-northeast"}, "dublin": {"Group": "eu-west"}}},
  "Resources": {
    "thing": {"Type": "AWS::IoT::Thing", "Properties": {
      "ThingName": {"Fn::Join": ["_", ["sensor", {"Ref": "SerialNumber"}]]},
      "ThingGroups": [{"Fn::FindInMap": ["Sites", {"Ref": "Site"}, "Group"]}]}},
    "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----\nMIHLMHMCAQAwETEPMA0GA1UEAwwGc2Vuc29yMFkwEwYHKoZIzj0CAQYIKoZIzj0D\nAQcDQgAEQJOhLoADRjaah542N5EXCaMMTwdHxB51AqMhQHu/zUEZkU4ccpnWVHvn\n5/JFacZtOcnNBByLYYznCI2UuDfFD6AAMAoGCCqGSM49BAMCA0gAMEUCIC3+69L1\nwX1SnQ+38eRy7YTL/9hQ5vpKN3LRR9TJQUefAiEAnZJ6WpJ5UH3A6hrOmMxZ6Jve\nJjkj+PMSNVBKpuVSfng=\n-----END CERTIFICATE REQUEST-----\n", "Status": "ACTIVE"}}
  }
}`

func compile(t testing.TB, body string) *eval.Program {
	t.Helper()
	f, diags := template.Parse("template.json", []byte(body), template.ParseOptions{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	prog, _ := eval.Compile(f)
	return prog
}

// TestEveryLineOnce feeds good, malformed, oversized, incomplete and empty
// lines, with several workers and small batches' worth of input, and checks
// that the JSON output has exactly one result per line, in order, with the
// expected outcome.
func TestEveryLineOnce(t *testing.T) {
	var in strings.Builder
	want := map[int64]string{} // line -> expected first error code, "" for success
	n := int64(0)
	add := func(line, code string) {
		n++
		in.WriteString(line + "\n")
		want[n] = code
	}
	for i := range 10000 {
		switch i % 7 {
		case 0:
			add(`{"SerialNumber": "SN`+fmt.Sprint(i)+`"}`, "")
		case 1:
			add(`{"SerialNumber": "SN`+fmt.Sprint(i)+`", "Site": "dublin", "Extra": "x"}`, "")
		case 2:
			add(`{"SerialNumber": "SN`+fmt.Sprint(i)+`", "Site": "paris"}`, eval.CodeMapLookup)
		case 3:
			add(`{"SerialNumber": 42}`, eval.CodeBulkLine)
		case 4:
			add(`{"Site": "tokyo"}`, eval.CodeMissingParam)
		case 5:
			add(`{"SerialNumber": "SN`+fmt.Sprint(i)+`"`, eval.CodeBulkLine) // truncated
		case 6:
			if i%1000 == 6 { // a few: each is 300 KiB
				add(`{"SerialNumber": "`+strings.Repeat("x", 300<<10)+`"}`, eval.CodeBulkLineTooLong)
			} else {
				add("   ", eval.CodeBulkLine)
			}
		}
	}
	add(`{"SerialNumber": "last-without-newline"}`, "")
	input := strings.TrimSuffix(in.String(), "\n")

	var out bytes.Buffer
	sum, err := Run(compile(t, fleetBody), strings.NewReader(input), &out, Options{ParamsName: "params.jsonl", Format: FormatJSON, Workers: 4})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if int64(len(lines)) != n {
		t.Fatalf("%d results for %d lines", len(lines), n)
	}
	var failed int64
	for i, l := range lines {
		var res struct {
			Line    int64
			Outcome string
			Errors  []struct{ Code string }
		}
		if err := json.Unmarshal([]byte(l), &res); err != nil {
			t.Fatalf("result %d is not JSON: %v", i+1, err)
		}
		if res.Line != int64(i+1) {
			t.Fatalf("result %d is for line %d", i+1, res.Line)
		}
		code := ""
		if res.Outcome != "success" {
			failed++
			code = res.Errors[0].Code
		}
		if code != want[res.Line] {
			t.Errorf("line %d: first error %q, want %q", res.Line, code, want[res.Line])
		}
	}
	if sum.Lines != n || sum.Failed != failed || sum.Succeeded != n-failed {
		t.Errorf("summary %d lines, %d succeeded, %d failed; want %d, %d, %d", sum.Lines, sum.Succeeded, sum.Failed, n, n-failed, failed)
	}
	if len(sum.UnknownKeys) != 1 || sum.UnknownKeys[0] != (UnknownKey{"Extra", 2}) {
		t.Errorf("unknown keys %v", sum.UnknownKeys)
	}
}

// TestDuplicatesAndSummary checks duplicate thing names with their lines,
// reasons by code and what must exist, with one worker and many.
func TestDuplicatesAndSummary(t *testing.T) {
	input := strings.Join([]string{
		`{"SerialNumber": "A"}`,
		`{"SerialNumber": "B", "Site": "dublin"}`,
		`{"SerialNumber": "A", "Site": "dublin"}`,
		`not json`,
		`{"SerialNumber": "A"}`,
		`{"SerialNumber": "C"}`,
		`{"SerialNumber": "B"}`,
	}, "\n") + "\n"
	for _, workers := range []int{1, 3} {
		var out bytes.Buffer
		sum, err := Run(compile(t, fleetBody), strings.NewReader(input), &out, Options{ParamsName: "p.jsonl", Format: FormatText, Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		got := struct {
			Dups   []Duplicate
			Must   []string
			Counts [3]int64
			Out    string
			Things map[string]int64
		}{sum.Duplicates, sum.MustExist, [3]int64{sum.Lines, sum.Succeeded, sum.Failed}, out.String(), sum.Resources[0].Actions}
		want := struct {
			Dups   []Duplicate
			Must   []string
			Counts [3]int64
			Out    string
			Things map[string]int64
		}{
			[]Duplicate{{"sensor_A", []int64{1, 3, 5}}, {"sensor_B", []int64{2, 7}}},
			[]string{`thing group "ap-northeast"`, `thing group "eu-west"`},
			[3]int64{7, 6, 1},
			"p.jsonl:4:1: error PT131: the line is not JSON; each line must be one JSON object of parameters, such as {\"SerialNumber\": \"SN1\"}\n",
			map[string]int64{"create": 3, "update": 3}, // a repeated name meets the thing its first line created
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("workers=%d (-want +got):\n%s", workers, diff)
		}
	}
}

func TestDecoder(t *testing.T) {
	tests := []struct {
		line  string
		pairs []pair
		err   string
		col   int
	}{
		{`{}`, nil, "", 0},
		{` {"a": "1" , "b":"x\"y\u00e9"} `, []pair{{key: "a", value: "1"}, {key: "b", value: `x"yé`}}, "", 0},
		// Numbers, booleans and null are kept as their text, marked: the
		// worker refuses them only for a parameter the template uses (A6).
		{`{"a": 1}`, []pair{{key: "a", value: "1", scalar: true, column: 7}}, "", 0},
		{`{"a": "1",}`, nil, "trailing comma after the last parameter", 10},
		{`{"a": "1" , }`, nil, "trailing comma after the last parameter", 11},
		{`{"a": 12.5, "b": true, "c": null}`, []pair{{key: "a", value: "12.5", scalar: true, column: 7}, {key: "b", value: "true", scalar: true, column: 18}, {key: "c", value: "null", scalar: true, column: 29}}, "", 0},
		{`{"a": 1x}`, nil, `the value of "a" must be a string`, 7},
		{`{"a": ["x"]}`, nil, `not a JSON array`, 7},
		{`{'a': "1"}`, nil, "double quotes, not single quotes", 2},
		{`{"a": '1'}`, nil, "double quotes, not single quotes", 7},
		{`42`, nil, "the line is the number 42", 1},
		{`"SN1"`, nil, "the line is a string", 1},
		{`{"a" "1"}`, nil, "expected ':'", 6},
		{`{"a": "1"} x`, nil, "unexpected text", 12},
		{`["a"]`, nil, "the line is a JSON array; each line must be one JSON object", 1},
		{`{"a": "1`, nil, "unterminated string", 9},
		{`{"a": "\q"}`, nil, `invalid escape \q`, 8},
		{`{"é": "1", "b": {}}`, nil, "must be a string", 17},
	}
	var d decoder
	for _, tc := range tests {
		pairs, err := d.decode(tc.line, nil)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("%s: %s", tc.line, err.msg)
		case tc.err != "" && (err == nil || !strings.Contains(err.msg, tc.err) || err.column != tc.col):
			t.Errorf("%s: got %+v, want %q at column %d", tc.line, err, tc.err, tc.col)
		case tc.err == "" && !cmp.Equal(pairs, tc.pairs, cmp.AllowUnexported(pair{})):
			t.Errorf("%s: pairs %v", tc.line, pairs)
		}
	}
}

func TestNameSetGrowsAndFindsFirstLines(t *testing.T) {
	s := newNameSet(0)
	for i := range 100000 {
		if _, seen, _ := s.add(fmt.Sprint("name-", i), uint32(i+1)); seen {
			t.Fatalf("name-%d seen before", i)
		}
	}
	for _, i := range []int{0, 777, 99999} {
		if first, seen, again := s.add(fmt.Sprint("name-", i), 200000); !seen || again || first != uint32(i+1) {
			t.Errorf("name-%d: first %d, seen %v, again %v", i, first, seen, again)
		}
		// A third line: still the first line, and known as repeated.
		if first, seen, again := s.add(fmt.Sprint("name-", i), 200001); !seen || !again || first != uint32(i+1) {
			t.Errorf("name-%d third time: first %d, seen %v, again %v", i, first, seen, again)
		}
	}
}

// TestDuplicateCountBeyondTheList checks that a name repeated on many lines
// counts once, past the listed hundred too.
func TestDuplicateCountBeyondTheList(t *testing.T) {
	var lines strings.Builder
	for range 3 {
		for i := range 150 {
			fmt.Fprintf(&lines, "{\"Serial\": \"SN%d\"}\n", i)
		}
	}
	body := `{"Parameters": {"Serial": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Serial"}}}}}`
	var out strings.Builder
	sum, err := Run(compile(t, body), strings.NewReader(lines.String()), &out, Options{ParamsName: "p.jsonl", Format: FormatText, Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if sum.DuplicateNames != 150 || len(sum.Duplicates) != maxDuplicates {
		t.Errorf("%d duplicated names, %d listed; want 150, %d", sum.DuplicateNames, len(sum.Duplicates), maxDuplicates)
	}
}

// FuzzDecode checks that any line is either read or refused with a column
// inside it (or just after it) and a problem by which to group it.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"a": "1"}`, `{"a": "1",}`, `[1]`, `{"a": 5}`, `{'a': "1"}`, `{"a": "\u00e9\n"}`, ` `, `{"a": tru`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, line string) {
		if !utf8.ValidString(line) {
			return // the caller refuses invalid UTF-8 before decoding
		}
		var d decoder
		_, err := d.decode(line, nil)
		if err == nil {
			return
		}
		if err.column < 1 || err.column > utf8.RuneCountInString(line)+1 {
			t.Errorf("%q: column %d outside the line", line, err.column)
		}
		if err.problem == "" || err.msg == "" {
			t.Errorf("%q: error without a problem or message: %+v", line, err)
		}
	})
}
