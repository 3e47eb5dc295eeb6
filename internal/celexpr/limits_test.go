package celexpr

import (
	"runtime"
	"strings"
	"testing"

	"github.com/google/cel-go/cel"
)

// The strings extension charges replace, join and format for their result
// after building it, so these expressions allocated gigabytes before the
// cost limit stopped them (the first by 3,000 x 3,000 x 3,000 bytes). Now
// the bound is checked before the string is built.
func TestStringGrowthBounded(t *testing.T) {
	a := strings.Repeat("a", 3000)
	for _, tc := range []struct{ name, expr, want string }{
		{"replace", "'" + a + "'.replace('a', '" + a + "').replace('a', '" + a + "') == ''", "replace would build a string of more than"},
		{"replace with limit", "'" + a + "'.replace('a', '" + a + "', 1000).replace('a', '" + a + "', -1) == ''", "replace would build a string of more than"},
		{"replace empty needle", "'" + a + "'.replace('', '" + a + "') == ''", "replace would build a string of more than"},
		{"join", "lists.range(1000).map(i, '" + a + "').join() == ''", "join would build a string of more than"},
		{"join with separator", "['a', 'b'].join('" + a + a + "') == '' || lists.range(1000).map(i, 'x').join('" + a + "') == ''", "join would build a string of more than"},
		{"format", "'%s'.format([lists.range(1000).map(i, '" + a + "')]) == ''", "format would build a string of more than"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, diags := compile(t, "x: |\n  "+tc.expr, cel.BoolType)
			if diags != nil {
				t.Fatal(diags)
			}
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := x.Bool(map[string]any{})
			runtime.ReadMemStats(&after)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got error %v, want %q", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
		})
	}
}

// Ordinary uses of the functions still work.
func TestStringFunctionsUnderBound(t *testing.T) {
	for _, expr := range []string{
		"'a-b-c'.replace('-', '_') == 'a_b_c'",
		"'aaa'.replace('a', 'bb', 2) == 'bbbba'",
		"'ab'.replace('', '.') == '.a.b.'",
		"['a', 'b'].join() == 'ab'",
		"['a', 'b'].join(', ') == 'a, b'",
		"'%s-%d'.format(['x', 3]) == 'x-3'",
	} {
		x, diags := compile(t, "x: |\n  "+expr, cel.BoolType)
		if diags != nil {
			t.Fatal(diags)
		}
		if ok, err := x.Bool(map[string]any{}); err != nil || !ok {
			t.Errorf("%s: got %v, %v", expr, ok, err)
		}
	}
}

// cel-go's cost tracking takes time quadratic in a comprehension's
// iterations, so a comprehension under the cost limit could run for a
// minute; the evaluation is stopped instead.
func TestLongComprehensionStops(t *testing.T) {
	x, diags := compile(t, "x: |\n  lists.range(250000).all(i, i >= 0)", cel.BoolType)
	if diags != nil {
		t.Fatal(diags)
	}
	_, err := x.Bool(map[string]any{})
	if err != ErrTimeout && err != ErrCostLimit {
		t.Fatalf("got %v, want ErrTimeout or ErrCostLimit", err)
	}
}
