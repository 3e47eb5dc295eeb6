package textdiff

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestUnified(t *testing.T) {
	for _, tc := range []struct {
		name, a, b, want string
	}{
		{"equal", "x\n", "x\n", ""},
		{"one changed line", "a\nb\nc\n", "a\nB\nc\n", "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n"},
		{"insert into empty", "", "a\n", "--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n"},
		{"missing newline", "a\nb", "a\nb\n", "--- a\n+++ b\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n"},
		{"two hunks", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n", "0\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n", "--- a\n+++ b\n@@ -1,3 +1,4 @@\n+0\n 1\n 2\n 3\n@@ -9,4 +10,3 @@\n 9\n 10\n 11\n-12\n"},
	} {
		if diff := cmp.Diff(tc.want, Unified("a", "b", []byte(tc.a), []byte(tc.b))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
}

// TestUnifiedApplies checks on random edits that applying the diff to a
// gives b.
func TestUnifiedApplies(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 500 {
		var a []string
		for range r.IntN(40) {
			a = append(a, string(rune('a'+r.IntN(6))))
		}
		b := append([]string(nil), a...)
		for range r.IntN(8) {
			switch k := r.IntN(3); {
			case k == 0:
				j := r.IntN(len(b) + 1)
				b = append(b[:j], append([]string{"new" + strconv.Itoa(r.IntN(9))}, b[j:]...)...)
			case len(b) > 0 && k == 1:
				j := r.IntN(len(b))
				b = append(b[:j], b[j+1:]...)
			case len(b) > 0:
				b[r.IntN(len(b))] = "changed"
			}
		}
		at, bt := strings.Join(a, "\n"), strings.Join(b, "\n")
		if r.IntN(2) == 0 && at != "" {
			at += "\n"
		}
		if r.IntN(2) == 0 && bt != "" {
			bt += "\n"
		}
		d := Unified("a", "b", []byte(at), []byte(bt))
		if got := apply(t, at, d); got != bt {
			t.Fatalf("case %d: applying\n%s\nto %q gives %q, want %q", i, d, at, got, bt)
		}
	}
}

// apply applies a unified diff as Unified writes it.
func apply(t *testing.T, a, d string) string {
	if d == "" {
		return a
	}
	src := splitLines(a)
	var out []string
	next := 0 // index in src of the next line not yet copied
	lines := strings.SplitAfter(d, "\n")
	for i := 2; i < len(lines) && lines[i] != ""; i++ {
		l := lines[i]
		if strings.HasPrefix(l, "@@ ") {
			var start int
			spec := strings.Fields(l)[1][1:]
			s, n, _ := strings.Cut(spec, ",")
			start, _ = strconv.Atoi(s)
			if n == "0" {
				start++
			}
			for next < start-1 {
				out = append(out, src[next])
				next++
			}
			continue
		}
		text := l[1:]
		if i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\\ No newline") {
			text = strings.TrimSuffix(text, "\n")
			i++
		}
		switch l[0] {
		case ' ':
			out = append(out, text)
			next++
		case '-':
			next++
		case '+':
			out = append(out, text)
		default:
			t.Fatalf("bad diff line %q", l)
		}
	}
	out = append(out, src[next:]...)
	return strings.Join(out, "")
}
