package lint

import (
	"fmt"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/template"
)

// ConfigFileNames are the names a configuration file may have; FindConfig
// looks for them from a file's directory upward.
var ConfigFileNames = []string{".iotpt.yaml", ".iotpt.yml"}

// Config is a lint configuration, usually read from .iotpt.yaml:
//
//	severity:              # per rule code, name or organisation rule id:
//	  PT223: off           # error, warning, info or off
//	  undeclared-parameter: warning
//	ignore:                # files not to lint (globs, relative to this file)
//	  - legacy/**
//	suppress:              # findings not to report
//	  - code: PT201
//	    files: [cdf/*.json]
//	    pointer: /CDF      # optional: this value and everything below it
//	max-warnings: 10       # more warnings than this fail the run
//	rules: org-rules.yaml  # organisation rules (see UserRules)
type Config struct {
	Severity    map[string]string `yaml:"severity"`
	Ignore      []string          `yaml:"ignore"`
	Suppress    []Suppression     `yaml:"suppress"`
	MaxWarnings *int              `yaml:"max-warnings"`
	// Rules names a file of organisation rules (see UserRules), relative
	// to the configuration file.
	Rules string `yaml:"rules"`

	file       string            // the file it was read from; globs and Rules are relative to its directory
	severityAt map[string][2]int // line and column of each key of Severity
}

// checkNames reports a severity for a rule that neither iotpt nor the
// organisation's rules define, every one of them at its line, with the
// nearest name. Codes starting with PT are accepted, being also the codes
// of parser and planner diagnostics.
func (c *Config) checkNames(u *UserRules) error {
	e := &ConfigError{File: c.file}
	c.addNameProblems(e, u)
	return e.orNil()
}

// addNameProblems adds to e the severities for rules that do not exist.
func (c *Config) addNameProblems(e *ConfigError, u *UserRules) {
	if c == nil || u != nil && u.broken {
		return // a rule that did not load is reported in its own file
	}
	ids := u.IDs()
	for key, at := range c.severityAt {
		if Lookup(key) == nil && !strings.HasPrefix(key, "PT") && !slices.Contains(ids, key) {
			known := slices.Clone(ids)
			for _, r := range Rules() {
				known = append(known, r.Code, r.Name)
			}
			e.add(at, "severity: unknown rule %q%s (iotpt rules lists them)", key, didYouMean(key, known))
		}
	}
}

// Suppression silences one rule in some files, optionally only at and below
// a JSON pointer of the template body.
type Suppression struct {
	Code    string   `yaml:"code"`
	Files   []string `yaml:"files"`
	Pointer string   `yaml:"pointer"`
}

// ConfigError lists every problem of a configuration file, each at its
// line and column.
type ConfigError struct {
	File     string
	Problems []ConfigProblem
}

// ConfigProblem is one mistake in a configuration file.
type ConfigProblem struct {
	Line, Column int
	Message      string
}

// Error writes one "file:line:col: message" line per problem.
func (e *ConfigError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = fmt.Sprintf("%s:%d:%d: %s", e.File, p.Line, p.Column, p.Message)
	}
	return strings.Join(lines, "\n")
}

func (e *ConfigError) add(at [2]int, format string, args ...any) {
	e.Problems = append(e.Problems, ConfigProblem{Line: at[0], Column: at[1], Message: fmt.Sprintf(format, args...)})
}

