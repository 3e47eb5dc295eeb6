package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/iotpt/iotpt/internal/atomicfile"
	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/template"
)

// RunOptions tunes Run.
type RunOptions struct {
	Options
	// ConfigFile is an explicit configuration; when empty, each file uses
	// the .iotpt.yaml found in its directory or above.
	ConfigFile string
	// RulesFile is a file of organisation rules (see UserRules) that
	// replaces the one a configuration names.
	RulesFile string
	// Fix applies safe fixes to the files, in place, and reports what is
	// left. Standard input cannot be fixed.
	Fix   bool
	Stdin io.Reader
}

// Report is the outcome of Run.
type Report struct {
	Files       int                         // files linted
	Diagnostics template.Diagnostics        // all files, sorted
	Sources     map[string]*template.Source // by file name, for snippets
	Fixed       int                         // fixes applied with Fix
	NotFixed    []string                    // files Fix left alone because they would not parse fully
	Config      *Config                     // the configuration of the last file (for max-warnings)
	// Skipped lists the files a directory or glob search found but did not
	// lint because they are not templates, in the order found, each with
	// the reason.
	Skipped []Skipped
	// Notes are things the user must know that are not findings: fixes
	// not written, files a search must not read (symbolic links out of
	// the directory, FIFOs, devices).
	Notes []string
	// Unreadable describes each path that could not be read; the others
	// were linted.
	Unreadable []string
}

// Skipped is a file a search found and left alone.
type Skipped struct {
	File   string
	Reason string
}

// Run lints files and directories (searched for JSON and YAML files that
// look like templates; "-" is standard input) and glob patterns. The error
// is for problems with the run itself: an unreadable file, a bad
// configuration, a directory or pattern with no template in it.
func Run(paths []string, opts RunOptions) (*Report, error) {
	files := input.Expand(paths)
	// Per searched argument: the files linted, skipped and ignored.
	linted, ignored, skipped := map[string]int{}, map[string]int{}, map[string][]Skipped{}
	rep := &Report{Sources: map[string]*template.Source{}}
	rules := &rulesCache{loaded: map[string]*UserRules{}, checked: map[*Config]bool{}, rep: rep}
	var explicit *Config
	var err error
	if opts.ConfigFile != "" {
		if explicit, err = rules.loadConfig(opts.ConfigFile, opts.RulesFile); err != nil {
			return nil, err
		}
	}
	configs := map[string]*Config{}
	maxBytes := opts.MaxBytes
	if maxBytes <= 0 {
		maxBytes = template.DefaultMaxBytes
	}
	for _, file := range files {
		path := file.Name
		switch {
		case file.Err != nil:
			rep.Unreadable = append(rep.Unreadable, file.Err.Error())
			continue
		case file.Skip != "":
			rep.Notes = append(rep.Notes, "skipped "+path+": "+file.Skip)
			skipped[file.Arg] = append(skipped[file.Arg], Skipped{File: path, Reason: file.Skip})
			continue
		}
		cfg := explicit
		if cfg == nil && path != input.Stdin {
			if cfg, err = rules.configFor(filepath.Dir(path), configs, opts.RulesFile); err != nil {
				return nil, err
			}
		}
		if cfg.Ignored(path) {
			ignored[file.Arg]++
			continue
		}
		rep.Config = cfg
		name := path
		if path == input.Stdin {
			name = "<stdin>"
			if opts.Fix {
				return nil, errors.New("--fix cannot rewrite standard input; lint a file")
			}
		}
		text, err := input.Read(path, opts.Stdin, maxBytes)
		if errors.Is(err, input.ErrTooLarge) {
			linted[file.Arg]++
			rep.Files++
			rep.Diagnostics = append(rep.Diagnostics, template.TooLarge(name, maxBytes))
			continue
		} else if err != nil {
			rep.Unreadable = append(rep.Unreadable, err.Error())
			continue
		}
		fileOpts := opts.Options
		fileOpts.Config = cfg
		if fileOpts.UserRules, err = rules.forConfig(cfg, opts.RulesFile); err != nil {
			return nil, err
		}
		results := CheckAll(name, text, fileOpts)
		if file.FromDir {
			if ok, why := templateOrWhy(results[0].File); !ok {
				rep.Skipped = append(rep.Skipped, Skipped{File: name, Reason: why})
				skipped[file.Arg] = append(skipped[file.Arg], Skipped{File: name, Reason: why})
				continue // a parameters file, a registry, a package.json...
			}
			linted[file.Arg]++
		}
		if opts.Fix && len(results) == 1 {
			res := results[0]
			fixed, applied := applyFixes(name, text, res.Diagnostics)
			if len(applied) > 0 && !parsesFully(name, fixed, opts.Options) {
				rep.NotFixed = append(rep.NotFixed, name)
			} else if len(applied) > 0 {
				after := CheckAll(name, fixed, fileOpts)
				why := "the fixed file holds another number of templates"
				if len(after) == 1 {
					why = checkFixed(res.Diagnostics, applied, after[0].Diagnostics)
				}
				if why != "" {
					rep.Notes = append(rep.Notes, fmt.Sprintf("%s: not fixed, nothing written: %s", name, why))
				} else if err := atomicfile.Replace(path, fixed); err != nil {
					rep.Notes = append(rep.Notes, fmt.Sprintf("%s: not fixed: %v", name, err))
				} else {
					rep.Fixed += len(applied)
					results = after
				}
			}
		}
		rep.Files++
		for _, res := range results {
			rep.Sources[name] = res.File.Source
			for _, s := range res.File.Included {
				rep.Sources[s.Name()] = s
			}
			rep.Diagnostics = append(rep.Diagnostics, res.Diagnostics...)
		}
	}
	for _, arg := range input.Searched(paths) {
		if linted[arg] == 0 {
			return nil, noTemplates(arg, skipped[arg], ignored[arg])
		}
	}
	rep.Diagnostics.Sort()
	return rep, nil
}

