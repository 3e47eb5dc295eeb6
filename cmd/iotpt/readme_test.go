package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/internal/golden"
)

// TestReadmeExamples runs the commands of the README files and of docs/:
// in a ```console block, a line "$ iotpt ARGS" is a command, run from the
// README's directory (the repository root for docs/), and the lines after it, up to the next command or the end of
// the block, are its output (stdout then stderr). -update rewrites them.
func TestReadmeExamples(t *testing.T) {
	t.Setenv("COLUMNS", "80") // as piped output is laid out
	readmes, _ := filepath.Glob("../../examples/*/README.md")
	docs, _ := filepath.Glob("../../docs/*.md")
	readmes = append(append([]string{"../../README.md"}, readmes...), docs...)
	for i, path := range readmes {
		abs, err := filepath.Abs(path) // before any command changes directory
		if err != nil {
			t.Fatal(err)
		}
		readmes[i] = abs
	}
	commands := 0
	for _, abs := range readmes {
		path := abs
		data, err := os.ReadFile(abs)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		lines := strings.Split(string(data), "\n")
		inConsole := false
		for i := 0; i < len(lines); i++ {
			line := lines[i]
			out = append(out, line)
			switch {
			case strings.HasPrefix(line, "```console"):
				inConsole = true
				continue
			case strings.HasPrefix(line, "```"):
				inConsole = false
				continue
			case !inConsole || !strings.HasPrefix(line, "$ iotpt "):
				continue
			}
			commands++
			var want []string
			for i+1 < len(lines) && !strings.HasPrefix(lines[i+1], "$ ") && !strings.HasPrefix(lines[i+1], "```") {
				i++
				want = append(want, lines[i])
			}
			dir := filepath.Dir(abs)
			if filepath.Base(dir) == "docs" {
				dir = filepath.Dir(dir) // docs/ pages run from the repository root
			}
			got := runReadmeCommand(t, dir, strings.TrimPrefix(line, "$ iotpt "))
			if golden.Updating() {
				out = append(out, got...)
				continue
			}
			out = append(out, want...)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s:%d: %s (-want +got):\n%s\nrun go test ./cmd/iotpt -run TestReadmeExamples -update to accept", path, i+1, line, diff)
			}
		}
		if golden.Updating() {
			if err := os.WriteFile(abs, []byte(strings.Join(out, "\n")), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	if commands < 3 {
		t.Fatalf("only %d README commands found", commands)
	}
}

// runReadmeCommand runs one command line from dir and returns its output
// lines.
func runReadmeCommand(t *testing.T, dir, cmdline string) []string {
	t.Helper()
	args, err := splitWords(cmdline)
	if err != nil {
		t.Fatalf("%s: %v", cmdline, err)
	}
	t.Chdir(dir)
	var out bytes.Buffer
	run(args, strings.NewReader(""), &out, &out)
	text := strings.TrimSuffix(out.String(), "\n")
	if text == "" {
		return nil
	}
	return strings.Split(text, "\n")
}

// splitWords splits a command line as a POSIX shell would for the simple
// cases READMEs use: blanks separate words, single and double quotes group.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, os.ErrInvalid
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}
