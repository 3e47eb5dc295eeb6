package lint_test

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/lint"
	"github.com/iotpt/iotpt/template"
	"golang.org/x/tools/txtar"
)

var corpusDir = flag.String("corpus", "", "directory of real templates to lint and compare with testdata/corpus/judgments.tsv (TestCorpus)")

// TestTrustCases runs each testdata/trust archive: every section but
// "want" is linted with all rules, and "want" holds every finding. The
// archives are the classes of issue 12: knock-on findings, misspelt
// intrinsic functions, CloudFormation variables, schema findings.
func TestTrustCases(t *testing.T) {
	golden.Run(t, "../testdata/trust/*.txtar", func(t *testing.T, c *golden.Case) {
		var out strings.Builder
		for _, f := range c.Archive.Files {
			if f.Name == "want" {
				continue
			}
			res := lint.Check(f.Name, f.Data, lint.Options{})
			for _, d := range res.Diagnostics {
				render.Text(&out, d, res.File.Source)
				if strings.ContainsAny(d.Message, template.CFNVarStart+template.CFNVarEnd) || strings.Contains(d.Message, `\ue00`) {
					t.Errorf("%s: message shows an internal marker: %s", f.Name, d.Message)
				}
			}
		}
		c.Check(t, "want", out.String())
	})
}

// TestOutputStable lints every fixture of testdata/trust and
// testdata/lint 20 times and requires byte-identical output, in text and
// JSON.
func TestOutputStable(t *testing.T) {
	var inputs []input
	for _, pattern := range []string{"../testdata/trust/*.txtar", "../testdata/lint/*.txtar"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			inputs = append(inputs, readArchive(t, p)...)
		}
	}
	if len(inputs) < 50 {
		t.Fatalf("only %d inputs", len(inputs))
	}
	render1 := func(name string, data []byte) string {
		res := lint.Check(name, data, lint.Options{})
		var b strings.Builder
		for _, d := range res.Diagnostics {
			render.Text(&b, d, res.File.Source)
		}
		if err := render.WriteJSON(&b, render.NewJSONReport(1, res.Diagnostics)); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	for _, in := range inputs {
		first := render1(in.name, in.data)
		for i := 1; i < 20; i++ {
			if got := render1(in.name, in.data); got != first {
				t.Fatalf("%s: run %d differs from the first:\n%s\n---\n%s", in.name, i+1, got, first)
			}
		}
	}
}

// input is one section of a golden archive, named archive/section.
type input struct {
	name string
	data []byte
}

// readArchive returns the input sections (not want) of a txtar file.
func readArchive(t *testing.T, path string) []input {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out []input
	for _, f := range a.Files {
		if f.Name != "want" {
			out = append(out, input{filepath.Base(path) + "/" + f.Name, f.Data})
		}
	}
	return out
}

// TestTrustJudgments checks that every finding on the fixtures of
// testdata/trust is judged in testdata/trust/judgments.tsv, and true.
func TestTrustJudgments(t *testing.T) {
	j := loadJudgments(t, "../testdata/trust/judgments.tsv")
	paths, _ := filepath.Glob("../testdata/trust/*.txtar")
	var found []finding
	for _, p := range paths {
		for _, in := range readArchive(t, p) {
			found = append(found, findingsOf(in.name, in.data)...)
		}
	}
	s := j.score(t, found)
	if s.falses > 0 {
		t.Errorf("%d findings on the fixtures are judged false", s.falses)
	}
}

