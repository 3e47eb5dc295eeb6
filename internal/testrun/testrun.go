// Package testrun runs template tests: YAML files named *.iotpt-test.yaml
// that plan a template for given inputs and check the outcome, the error
// codes and CEL assertions over the plan.
//
//	template: template.json          # relative to this file; a case may name its own
//	type: FLEET_PROVISIONING         # optional, for every case
//	region: eu-west-1                # optional, for ARNs
//	account: "123456789012"
//	cases:
//	  - name: tokyo sensor
//	    params: {SerialNumber: ABC-1, DeviceLocation: Tokyo}
//	    cert: {subject: "CN=ABC-1,C=JP"}   # or {file: device.pem}
//	    hook: {allowProvisioning: true}
//	    existing: {things: {sensor_ABC-1: {}}}
//	    expect:
//	      outcome: success               # default: failure when errors are given
//	      errors: [PT261]                # exactly these error codes
//	      assert:
//	        - plan.thingName == "sensor_ABC-1"
package testrun

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/google/cel-go/cel"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/celexpr"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/secret"
	"github.com/iotpt/iotpt/internal/testcert"
	"github.com/iotpt/iotpt/template"
)

// Suffixes are the name endings of test files.
var Suffixes = []string{".iotpt-test.yaml", ".iotpt-test.yml"}

// Options tunes Run.
type Options struct {
	Run      *regexp.Regexp // cases whose name matches; all when nil
	MaxBytes int            // largest file to read; template.DefaultMaxBytes when 0
}

// Summary counts what Run did.
type Summary struct {
	Files, Passed, Failed, Broken int // Broken: test files that could not be loaded
	Unreadable                    int // of the broken files, those that could not be read at all
}

// OK reports whether every selected case passed.
func (s Summary) OK() bool { return s.Failed == 0 && s.Broken == 0 }

// Find expands paths into test files: files named with one of Suffixes as
// they are, directories searched recursively (skipping hidden ones) for
// them. A directory search reads nothing outside the directory: the
// notes say which files it skipped (symbolic links leaving it, FIFOs and
// devices) and why.
func Find(paths []string) (files, notes []string, err error) {
	for _, p := range paths {
		info, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !info.IsDir() {
			if !isTestFile(filepath.Base(p)) {
				return nil, nil, fmt.Errorf("%s is not a test file: test files are named *%s (to check a template, use iotpt lint or iotpt plan)", p, Suffixes[0])
			}
			files = append(files, p)
			continue
		}
		found := 0
		for _, f := range input.Walk(p, isTestFile) {
			switch {
			case f.Err != nil:
				return nil, nil, f.Err
			case f.Skip != "":
				notes = append(notes, "skipped "+f.Name+": "+f.Skip)
			default:
				files = append(files, f.Name)
				found++
			}
		}
		if found == 0 {
			return nil, nil, fmt.Errorf("%s: no test files (*%s)", p, Suffixes[0])
		}
	}
	return files, notes, nil
}

func isTestFile(name string) bool {
	for _, s := range Suffixes {
		if strings.HasSuffix(name, s) {
			return true
		}
	}
	return false
}

