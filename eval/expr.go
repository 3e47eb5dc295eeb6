package eval

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// env is the state of one evaluation: the parameter values by slot and the
// failures found so far.
type env struct {
	prog      *Program
	vals      []string
	set       []bool
	unknownOK []bool // an unset slot is an expected unknown, not a failure
	reported  []bool // a missing-parameter failure was reported for the slot
	// why explains an unset slot when the default message does not fit
	// (JITP); indexed by slot, nil when unused.
	why   []missing
	fails template.Diagnostics
	// assumed are the uncertain points an evaluation relied on (U9 edge
	// cases of the functions); the planner lists them.
	assumed []Assumption
	warns   template.Diagnostics // warnings of the evaluation (not failures)
	bulk    bool                 // parameters come from a bulk registration line
	// arena supplies the element slices of lists and objects. An Evaluator
	// resets it for every device, which is why its plans are valid only
	// until the next one.
	arena []Value
}

// values returns a slice of n values from the arena.
func (e *env) values(n int) []Value {
	if len(e.arena)+n > cap(e.arena) {
		e.arena = make([]Value, 0, max(2*cap(e.arena), n, 16))
	}
	start := len(e.arena)
	e.arena = e.arena[:start+n]
	return e.arena[start : start+n : start+n]
}

// missing is why a parameter has no value.
type missing struct{ code, msg string }

func (e *env) fail(n template.Node, code, msg string) {
	d := template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: template.Range{Filename: "<input>"}}
	if n != nil { // an input built in Go (a hook response, a registry) has no positions
		d.Range, d.Path = n.Range(), n.Pointer()
	}
	e.fails = append(e.fails, d)
}

// expr is a compiled template value.
type expr interface {
	eval(e *env) Value
}

type constExpr struct{ v Value }

func (c *constExpr) eval(*env) Value { return c.v }

// failExpr is a construct that always fails, such as an unsupported
// function; its diagnostic is built once, at compile time.
type failExpr struct{ diag template.Diagnostic }

func newFailExpr(n template.Node, code, msg string) *failExpr {
	return &failExpr{template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: n.Range(), Path: n.Pointer()}}
}

func (f *failExpr) eval(e *env) Value {
	e.fails = append(e.fails, f.diag)
	return errValue
}

// errValue is the result of a failed evaluation. Functions given it return
// it without reporting again, so one mistake gives one diagnostic.
var errValue = Value{kind: Unknown, str: "error"}

func isErr(v Value) bool { return v.kind == Unknown && v.str == "error" }

type refExpr struct {
	slot int
	name string
	node template.Node
}

func (r *refExpr) eval(e *env) Value {
	if e.set[r.slot] {
		return Str(e.vals[r.slot])
	}
	if !e.unknownOK[r.slot] && !e.reported[r.slot] {
		e.reported[r.slot] = true
		if e.why != nil && e.why[r.slot].code != "" {
			e.fail(r.node, e.why[r.slot].code, e.why[r.slot].msg)
		} else {
			e.fail(r.node, CodeMissingParam, missingParamMessage(e, r.slot))
		}
	}
	return UnknownValue(r.name)
}

func missingParamMessage(e *env, slot int) string {
	s := e.prog.slots[slot]
	msg := "parameter " + quote(s.name) + " has no value"
	if s.decl == nil {
		var declared []string
		for _, d := range e.prog.slots {
			if d.decl != nil {
				declared = append(declared, d.name)
			}
		}
		if hint := didYouMean(s.name, declared); hint != "" {
			return quote(s.name) + " is not declared in Parameters" + hint + ` (a misspelt Ref fails with "Cannot resolve reference value")`
		}
		msg = quote(s.name) + " is not declared in Parameters and has no value"
	} else if !s.hasDef {
		msg += " and no Default"
	}
	msg += `; provisioning fails with InvalidRequestException ("Cannot resolve reference value")`
	if e.bulk {
		return msg + "; add it to the line"
	}
	return msg + "; pass it with -p " + s.name + "=VALUE or --params"
}

type listExpr struct{ elems []expr }

func (l *listExpr) eval(e *env) Value {
	items := e.values(len(l.elems))
	for i, el := range l.elems {
		items[i] = el.eval(e)
	}
	return ListOf(items...)
}

