package model

import (
	"os"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/internal/golden"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// specPath is the fact sheet, beside the repository in the workplace and
// in CI.
const specPath = "../../../shared/spec/provisioning-templates.md"

// TestRegisterMatchesSpec ties the register of uncertain points to the fact
// sheet's §11: every id there is known here, and nothing here is invented.
func TestRegisterMatchesSpec(t *testing.T) {
	data, err := os.ReadFile(specPath)
	if err != nil {
		t.Skipf("the fact sheet is not beside the repository (%v); CI has it", err)
	}
	i := strings.Index(string(data), "## 11. Register of uncertain points")
	if i < 0 {
		t.Fatal("the fact sheet has no §11 register")
	}
	var inSpec []string
	for _, m := range regexp.MustCompile(`(?m)^\| (U\d+) \|`).FindAllStringSubmatch(string(data[i:]), -1) {
		inSpec = append(inSpec, m[1])
	}
	var here []string
	for _, p := range Uncertain {
		here = append(here, p.ID)
	}
	if !slices.Equal(inSpec, here) {
		t.Errorf("the register differs from the fact sheet's:\nspec: %v\nhere: %v", inSpec, here)
	}
}

// TestAssumptionIDsKnown checks that every assumption id the planner and
// the checks name is in the register.
func TestAssumptionIDsKnown(t *testing.T) {
	for _, c := range Checks {
		for _, id := range []string{c.Assumption, c.Rejected.Assumption} {
			if id != "" && PointByID(id) == nil {
				t.Errorf("%s names unknown point %s", c.Code, id)
			}
		}
	}
	files, _ := filepath.Glob("../../eval/*.go")
	re := regexp.MustCompile(`assume\("([A-Z]\d+)"`)
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(data), -1) {
			n++
			if PointByID(m[1]) == nil {
				t.Errorf("%s assumes unknown point %s", f, m[1])
			}
		}
	}
	if n < 10 {
		t.Fatalf("found only %d assumptions in eval: the search is broken", n)
	}
}

// TestEveryPointDocumented checks each point has a question, a reading and
// sources, and is either relied on or says why not.
func TestEveryPointDocumented(t *testing.T) {
	for _, p := range append(slices.Clone(Uncertain), Own...) {
		if p.Question == "" || p.Reading == "" || p.Sources == "" || p.Section == "" {
			t.Errorf("%s is missing its question, reading, sources or section", p.ID)
		}
		if md := p.Markdown(); !strings.Contains(md, p.Reading) {
			t.Errorf("%s: Markdown does not show the reading", p.ID)
		}
	}
}

func TestCertificateIDProblem(t *testing.T) {
	hex64 := strings.Repeat("a", 64)
	for _, tc := range []struct {
		id string
		ok bool
	}{
		{hex64, true},
		{"0x" + strings.Repeat("a", 62), true},
		{"0x" + hex64, false}, // 66 characters: the length counts the prefix
		{hex64[:63], false},
		{strings.Repeat("g", 64), false},
		{"", false},
	} {
		if got := CertificateIDProblem(tc.id) == ""; got != tc.ok {
			t.Errorf("CertificateIDProblem(%q) ok = %v, want %v", tc.id, got, tc.ok)
		}
	}
}

func TestCertificateIDKnownParts(t *testing.T) {
	a62 := strings.Repeat("a", 62)
	for _, tc := range []struct {
		known       []string
		startsKnown bool
		bad         bool
	}{
		{[]string{"0x" + a62}, true, false},
		{[]string{"x" + a62}, false, false}, // <0> + x...: 0x and 62 digits
		{[]string{"x" + a62}, true, true},
		{[]string{"ab", "g"}, true, true},
		{[]string{strings.Repeat("a", 65)}, false, true},
	} {
		if got := CertificateIDKnownPartsProblem("<id>", tc.known, tc.startsKnown) != ""; got != tc.bad {
			t.Errorf("%q (starts known %v): bad = %v, want %v", tc.known, tc.startsKnown, got, tc.bad)
		}
	}
}

func TestKnownPartsProblem(t *testing.T) {
	for _, tc := range []struct {
		known []string
		bad   bool
	}{
		{[]string{"sensor_"}, false},
		{[]string{"sensor "}, true},
		{[]string{strings.Repeat("a", 100), strings.Repeat("b", 29)}, true},
		{[]string{strings.Repeat("a", 100), strings.Repeat("b", 28)}, false},
	} {
		if got := ThingName.KnownPartsProblem("<x>", tc.known) != ""; got != tc.bad {
			t.Errorf("KnownPartsProblem(%q) = %v, want %v", tc.known, got, tc.bad)
		}
	}
}

// TestDocs keeps docs/model.md and the README's table of checks in step
// with the model; -update rewrites them.
func TestDocs(t *testing.T) {
	check := func(path, want string) {
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) == want {
			return
		}
		if golden.Updating() {
			if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
				t.Fatal(err)
			}
			return
		}
		t.Errorf("%s is stale (-want +got):\n%s\nrun go test ./internal/model -run TestDocs -update", path, cmp.Diff(want, string(got)))
	}
	check("../../docs/model.md", Document())
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	const begin, end = "<!-- model:checks -->\n", "<!-- /model:checks -->"
	i, j := strings.Index(string(readme), begin), strings.Index(string(readme), end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %q ... %q section", begin, end)
	}
	check("../../README.md", string(readme[:i+len(begin)])+ChecksTable(false)+string(readme[j:]))
}

func TestChecksInCodeOrder(t *testing.T) {
	for i := 1; i < len(Checks); i++ {
		if Checks[i-1].Code >= Checks[i].Code {
			t.Errorf("%s comes before %s", Checks[i-1].Code, Checks[i].Code)
		}
	}
}

// TestEveryPointRelied checks that iotpt decides every uncertain point
// somewhere (a plan assumption, a check of the model, a lint rule), or says
// why it never needs to.
func TestEveryPointRelied(t *testing.T) {
	used := map[string]bool{}
	for _, c := range Checks {
		used[c.Assumption], used[c.Rejected.Assumption] = true, true
	}
	re := regexp.MustCompile(`assume\("([A-Z]\d+)"|\(([UA]\d+)\)|\{"([UA]\d+)", "`)
	for _, glob := range []string{"../../eval/*.go", "../../lint/*.go", "../../internal/bulk/*.go"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(data), -1) {
				used[m[1]+m[2]+m[3]] = true
			}
		}
	}
	for _, p := range append(slices.Clone(Uncertain), Own...) {
		if !used[p.ID] && p.NotApplicable == "" {
			t.Errorf("%s is neither relied on by the planner, a check or a rule, nor marked not applicable", p.ID)
		}
		if used[p.ID] && p.NotApplicable != "" {
			t.Errorf("%s is marked not applicable but the code relies on it", p.ID)
		}
	}
}
