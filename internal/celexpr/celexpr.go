// Package celexpr compiles and runs the CEL expressions of organisation
// rules and template tests in one environment, with positions in the YAML
// file that holds them and a cost limit on every evaluation.
//
// The variables, all maps of the data they describe:
//
//	template  the template body as data
//	resource  one resource: logicalId, type, properties, values (the
//	          properties evaluated, unknown parameters written <Name>),
//	          overrideSettings, and policyDocument for a policy
//	params    the sample parameters, a map of strings
//	plan      the plan in the JSON shape of "iotpt plan --format json"
//
// Besides the standard library, the strings, lists, sets and bindings
// (cel.bind) extensions are available. Besides the cost limit, the string
// functions that can grow a string (replace, join, format) refuse to build
// one over MaxStringBytes.
package celexpr

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/ast"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
	"github.com/google/cel-go/ext"
	"github.com/google/cel-go/interpreter"
	"github.com/google/cel-go/parser"

	"github.com/iotpt/iotpt/template"
)

// Variable names, in the order they are documented.
const (
	VarTemplate = "template"
	VarResource = "resource"
	VarParams   = "params"
	VarPlan     = "plan"
)

// ResourceFields are the keys of the resource variable.
var ResourceFields = []string{"logicalId", "type", "properties", "values", "overrideSettings", "policyDocument"}

// CostLimit bounds the work of one evaluation, in CEL's cost units (about
// one per operation and per element visited). Rules over a template need a
// few hundred.
const CostLimit = 1_000_000

// MaxExpressionBytes bounds the source of one expression.
const MaxExpressionBytes = 10_000

// Diagnostic codes of expressions.
const (
	CodeFile     = "PT060" // a rules or tests file has the wrong structure
	CodeCompile  = "PT061" // does not compile or has the wrong type
	CodeEval     = "PT062" // failed while evaluating
	CodeCostOver = "PT063" // exceeded the cost limit
)

// ErrCostLimit is returned by Eval when an evaluation exceeds CostLimit.
var ErrCostLimit = errors.New("the expression exceeded its cost limit of " + strconv.Itoa(CostLimit) + " (see iotpt explain PT063)")

// Env is the CEL environment. It is safe for concurrent use.
type Env struct{ env *cel.Env }

// NewEnv returns the environment of rules and tests.
func NewEnv() (*Env, error) {
	dyn := cel.MapType(cel.StringType, cel.DynType)
	env, err := cel.NewEnv(
		cel.Variable(VarTemplate, dyn),
		cel.Variable(VarResource, dyn),
		cel.Variable(VarParams, cel.MapType(cel.StringType, cel.StringType)),
		cel.Variable(VarPlan, dyn),
		ext.Strings(), ext.Lists(), ext.Sets(), ext.Bindings(),
		cel.ParserExpressionSizeLimit(MaxExpressionBytes),
	)
	if err != nil {
		return nil, err
	}
	bounded, err := boundedStrings(env)
	if err != nil {
		return nil, err
	}
	if env, err = env.Extend(bounded...); err != nil {
		return nil, err
	}
	return &Env{env: env}, nil
}

// Expr is a compiled expression.
type Expr struct {
	Text string           // the source
	Node *template.String // where it is written
	ast  *cel.Ast
	prg  cel.Program
	env  *cel.Env
	uses map[string]bool
}

// Compile compiles the expression held by string node n, which must give a
// value of type want (cel.BoolType or cel.StringType). Problems are
// diagnostics positioned inside n.
func (e *Env) Compile(n *template.String, want *cel.Type) (*Expr, template.Diagnostics) {
	src := n.Embedded()
	at := func(line, col int) template.Range {
		off := offsetOf(n.Value, line, col)
		return src.Range(off, min(off+1, len(n.Value)))
	}
	whole := src.Range(0, len(n.Value))
	if strings.TrimSpace(n.Value) == "" {
		return nil, template.Diagnostics{compileErr(n, whole, "the expression is empty")}
	}
	if len(n.Value) > MaxExpressionBytes {
		return nil, template.Diagnostics{compileErr(n, whole, fmt.Sprintf("the expression is %d bytes, more than the limit of %d", len(n.Value), MaxExpressionBytes))}
	}
	checked, iss := e.env.Compile(n.Value)
	if iss != nil && iss.Err() != nil {
		var diags template.Diagnostics
		for _, ce := range iss.Errors() {
			msg := strings.TrimSuffix(ce.Message, " (in container '')")
			diags = append(diags, compileErr(n, at(ce.Location.Line(), ce.Location.Column()), msg))
		}
		return nil, diags
	}
	if t := checked.OutputType(); !t.IsExactType(want) && !t.IsExactType(cel.DynType) {
		return nil, template.Diagnostics{compileErr(n, whole, fmt.Sprintf("the expression gives %s, but it must give %s", t, want))}
	}
	x := &Expr{Text: n.Value, Node: n, ast: checked, env: e.env, uses: map[string]bool{}}
	var diags template.Diagnostics
	native := checked.NativeRep()
	info := native.SourceInfo()
	ast.PreOrderVisit(ast.NavigateAST(native), ast.NewExprVisitor(func(ex ast.Expr) {
		switch ex.Kind() {
		case ast.IdentKind:
			x.uses[ex.AsIdent()] = true
		case ast.SelectKind:
			sel := ex.AsSelect()
			op := sel.Operand()
			if op.Kind() == ast.IdentKind && op.AsIdent() == VarResource && !slices.Contains(ResourceFields, sel.FieldName()) {
				loc := info.GetStartLocation(ex.ID())
				diags = append(diags, compileErr(n, at(loc.Line(), loc.Column()),
					fmt.Sprintf("resource has no field %q; its fields are %s", sel.FieldName(), strings.Join(ResourceFields, ", "))))
			}
		}
	}))
	if diags != nil {
		return nil, diags
	}
	prg, err := e.env.Program(checked, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(interruptEvery))
	if err != nil {
		return nil, template.Diagnostics{compileErr(n, whole, err.Error())}
	}
	x.prg = prg
	return x, nil
}

