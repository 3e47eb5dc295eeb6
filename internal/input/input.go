// Package input expands command-line paths into files and reads them with a
// size limit, without leaving the directories searched or the repository:
// every file iotpt reads goes through Read.
package input

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
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
// directory or matching a glob (rather than named by the user). A path
// that must not or cannot be read has Skip or Err set.
type Path struct {
	Name    string
	FromDir bool
	// Arg is the command-line argument the file was found under: the
	// directory or the glob pattern.
	Arg string
	// Skip says why a file a directory search found is not read: a
	// symbolic link that leaves the directory or does not resolve, a FIFO,
	// a device or a socket.
	Skip string
	// Err is why a path cannot be read (it does not exist, a directory
	// cannot be listed); the other paths are still read.
	Err error
}

// Expand replaces each directory in paths by the JSON and YAML files below it
// (sorted, hidden directories skipped), and a glob pattern that names no
// file by the files it matches (directories among them searched in turn).
// Files named directly are kept whatever their extension. A problem with
// one path is reported in its Path and does not stop the others.
func Expand(paths []string) []Path {
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
				out = append(out, Path{Name: p, Arg: p, Err: fmt.Errorf("%s: %w", p, gerr)})
				continue
			}
			root := globRoot(p)
			realRoot, rootErr := filepath.EvalSymlinks(root)
			if rootErr == nil {
				realRoot, rootErr = filepath.Abs(realRoot)
			}
			for _, f := range Expand(matches) {
				f.FromDir, f.Arg = true, p
				// What a pattern matches was found, not named: the rules
				// of a directory search apply, from the pattern's fixed
				// leading directories.
				if info, err := os.Lstat(f.Name); f.Err == nil && f.Skip == "" && err == nil {
					switch t := info.Mode().Type(); {
					case t&fs.ModeSymlink != 0:
						f.Skip = checkLink(f.Name, realRoot, rootErr)
					case !t.IsRegular():
						f.Skip = "not a regular file (a FIFO, device or socket); not read"
					}
				}
				out = append(out, f)
			}
			continue
		}
		if err != nil {
			out = append(out, Path{Name: p, Err: err})
			continue
		}
		if !info.IsDir() {
			out = append(out, Path{Name: p})
			continue
		}
		for _, f := range Walk(p, func(name string) bool {
			return slices.Contains(Extensions, strings.ToLower(filepath.Ext(name)))
		}) {
			f.Arg = p
			out = append(out, f)
		}
	}
	return out
}

// Walk searches directory root for the files whose names match (hidden
// directories skipped), sorted. It reads nothing outside root: a symbolic
// link is followed only to a regular file inside root, and FIFOs, devices
// and sockets are never opened; such files, when their names match, come
// back with Skip set, and directories that cannot be listed with Err.
func Walk(root string, match func(name string) bool) []Path {
	var out []Path
	realRoot, rootErr := filepath.EvalSymlinks(root)
	if rootErr == nil {
		realRoot, rootErr = filepath.Abs(realRoot)
	}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			out = append(out, Path{Name: path, FromDir: true, Err: err})
			if d != nil && d.IsDir() && path != root {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != root && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if !match(d.Name()) {
			return nil
		}
		p := Path{Name: path, FromDir: true}
		switch t := d.Type(); {
		case t.IsRegular():
		case t&fs.ModeSymlink != 0:
			p.Skip = checkLink(path, realRoot, rootErr)
		default:
			p.Skip = "not a regular file (a FIFO, device or socket); not read"
		}
		out = append(out, p)
		return nil
	})
	if err != nil {
		out = append(out, Path{Name: root, Err: err})
	}
	slices.SortStableFunc(out, func(a, b Path) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// checkLink says why the symbolic link path must not be read, or "" when
// it leads to a regular file inside realRoot.
func checkLink(path, realRoot string, rootErr error) string {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "a symbolic link that does not resolve (a loop, or a missing target); not read"
	}
	if target, err = filepath.Abs(target); err != nil || rootErr != nil {
		return "a symbolic link that cannot be checked; not read"
	}
	if !within(realRoot, target) {
		return "a symbolic link to a file outside the directory searched; not read"
	}
	info, err := os.Stat(target)
	if err != nil || !info.Mode().IsRegular() {
		return "a symbolic link to something that is not a regular file; not read"
	}
	return ""
}

// globRoot is the directory a glob pattern searches: its leading
// segments without glob metacharacters ("." for none).
func globRoot(pattern string) string {
	dir := filepath.Dir(pattern)
	for IsGlob(dir) {
		dir = filepath.Dir(dir)
	}
	return dir
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
	if limit <= 0 || limit == math.MaxInt { // limit+1 would overflow
		return nil, fmt.Errorf("%s: size limit %d out of range", path, limit)
	}
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

// ErrOutside is returned by Inside for a path that leads out of the
// repository.
var ErrOutside = errors.New("is outside the repository; iotpt follows a path written in a file only inside it (name the file on the command line instead)")

// Inside resolves name, written in a file in directory base (a rules: in
// .iotpt.yaml, a template: or cert: {file} in a test file, a Terraform
// file("...")), and checks
// that it stays inside the repository: the nearest directory above base
// holding .git, or else the working directory (or base itself, when it is
// outside the working directory). Symbolic links are
// resolved before the check. A path that does not exist is returned as it
// is, for the read to report.
func Inside(base, name string) (string, error) {
	path := name
	if !filepath.IsAbs(path) {
		path = filepath.Join(base, path)
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return path, nil
		}
		return "", err
	}
	root, err := repoRoot(base)
	if err != nil {
		return "", err
	}
	if real, err = filepath.Abs(real); err != nil {
		return "", err
	}
	if !within(root, real) {
		return "", fmt.Errorf("%s %w", name, ErrOutside)
	}
	return path, nil
}

// repoRoot is the real path of the nearest directory at or above dir that
// holds .git, or else of the working directory.
func repoRoot(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if real, err := filepath.EvalSymlinks(abs); err == nil {
		abs = real
	}
	for d := abs; ; {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			break
		}
		d = parent
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	if wd, err = filepath.EvalSymlinks(wd); err != nil {
		return "", err
	}
	if within(wd, abs) {
		return wd, nil
	}
	return abs, nil // a file named on the command line outside the working directory
}

// within reports whether path is root or below it; both are clean and
// absolute.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
