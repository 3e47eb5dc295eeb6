package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestReplaceKeepsMode(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "t.json")
	if err := os.WriteFile(p, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := Replace(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640", info.Mode().Perm())
	}
	if b, _ := os.ReadFile(p); string(b) != "new" {
		t.Errorf("content %q", b)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left %d files in the directory", len(entries))
	}
}

func TestReplaceRefusesSymlink(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(outside, []byte("keep"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "t.json")
	if err := os.Symlink(outside, link); err != nil {
		t.Skip(err)
	}
	if err := Replace(link, []byte("new")); !errors.Is(err, ErrSymlink) {
		t.Fatalf("got %v, want ErrSymlink", err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "keep" {
		t.Errorf("the link's target was changed to %q", b)
	}
	if fi, _ := os.Lstat(link); fi.Mode()&os.ModeSymlink == 0 {
		t.Error("the link was replaced")
	}
}

// TestWrite checks the three cases of Write: a new file is created, an
// existing one replaced keeping its mode, a symbolic link refused.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "new.json")
	if err := Write(fresh, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(fresh); string(got) != "new" {
		t.Errorf("new file holds %q", got)
	}
	if err := os.Chmod(fresh, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(fresh, []byte("again")); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(fresh); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v after a rewrite, want 0600", info.Mode().Perm())
	}
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink(fresh, link); err != nil {
		t.Fatal(err)
	}
	if err := Write(link, []byte("through")); !errors.Is(err, ErrSymlink) {
		t.Errorf("writing through a link: %v, want ErrSymlink", err)
	}
	if got, _ := os.ReadFile(fresh); string(got) != "again" {
		t.Errorf("the link's target holds %q", got)
	}
}