// orNil returns e when it holds problems, sorted by position.
func (e *ConfigError) orNil() error {
	if len(e.Problems) == 0 {
		return nil
	}
	slices.SortStableFunc(e.Problems, func(a, b ConfigProblem) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
	return e
}

// configKeys are the keys of a configuration file and of a suppress entry.
var (
	configKeys     = []string{"severity", "ignore", "suppress", "max-warnings", "rules"}
	suppressKeys   = []string{"code", "files", "pointer"}
	severityValues = []string{"error", "warning", "info", "off"}
)

// severityAliases are accepted spellings of a severity.
var severityAliases = map[string]string{"warn": "warning"}

// LoadConfig reads a configuration file. Every problem in it (an unknown
// key, a bad severity, a suppress entry without a code...) is reported at
// once in a *ConfigError, each at its line and column with the nearest
// valid spelling; "warn" is accepted for "warning". With a *ConfigError,
// the Config holds what could be read, so that the caller can add the
// problems it finds later (severities of rules that do not exist).
func LoadConfig(file string) (*Config, error) {
	data, err := input.Read(file, nil, template.DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	return parseConfig(file, data)
}

// parseConfig reads the configuration data of file (see LoadConfig).
func parseConfig(file string, data []byte) (*Config, error) {
	c := &Config{file: file, severityAt: map[string][2]int{}}
	e := &ConfigError{File: file}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		d := yamlError(file, data, err)
		e.add([2]int{d.Range.Start.Line, d.Range.Start.Column}, "%s", d.Message)
		return nil, e
	}
	if len(doc.Content) == 0 {
		return c, nil // an empty configuration
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		e.add(at(root), "the configuration must be a mapping of %s", strings.Join(configKeys, ", "))
		return nil, e
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "severity":
			c.loadSeverity(v, e)
		case "ignore":
			decodeInto(v, &c.Ignore, "ignore", "a list of file globs", e)
		case "suppress":
			c.loadSuppress(v, e)
		case "max-warnings":
			var n int
			if decodeInto(v, &n, "max-warnings", "a number", e) {
				if n < 0 {
					e.add(at(v), "max-warnings: %d is negative; leave it out for no limit", n)
				}
				c.MaxWarnings = &n
			}
		case "rules":
			decodeInto(v, &c.Rules, "rules", "the path of a rules file", e)
		default:
			e.add(at(k), "unknown key %q%s (the keys are %s)", k.Value, didYouMean(k.Value, configKeys), strings.Join(configKeys, ", "))
		}
	}
	if err := e.orNil(); err != nil {
		return c, err
	}
	return c, nil
}

// yamlError positions a YAML syntax error with the template parser, which
// words it for people.
func yamlError(file string, data []byte, err error) template.Diagnostic {
	_, diags := template.Parse(file, data, template.ParseOptions{Form: template.FormBody})
	for _, d := range diags {
		if d.Code == template.CodeSyntax {
			return d
		}
	}
	return template.Diagnostic{Message: strings.TrimPrefix(err.Error(), "yaml: "), Range: template.Range{Start: template.Pos{Line: 1, Column: 1}}}
}

// at is a node's line and column.
func at(n *yaml.Node) [2]int { return [2]int{n.Line, n.Column} }

// decodeInto decodes v into target, reporting what key wants when v has
// the wrong shape.
func decodeInto(v *yaml.Node, target any, key, want string, e *ConfigError) bool {
	if err := v.Decode(target); err != nil {
		got := "a " + map[yaml.Kind]string{yaml.MappingNode: "mapping", yaml.SequenceNode: "list", yaml.ScalarNode: "value", yaml.AliasNode: "alias"}[v.Kind]
		if v.Kind == yaml.ScalarNode {
			got = strconv.Quote(v.Value)
		}
		e.add(at(v), "%s: want %s, got %s", key, want, got)
		return false
	}
	return true
}

func (c *Config) loadSeverity(v *yaml.Node, e *ConfigError) {
	if v.Kind != yaml.MappingNode {
		e.add(at(v), "severity: want a mapping of rule code or name to %s", strings.Join(severityValues, ", "))
		return
	}
	c.Severity = map[string]string{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, val := v.Content[i], v.Content[i+1]
		sev := val.Value
		if alias, ok := severityAliases[sev]; ok {
			sev = alias
		}
		if val.Kind != yaml.ScalarNode || !slices.Contains(severityValues, sev) {
			e.add(at(val), "severity of %s: %q is not %s%s", k.Value, val.Value, "error, warning, info or off", didYouMean(val.Value, severityValues))
			continue
		}
		c.Severity[k.Value] = sev
		c.severityAt[k.Value] = at(k)
	}
}

