package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/rivo/uniseg"
)

// wideFixture has an escaped template body on one long line with a
// mistake far to the right, a line with wide characters before the
// mistake, and a tab.
const wideFixture = `{
  "templateName": "sensors",
  "templateBody": "{\"Parameters\": {\"SerialNumber\": {\"Type\": \"String\"}, \"Location\": {\"Type\": \"String\"}}, \"Resources\": {\"thing\": {\"Type\": \"AWS::IoT::Thing\", \"Properties\": {\"ThingName\": {\"Ref\": \"SerialNumber\"}, \"AttributePayload\": {\"site\": {\"Ref\": \"Site\"}}}}, \"certificate\": {\"Type\": \"AWS::IoT::Certificate\", \"Properties\": {\"CertificateId\": {\"Ref\": \"AWS::IoT::Certificate::Id\"}, \"Status\": \"Active\"}}}}",
  "description": "東京の温度センサー、東京の湿度センサー、大阪の温度センサー、大阪の湿度センサー",
  "provisioningRoleArn": "arn:aws:iam::123456789012:role/Provisioning",
  "type": "FLEET_PROVISIONING"
}
`

// wideChars has wide characters before mistakes, on a line that fits and
// on one that does not.
const wideChars = `{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "東京", "Bogus": 1}},
  "cert": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": "東京の温度センサー、東京の湿度センサー、大阪の温度センサー", "Status": "Active", "Bogus": 2}}}}
`

var (
	reHeader = regexp.MustCompile(`^(\S+?):(\d+):(\d+): (error|warning|info) `)
	reSource = regexp.MustCompile(`^ *\d+ \| (.*)$`)
	reCarets = regexp.MustCompile(`^ +\| ( *)\^`)
)

// TestLayoutFitsWidth runs lint and plan with COLUMNS=80 on long lines and
// checks that no line is wider than 80 columns and that every caret is
// under the character the diagnostic's position names.
func TestLayoutFitsWidth(t *testing.T) {
	example := filepath.Join(testRoot(t), "examples", "fleet-provisioning")
	t.Chdir(t.TempDir())
	t.Setenv("COLUMNS", "80")
	if err := os.WriteFile("cli-input.json", []byte(wideFixture), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("wide.json", []byte(wideChars), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"lint", "cli-input.json"},
		{"lint", "wide.json"},
		{"lint", "-p", "SerialNumber=SN1", "-p", "Location=Tokyo", "cli-input.json"},
		{"plan", "cli-input.json", "-p", "SerialNumber=SN1"},
		{"plan", filepath.Join(example, "template.json"), "--params", filepath.Join(example, "params.json"),
			"--existing", filepath.Join(example, "existing.json"), "--hook-response", filepath.Join(example, "hook-response.json")},
	} {
		var out bytes.Buffer
		run(args, nil, &out, &out)
		checkLayout(t, strings.Join(args, " "), out.String(), 80)
	}
}

func checkLayout(t *testing.T, name, out string, width int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	carets := 0
	var file string
	var line, col int
	for i, l := range lines {
		if w := uniseg.StringWidth(l); w > width {
			t.Errorf("%s: line %d is %d columns wide:\n%s", name, i+1, w, l)
		}
		if m := reHeader.FindStringSubmatch(l); m != nil {
			file = m[1]
			line, _ = strconv.Atoi(m[2])
			col, _ = strconv.Atoi(m[3])
			continue
		}
		m := reCarets.FindStringSubmatch(l)
		if m == nil || i == 0 || file == "" {
			continue
		}
		src := reSource.FindStringSubmatch(lines[i-1])
		if src == nil {
			t.Errorf("%s: caret line %d does not follow a source line", name, i+1)
			continue
		}
		// The character shown at the caret's column.
		shown, at := rune(0), 0
		for _, r := range src[1] {
			if at >= len(m[1]) {
				shown = r
				break
			}
			at += max(uniseg.StringWidth(string(r)), 1)
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		text := []rune(strings.Split(string(data), "\n")[line-1])
		if col-1 >= len(text) {
			continue // a position at the end of the line
		}
		want := text[col-1]
		if want == '\t' {
			want = '→'
		}
		if shown != want {
			t.Errorf("%s: caret for %s:%d:%d is under %q, want %q:\n%s\n%s", name, file, line, col, shown, want, lines[i-1], l)
		}
		carets++
	}
	if carets == 0 && strings.HasPrefix(name, "lint") {
		t.Errorf("%s: no snippet checked:\n%s", name, out)
	}
}

// testRoot is the repository root.
func testRoot(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(wd, "..", "..")
}

// TestPlanColor checks that --color always colours the plan like terraform
// plan: + green, ~ yellow, = dim, failures red. (The certificate exists
// already in fleet provisioning: it is updated, its ID shown as added.)
func TestPlanColor(t *testing.T) {
	root := testRoot(t)
	example := filepath.Join(root, "examples", "fleet-provisioning")
	t.Chdir(t.TempDir())
	var out bytes.Buffer
	run([]string{"plan", "--color", "always", filepath.Join(example, "template.json"), "--params", filepath.Join(example, "params.json"),
		"--existing", filepath.Join(example, "existing.json"), "--hook-response", filepath.Join(example, "hook-response.json")}, nil, &out, &out)
	for _, want := range []string{
		"\x1b[1;33m~\x1b[0m certificate (AWS::IoT::Certificate) will be updated",
		"\x1b[32m+\x1b[0m CertificateId",
		"\x1b[1;33m~\x1b[0m thing (AWS::IoT::Thing) will be updated",
		"\x1b[1;33m~\x1b[0m AttributePayload",
		"\x1b[32mPlan: provisioning would succeed",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("plan output lacks %q:\n%s", want, out.String())
		}
	}
	if err := os.WriteFile("t.json", []byte(`{"Parameters": {"Name": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "Name"}}}, "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "p"}}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("existing.json", []byte(`{"policies": ["p"]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	run([]string{"plan", "--color", "always", "t.json", "--existing", "existing.json"}, nil, &out, &out)
	for _, want := range []string{
		"\x1b[1;31m!\x1b[0m thing (AWS::IoT::Thing) \x1b[1;31mfails\x1b[0m",
		"\x1b[2m= policy (AWS::IoT::Policy) stays as it is\x1b[0m",
		"\x1b[1;31mPlan: provisioning would FAIL",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("failing plan output lacks %q:\n%q", want, out.String())
		}
	}
}