func compileErr(n *template.String, r template.Range, msg string) template.Diagnostic {
	return template.Diagnostic{Severity: template.Error, Code: CodeCompile, Message: "CEL: " + msg, Range: r, Path: n.Pointer()}
}

// offsetOf converts CEL's 1-based line and 0-based column in characters to
// a byte offset in text.
func offsetOf(text string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		i := strings.IndexByte(text[off:], '\n')
		if i < 0 {
			return len(text)
		}
		off += i + 1
	}
	for ; col > 0 && off < len(text); col-- {
		_, size := utf8.DecodeRuneInString(text[off:])
		off += size
	}
	return off
}

// Uses reports whether the expression reads the variable name.
func (x *Expr) Uses(name string) bool { return x.uses[name] }

// Eval evaluates the expression. vars holds the variables the expression
// uses, as the values encoding/json decodes to.
func (x *Expr) Eval(vars map[string]any) (ref.Val, error) {
	out, _, err := x.eval(vars)
	return out, err
}

// EvalTimeout bounds the time of one evaluation. The cost limit should
// bound it, but cel-go's cost tracking itself takes time quadratic in the
// iterations of a comprehension (all, exists, map, filter over tens of
// thousands of elements take seconds while staying under the limit), so
// an evaluation is also stopped after this long.
const EvalTimeout = 2 * time.Second

// interruptEvery is how many comprehension iterations pass between checks
// of EvalTimeout.
const interruptEvery = 100

// ErrTimeout is returned by Eval when an evaluation runs past EvalTimeout.
var ErrTimeout = errors.New("the expression took longer than " + EvalTimeout.String() + " (see iotpt explain PT063)")

// eval evaluates the expression and returns its actual cost.
func (x *Expr) eval(vars map[string]any) (ref.Val, uint64, error) {
	ctx, cancel := context.WithTimeout(context.Background(), EvalTimeout)
	defer cancel()
	out, det, err := x.prg.ContextEval(ctx, vars)
	var cost uint64
	if det != nil && det.ActualCost() != nil {
		cost = *det.ActualCost()
	}
	if err != nil {
		var cancelled interpreter.EvalCancelledError
		if errors.As(err, &cancelled) && cancelled.Cause == interpreter.CostLimitExceeded || strings.Contains(err.Error(), "cost limit exceeded") {
			return nil, CostLimit, ErrCostLimit
		}
		if ctx.Err() != nil {
			return nil, CostLimit, ErrTimeout
		}
		return nil, cost, err
	}
	return out, cost, nil
}

// Bool evaluates an expression that gives a bool.
func (x *Expr) Bool(vars map[string]any) (bool, error) { return asBool(x.Eval(vars)) }

// String evaluates an expression that gives a string.
func (x *Expr) String(vars map[string]any) (string, error) { return asString(x.Eval(vars)) }

func asBool(out ref.Val, err error) (bool, error) {
	if err != nil {
		return false, err
	}
	b, ok := out.(types.Bool)
	if !ok {
		return false, fmt.Errorf("the expression gave %s, not a bool", out.Type())
	}
	return bool(b), nil
}

func asString(out ref.Val, err error) (string, error) {
	if err != nil {
		return "", err
	}
	s, ok := out.(types.String)
	if !ok {
		return "", fmt.Errorf("the expression gave %s, not a string", out.Type())
	}
	return string(s), nil
}

// TotalCostLimit bounds the cost of all the evaluations of a Budget: the
// organisation rules over one file. Each evaluation has CostLimit; this
// stops a rule that costs just under it from running for every one of
// tens of thousands of resources.
const TotalCostLimit = 10 * CostLimit

