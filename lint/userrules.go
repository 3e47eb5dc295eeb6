package lint

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/cel-go/cel"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/celexpr"
	"github.com/iotpt/iotpt/template"
)

// UserRules are an organisation's own rules, read from a YAML rules file:
//
//	rules:
//	  - id: thing-name-prefix          # the code findings carry
//	    severity: error                # error, warning (default) or info
//	    resource: AWS::IoT::Thing      # optional: a type or a list of types
//	    message: thing names start with "acme-"
//	    expression: |                  # CEL; true when the template complies
//	      resource.values.ThingName.startsWith("acme-")
//	  - id: has-device-configuration
//	    pointer: /Resources            # optional, for a rule checked once per template: where to report
//	    message: templates return a DeviceConfiguration
//	    expression: has(template.DeviceConfiguration)
//
// A rule with a resource match, or whose expression or messageExpression
// reads resource, is checked once for each resource it concerns and
// reported at that resource; any other rule is checked once per template
// and reported at the value its pointer names, when the template has it,
// else at the body. messageExpression, a CEL expression that gives a
// string, replaces message; message remains the fallback if it fails. A
// rule that reads params or plan is checked only when sample parameters are
// given (lint --params). See package celexpr for the variables.
type UserRules struct {
	File   string // the rules file
	rules  []*userRule
	broken bool // some rules did not load
}

type userRule struct {
	id       string
	severity template.Severity
	types    []string
	pointer  string // where a template-level finding is reported, if there
	message  string
	msgExpr  *celexpr.Expr
	expr     *celexpr.Expr

	perResource bool // checked once per resource: a type match, or an expression reads resource
	needsParams bool // an expression reads params or plan
}

// uses reports whether the expression or the message expression reads the
// variable name.
func (r *userRule) uses(name string) bool {
	return r.expr.Uses(name) || r.msgExpr != nil && r.msgExpr.Uses(name)
}

// IDs returns the ids of the rules, in file order.
func (u *UserRules) IDs() []string {
	if u == nil {
		return nil
	}
	ids := make([]string, len(u.rules))
	for i, r := range u.rules {
		ids[i] = r.id
	}
	return ids
}

// UserRule describes one organisation rule.
type UserRule struct {
	ID        string
	Severity  template.Severity
	Resources []string // the resource types it is checked for; none: every resource or the template
	Message   string   // "" when only messageExpression gives it
	// Expression and MessageExpression are the CEL sources ("" when the
	// rule has no message expression).
	Expression, MessageExpression string
}

// List describes the rules, in file order.
func (u *UserRules) List() []UserRule {
	if u == nil {
		return nil
	}
	out := make([]UserRule, len(u.rules))
	for i, r := range u.rules {
		out[i] = UserRule{ID: r.id, Severity: r.severity, Resources: r.types, Message: r.message}
		if r.expr != nil {
			out[i].Expression = r.expr.Text
		}
		if r.msgExpr != nil {
			out[i].MessageExpression = r.msgExpr.Text
		}
	}
	return out
}

// MaxUserRules bounds the rules of one file, so that loading one stays
// quick (each compiles in well under a millisecond).
const MaxUserRules = 1000