// noTemplates is the error for a directory or pattern that yielded nothing
// to lint, with what it did hold.
func noTemplates(arg string, skipped []Skipped, ignored int) error {
	var held []string
	if ignored > 0 {
		held = append(held, fmt.Sprintf("%d ignored by the configuration", ignored))
	}
	for i, s := range skipped {
		if i == 3 {
			held = append(held, fmt.Sprintf("%d more skipped", len(skipped)-3))
			break
		}
		held = append(held, s.File+": "+s.Reason)
	}
	msg := "no templates found in " + arg
	if len(held) == 0 && input.IsGlob(arg) {
		return errors.New(msg + ": the pattern matches no file")
	}
	if len(held) == 0 {
		return errors.New(msg + ": it holds no *.json, *.yaml, *.yml or *.tf file")
	}
	return errors.New(msg + " (" + strings.Join(held, "; ") + ")")
}

// parsesFully reports whether text parses without errors: Fix never writes
// a file that would not.
func parsesFully(name string, text []byte, opts Options) bool {
	_, diags := template.Parse(name, text, template.ParseOptions{Form: opts.Form, MaxBytes: opts.MaxBytes})
	return !diags.HasErrors()
}

// LooksLikeTemplate reports whether a parsed file holds, or may hold, a
// provisioning template. A directory search lints only such files, so that
// parameter files, package manifests and other CloudFormation templates
// beside them are left alone; see templateOrWhy.
func LooksLikeTemplate(f *template.File) bool {
	ok, _ := templateOrWhy(f)
	return ok
}

// templateOrWhy decides whether a file found by a search is linted, and
// otherwise says why not. A file is linted when it did not parse but
// mentions a template's words (mentionsTemplate), when it
// is a registration config, CLI input, JSON string or CloudFormation
// template with a provisioning template, when its Resources hold an
// object with a Type or Properties whatever the types are (a misspelt
// AWS::IOT::Thing, IoT::Thing or Thing is a template with a mistake, not
// something else), and when it has Parameters, Mappings or
// DeviceConfiguration but no Resources. It is skipped when it is a JSON
// array or scalar, a CloudFormation template (a section in
// cfnOnlySections, or a resource of another AWS service) without a
// provisioning template, or an object with none of a template's sections.
func templateOrWhy(f *template.File) (bool, string) {
	if f.Foreign != "" && f.Root == nil {
		return false, f.Foreign // a program, JSON Lines...: named on the command line, it is an error
	}
	if f.Form == template.FormTerraform {
		return f.Address != "" || f.Incomplete, "" // Incomplete: an HCL syntax error in a file that names a template
	}
	if f.Root == nil || f.Incomplete {
		if mentionsTemplate(f.Source.Text()) {
			return true, ""
		}
		return false, "does not parse, and mentions no Resources, templateBody or AWS::IoT: not a template"
	}
	if f.Form != template.FormBody {
		return true, ""
	}
	root, isObj := f.Root.(*template.Object)
	if !isObj {
		return false, "a JSON " + template.KindOf(f.Root) + ", not a template"
	}
	const cfnSkip = "a CloudFormation template without an AWS::IoT::ProvisioningTemplate"
	if root.Get("DeviceConfiguration") == nil {
		for _, section := range cfnOnlySections {
			if root.Get(section) != nil {
				return false, cfnSkip + " (it has " + section + ")"
			}
		}
	}
	resources, ok := root.Get("Resources").(*template.Object)
	if !ok {
		if root.Get("Resources") != nil || root.Get("Parameters") != nil || root.Get("Mappings") != nil || root.Get("DeviceConfiguration") != nil {
			return true, "" // a template, perhaps with a mistake in its sections
		}
		return false, notTemplateReason(f.Source.Name(), root)
	}
	resourceLike := len(resources.Members) == 0
	for _, m := range resources.Members {
		r, _ := m.Value.(*template.Object)
		if r == nil || r.Get("Type") == nil && r.Get("Properties") == nil {
			continue
		}
		resourceLike = true
		if t, _ := r.Get("Type").(*template.String); t != nil && otherServiceType(t.Value) {
			return false, cfnSkip + " (it declares " + t.Value + ")"
		}
	}
	if !resourceLike {
		return false, "its Resources hold no object with a Type: not a provisioning template"
	}
	return true, ""
}