func (c *Config) loadSuppress(v *yaml.Node, e *ConfigError) {
	if v.Kind != yaml.SequenceNode {
		e.add(at(v), "suppress: want a list of entries with code, files and pointer")
		return
	}
	for i, entry := range v.Content {
		if entry.Kind != yaml.MappingNode {
			e.add(at(entry), "suppress entry %d: want a mapping with code, files and pointer", i+1)
			continue
		}
		var s Suppression
		for j := 0; j+1 < len(entry.Content); j += 2 {
			k, val := entry.Content[j], entry.Content[j+1]
			switch k.Value {
			case "code":
				decodeInto(val, &s.Code, "code", "a rule code or name", e)
			case "files":
				decodeInto(val, &s.Files, "files", "a list of file globs", e)
			case "pointer":
				if decodeInto(val, &s.Pointer, "pointer", "a JSON pointer", e) && s.Pointer != "" && !strings.HasPrefix(s.Pointer, "/") {
					e.add(at(val), "suppress entry %d: pointer %q must start with /", i+1, s.Pointer)
				}
			default:
				e.add(at(k), "suppress entry %d: unknown key %q%s (the keys are %s)", i+1, k.Value, didYouMean(k.Value, suppressKeys), strings.Join(suppressKeys, ", "))
			}
		}
		if s.Code == "" {
			e.add(at(entry), "suppress entry %d has no code", i+1)
		}
		c.Suppress = append(c.Suppress, s)
	}
}

// Path is the file the configuration was read from.
func (c *Config) Path() string { return c.file }

// FindConfig looks for a configuration file in dir and its parents and
// returns its path (relative to the working directory when it lies below
// it), or "" when there is none.
func FindConfig(dir string) string {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return ""
	}
	for {
		for _, name := range ConfigFileNames {
			p := filepath.Join(dir, name)
			if info, err := os.Stat(p); err == nil && !info.IsDir() {
				return relToWorkingDir(p)
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// relToWorkingDir shortens an absolute path under the working directory,
// so that messages name files as the user would.
func relToWorkingDir(p string) string {
	wd, err := os.Getwd()
	if err != nil {
		return p
	}
	if r, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// severityFor returns the configured severity of a code (looked up by code
// and by rule name), whether the code is turned off, and whether the
// configuration says anything about it.
func (c *Config) severityFor(code string) (sev template.Severity, off, set bool) {
	if c == nil {
		return 0, false, false
	}
	keys := []string{code}
	if r := Lookup(code); r != nil {
		keys = append(keys, r.Name)
	}
	for _, k := range keys {
		if v, ok := c.Severity[k]; ok {
			if v == "off" {
				return 0, true, true
			}
			s, _ := template.ParseSeverity(v)
			return s, false, true
		}
	}
	return 0, false, false
}

// Ignored reports whether a file is excluded from linting.
func (c *Config) Ignored(file string) bool {
	if c == nil {
		return false
	}
	rel := c.rel(file)
	for _, g := range c.Ignore {
		if globMatch(g, rel) {
			return true
		}
	}
	return false
}

// suppressed reports whether a diagnostic is silenced.
func (c *Config) suppressed(d template.Diagnostic) bool {
	if c == nil {
		return false
	}
	for _, s := range c.Suppress {
		if s.Code != d.Code && (Lookup(s.Code) == nil || Lookup(s.Code).Code != d.Code) {
			continue
		}
		if s.Pointer != "" && d.Path != s.Pointer && !strings.HasPrefix(d.Path, s.Pointer+"/") {
			continue
		}
		if len(s.Files) == 0 {
			return true
		}
		rel := c.rel(d.Range.Filename)
		for _, g := range s.Files {
			if globMatch(g, rel) {
				return true
			}
		}
	}
	return false
}

// rel makes a path relative to the configuration's directory, with '/'.
func (c *Config) rel(file string) string {
	abs, err := filepath.Abs(file)
	if err != nil {
		return filepath.ToSlash(file)
	}
	dir, _ := filepath.Abs(filepath.Dir(c.file))
	if r, err := filepath.Rel(dir, abs); err == nil {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(file)
}

// globMatch matches a slash-separated path against a glob in which "**"
// stands for any number of path segments.
func globMatch(glob, p string) bool {
	return matchSegments(strings.Split(glob, "/"), strings.Split(p, "/"))
}

func matchSegments(g, p []string) bool {
	for len(g) > 0 {
		if g[0] == "**" {
			for i := 0; i <= len(p); i++ {
				if matchSegments(g[1:], p[i:]) {
					return true
				}
			}
			return false
		}
		if len(p) == 0 {
			return false
		}
		if ok, _ := path.Match(g[0], p[0]); !ok {
			return false
		}
		g, p = g[1:], p[1:]
	}
	return len(p) == 0
}