// TestCorpus lints every file of -corpus (a directory of real templates,
// by default absent and the test skipped) and compares each error and
// warning with its judgment in testdata/corpus/judgments.tsv (infos are
// notes a gate never fails on, such as the upper-case Status style note). It fails on a finding
// nobody judged and on a judgment no finding matches; with -v it logs the
// precision, the estimated recall and the false positives.
//
//	go test ./lint -run TestCorpus -corpus /work/shared/corpus -v
func TestCorpus(t *testing.T) {
	if *corpusDir == "" {
		t.Skip("no -corpus directory")
	}
	if _, err := os.Stat(*corpusDir); err != nil {
		t.Skip(err)
	}
	j := loadJudgments(t, "../testdata/corpus/judgments.tsv")
	var found []finding
	err := filepath.WalkDir(*corpusDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(path) == "MANIFEST.tsv" || strings.HasSuffix(path, ".source.txt") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(*corpusDir, path)
		found = append(found, findingsOf(filepath.ToSlash(rel), data)...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	s := j.score(t, found)
	t.Logf("%d findings: %d true, %d false; precision %.1f%%", s.trues+s.falses, s.trues, s.falses, 100*float64(s.trues)/float64(max(1, s.trues+s.falses)))
	t.Logf("real problems: %d found, %d missed; recall %.1f%%", s.realFound, s.missed, 100*float64(s.realFound)/float64(max(1, s.realFound+s.missed)))
	for _, fp := range s.falseList {
		t.Logf("false positive: %s", fp)
	}
}

// finding is one diagnostic, keyed as the judgments file keys it.
type finding struct {
	file, at, code, message string
}

func (f finding) key() string { return f.file + "\t" + f.at + "\t" + f.code }

func findingsOf(name string, data []byte) []finding {
	res := lint.Check(name, data, lint.Options{})
	var out []finding
	for _, d := range res.Diagnostics {
		if d.Severity == template.Info {
			continue
		}
		out = append(out, finding{name, fmt.Sprintf("%d:%d", d.Range.Start.Line, d.Range.Start.Column), d.Code, d.Message})
	}
	return out
}

// judgments maps a finding's key to its verdict, and lists the real
// problems no finding reports ("missed").
type judgments struct {
	verdict map[string]string // "true" or "false"
	real    map[string]bool   // the true findings that are a real problem of their own, not a second view of one
	missed  int
}

// loadJudgments reads a judgments file: tab-separated lines of file,
// line:col, code, verdict (true, false, dup for a true finding of a problem
// another finding already counts, or missed for a real problem with no
// finding; then line:col and code may be "-") and a one-line reason. '#'
// starts a comment line.
func loadJudgments(t *testing.T, path string) judgments {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	j := judgments{verdict: map[string]string{}, real: map[string]bool{}}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		if len(fields) != 5 || fields[4] == "" {
			t.Fatalf("%s:%d: want 5 tab-separated fields with a reason, got %q", path, n, line)
		}
		key := strings.Join(fields[:3], "\t")
		switch v := fields[3]; v {
		case "missed":
			j.missed++
		case "true", "dup", "false":
			if _, dup := j.verdict[key]; dup {
				t.Fatalf("%s:%d: %s is judged twice", path, n, key)
			}
			j.verdict[key] = map[string]string{"dup": "true"}[v]
			if j.verdict[key] == "" {
				j.verdict[key] = v
			}
			j.real[key] = v == "true"
		default:
			t.Fatalf("%s:%d: verdict %q is not true, dup, false or missed", path, n, v)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return j
}

type score struct {
	trues, falses, realFound, missed int
	falseList                        []string
}

// score matches findings with judgments, failing the test on a finding
// without a judgment and on a judgment without a finding.
func (j judgments) score(t *testing.T, found []finding) score {
	t.Helper()
	s := score{missed: j.missed}
	seen := map[string]bool{}
	var unjudged []string
	for _, f := range found {
		seen[f.key()] = true
		switch j.verdict[f.key()] {
		case "true":
			s.trues++
			if j.real[f.key()] {
				s.realFound++
			}
		case "false":
			s.falses++
			s.falseList = append(s.falseList, f.key()+"\t"+f.message)
		default:
			unjudged = append(unjudged, f.key()+"\t?\t"+f.message)
		}
	}
	var stale []string
	for k := range j.verdict {
		if !seen[k] {
			stale = append(stale, k)
		}
	}
	sort.Strings(stale)
	slices.Sort(unjudged)
	if len(unjudged) > 0 {
		t.Errorf("findings without a judgment (add them, tab-separated, with a reason):\n%s", strings.Join(unjudged, "\n"))
	}
	if len(stale) > 0 {
		t.Errorf("judgments that match no finding any more (remove them or turn them into missed):\n%s", strings.Join(stale, "\n"))
	}
	return s
}

// A directory or pattern that yields no template is an error naming it;
// files it skipped are listed with the reason.
func TestRunNoTemplates(t *testing.T) {
	empty := t.TempDir()
	if _, err := lint.Run([]string{empty}, lint.RunOptions{}); err == nil || !strings.Contains(err.Error(), "no templates found in "+empty) {
		t.Errorf("empty directory: err = %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "params.json"), []byte(`{"Serial": "SN1"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := lint.Run([]string{dir}, lint.RunOptions{})
	if err == nil || !strings.Contains(err.Error(), "params.json: an object of strings") {
		t.Errorf("directory of a parameters file: err = %v", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "t.json"), []byte(`{"Resources": {"thing": {"Type": "IoT::Thing"}}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, err := lint.Run([]string{filepath.Join(dir, "*.json")}, lint.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Files != 1 || len(rep.Skipped) != 1 || !rep.Diagnostics.HasErrors() {
		t.Errorf("glob: %d files, skipped %v, diagnostics %v", rep.Files, rep.Skipped, rep.Diagnostics)
	}
	if _, err := lint.Run([]string{filepath.Join(dir, "*.yaml")}, lint.RunOptions{}); err == nil || !strings.Contains(err.Error(), "matches no file") {
		t.Errorf("glob without a match: err = %v", err)
	}
}

// A misspelt section turned off in the configuration explains nothing: the
// finding of the section it leaves missing is reported instead.
func TestMisspeltKeyTurnedOff(t *testing.T) {
	dir := t.TempDir()
	cfgFile := filepath.Join(dir, ".iotpt.yaml")
	if err := os.WriteFile(cfgFile, []byte("severity:\n  PT201: off\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := lint.LoadConfig(cfgFile)
	if err != nil {
		t.Fatal(err)
	}
	text := []byte(`{"Resource": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "a"}}}}`)
	var codes []string
	for _, d := range lint.Check("t.json", text, lint.Options{Config: cfg}).Diagnostics {
		codes = append(codes, d.Code)
	}
	if !slices.Contains(codes, "PT202") || slices.Contains(codes, "PT201") {
		t.Errorf("codes %v: want PT202 and no PT201", codes)
	}
}
