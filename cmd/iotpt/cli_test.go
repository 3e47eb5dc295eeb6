package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/testcert"
)

// TestCLI runs each testdata/cli archive: the header line "args: ..." is the
// command line, the archive's other sections (except stdin and the want
// sections) are written to a fresh working directory, and stdout, stderr and
// the exit code are compared with the "stdout", "stderr" and "exit"
// sections. A header "cert NAME: SUBJECT" writes a generated certificate;
// a section "after/NAME" is the content of file NAME after the command.
func TestCLI(t *testing.T) {
	golden.Run(t, "../../testdata/cli/*.txtar", func(t *testing.T, c *golden.Case) {
		dir := t.TempDir()
		for _, f := range c.Archive.Files {
			switch {
			case f.Name == "stdin", f.Name == "stdout", f.Name == "stderr", f.Name == "exit", strings.HasPrefix(f.Name, "after/"):
				continue
			}
			path := filepath.Join(dir, filepath.FromSlash(f.Name))
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		for _, line := range strings.Split(string(c.Archive.Comment), "\n") {
			// "cert device.pem: CN=dev-1,C=JP" writes a generated certificate.
			if name, subject, ok := strings.Cut(strings.TrimPrefix(line, "cert "), ":"); ok && strings.HasPrefix(line, "cert ") {
				pemBytes, err := testcert.PEM(strings.TrimSpace(subject))
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, strings.TrimSpace(name)), pemBytes, 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
		args := strings.Fields(c.Header("args"))
		if len(args) == 0 {
			t.Fatal("archive has no args: header")
		}
		stdin, _ := c.File("stdin")
		t.Chdir(dir)
		columns := c.Header("columns") // the width text is laid out for
		if columns == "" {
			columns = "80"
		}
		t.Setenv("COLUMNS", columns)
		var stdout, stderr bytes.Buffer
		code := run(args, bytes.NewReader(stdin), &stdout, &stderr)
		c.Check(t, "stdout", stdout.String())
		c.Check(t, "stderr", stderr.String())
		c.Check(t, "exit", strconv.Itoa(code)+"\n")
		for _, f := range c.Archive.Files {
			if name, ok := strings.CutPrefix(f.Name, "after/"); ok {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				c.Check(t, f.Name, string(got))
			}
		}
	})
}
