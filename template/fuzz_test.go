package template_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/iotpt/iotpt/template"
)

// FuzzParse feeds arbitrary bytes to Parse: it must not panic, and every
// diagnostic and node range must lie inside the file with start <= end.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"Resources": {}}`,
		`{"templateBody": "{\"Resources\": {\"p\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {\"PolicyDocument\": \"{\\\"Version\\\": 1}\"}}}}", "roleArn": "r"}`,
		`"{\"Resources\": {}}"`,
		`{"a": [1, 2,], b: NaN, "c": "\ud800", "d": 1e999}`,
		"\xef\xbb\xbf{\"x\": \"\t\"}",
		`{"templateBody": {"Resources": {}}, "templateName": "n"}`,
		`{"Resources": {"P": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": {"Statement": [{"Action": {"Ref": "A"}, "Resource": {"Fn::Sub": ["a:${R}:${!iot:ClientId}", {"R": "x"}]}}]}}},
		  "S": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"Statement\": {\"Action\": \"iot:*\"}}"}},
		  "T": {"Type": "AWS::IoT::ProvisioningTemplate", "Properties": {"TemplateBody": "{}"}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := template.Parse("f.json", data, template.ParseOptions{MaxDepth: 64})
		inFile := func(what string, r template.Range) {
			if r.Start.Byte < 0 || r.End.Byte > len(data) || r.Start.Byte > r.End.Byte {
				t.Fatalf("%s range %+v outside file of %d bytes", what, r, len(data))
			}
			if r.Start.Line < 1 || r.Start.Column < 1 {
				t.Fatalf("%s position %+v not 1-based", what, r.Start)
			}
		}
		for _, d := range diags {
			if d.Range.Start == (template.Pos{}) && d.Range.End == (template.Pos{}) {
				continue // about the whole file
			}
			inFile(d.Code, d.Range)
			for _, fix := range d.Fixes {
				for _, e := range fix.Edits {
					if e.Start < 0 || e.End > len(data) || e.Start > e.End {
						t.Fatalf("edit %+v outside file", e)
					}
				}
			}
		}
		if file.Template != nil {
			template.Walk(file.Template.Root, func(n template.Node) bool { inFile(n.Pointer(), n.Range()); return true })
		}
		for _, p := range file.Policies {
			template.Walk(p.PolicyDocument, func(n template.Node) bool { inFile(n.Pointer(), n.Range()); return true })
		}
	})
}

// FuzzUnescape checks the offset map of embedded strings and the escaping
// round trip: decoding what Escape wrote gives the text back, and a decoded
// string's map is monotonic and points at escape starts inside the string.
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{`a\"b`, `\u00e9\/\r\n`, `\ud83d\ude00`, `\ud83d`, "\t", `\x`, `plain`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if utf8.ValidString(raw) {
			if got := template.Unescape(template.Escape(raw)); got != raw {
				t.Fatalf("Unescape(Escape(%q)) = %q", raw, got)
			}
			// Escape must agree with encoding/json on what the text means.
			var viaJSON string
			if err := json.Unmarshal([]byte(`"`+template.Escape(raw)+`"`), &viaJSON); err != nil || viaJSON != raw {
				t.Fatalf("encoding/json reads Escape(%q) as %q (%v)", raw, viaJSON, err)
			}
		}
		// Wrap the raw text in a file and check the embedded source's map.
		file := []byte(`{"templateBody": "` + raw + `"}`)
		f, _ := template.Parse("f.json", file, template.ParseOptions{Form: template.FormRegistrationConfig})
		if f.BodyString == nil {
			return // raw closed the string early; FuzzParse covers that
		}
		src := f.BodyString.Embedded()
		start, end := f.BodyString.Span()
		contentStart, closeQuote := start+1, end-1
		prev := contentStart
		for i := 0; i < len(src.Text()); i++ {
			off := src.FileOffset(i)
			if off < prev || off >= closeQuote {
				t.Fatalf("offset map: decoded byte %d -> file %d (content %d-%d, previous %d)", i, off, contentStart, closeQuote, prev)
			}
			prev = off
		}
		if got := src.FileOffset(len(src.Text())); got != closeQuote {
			t.Fatalf("end of decoded text maps to %d, want the closing quote at %d", got, closeQuote)
		}
		if text := string(src.Text()); utf8.ValidString(text) && template.Unescape(template.Escape(text)) != text {
			t.Fatalf("re-escaping %q does not round-trip", text)
		}
	})
}

// FuzzRoundTrip checks, for any input that parses cleanly, that the
// readable form parses back to the same compiled body, and that compiling
// twice changes nothing.
func FuzzRoundTrip(f *testing.F) {
	for _, s := range []string{
		`{"Resources": {"p": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"a\": [1, 2.50, \"\\u00e9\"]}"}}}}`,
		`{"Parameters": {"A": {"Type": "String"}}, "Resources": {"t": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::Join": ["", ["x", {"Ref": "A"}]]}}}}}`,
		`{"Resources": {}, "DeviceConfiguration": {"k": "line\nbreak", "e": ""}}`,
		`{"Resources": {"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"}}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, diags := template.Parse("f.json", data, template.ParseOptions{MaxDepth: 32})
		if diags.HasErrors() || file.Template == nil {
			return
		}
		minified := file.Template.Minified()
		again, diags := template.Parse("r.json", file.Template.Readable(), template.ParseOptions{MaxDepth: 64})
		if diags.HasErrors() {
			t.Fatalf("the readable form does not parse: %v", diags)
		}
		if got := again.Template.Minified(); got != minified {
			t.Fatalf("round trip changed the body:\n%s\n%s", minified, got)
		}
		if readable := file.Template.Readable(); !bytes.Equal(again.Template.Readable(), readable) {
			t.Fatalf("formatting the readable form changes it (fmt is not idempotent):\n%s\n%s", readable, again.Template.Readable())
		}
		twice, diags := template.Parse("m.json", []byte(minified), template.ParseOptions{MaxDepth: 64})
		if diags.HasErrors() || twice.Template.Minified() != minified {
			t.Fatalf("compiling the compiled body changes it: %v", diags)
		}
	})
}
