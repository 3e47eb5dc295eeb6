package input

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Reading an endless source (a FIFO fed from /dev/zero-like writer) stops
// just past the limit with ErrTooLarge.
func TestReadEndlessFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "zero.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		w, err := os.OpenFile(fifo, os.O_WRONLY, 0)
		if err != nil {
			return
		}
		defer w.Close()
		zeros := make([]byte, 64<<10)
		for {
			if _, err := w.Write(zeros); err != nil {
				return // the reader closed the pipe
			}
		}
	}()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Read(fifo, nil, 1<<20)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d MiB reading with a 1 MiB limit", alloc>>20)
	}
	<-done
}

// A directory search reads nothing outside the directory and opens no
// special file: links leaving it, link loops and FIFOs are skipped with a
// reason; a link to a file inside is read.
func TestWalkSkips(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "credentials.json")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Skip(err)
		}
	}
	must(os.WriteFile(outside, []byte(`{"secret": "s3cr3t"}`), 0o600))
	must(os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{}`), 0o644))
	must(os.Symlink(outside, filepath.Join(dir, "creds.json")))
	must(os.Symlink("/dev/stdin", filepath.Join(dir, "stdin.json")))
	must(os.Symlink("loop.json", filepath.Join(dir, "loop.json")))
	must(os.Symlink("a.json", filepath.Join(dir, "b.json")))
	must(syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o600))
	var got []Path
	for _, p := range Expand([]string{dir, filepath.Join(dir, "missing.json")}) {
		p.Name, _ = filepath.Rel(dir, p.Name)
		p.Arg = ""
		if p.Err != nil {
			p.Skip, p.Err = "error", nil
		}
		got = append(got, p)
	}
	want := []Path{
		{Name: "a.json", FromDir: true},
		{Name: "b.json", FromDir: true},
		{Name: "creds.json", FromDir: true, Skip: "a symbolic link to a file outside the directory searched; not read"},
		{Name: "fifo.json", FromDir: true, Skip: "not a regular file (a FIFO, device or socket); not read"},
		{Name: "loop.json", FromDir: true, Skip: "a symbolic link that does not resolve (a loop, or a missing target); not read"},
		{Name: "stdin.json", FromDir: true, Skip: "a symbolic link to a file outside the directory searched; not read"},
		{Name: "missing.json", Skip: "error"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// Paths written in configuration and test files stay inside the
// repository, through symbolic links too.
func TestInside(t *testing.T) {
	repo := t.TempDir()
	outside := filepath.Join(t.TempDir(), "id_rsa")
	for _, err := range []error{
		os.Mkdir(filepath.Join(repo, ".git"), 0o755),
		os.Mkdir(filepath.Join(repo, "sub"), 0o755),
		os.WriteFile(filepath.Join(repo, "rules.yaml"), nil, 0o644),
		os.WriteFile(outside, nil, 0o600),
		os.Symlink(outside, filepath.Join(repo, "sub", "cert.pem")),
	} {
		if err != nil {
			t.Skip(err)
		}
	}
	base := filepath.Join(repo, "sub")
	for _, tc := range []struct {
		name    string
		outside bool
	}{
		{"../rules.yaml", false},
		{"missing.pem", false}, // the read reports it
		{"cert.pem", true},
		{outside, true},
		{"../../" + filepath.Base(filepath.Dir(outside)) + "/id_rsa", true},
	} {
		_, err := Inside(base, tc.name)
		if got := errors.Is(err, ErrOutside); got != tc.outside {
			t.Errorf("%s: got error %v, want outside=%v", tc.name, err, tc.outside)
		}
	}
}

// Files a glob pattern matches were found, not named: a link out of the
// pattern's directory and a FIFO are skipped.
func TestGlobSkips(t *testing.T) {
	dir := t.TempDir()
	outside := filepath.Join(t.TempDir(), "secret.json")
	for _, err := range []error{
		os.WriteFile(outside, []byte(`{}`), 0o600),
		os.WriteFile(filepath.Join(dir, "a.json"), []byte(`{}`), 0o644),
		os.Symlink(outside, filepath.Join(dir, "creds.json")),
		syscall.Mkfifo(filepath.Join(dir, "fifo.json"), 0o600),
	} {
		if err != nil {
			t.Skip(err)
		}
	}
	got := map[string]string{}
	for _, p := range Expand([]string{filepath.Join(dir, "*.json")}) {
		got[filepath.Base(p.Name)] = p.Skip
	}
	want := map[string]string{
		"a.json":     "",
		"creds.json": "a symbolic link to a file outside the directory searched; not read",
		"fifo.json":  "not a regular file (a FIFO, device or socket); not read",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