// Run runs the test files and writes a report in the manner of go test:
// a line per case, the reasons for each failure, and a line per file.
func Run(files []string, opts Options, out io.Writer) (Summary, error) {
	if opts.MaxBytes <= 0 {
		opts.MaxBytes = template.DefaultMaxBytes
	}
	env, err := celexpr.NewEnv()
	if err != nil {
		return Summary{}, err
	}
	var sum Summary
	progs := &programs{maxBytes: opts.MaxBytes, byPath: map[string]*eval.Program{}}
	for _, path := range files {
		sum.Files++
		data, err := input.Read(path, nil, opts.MaxBytes)
		if err != nil { // reported, and the other files still run
			fmt.Fprintf(out, "%s\t%s\t[unreadable: %s]\n", render.Fail(out, "FAIL"), path, render.Clean(err.Error()))
			sum.Broken++
			sum.Unreadable++
			continue
		}
		tf, diags := load(env, path, data)
		if diags.HasErrors() {
			src := template.NewSource(path, data)
			for _, d := range diags {
				render.Text(out, d, src)
			}
			fmt.Fprintf(out, "%s\t%s\t[setup failed]\n", render.Fail(out, "FAIL"), path)
			sum.Broken++
			continue
		}
		if len(diags) > 0 { // warnings
			src := template.NewSource(path, data)
			for _, d := range diags {
				render.Text(out, d, src)
			}
		}
		passed, failed := 0, 0
		for _, c := range tf.cases {
			if opts.Run != nil && !opts.Run.MatchString(c.name) {
				continue
			}
			problems := tf.run(c, progs)
			if len(problems) == 0 {
				passed++
				fmt.Fprintf(out, "--- %s: %s\n", render.Pass(out, "PASS"), c.name)
				continue
			}
			failed++
			fmt.Fprintf(out, "--- %s: %s\n", render.Fail(out, "FAIL"), c.name)
			for _, p := range problems {
				fmt.Fprintf(out, "    %s\n", strings.ReplaceAll(p, "\n", "\n    "))
			}
		}
		sum.Passed += passed
		sum.Failed += failed
		switch {
		case failed > 0:
			fmt.Fprintf(out, "%s\t%s\t%d of %s failed\n", render.Fail(out, "FAIL"), path, failed, render.Plural(passed+failed, "case"))
		case passed == 0:
			fmt.Fprintf(out, "%s  \t%s\t[no cases to run]\n", render.Pass(out, "ok"), path)
		default:
			fmt.Fprintf(out, "%s  \t%s\t%s\n", render.Pass(out, "ok"), path, render.Plural(passed, "case"))
		}
	}
	return sum, nil
}

type testFile struct {
	path     string
	template string // path of the template, relative to the working directory
	typ      string
	region   string
	account  string
	cases    []*testCase
}

type testCase struct {
	name     string
	template string // path of the template, relative to the working directory
	typ      string
	params   []eval.Param
	cert     *eval.Certificate
	hook     *eval.HookResponse
	existing *eval.Registry
	outcome  string
	errors   []string
	asserts  []*celexpr.Expr
}

var (
	fileKeys   = []string{"template", "type", "region", "account", "cases"}
	caseKeys   = []string{"name", "template", "type", "params", "cert", "hook", "existing", "expect"}
	expectKeys = []string{"outcome", "errors", "assert"}
	types      = []string{eval.FleetProvisioning, eval.JITP}
)

// loader collects the problems of one test file.
type loader struct {
	dir string // the test file's directory, which paths are relative to
	celexpr.Problems
}

// str returns the string member key of o and its node, or "" and nil
// (reporting a member that is not a string).
func (l *loader) str(o *template.Object, key string) (string, *template.String) {
	if s := l.String(o, key); s != nil {
		return s.Value, s
	}
	return "", nil
}

func (l *loader) templateType(o *template.Object) string {
	t, n := l.str(o, "type")
	if n != nil && !slices.Contains(types, t) {
		l.Add(n, "type %q is not FLEET_PROVISIONING or JITP", t)
	}
	return t
}

func load(env *celexpr.Env, path string, data []byte) (*testFile, template.Diagnostics) {
	rootNode, _, diags := template.ParseData(path, data, template.ParseOptions{YAML: true})
	if diags.HasErrors() || rootNode == nil {
		return nil, diags
	}
	l := &loader{dir: filepath.Dir(path), Problems: celexpr.Problems{Diags: diags}}
	tf := &testFile{path: path}
	root := l.Mapping(rootNode, "a test file", fileKeys)
	if root == nil {
		return nil, l.Diags
	}
	tf.template = l.templatePath(root)
	tf.typ = l.templateType(root)
	tf.region, _ = l.str(root, "region")
	tf.account, _ = l.str(root, "account")
	cases, ok := root.Get("cases").(*template.Array)
	if !ok || len(cases.Elems) == 0 {
		at := root.Get("cases")
		if at == nil {
			at = root
		}
		l.Add(at, "cases must be a non-empty list of test cases")
		return nil, l.Diags
	}
	names := map[string]bool{}
	for _, item := range cases.Elems {
		c := l.testCase(env, item, tf.typ, names)
		if c == nil {
			continue
		}
		if c.template == "" {
			c.template = tf.template
		}
		if c.template == "" && root.Get("template") == nil {
			l.Add(item, "the case names no template, and neither does the file (template: FILE, relative to the test file)")
		}
		tf.cases = append(tf.cases, c)
	}
	l.Diags.Sort()
	return tf, l.Diags
}

