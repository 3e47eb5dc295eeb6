package lint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
}

// Run lints files and directories (searched for JSON and YAML files that
// look like templates; "-" is standard input). The error is for problems
// with the run itself: an unreadable file, a bad configuration.
func Run(paths []string, opts RunOptions) (*Report, error) {
	files, err := input.Expand(paths)
	if err != nil {
		return nil, err
	}
	rep := &Report{Sources: map[string]*template.Source{}}
	rules := &rulesCache{loaded: map[string]*UserRules{}, checked: map[*Config]bool{}, rep: rep}
	var explicit *Config
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
		cfg := explicit
		if cfg == nil && path != input.Stdin {
			if cfg, err = rules.configFor(filepath.Dir(path), configs, opts.RulesFile); err != nil {
				return nil, err
			}
		}
		if cfg.Ignored(path) {
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
			rep.Files++
			rep.Diagnostics = append(rep.Diagnostics, template.TooLarge(name, maxBytes))
			continue
		} else if err != nil {
			return nil, err
		}
		fileOpts := opts.Options
		fileOpts.Config = cfg
		if fileOpts.UserRules, err = rules.forConfig(cfg, opts.RulesFile); err != nil {
			return nil, err
		}
		res := Check(name, text, fileOpts)
		if file.FromDir && !LooksLikeTemplate(res.File) {
			continue // a parameters file, a registry, a package.json...
		}
		if opts.Fix {
			fixed, n := ApplyFixes(name, text, res.Diagnostics)
			if n > 0 && !parsesFully(name, fixed, opts.Options) {
				rep.NotFixed = append(rep.NotFixed, name)
			} else if n > 0 {
				if err := writeFile(path, fixed); err != nil {
					return nil, err
				}
				rep.Fixed += n
				res = Check(name, fixed, fileOpts)
			}
		}
		rep.Files++
		rep.Sources[name] = res.File.Source
		rep.Diagnostics = append(rep.Diagnostics, res.Diagnostics...)
	}
	rep.Diagnostics.Sort()
	return rep, nil
}

// parsesFully reports whether text parses without errors: Fix never writes
// a file that would not.
func parsesFully(name string, text []byte, opts Options) bool {
	_, diags := template.Parse(name, text, template.ParseOptions{Form: opts.Form, MaxBytes: opts.MaxBytes})
	return !diags.HasErrors()
}

// LooksLikeTemplate reports whether a parsed file holds, or may hold, a
// provisioning template: a registration config, CLI input, a JSON string, a
// CloudFormation template with an AWS::IoT::ProvisioningTemplate, a body
// whose resources are all AWS IoT ones, or something that did not parse. A
// directory search lints only such files, so that parameter files, registry
// snapshots and other CloudFormation templates beside them are left alone.
func LooksLikeTemplate(f *template.File) bool {
	root, isObj := f.Root.(*template.Object)
	switch {
	case f.Root == nil || f.Incomplete || !isObj:
		return true
	case f.Form != template.FormBody:
		return true
	case root.Get("AWSTemplateFormatVersion") != nil || root.Get("Transform") != nil:
		return false // a CloudFormation template without a provisioning template
	}
	resources, _ := root.Get("Resources").(*template.Object)
	if resources == nil {
		return root.Get("Parameters") != nil || root.Get("Mappings") != nil || root.Get("DeviceConfiguration") != nil
	}
	for _, m := range resources.Members {
		r, _ := m.Value.(*template.Object)
		t, _ := r.Get("Type").(*template.String)
		if t != nil && !strings.HasPrefix(t.Value, "AWS::IoT::") {
			return false
		}
	}
	return true
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
		path, namedBy = cfg.Rules, cfg.file+": rules"
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(cfg.file), path)
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

// writeFile replaces a file's content, keeping its permissions.
func writeFile(path string, data []byte) error {
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, info.Mode().Perm()); err != nil {
		return fmt.Errorf("writing the fixes: %w", err)
	}
	return nil
}
