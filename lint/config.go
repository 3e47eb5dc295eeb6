package lint

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/iotpt/iotpt/internal/input"
	"github.com/iotpt/iotpt/template"
)

// ConfigFileNames are the names a configuration file may have; FindConfig
// looks for them from a file's directory upward.
var ConfigFileNames = []string{".iotpt.yaml", ".iotpt.yml"}

var reUnknownField = regexp.MustCompile(`field (\S+) not found in type lint\.\w+`)

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

	file string // the file it was read from; globs and Rules are relative to its directory
}

// checkNames reports a severity for a rule that neither iotpt nor the
// organisation's rules define. Codes starting with PT are accepted, being
// also the codes of parser and planner diagnostics.
func (c *Config) checkNames(u *UserRules) error {
	if c == nil || u != nil && u.broken {
		return nil // a rule that did not load is reported in its own file
	}
	ids := u.IDs()
	for key := range c.Severity {
		if Lookup(key) == nil && !strings.HasPrefix(key, "PT") && !slices.Contains(ids, key) {
			return fmt.Errorf("%s: severity: unknown rule %q (see iotpt rules and the rules file)", c.file, key)
		}
	}
	return nil
}

// Suppression silences one rule in some files, optionally only at and below
// a JSON pointer of the template body.
type Suppression struct {
	Code    string   `yaml:"code"`
	Files   []string `yaml:"files"`
	Pointer string   `yaml:"pointer"`
}

// LoadConfig reads a configuration file. Unknown keys, unknown rule codes
// and bad severities are errors that name the file and line.
func LoadConfig(file string) (*Config, error) {
	data, err := input.Read(file, nil, template.DefaultMaxBytes)
	if err != nil {
		return nil, err
	}
	var c Config
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&c); err != nil && !errors.Is(err, io.EOF) {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		msg = reUnknownField.ReplaceAllString(msg, "unknown key $1 (the keys are severity, ignore, suppress, max-warnings and rules)")
		msg = strings.ReplaceAll(msg, "unmarshal errors:\n  ", "")
		return nil, fmt.Errorf("%s: %s", file, msg)
	}
	c.file = file
	for key, sev := range c.Severity {
		if _, ok := template.ParseSeverity(sev); !ok && sev != "off" {
			return nil, fmt.Errorf("%s: severity of %s: %q is not error, warning, info or off", file, key, sev)
		}
	}
	for i, s := range c.Suppress {
		if s.Code == "" {
			return nil, fmt.Errorf("%s: suppress entry %d has no code", file, i+1)
		}
		if s.Pointer != "" && !strings.HasPrefix(s.Pointer, "/") {
			return nil, fmt.Errorf("%s: suppress entry %d: pointer %q must start with /", file, i+1, s.Pointer)
		}
	}
	return &c, nil
}

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