type objectExpr struct {
	keys *[]string
	vals []expr
}

func (o *objectExpr) eval(e *env) Value {
	items := e.values(len(o.vals))
	for i, v := range o.vals {
		items[i] = v.eval(e)
	}
	return objectWith(o.keys, items)
}

// listSource is the list argument of Fn::Join or Fn::Select: a literal array
// (elements compiled one by one) or a function returning a list.
type listSource struct {
	elems []expr
	fn    expr
	node  template.Node
}

// items evaluates the list. ok is false when the list itself is unknown
// (for example Fn::Split of an unknown string); label then describes it.
func (l listSource) items(e *env, fname string) (items []Value, label string, ok bool) {
	if l.fn == nil {
		items = e.values(len(l.elems))
		for i, el := range l.elems {
			items[i] = el.eval(e)
		}
		return items, "", true
	}
	v := l.fn.eval(e)
	switch v.kind {
	case List:
		return v.items, "", true
	case Unknown:
		return nil, v.str, false
	}
	if isErr(v) {
		return nil, "error", false
	}
	e.fail(l.node, CodeFunctionType, fname+" needs a list here, but the value is "+describe(v))
	return nil, "error", false
}

type joinExpr struct {
	sep  string
	list listSource
	node template.Node
}

func (j *joinExpr) eval(e *env) Value {
	if j.list.fn == nil && len(j.list.elems) <= 8 {
		// A literal list: evaluate into a buffer on the stack.
		var buf [8]Value
		items := buf[:len(j.list.elems)]
		for i, el := range j.list.elems {
			items[i] = el.eval(e)
		}
		return j.join(e, items)
	}
	items, label, ok := j.list.items(e, "Fn::Join")
	if !ok {
		if label == "error" {
			return errValue
		}
		return UnknownValue("Fn::Join of " + label)
	}
	return j.join(e, items)
}

func (j *joinExpr) join(e *env, items []Value) Value {
	for i, it := range items {
		if isErr(it) {
			return errValue
		}
		if !it.isStringLike() {
			e.fail(j.node, CodeFunctionType, "Fn::Join can only join strings, but element "+strconv.Itoa(i+1)+" is "+describe(it))
			return errValue
		}
	}
	if !e.fitsValue(j.node, "Fn::Join", items, j.sep) {
		return errValue
	}
	return concat(items, j.sep)
}

// MaxValueChars is the longest value Fn::Join or Fn::Sub may build: the
// 4,096-character limit RegisterThing puts on a parameter value (the
// service model's MaxParamValueChars). A plan that would build a longer
// one fails with CodeRequestLimit, which also bounds the memory that
// joining the same long parameter many times could take.
const MaxValueChars = model.MaxParamValueChars

// fitsValue checks the size of the value concat(parts, sep) would build,
// counting its known text, before it is built, and reports a failure when
// it is over MaxValueChars.
func (e *env) fitsValue(n template.Node, fname string, parts []Value, sep string) bool {
	seps := max(len(parts)-1, 0)
	bytes := len(sep)*seps + knownText(parts, func(s string) int { return len(s) })
	// A character takes one to four bytes: count characters only in
	// between, so that the check never costs more than the limit.
	if bytes <= MaxValueChars || bytes <= 4*MaxValueChars && utf8.RuneCountInString(sep)*seps+knownText(parts, utf8.RuneCountInString) <= MaxValueChars {
		return true
	}
	e.fail(n, CodeRequestLimit, fname+" builds a value of more than "+strconv.Itoa(MaxValueChars)+" characters, over the limit RegisterThing puts on a value")
	return false
}

// knownText sums size over the known strings of parts.
func knownText(parts []Value, size func(string) int) int {
	n := 0
	for _, p := range parts {
		switch p.kind {
		case String:
			n += size(p.str)
		case Partial:
			for _, q := range p.items {
				if q.kind == String {
					n += size(q.str)
				}
			}
		}
	}
	return n
}

type selectExpr struct {
	index     expr
	indexNode template.Node // the index as written, for positions
	list      listSource
	node      template.Node
}