// notTemplateReason says what a JSON or YAML object with none of a
// template's sections is, when iotpt can tell.
func notTemplateReason(name string, root *template.Object) string {
	base := filepath.Base(name)
	switch {
	case base == ".iotpt.yaml" || base == ".iotpt.yml":
		return "the iotpt configuration"
	case strings.HasSuffix(base, ".iotpt-test.yaml") || strings.HasSuffix(base, ".iotpt-test.yml"):
		return "iotpt test cases"
	case root.Get("rules") != nil:
		return "iotpt organisation rules, not a template"
	}
	strs := len(root.Members) > 0
	for _, m := range root.Members {
		_, isStr := m.Value.(*template.String)
		strs = strs && isStr
	}
	if strs {
		return "an object of strings (a parameters file?), not a template"
	}
	return "no Resources, Parameters or templateBody: not a provisioning template"
}

// mentionsTemplate reports whether the text of a file that does not parse
// holds a word of a provisioning template, so that a broken template is
// linted while a broken file of another kind (a Helm chart, a Jinja
// template) beside it is skipped.
func mentionsTemplate(text []byte) bool {
	for _, w := range []string{"Resources", "templateBody", "TemplateBody", "AWS::IoT", "Parameters", "DeviceConfiguration"} {
		if bytes.Contains(text, []byte(w)) {
			return true
		}
	}
	return false
}

// cfnOnlySections are top-level keys of CloudFormation (and SAM) templates
// that provisioning templates never have.
var cfnOnlySections = []string{"AWSTemplateFormatVersion", "Transform", "Outputs", "Conditions", "Globals"}

// otherServiceType reports whether a resource type is a CloudFormation type
// of a service other than AWS IoT (AWS::EC2::VPC, AWS::IAM::Policy), which
// a provisioning template cannot declare even by mistake. A service name
// one edit away from IoT counts as IoT misspelt.
func otherServiceType(t string) bool {
	parts := strings.Split(t, "::")
	return len(parts) == 3 && parts[0] == "AWS" && parts[1] != "" && parts[2] != "" &&
		template.Distance(strings.ToLower(parts[1]), "iot") > 1
}

// rulesCache loads each rules file once and adds its problems to the
// report.
type rulesCache struct {
	loaded  map[string]*UserRules
	checked map[*Config]bool
	rep     *Report
}

// forConfig returns the rules for files under cfg (see rulesFor), and
// checks that the rule names cfg uses exist.
func (rc *rulesCache) forConfig(cfg *Config, explicit string) (*UserRules, error) {
	u, err := rc.rulesFor(cfg, explicit)
	if err != nil {
		return nil, err
	}
	if cfg != nil && !rc.checked[cfg] {
		rc.checked[cfg] = true
		if err := cfg.checkNames(u); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// rulesFor returns the rules for files under cfg: the explicit file, else
// the one cfg names (relative to cfg's directory), else none.
func (rc *rulesCache) rulesFor(cfg *Config, explicit string) (*UserRules, error) {
	path, namedBy := explicit, "--rules"
	if path == "" && cfg != nil && cfg.Rules != "" {
		namedBy = cfg.file + ": rules"
		var err error
		if path, err = input.Inside(filepath.Dir(cfg.file), cfg.Rules); err != nil {
			return nil, fmt.Errorf("%s: %w", namedBy, err)
		}
	}
	u, err := rc.load(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", namedBy, err)
	}
	return u, nil
}

// loadConfig loads a configuration file. When it has problems, the
// severities it sets for rules that do not exist are added to them, so
// that every problem of the file is reported at once.
func (rc *rulesCache) loadConfig(file, explicitRules string) (*Config, error) {
	c, err := LoadConfig(file)
	var ce *ConfigError
	if errors.As(err, &ce) && c != nil {
		if u, uerr := rc.rulesFor(c, explicitRules); uerr == nil {
			c.addNameProblems(ce, u)
		}
		return nil, ce.orNil()
	}
	return c, err
}

func (rc *rulesCache) load(path string) (*UserRules, error) {
	if path == "" {
		return nil, nil
	}
	if u, ok := rc.loaded[path]; ok {
		return u, nil
	}
	data, err := input.Read(path, nil, template.DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	u, src, diags := LoadUserRules(path, data)
	if diags != nil {
		u.broken = true
		rc.rep.Sources[path] = src
		rc.rep.Diagnostics = append(rc.rep.Diagnostics, diags...)
	}
	rc.loaded[path] = u
	return u, nil
}

// configFor finds and loads the configuration for files in dir, once per
// directory.
func (rc *rulesCache) configFor(dir string, cache map[string]*Config, explicitRules string) (*Config, error) {
	if c, ok := cache[dir]; ok {
		return c, nil
	}
	var c *Config
	if p := FindConfig(dir); p != "" {
		var err error
		if c, err = rc.loadConfig(p, explicitRules); err != nil {
			return nil, err
		}
	}
	cache[dir] = c
	return c, nil
}
