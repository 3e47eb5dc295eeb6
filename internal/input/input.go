// Package input expands command-line paths into files and reads them with a
// size limit.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Extensions are the file name endings a directory walk picks up.
var Extensions = []string{".json", ".yaml", ".yml", ".tf"}

// Path is a file to read, and whether it was found by searching a
// directory or matching a glob (rather than named by the user).
type Path struct {
	Name    string
	FromDir bool
	// Arg is the command-line argument the file was found under: the
	// directory or the glob pattern.
	Arg string
}

// Expand replaces each directory in paths by the JSON and YAML files below it
// (sorted, hidden directories skipped), and a glob pattern that names no
// file by the files it matches (directories among them searched in turn).
// Files named directly are kept whatever their extension.
func Expand(paths []string) ([]Path, error) {
	var out []Path
	for _, p := range paths {
		if p == Stdin {
			out = append(out, Path{Name: p})
			continue
		}
		info, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) && IsGlob(p) {
			matches, gerr := filepath.Glob(p)
			if gerr != nil {
				return nil, fmt.Errorf("%s: %w", p, gerr)
			}
			found, err := Expand(matches)
			if err != nil {
				return nil, err
			}
			for _, f := range found {
				f.FromDir, f.Arg = true, p
				out = append(out, f)
			}
			continue
		}
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			out = append(out, Path{Name: p})
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			if !d.IsDir() && slices.Contains(Extensions, strings.ToLower(filepath.Ext(path))) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		slices.Sort(found)
		for _, f := range found {
			out = append(out, Path{Name: f, FromDir: true, Arg: p})
		}
	}
	return out, nil
}

// IsGlob reports whether p holds a glob metacharacter.
func IsGlob(p string) bool { return strings.ContainsAny(p, "*?[") }

// Searched lists the arguments of paths that name a directory or a glob
// pattern: those that must yield at least one file to lint.
func Searched(paths []string) []string {
	var out []string
	for _, p := range paths {
		if p == Stdin {
			continue
		}
		info, err := os.Stat(p)
		if err == nil && info.IsDir() || errors.Is(err, fs.ErrNotExist) && IsGlob(p) {
			out = append(out, p)
		}
	}
	return out
}

// ErrTooLarge is returned by Read for input over the limit.
var ErrTooLarge = errors.New("input too large")

// Read reads path (or standard input for "-") and fails with ErrTooLarge
// when it holds more than limit bytes, without reading much past the limit.
func Read(path string, stdin io.Reader, limit int) ([]byte, error) {
	var r io.Reader
	if path == Stdin {
		r = stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, err
	}
	if len(b) > limit {
		return nil, fmt.Errorf("%s: %w: more than %d bytes; raise the limit with --max-bytes", path, ErrTooLarge, limit)
	}
	return b, nil
}