func (s *selectExpr) eval(e *env) Value {
	iv := s.index.eval(e)
	items, label, ok := s.list.items(e, "Fn::Select")
	idx := -1
	if isErr(iv) || (!ok && label == "error") {
		return errValue
	}
	switch iv.kind {
	case Unknown, Partial:
		return UnknownValue("Fn::Select of " + iv.Display())
	case String, Number:
		if iv.kind == String {
			e.assumed = append(e.assumed, Assumption{"U9", "an Fn::Select index written as a string is read as a number, as in CloudFormation"})
		}
		n, err := strconv.Atoi(iv.str)
		if err != nil || n < 0 {
			e.fail(s.node, CodeFunctionType, "Fn::Select index "+quote(iv.str)+" is not a whole number of zero or more")
			return errValue
		}
		idx = n
	default:
		e.fail(s.node, CodeFunctionType, "Fn::Select index must be a number, but it is "+describe(iv))
		return errValue
	}
	if !ok {
		return UnknownValue("element " + strconv.Itoa(idx) + " of " + label)
	}
	if idx >= len(items) {
		e.fail(s.indexNode, CodeSelectRange, "Fn::Select index "+strconv.Itoa(idx)+" is out of range for a list of "+strconv.Itoa(len(items))+" elements; AWS IoT does not check this and provisioning fails")
		return errValue
	}
	if items[idx].kind == Null {
		at := s.indexNode
		if arr, ok := s.list.node.(*template.Array); ok && idx < len(arr.Elems) {
			at = arr.Elems[idx]
		}
		e.fail(at, CodeSelectRange, "Fn::Select picks a null element; AWS IoT does not check this and provisioning fails")
		return errValue
	}
	return items[idx]
}

type splitExpr struct {
	sep  string
	src  expr
	node template.Node
}

func (s *splitExpr) eval(e *env) Value {
	v := s.src.eval(e)
	if isErr(v) {
		return v
	}
	if s.sep == "" {
		e.fail(s.node, CodeFunctionType, "Fn::Split needs a non-empty delimiter")
		return errValue
	}
	switch v.kind {
	case String:
		parts := strings.Split(v.str, s.sep)
		items := e.values(len(parts))
		for i, p := range parts {
			items[i] = Str(p)
		}
		return ListOf(items...)
	case Unknown, Partial:
		return UnknownValue("Fn::Split of " + v.Display())
	}
	e.fail(s.node, CodeFunctionType, "Fn::Split can only split a string, but the value is "+describe(v))
	return errValue
}

type findInMapExpr struct {
	p     *Program
	keys  [3]expr
	args  [3]template.Node // the keys as written, for positions
	node  template.Node
	byTop map[string]Value // see Program.findInMapColumn; nil when not literal
}

func (f *findInMapExpr) eval(e *env) Value {
	if f.byTop != nil {
		if top := f.keys[1].eval(e); top.kind == String {
			if v, ok := f.byTop[top.str]; ok {
				v.written = false // which row is chosen depends on the device
				return v
			}
		}
	} // the general path below also reports what is missing
	var k [3]Value
	known := true
	for i, ke := range f.keys {
		k[i] = ke.eval(e)
		if isErr(k[i]) {
			return errValue
		}
		if !k[i].isStringLike() {
			e.fail(f.node, CodeFunctionType, "Fn::FindInMap keys must be strings, but key "+strconv.Itoa(i+1)+" is "+describe(k[i]))
			return errValue
		}
		known = known && k[i].kind == String
	}
	label := func() string { return "Fn::FindInMap " + k[0].Display() + "/" + k[1].Display() + "/" + k[2].Display() }
	if k[0].kind != String {
		return UnknownValue(label())
	}
	table, ok := f.p.maps[k[0].str]
	if !ok {
		e.fail(f.args[0], CodeMapLookup, "Fn::FindInMap: Mappings has no map "+quote(k[0].str)+missingKey(k[0].str, f.p.maps))
		return errValue
	}
	if k[1].kind != String {
		if k[2].kind == String {
			f.checkEveryRow(e, table, k[0].str, k[2].str)
		}
		return UnknownValue(label())
	}
	row, ok := table[k[1].str]
	if !ok {
		e.fail(f.args[1], CodeMapLookup, "Fn::FindInMap: map "+quote(k[0].str)+" has no key "+quote(k[1].str)+missingKey(k[1].str, table))
		return errValue
	}
	if k[2].kind != String {
		return UnknownValue(label())
	}
	v, ok := row[k[2].str]
	if !ok {
		e.fail(f.args[2], CodeMapLookup, "Fn::FindInMap: "+quote(k[0].str)+"/"+quote(k[1].str)+" has no key "+quote(k[2].str)+missingKey(k[2].str, row))
		return errValue
	}
	v.written = false // which row is chosen depends on the device
	return v
}

