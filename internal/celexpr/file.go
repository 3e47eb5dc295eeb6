package celexpr

import (
	"fmt"
	"slices"
	"strings"

	"github.com/iotpt/iotpt/template"
)

// Problems collects the structural problems (CodeFile) of a rules or test
// file, each positioned at the value it concerns.
type Problems struct {
	Diags template.Diagnostics
}

// Add reports a problem at n.
func (p *Problems) Add(n template.Node, format string, args ...any) {
	p.Diags = append(p.Diags, template.Diagnostic{Severity: template.Error, Code: CodeFile,
		Message: fmt.Sprintf(format, args...), Range: n.Range(), Path: n.Pointer()})
}

// Mapping returns n as an object, reporting any key not in keys; it
// reports and returns nil when n is not a mapping. what names n in
// messages ("a test case").
func (p *Problems) Mapping(n template.Node, what string, keys []string) *template.Object {
	o, ok := n.(*template.Object)
	if !ok {
		p.Add(n, "%s must be a mapping, not %s", what, template.Describe(n))
		return nil
	}
	for _, m := range o.Members {
		if !slices.Contains(keys, m.Key.Value) {
			p.Add(m.Key, "unknown key %q in %s; the keys are %s", m.Key.Value, what, strings.Join(keys, ", "))
		}
	}
	return o
}

// String returns the member key of o when it is a string; it reports a
// member of another type, and returns nil for both and for a missing one.
func (p *Problems) String(o *template.Object, key string) *template.String {
	n := o.Get(key)
	if n == nil {
		return nil
	}
	s, ok := n.(*template.String)
	if !ok {
		p.Add(n, "%s must be a string, not %s", key, template.Describe(n))
	}
	return s
}
