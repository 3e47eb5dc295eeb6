package render_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"

	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/template"
)

// TestSARIFSchema renders diagnostics from a real parse (an error inside an
// escaped string, a file-level problem, a multi-line range) and validates
// the log against the OASIS SARIF 2.1.0 schema.
func TestSARIFSchema(t *testing.T) {
	schemaFile := "../../testdata/schemas/sarif-schema-2.1.0.json"
	data, err := os.ReadFile(schemaFile)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft4
	if err := c.AddResource("sarif.json", bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}

	_, diags := template.Parse("dir/t.json", []byte("{\n  \"templateBody\": \"{\\\"Resources\\\": {,}}\",\n  \"roleArn\": \"r\",\n  \"a\": 1, \"a\": 2\n}"), template.ParseOptions{})
	diags = append(diags, template.TooLarge("big.json", 10))
	if len(diags) < 3 {
		t.Fatalf("want several diagnostics, got %v", diags)
	}
	var out bytes.Buffer
	info := func(code string) render.RuleInfo {
		return render.RuleInfo{Code: code, Name: "rule-" + strings.ToLower(code), Title: "title of " + code, Help: "help", Severity: template.Warning}
	}
	if err := render.SARIF(&out, "v1.2.3", diags, info); err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(doc); err != nil {
		t.Fatalf("SARIF output does not validate: %#v\n%s", err, out.String())
	}
	var bad any // the same log with a level SARIF does not have must not validate
	if err := json.Unmarshal(bytes.Replace(out.Bytes(), []byte(`"level": "warning"`), []byte(`"level": "info"`), 1), &bad); err != nil {
		t.Fatal(err)
	}
	if schema.Validate(bad) == nil {
		t.Fatal("the schema accepts an invalid level: the validation is not effective")
	}
	var log struct {
		Runs []struct {
			Results []struct {
				RuleID    string
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string }
						Region           struct{ StartLine, StartColumn int }
					}
				}
			}
		}
	}
	if err := json.Unmarshal(out.Bytes(), &log); err != nil {
		t.Fatal(err)
	}
	first := log.Runs[0].Results[0]
	loc := first.Locations[0].PhysicalLocation
	if loc.ArtifactLocation.URI != "dir/t.json" || loc.Region.StartLine != diags[0].Range.Start.Line || loc.Region.StartColumn != diags[0].Range.Start.Column {
		t.Errorf("first result at %+v, want %s", loc, diags[0])
	}
}

func TestGitHubEscaping(t *testing.T) {
	var out bytes.Buffer
	render.GitHub(&out, template.Diagnostics{{Severity: template.Warning, Code: "PT201", Message: "50% of\nit",
		Range: template.Range{Filename: "a,b:c.json", Start: template.Pos{Line: 2, Column: 3}, End: template.Pos{Line: 2, Column: 9}}}})
	want := "::warning file=a%2Cb%3Ac.json,line=2,endLine=2,col=3,endColumn=9,title=PT201::50%25 of%0Ait\n"
	if out.String() != want {
		t.Errorf("got %q\nwant %q", out.String(), want)
	}
}

// TestSARIFCommandLineValue checks that a finding about a value given on
// the command line has no location: "<command line>" is no artifact URI.
func TestSARIFCommandLineValue(t *testing.T) {
	var b strings.Builder
	d := template.Diagnostic{Severity: template.Error, Code: "PT133", Message: "too long", Range: template.Range{Filename: template.CommandLine}}
	if err := render.SARIF(&b, "test", template.Diagnostics{d}, func(string) render.RuleInfo { return render.RuleInfo{} }); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "locations") || strings.Contains(b.String(), template.CommandLine) {
		t.Errorf("SARIF names the command line as a location:\n%s", b.String())
	}
}
