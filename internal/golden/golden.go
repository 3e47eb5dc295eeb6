// Package golden runs txtar-based golden tests: each archive holds its inputs
// and the expected outputs, and "go test -update" rewrites the expected
// sections from what the code produces now.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the want sections of golden txtar files")

// Updating reports whether -update was given: tests with expected output
// kept elsewhere (README examples) rewrite it too.
func Updating() bool { return *update }

// Case is one golden archive.
type Case struct {
	Path    string
	Archive *txtar.Archive
	got     []txtar.File // sections recorded under -update, in Check order
}

// File returns the content of the archive section called name.
func (c *Case) File(name string) ([]byte, bool) {
	for _, f := range c.Archive.Files {
		if f.Name == name {
			return f.Data, true
		}
	}
	return nil, false
}

// Header returns the value of a "key: value" line in the archive comment.
func (c *Case) Header(key string) string {
	for _, line := range strings.Split(string(c.Archive.Comment), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// Check compares got with the archive section called name (missing counts
// as empty), or records got for rewriting under -update.
func (c *Case) Check(t *testing.T, name, got string) {
	t.Helper()
	if *update {
		c.got = append(c.got, txtar.File{Name: name, Data: []byte(got)})
		return
	}
	want, _ := c.File(name)
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s: section %q differs (-want +got):\n%s\nrun go test -update to accept", c.Path, name, diff)
	}
}

// Run calls fn for every archive matching pattern, as a subtest named after
// the file, and rewrites archives under -update.
func Run(t *testing.T, pattern string, fn func(t *testing.T, c *Case)) {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no golden files match %s", pattern)
	}
	for _, path := range paths {
		path, err := filepath.Abs(path) // tests may change directory
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			a, err := txtar.ParseFile(path)
			if err != nil {
				t.Fatal(err)
			}
			c := &Case{Path: path, Archive: a}
			fn(t, c)
			if *update && len(c.got) > 0 {
				c.write(t)
			}
		})
	}
}

func (c *Case) write(t *testing.T) {
	for _, g := range c.got {
		found := false
		for i := range c.Archive.Files {
			if c.Archive.Files[i].Name == g.Name {
				c.Archive.Files[i].Data = g.Data
				found = true
			}
		}
		if !found {
			c.Archive.Files = append(c.Archive.Files, g)
		}
	}
	out := txtar.Format(c.Archive)
	old, _ := os.ReadFile(c.Path)
	if !bytes.Equal(old, out) {
		if err := os.WriteFile(c.Path, out, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// CheckDir compares the files of dir with want (file name to content):
// every file of dir must be wanted, and every wanted file present and
// equal. With update it rewrites dir from want instead. hint, the command
// that regenerates dir, ends each failure message.
func CheckDir(t *testing.T, dir string, want map[string]string, update bool, hint string) {
	t.Helper()
	if update {
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, text := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatalf("%v; run %s", err, hint)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("%s is not generated; run %s", filepath.Join(dir, e.Name()), hint)
		}
	}
	for name, text := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s is missing; run %s", filepath.Join(dir, name), hint)
			continue
		}
		if diff := cmp.Diff(text, string(got)); diff != "" {
			t.Errorf("%s is stale (-want +got):\n%s\nrun %s", filepath.Join(dir, name), diff, hint)
		}
	}
}