// checkEveryRow checks a second-level key when the row is not known yet:
// missing from every row, it fails whatever the row; missing from some,
// those rows would fail (a warning).
func (f *findInMapExpr) checkEveryRow(e *env, table map[string]map[string]Value, name, key string) {
	var lacking, all []string
	for top, row := range table {
		all = append(all, top)
		if _, ok := row[key]; !ok {
			lacking = append(lacking, top)
		}
	}
	slices.Sort(lacking)
	switch {
	case len(lacking) == 0:
	case len(lacking) == len(all):
		var keys map[string]Value
		for _, row := range table {
			keys = row
			break
		}
		e.fail(f.args[2], CodeMapLookup, "Fn::FindInMap: no row of map "+quote(name)+" has the key "+quote(key)+" (whatever the row)"+missingKey(key, keys))
	default:
		e.warns = append(e.warns, template.Diagnostic{Severity: template.Warning, Code: CodeMapLookup, Range: f.args[2].Range(), Path: f.args[2].Pointer(),
			Message: "Fn::FindInMap: the rows " + strings.Join(quoteAll(lacking), ", ") + " of map " + quote(name) + " have no key " + quote(key) + "; a device that picks one of them fails"})
	}
}

func quoteAll(ss []string) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = quote(s)
	}
	return out
}

// missingKey ends the message of a key a map lacks: that provisioning
// fails, then the closest key, or the keys there are.
func missingKey[V any](s string, m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if hint := didYouMean(s, keys); hint != "" {
		return "; provisioning fails" + hint
	}
	return knownKeys(m) + "; provisioning fails"
}

// knownKeys lists a map's keys for a message: " (it has: a, b, c)".
func knownKeys[V any](m map[string]V) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, quote(k))
	}
	if len(keys) == 0 {
		return " (it is empty)"
	}
	slices.Sort(keys)
	if len(keys) > 10 {
		keys = append(keys[:10], "…")
	}
	return " (it has " + strings.Join(keys, ", ") + ")"
}

type subExpr struct {
	parts []subPart
	node  template.Node
}

func (s *subExpr) eval(e *env) Value {
	vals := make([]Value, 0, len(s.parts))
	for _, p := range s.parts {
		switch {
		case p.name == "":
			vals = append(vals, cfnString(p.text)) // CloudFormation's variables stay unknown
		case p.e == nil:
			e.fail(s.node, CodeSubVariable, "Fn::Sub cannot resolve ${"+p.name+"}: it is an IoT policy variable, not a parameter; write ${!"+p.name+"} to keep it literal")
			return errValue
		default:
			v := p.e.eval(e)
			if isErr(v) {
				return v
			}
			if !v.isStringLike() {
				e.fail(s.node, CodeFunctionType, "Fn::Sub variable ${"+p.name+"} must be a string, but it is "+describe(v))
				return errValue
			}
			vals = append(vals, v)
		}
	}
	if !e.fitsValue(s.node, "Fn::Sub", vals, "") {
		return errValue
	}
	return concat(vals, "")
}

// describe names a value's kind for messages.
func describe(v Value) string {
	switch v.kind {
	case List:
		return "a list"
	case Object:
		return "an object"
	case Number:
		return "the number " + v.str
	case Bool:
		return "the boolean " + v.str
	case Null:
		return "null"
	}
	return "a string"
}

func quote(s string) string { return strconv.Quote(s) }

// didYouMean formats a suggestion for a message.
func didYouMean(s string, candidates []string) string {
	if c := template.Suggest(s, candidates); c != "" {
		return "; did you mean " + quote(c) + "?"
	}
	return ""
}