var reRuleID = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_.-]*$`)

var ruleKeys = []string{"id", "severity", "resource", "pointer", "message", "messageExpression", "expression"}

// LoadUserRules reads a rules file. Problems are diagnostics positioned in
// the file; the rules that compiled are returned with them, so that one bad
// rule does not silence the others.
func LoadUserRules(name string, data []byte) (*UserRules, *template.Source, template.Diagnostics) {
	rootNode, src, diags := template.ParseData(name, data, template.ParseOptions{YAML: !strings.HasSuffix(name, ".json")})
	u := &UserRules{File: name}
	if diags.HasErrors() || rootNode == nil {
		return u, src, diags
	}
	pr := &celexpr.Problems{Diags: diags}
	root, ok := rootNode.(*template.Object)
	if !ok || root.Get("rules") == nil {
		pr.Add(rootNode, `a rules file is a mapping with a "rules" list`)
		return u, src, pr.Diags
	}
	pr.Mapping(root, "a rules file", []string{"rules"})
	list, ok := root.Get("rules").(*template.Array)
	if !ok {
		pr.Add(root.Get("rules"), "rules must be a list of rules, not %s", template.Describe(root.Get("rules")))
		return u, src, pr.Diags
	}
	if len(list.Elems) > MaxUserRules {
		pr.Add(list, "the file has %d rules, more than the limit of %d", len(list.Elems), MaxUserRules)
		return u, src, pr.Diags
	}
	env, err := celexpr.NewEnv()
	if err != nil {
		pr.Add(rootNode, "cannot create the CEL environment: %v", err)
		return u, src, pr.Diags
	}
	seen := map[string]bool{}
	for _, item := range list.Elems {
		if r := loadRule(env, pr, item, seen); r != nil {
			u.rules = append(u.rules, r)
		}
	}
	pr.Diags.Sort()
	return u, src, pr.Diags
}

// loadRule reads and compiles one rule, or reports why it cannot and
// returns nil.
func loadRule(env *celexpr.Env, pr *celexpr.Problems, item template.Node, seen map[string]bool) *userRule {
	before := len(pr.Diags)
	if _, ok := item.(*template.Object); !ok {
		pr.Add(item, "a rule is a mapping with id, message and expression, not %s", template.Describe(item))
		return nil
	}
	o := pr.Mapping(item, "a rule", ruleKeys)
	r := &userRule{severity: template.Warning}
	switch id := pr.String(o, "id"); {
	case id == nil:
		if o.Get("id") == nil {
			pr.Add(o, "the rule has no id")
		}
	case !reRuleID.MatchString(id.Value):
		pr.Add(id, "id %q must start with a letter and hold only letters, digits, '-', '_' and '.'", id.Value)
	case strings.HasPrefix(id.Value, "PT") && isDigits(id.Value[2:]) || Lookup(id.Value) != nil:
		pr.Add(id, "id %q is a built-in rule's; choose another", id.Value)
	case seen[id.Value]:
		pr.Add(id, "a rule with id %q comes earlier in the file", id.Value)
	default:
		seen[id.Value] = true
		r.id = id.Value
	}
	if s := pr.String(o, "severity"); s != nil {
		if sev, ok := template.ParseSeverity(s.Value); ok {
			r.severity = sev
		} else {
			pr.Add(s, "severity %q is not error, warning or info", s.Value)
		}
	}
	if n := o.Get("resource"); n != nil {
		items := []template.Node{n}
		if a, ok := n.(*template.Array); ok {
			items = a.Elems
		}
		for _, it := range items {
			s, ok := it.(*template.String)
			if !ok || !strings.HasPrefix(s.Value, "AWS::IoT::") {
				pr.Add(it, "resource must be a resource type such as AWS::IoT::Thing, or a list of them")
				continue
			}
			r.types = append(r.types, s.Value)
		}
	}
	ptr := pr.String(o, "pointer")
	if ptr != nil && !strings.HasPrefix(ptr.Value, "/") {
		pr.Add(ptr, "pointer %q must be a JSON pointer into the template body, starting with /", ptr.Value)
	}
	if s := pr.String(o, "message"); s != nil {
		r.message = s.Value
	}
	if s := pr.String(o, "messageExpression"); s != nil {
		x, diags := env.Compile(s, cel.StringType)
		pr.Diags = append(pr.Diags, diags...)
		r.msgExpr = x
	}
	if r.message == "" && o.Get("messageExpression") == nil {
		pr.Add(o, "the rule has neither message nor messageExpression")
	}
	if s := pr.String(o, "expression"); s != nil {
		x, diags := env.Compile(s, cel.BoolType)
		pr.Diags = append(pr.Diags, diags...)
		r.expr = x
	} else if o.Get("expression") == nil {
		pr.Add(o, "the rule has no expression")
	}
	if len(pr.Diags) > before {
		return nil
	}
	r.perResource = len(r.types) > 0 || r.uses(celexpr.VarResource)
	r.needsParams = r.uses(celexpr.VarParams) || r.uses(celexpr.VarPlan)
	if ptr != nil {
		if r.perResource {
			pr.Add(ptr, "pointer is for rules checked once per template; this rule is checked for each resource (it has resource, or reads the resource variable) and reported there")
			return nil
		}
		r.pointer = ptr.Value
	}
	return r
}

func isDigits(s string) bool {
	_, err := strconv.Atoi(s)
	return err == nil
}

// check runs the rules on one file. plan is the plan for the sample
// parameters, or nil when there are none.
func (u *UserRules) check(pass *Pass, params []eval.Param, plan *eval.Plan, cfg *Config) template.Diagnostics {
	if u == nil || len(u.rules) == 0 {
		return nil
	}
	body := pass.Template.Root
	vars := map[string]any{celexpr.VarTemplate: celexpr.FromNode(body)}
	if params != nil {
		ps := make(map[string]string, len(params))
		for _, p := range params {
			ps[p.Name] = p.Value
		}
		vars[celexpr.VarParams] = ps
		if planData, err := celexpr.DecodeJSON(plan.AppendJSON(nil)); err == nil {
			vars[celexpr.VarPlan] = planData
		} // else rules that read plan report that it is missing
	}
	resources := make([]map[string]any, len(pass.Template.Resources)) // built once, shared by the rules
	var diags template.Diagnostics
	budget := celexpr.NewBudget()
	for _, r := range u.rules {
		if _, off, _ := cfg.severityFor(r.id); off || r.needsParams && params == nil {
			continue
		}
		if !r.perResource {
			at := template.Node(body)
			if n := template.Lookup(body, r.pointer); r.pointer != "" && n != nil {
				at = n
			}
			if budget.Spent() {
				return append(diags, r.evalProblem(celexpr.ErrBudget, r.expr, at.Range(), at.Pointer()))
			}
			diags = append(diags, r.checkOne(budget, vars, at.Range(), at.Pointer())...)
			continue
		}
		for i, res := range pass.Template.Resources {
			if len(r.types) > 0 && !slices.Contains(r.types, res.Type) {
				continue
			}
			if resources[i] == nil {
				resources[i] = resourceVar(pass, res)
			}
			vars[celexpr.VarResource] = resources[i]
			if budget.Spent() {
				return append(diags, r.evalProblem(celexpr.ErrBudget, r.expr, res.Key.Range(), res.Key.Pointer()))
			}
			diags = append(diags, r.checkOne(budget, vars, res.Key.Range(), res.Key.Pointer())...)
		}
		delete(vars, celexpr.VarResource)
	}
	return diags
}

// checkOne evaluates a rule and returns its finding, if any, at rng,
// charging the evaluations to budget.
func (r *userRule) checkOne(budget *celexpr.Budget, vars map[string]any, rng template.Range, ptr string) template.Diagnostics {
	ok, err := budget.Bool(r.expr, vars)
	if err != nil {
		return template.Diagnostics{r.evalProblem(err, r.expr, rng, ptr)}
	}
	if ok {
		return nil
	}
	msg := r.message
	if r.msgExpr != nil {
		s, err := budget.String(r.msgExpr, vars)
		if err != nil && msg == "" {
			return template.Diagnostics{r.evalProblem(err, r.msgExpr, rng, ptr)}
		}
		if err == nil && s != "" {
			msg = s
		}
	}
	return template.Diagnostics{{Severity: r.severity, Code: r.id, Message: msg, Range: rng, Path: ptr}}
}

// evalProblem reports an expression that could not be evaluated, at the
// place it was evaluated for, with the expression as related information.
func (r *userRule) evalProblem(err error, x *celexpr.Expr, rng template.Range, ptr string) template.Diagnostic {
	code := celexpr.CodeEval
	msg := fmt.Sprintf("rule %s could not be checked: %v", r.id, err)
	if err == celexpr.ErrCostLimit || err == celexpr.ErrBudget || err == celexpr.ErrTimeout {
		code = celexpr.CodeCostOver
	} else if strings.Contains(err.Error(), "no such key") {
		msg += "; guard optional values with has(), e.g. has(resource.properties.X)"
	}
	return template.Diagnostic{Severity: template.Error, Code: code, Message: msg, Range: rng, Path: ptr,
		Related: []template.Related{{Range: x.Node.Range(), Message: "the expression of rule " + r.id}}}
}

// resourceVar is the resource variable of one resource.
func resourceVar(pass *Pass, r *template.Resource) map[string]any {
	props := map[string]any{}
	if r.Properties != nil {
		props = celexpr.FromNode(r.Properties).(map[string]any)
	}
	values, _ := displayValue(pass.PlannedProperties(r)).(map[string]any)
	if values == nil {
		values = map[string]any{}
	}
	out := map[string]any{"logicalId": r.LogicalID, "type": r.Type, "properties": props, "values": values, "overrideSettings": map[string]any{}}
	if r.OverrideSettings != nil {
		out["overrideSettings"] = celexpr.FromNode(r.OverrideSettings)
	}
	if r.PolicyDocument != nil {
		out["policyDocument"] = celexpr.FromNode(r.PolicyDocument)
	}
	return out
}

// displayValue converts a planned value for CEL: strings with unknown parts
// become their display form ("sensor_<SerialNumber>").
func displayValue(v eval.Value) any {
	switch v.Kind() {
	case eval.Null:
		return nil
	case eval.Bool:
		return v.Display() == "true"
	case eval.Number:
		f, _ := strconv.ParseFloat(v.Display(), 64)
		return f
	case eval.List:
		out := make([]any, len(v.Items()))
		for i, it := range v.Items() {
			out[i] = displayValue(it)
		}
		return out
	case eval.Object:
		out := make(map[string]any, len(v.Items()))
		for i, k := range v.Keys() {
			out[k] = displayValue(v.Items()[i])
		}
		return out
	}
	return v.Display()
}