// templatePath reads the template key of o: a file relative to the test
// file, which must exist.
func (l *loader) templatePath(o *template.Object) string {
	name, n := l.str(o, "template")
	if n == nil {
		return ""
	}
	path, err := input.Inside(l.dir, filepath.FromSlash(name))
	if err != nil {
		l.Add(n, "template %v", err)
		return ""
	}
	if _, err := os.Stat(path); err != nil {
		l.Add(n, "template %s: %v", name, errorText(err))
	}
	return path
}

func errorText(err error) string {
	if os.IsNotExist(err) {
		return "no such file"
	}
	return err.Error()
}

func (l *loader) testCase(env *celexpr.Env, item template.Node, typ string, names map[string]bool) *testCase {
	o := l.Mapping(item, "a test case", caseKeys)
	if o == nil {
		return nil
	}
	c := &testCase{typ: typ, template: l.templatePath(o)}
	name, n := l.str(o, "name")
	switch {
	case n == nil:
		l.Add(o, "the case has no name")
	case names[name]:
		l.Add(n, "a case named %q comes earlier in the file", name)
	default:
		names[name] = true
		c.name = name
	}
	if t := l.templateType(o); t != "" {
		c.typ = t
	}
	if p := o.Get("params"); p != nil {
		ps, diags := eval.DecodeParams(p)
		l.Diags = append(l.Diags, diags...)
		for i, q := range ps {
			if masked, ok := secret.Mask(q.Value); ok {
				l.Diags = append(l.Diags, template.Diagnostic{Severity: template.Warning, Code: celexpr.CodeFile,
					Message: secret.Warning(q.Name, len(q.Value)), Range: p.Range(), Path: p.Pointer()})
				ps[i].Value = masked
			}
		}
		c.params = ps
	}
	if h := o.Get("hook"); h != nil {
		hook, diags := eval.DecodeHookResponse(h)
		l.Diags = append(l.Diags, diags...)
		c.hook = hook
	}
	if e := o.Get("existing"); e != nil {
		reg, diags := eval.DecodeRegistry(e)
		l.Diags = append(l.Diags, diags...)
		c.existing = reg
	}
	if cn := o.Get("cert"); cn != nil {
		c.cert = l.certificate(cn)
	}
	c.outcome = "success"
	if en := o.Get("expect"); en != nil {
		l.expect(env, en, c)
	}
	return c
}

func (l *loader) certificate(n template.Node) *eval.Certificate {
	o := l.Mapping(n, "cert", []string{"subject", "file"})
	if o == nil {
		return nil
	}
	subject, sn := l.str(o, "subject")
	file, fn := l.str(o, "file")
	var pemBytes []byte
	var err error
	at := n
	switch {
	case sn != nil && fn != nil:
		l.Add(o, "cert has both subject and file; give one")
		return nil
	case sn != nil:
		at = sn
		pemBytes, err = testcert.PEM(subject)
	case fn != nil:
		at = fn
		var path string
		if path, err = input.Inside(l.dir, filepath.FromSlash(file)); err == nil {
			pemBytes, err = input.Read(path, nil, template.DefaultMaxBytes)
		}
	default:
		l.Add(o, `cert needs subject ("CN=dev-1,C=JP") or file (a PEM certificate)`)
		return nil
	}
	what := "cert subject"
	if fn != nil {
		what = "cert file " + file
	}
	if err != nil {
		l.Add(at, "%s: %s", what, strings.TrimPrefix(errorText(err), "testcert: "))
		return nil
	}
	cert, err := eval.ParseCertificate(pemBytes)
	if err != nil {
		l.Add(at, "%s: %v", what, err)
		return nil
	}
	return cert
}