// ErrBudget is returned by a Budget's evaluations once it is spent.
var ErrBudget = errors.New("the rules exceeded their total cost limit of " + strconv.Itoa(TotalCostLimit) + " for this file, so the rest were not checked (see iotpt explain PT063)")

// Budget bounds the total cost of many evaluations. It is not safe for
// concurrent use.
type Budget struct{ left uint64 }

// NewBudget returns a budget of TotalCostLimit.
func NewBudget() *Budget { return &Budget{left: TotalCostLimit} }

// Bool evaluates x, which gives a bool, and charges its cost to b.
func (b *Budget) Bool(x *Expr, vars map[string]any) (bool, error) { return asBool(b.eval(x, vars)) }

// String evaluates x, which gives a string, and charges its cost to b.
func (b *Budget) String(x *Expr, vars map[string]any) (string, error) {
	return asString(b.eval(x, vars))
}

// Spent reports whether the budget is used up: evaluating more would fail
// with ErrBudget.
func (b *Budget) Spent() bool { return b.left == 0 }

func (b *Budget) eval(x *Expr, vars map[string]any) (ref.Val, error) {
	if b.left == 0 {
		return nil, ErrBudget
	}
	out, cost, err := x.eval(vars)
	b.left -= min(cost, b.left)
	return out, err
}

// Explain evaluates the expression again, recording every intermediate
// value, and describes why it is false: for each failing comparison or
// call, the operands and their values ("plan.thingName = \"sensor_1\"").
func (x *Expr) Explain(vars map[string]any) []string {
	prg, err := x.env.Program(x.ast, cel.CostLimit(CostLimit), cel.InterruptCheckFrequency(interruptEvery), cel.EvalOptions(cel.OptExhaustiveEval, cel.OptTrackState))
	if err != nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), EvalTimeout)
	defer cancel()
	_, det, _ := prg.ContextEval(ctx, vars)
	if det == nil || det.State() == nil {
		return nil
	}
	state := det.State()
	native := x.ast.NativeRep()
	info := native.SourceInfo()
	var lines []string
	seen := map[string]bool{}
	show := func(e ast.Expr) {
		if e.Kind() == ast.LiteralKind {
			return
		}
		v, ok := state.Value(e.ID())
		if !ok {
			return
		}
		text, err := parser.Unparse(e, info)
		if err != nil || seen[text] {
			return
		}
		seen[text] = true
		lines = append(lines, text+" = "+Format(v))
	}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if e.Kind() != ast.CallKind {
			show(e)
			return
		}
		call := e.AsCall()
		switch call.FunctionName() {
		case "_&&_", "_||_":
			for _, arg := range call.Args() {
				if v, ok := state.Value(arg.ID()); ok && v == types.False || !ok {
					walk(arg)
				}
			}
		case "!_":
			walk(call.Args()[0])
		default:
			if call.IsMemberFunction() {
				show(call.Target())
			}
			for _, arg := range call.Args() {
				show(arg)
			}
		}
	}
	walk(native.Expr())
	return lines
}

// Format writes a CEL value for people, in JSON notation, cut at 200
// characters.
func Format(v ref.Val) string {
	var b strings.Builder
	format(&b, v)
	s := b.String()
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

func format(b *strings.Builder, v ref.Val) {
	switch t := v.(type) {
	case types.String:
		b.WriteString(strconv.Quote(string(t)))
	case types.Null:
		b.WriteString("null")
	case *types.Err:
		b.WriteString("error: " + t.String())
	case traits.Mapper:
		var keys []ref.Val
		it := t.Iterator()
		for it.HasNext() == types.True {
			keys = append(keys, it.Next())
		}
		sort.Slice(keys, func(i, j int) bool { return fmt.Sprint(keys[i].Value()) < fmt.Sprint(keys[j].Value()) })
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, k)
			b.WriteString(": ")
			format(b, t.Get(k))
		}
		b.WriteByte('}')
	case traits.Lister:
		b.WriteByte('[')
		it := t.Iterator()
		for i := 0; it.HasNext() == types.True; i++ {
			if i > 0 {
				b.WriteString(", ")
			}
			format(b, it.Next())
		}
		b.WriteByte(']')
	default:
		fmt.Fprint(b, v.Value())
	}
}

// FromJSON converts decoded JSON (as template.ToValue or encoding/json with
// UseNumber give it) for CEL: whole numbers become int, other numbers
// double, so that size(list) == 2 and count > 1.5 both work.
func FromJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = FromJSON(e)
		}
	case []any:
		for i, e := range t {
			t[i] = FromJSON(e)
		}
	case json.Number:
		if i, err := t.Int64(); err == nil {
			return i
		}
		f, _ := t.Float64()
		return f
	}
	return v
}

// FromNode converts a parsed value for CEL, as FromJSON describes.
func FromNode(n template.Node) any { return FromJSON(template.ToValue(n)) }

// DecodeJSON decodes JSON for CEL, as FromJSON describes.
func DecodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return FromJSON(v), nil
}