func (l *loader) expect(env *celexpr.Env, n template.Node, c *testCase) {
	o := l.Mapping(n, "expect", expectKeys)
	if o == nil {
		return
	}
	if en := o.Get("errors"); en != nil {
		list, ok := en.(*template.Array)
		if !ok {
			l.Add(en, "errors must be a list of codes such as [PT110]")
		} else {
			for _, it := range list.Elems {
				s, ok := it.(*template.String)
				if !ok || !strings.HasPrefix(s.Value, "PT") {
					l.Add(it, "an expected error is a code such as PT110")
					continue
				}
				c.errors = append(c.errors, s.Value)
			}
			if len(c.errors) > 0 {
				c.outcome = "failure"
			}
		}
	}
	if out, on := l.str(o, "outcome"); on != nil {
		if out != "success" && out != "failure" {
			l.Add(on, "outcome %q is not success or failure", out)
		}
		c.outcome = out
	}
	if an := o.Get("assert"); an != nil {
		list, ok := an.(*template.Array)
		if !ok {
			l.Add(an, "assert must be a list of CEL expressions")
			return
		}
		for _, it := range list.Elems {
			s, ok := it.(*template.String)
			if !ok {
				l.Add(it, "an assertion is a CEL expression in a string, not %s", template.Describe(it))
				continue
			}
			x, diags := env.Compile(s, cel.BoolType)
			l.Diags = append(l.Diags, diags...)
			if x != nil && x.Uses(celexpr.VarResource) {
				l.Diags = append(l.Diags, template.Diagnostic{Severity: template.Error, Code: celexpr.CodeCompile,
					Message: `assertions see the plan, not one resource; write plan.resources["<logicalId>"] instead of resource`, Range: s.Range(), Path: s.Pointer()})
				continue
			}
			if x != nil {
				c.asserts = append(c.asserts, x)
			}
		}
	}
}

// programs compiles each template once for all the cases that plan it.
type programs struct {
	maxBytes int
	byPath   map[string]*eval.Program
}

func (ps *programs) get(path string) (*eval.Program, error) {
	if p, ok := ps.byPath[path]; ok {
		return p, nil
	}
	text, err := input.Read(path, nil, ps.maxBytes)
	if err != nil {
		return nil, err
	}
	p := eval.CompileFile(path, text, template.ParseOptions{})
	ps.byPath[path] = p
	return p, nil
}

// run plans one case and returns why it failed, if it did.
func (tf *testFile) run(c *testCase, progs *programs) []string {
	prog, err := progs.get(c.template)
	if err != nil {
		return []string{err.Error()}
	}
	in := eval.Input{Type: c.typ, Params: c.params, Certificate: c.cert, Hook: c.hook, Existing: c.existing, Region: tf.region, Account: tf.account}
	plan, f := prog.Plan(in), prog.File()
	var problems []string
	if plan.Outcome != c.outcome {
		p := fmt.Sprintf("outcome: got %s, want %s", plan.Outcome, c.outcome)
		for _, d := range plan.Errors {
			p += "\n    " + d.String()
		}
		problems = append(problems, p)
	}
	if c.errors != nil {
		got := codes(plan.Errors)
		want := slices.Clone(c.errors)
		slices.Sort(want)
		want = slices.Compact(want)
		if !slices.Equal(got, want) {
			problems = append(problems, fmt.Sprintf("errors: got [%s], want [%s]", strings.Join(got, " "), strings.Join(want, " ")))
		}
	}
	if len(c.asserts) == 0 {
		return problems
	}
	vars, err := variables(plan, f, c.params)
	if err != nil {
		return append(problems, err.Error())
	}
	for _, x := range c.asserts {
		ok, err := x.Bool(vars)
		if ok {
			continue
		}
		head := x.Node.Range().Location() + ": " + strings.Join(strings.Fields(x.Text), " ")
		if err != nil {
			problems = append(problems, head+"\n    "+err.Error())
			continue
		}
		p := head
		for _, line := range x.Explain(vars) {
			p += "\n    " + line
		}
		problems = append(problems, p)
	}
	return problems
}

func codes(ds template.Diagnostics) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Code)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// variables are the CEL variables of assertions.
func variables(plan *eval.Plan, f *template.File, params []eval.Param) (map[string]any, error) {
	planData, err := celexpr.DecodeJSON(plan.AppendJSON(nil))
	if err != nil {
		return nil, fmt.Errorf("internal error: the plan's JSON does not decode: %v", err)
	}
	ps := map[string]string{}
	for _, p := range params {
		ps[p.Name] = p.Value
	}
	vars := map[string]any{celexpr.VarPlan: planData, celexpr.VarParams: ps, celexpr.VarTemplate: map[string]any{}}
	if f.Template != nil {
		vars[celexpr.VarTemplate] = celexpr.FromNode(f.Template.Root)
	}
	return vars, nil
}
