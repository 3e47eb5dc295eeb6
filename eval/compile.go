package eval

import (
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// Program is a template compiled for evaluation. Compile it once and
// evaluate it many times with different inputs; a Program does not change
// once compiled (but for a cache of what depends on the file alone) and is
// safe for concurrent use.
type Program struct {
	file    *template.File
	tmpl    *template.Template
	slots   []slot
	slotOf  map[string]int
	maps    map[string]map[string]map[string]Value // Mappings
	res     []*compiledResource
	devConf expr                 // nil when the template has no DeviceConfiguration
	diags   template.Diagnostics // compile-time problems, part of every plan
	// unparsed is set when the file did not parse (CompileFile): plans
	// then report the parse errors alone.
	unparsed bool

	createdMu sync.Mutex
	created   map[string]createResult // createChecks by template type (createdFor)
	defVals   []string                // each slot's Default
	defSet    []bool                  // whether the slot has one
}

// slot is one parameter the template declares or references.
type slot struct {
	name     string
	decl     *template.Parameter // nil for an undeclared name
	firstRef template.Node       // first Ref to it, for positions
	def      string
	hasDef   bool
	textDef  bool // a number or boolean Default, taken as its text (U2)
	used     bool
}

type compiledResource struct {
	r        *template.Resource
	props    []compiledProp
	keys     []string // property names, shared by every evaluation
	keysPtr  *[]string
	override map[string]string // property name -> override value

	// constProps is the properties' value when none of them calls a
	// function (with a PolicyDocument string already replaced by the
	// document it holds).
	constProps *Value
	docValue   *Value // the document parsed out of a PolicyDocument string
	docIndex   int    // PolicyDocument's position among the properties
	docChars   int    // its size without white space; -1 when functions build it
	docProblem string // why a PolicyDocument string holds no policy document

	overrideProblems template.Diagnostics // OverrideSettings values that cannot apply
	unknownProps     template.Diagnostics // properties AWS does not document (A5)

	statusKeys     *[]string // keys and Status (keysWithStatus)
	statusKeysOnce sync.Once
	certSources    []string // the ways a certificate is given, of CertificateId, CSR and PEM
}

type compiledProp struct {
	name string
	node template.Node
	e    expr
}

// Compile prepares a parsed file for evaluation. The diagnostics are
// problems found without any input (an unsupported function, wrong
// arguments); the Program is usable even when there are some, and evaluating
// such a construct fails the plan at that construct.
func Compile(f *template.File) (*Program, template.Diagnostics) {
	p := &Program{file: f, slotOf: map[string]int{}}
	t := f.Template
	if t == nil {
		return p, nil
	}
	p.tmpl = t
	for _, d := range t.Parameters {
		s := slot{name: d.Name, decl: d}
		switch def := d.Default.(type) {
		case *template.String:
			s.def, s.hasDef = def.Value, true
		case *template.Number:
			s.def, s.hasDef, s.textDef = def.Literal, true, true
		case *template.Bool:
			s.def, s.hasDef, s.textDef = strconv.FormatBool(def.Value), true, true
		}
		p.slotOf[d.Name] = len(p.slots)
		p.slots = append(p.slots, s)
	}
	p.compileMappings(t.Mappings)
	for _, r := range t.Resources {
		cr := &compiledResource{r: r, override: map[string]string{}}
		if r.Properties != nil {
			for _, m := range r.Properties.Members {
				cr.props = append(cr.props, compiledProp{name: m.Key.Value, node: m.Value, e: p.compile(m.Value)})
				cr.keys = append(cr.keys, m.Key.Value)
			}
		}
		cr.prepare()
		if r.OverrideSettings != nil {
			for _, m := range r.OverrideSettings.Members {
				if s, ok := m.Value.(*template.String); ok {
					cr.override[m.Key.Value] = s.Value
				}
			}
		}
		p.res = append(p.res, cr)
	}
	if t.DeviceConfiguration != nil {
		p.devConf = p.compile(t.DeviceConfiguration)
	}
	p.defVals, p.defSet = make([]string, len(p.slots)), make([]bool, len(p.slots))
	for i, s := range p.slots {
		p.defVals[i], p.defSet[i] = s.def, s.hasDef
	}
	return p, p.diags
}

// prepare works out at compile time what does not change between devices:
// constant properties, and a policy document held in a string.
func (cr *compiledResource) prepare() {
	cr.docChars = -1
	cr.keysPtr = &cr.keys
	for _, src := range certSources {
		if cr.r.Type == template.TypeCertificate && cr.r.Property(src) != nil {
			cr.certSources = append(cr.certSources, src)
		}
	}
	cr.overrideProblems = overrideProblems(cr.r)
	for _, m := range cr.r.Node.Members {
		if !slices.Contains(model.ResourceKeys, m.Key.Value) {
			cr.unknownProps = append(cr.unknownProps, template.Diagnostic{Severity: template.Error, Code: codeUnknownProperty,
				Message: "resource " + quote(cr.r.LogicalID) + " has no key " + quote(m.Key.Value) + didYouMean(m.Key.Value, model.ResourceKeys) + "; a resource key other than Type, Properties and OverrideSettings is taken to fail provisioning (A5)",
				Range:   m.Key.Range(), Path: m.Key.Pointer()})
		}
	}
	if names := model.PropertyNames(cr.r.Type); names != nil && cr.r.Properties != nil {
		for _, m := range cr.r.Properties.Members {
			if !slices.Contains(names, m.Key.Value) {
				cr.unknownProps = append(cr.unknownProps, template.Diagnostic{Severity: template.Error, Code: codeUnknownProperty,
					Message: cr.r.Type + " has no property " + quote(m.Key.Value) + didYouMean(m.Key.Value, names) + "; an unknown property is taken to fail provisioning (A5)",
					Range:   m.Key.Range(), Path: m.Key.Pointer()})
			}
		}
	}
	consts := make([]Value, len(cr.props))
	allConst := true
	for i, pr := range cr.props {
		c, ok := pr.e.(*constExpr)
		allConst = allConst && ok
		if ok {
			consts[i] = c.v
		}
		if pr.name != "PolicyDocument" || cr.r.Type != template.TypePolicy {
			continue
		}
		cr.docIndex = i
		if s, isStr := pr.node.(*template.String); isStr {
			cr.docChars = model.NonSpaceChars(s.Value)
			switch doc := cr.r.PolicyDocument.(type) {
			case nil:
				if strings.Contains(s.Value, template.CFNVarStart) {
					break // known only at deployment (a Terraform reference)
				}
				cr.docProblem = "the PolicyDocument string does not hold JSON; CreatePolicy rejects it as malformed"
			case *template.Object:
				v := withJSON(literal(doc))
				cr.docValue = &v
			case *template.String:
				cr.docProblem = "the PolicyDocument string is JSON-encoded twice: it holds a string, not a policy object; CreatePolicy rejects it as malformed"
			default:
				cr.docProblem = "the PolicyDocument string holds " + template.Describe(doc) + ", not a policy object; CreatePolicy rejects it as malformed"
			}
		} else if ok {
			cr.docChars = model.NonSpaceChars(string(c.v.AppendJSON(nil)))
		}
	}
	if !allConst {
		return
	}
	if cr.docValue != nil {
		consts[cr.docIndex] = *cr.docValue
	}
	v := withJSON(ObjectOf(cr.keys, consts))
	cr.constProps = &v
}

// File returns the file the program was compiled from.
func (p *Program) File() *template.File { return p.file }

// compileMappings converts Mappings into lookup tables. Values are taken
// literally: the service allows no functions there.
func (p *Program) compileMappings(m *template.Object) {
	if m == nil {
		return
	}
	p.maps = map[string]map[string]map[string]Value{}
	for _, mm := range m.Members {
		top, ok := mm.Value.(*template.Object)
		if !ok {
			continue
		}
		table := map[string]map[string]Value{}
		for _, tm := range top.Members {
			second, ok := tm.Value.(*template.Object)
			if !ok {
				continue
			}
			row := map[string]Value{}
			for _, sm := range second.Members {
				if call := firstCall(sm.Value); call != nil {
					p.diags = append(p.diags, template.Diagnostic{Severity: template.Error, Code: codeMappingsFunction,
						Message: "Mappings cannot hold parameters or intrinsic functions (" + call.Name + "); provisioning fails; look the value up with Fn::FindInMap instead",
						Range:   call.Node.Range(), Path: call.Node.Pointer()})
					row[sm.Key.Value] = errValue
					continue
				}
				row[sm.Key.Value] = withJSON(literal(sm.Value))
			}
			table[tm.Key.Value] = row
		}
		p.maps[mm.Key.Value] = table
	}
}

// firstCall returns the first intrinsic function call at or below n.
func firstCall(n template.Node) *template.Call {
	var found *template.Call
	template.Walk(n, func(c template.Node) bool {
		if found != nil {
			return false
		}
		if call, ok := template.AsCall(c); ok {
			found = call
			return false
		}
		return true
	})
	return found
}

// slotFor returns the slot of a referenced name, adding one for an
// undeclared name.
func (p *Program) slotFor(name string, ref template.Node) int {
	i, ok := p.slotOf[name]
	if !ok {
		i = len(p.slots)
		p.slotOf[name] = i
		p.slots = append(p.slots, slot{name: name})
	}
	if p.slots[i].firstRef == nil {
		p.slots[i].firstRef = ref
	}
	p.slots[i].used = true
	return i
}

// compile turns a template node into an expression in one bottom-up pass:
// a subtree without function calls becomes a constant built from its
// children's constants.
func (p *Program) compile(n template.Node) expr {
	if c, ok := template.AsCall(n); ok {
		return p.compileCall(c)
	}
	switch n := n.(type) {
	case *template.Array:
		elems := make([]expr, len(n.Elems))
		consts := true
		for i, e := range n.Elems {
			elems[i] = p.compile(e)
			_, isConst := elems[i].(*constExpr)
			consts = consts && isConst
		}
		if consts {
			items := make([]Value, len(elems))
			for i, e := range elems {
				items[i] = e.(*constExpr).v
			}
			v := ListOf(items...)
			v.written = true
			return &constExpr{withJSON(v)}
		}
		return &listExpr{elems}
	case *template.Object:
		keys := make([]string, len(n.Members))
		vals := make([]expr, len(n.Members))
		consts := true
		for i, m := range n.Members {
			keys[i], vals[i] = m.Key.Value, p.compile(m.Value)
			_, isConst := vals[i].(*constExpr)
			consts = consts && isConst
		}
		if consts {
			items := make([]Value, len(vals))
			for i, v := range vals {
				items[i] = v.(*constExpr).v
			}
			v := ObjectOf(keys, items)
			v.written = true
			return &constExpr{withJSON(v)}
		}
		return &objectExpr{&keys, vals}
	}
	return &constExpr{literal(n)}
}

func (p *Program) compileCall(c *template.Call) expr {
	if diags := c.Check(); len(diags) > 0 {
		p.diags = append(p.diags, diags...)
		return &failExpr{diags[0]}
	}
	arr, _ := c.Arg.(*template.Array)
	switch c.Name {
	case "Ref":
		name := c.Arg.(*template.String).Value
		if strings.Contains(name, template.CFNVarStart) {
			return &constExpr{literal(c.Arg)} // a Ref to a name known only at deployment: unknown
		}
		if code, msg, bad := badRefName(name, p.tmpl); bad {
			return newFailExpr(c.Node, code, msg)
		}
		return &refExpr{slot: p.slotFor(name, c.Node), name: name, node: c.Node}
	case "Fn::Join":
		return &joinExpr{sep: arr.Elems[0].(*template.String).Value, list: p.compileList(arr.Elems[1]), node: c.Node}
	case "Fn::Select":
		return &selectExpr{index: p.compile(arr.Elems[0]), indexNode: arr.Elems[0], list: p.compileList(arr.Elems[1]), node: c.Node}
	case "Fn::Split":
		return &splitExpr{sep: arr.Elems[0].(*template.String).Value, src: p.compile(arr.Elems[1]), node: c.Node}
	case "Fn::FindInMap":
		f := &findInMapExpr{p: p, keys: [3]expr{p.compile(arr.Elems[0]), p.compile(arr.Elems[1]), p.compile(arr.Elems[2])},
			args: [3]template.Node{arr.Elems[0], arr.Elems[1], arr.Elems[2]}, node: c.Node}
		f.byTop = p.findInMapColumn(f.keys[0], f.keys[2])
		return f
	case "Fn::Sub":
		return p.compileSub(c)
	}
	return newFailExpr(c.Node, template.CodeUnsupportedFunction, c.Name+" is not supported")
}

// findInMapColumn returns, when the map name and the second-level key are
// literal (the usual Fn::FindInMap), the column of values by top-level key,
// so that a device costs one lookup. It returns nil otherwise.
func (p *Program) findInMapColumn(name, second expr) map[string]Value {
	n, ok1 := name.(*constExpr)
	k, ok2 := second.(*constExpr)
	if !ok1 || !ok2 || n.v.kind != String || k.v.kind != String {
		return nil
	}
	col := map[string]Value{}
	for top, row := range p.maps[n.v.str] {
		if v, ok := row[k.v.str]; ok {
			col[top] = v
		}
	}
	return col
}

// compileList compiles the list argument of Join and Select, keeping a
// literal array's elements as separate expressions.
func (p *Program) compileList(n template.Node) listSource {
	if arr, ok := n.(*template.Array); ok {
		elems := make([]expr, len(arr.Elems))
		for i, e := range arr.Elems {
			elems[i] = p.compile(e)
		}
		return listSource{elems: elems, node: n}
	}
	return listSource{fn: p.compile(n), node: n}
}

// badRefName rejects Ref targets that are not parameters: resources and
// CloudFormation pseudo parameters, which AWS IoT does not document.
func badRefName(name string, t *template.Template) (code, msg string, bad bool) {
	if t.Parameter(name) != nil || strings.HasPrefix(name, CertParamPrefix) {
		return "", "", false
	}
	if t.Resource(name) != nil {
		return CodeBadRef, "Ref to resource " + quote(name) + " is not supported: provisioning templates can only reference parameters", true
	}
	if strings.HasPrefix(name, "AWS::") {
		return CodeBadRef, quote(name) + " is a CloudFormation pseudo parameter, which provisioning templates do not support; declare a parameter and pass the value", true
	}
	return "", "", false
}

// subPart is a piece of an Fn::Sub string: literal text, or a variable.
type subPart struct {
	text string
	name string // variable name; "" for text
	e    expr   // the variable's value: from the variable map, or a Ref
}

func (p *Program) compileSub(c *template.Call) expr {
	var str *template.String
	var vars *template.Object
	switch a := c.Arg.(type) {
	case *template.String:
		str = a
	case *template.Array:
		str, vars = a.Elems[0].(*template.String), a.Elems[1].(*template.Object)
	}
	var parts []subPart
	s := str.Value
	for len(s) > 0 {
		i := strings.Index(s, "${")
		if i < 0 {
			parts = append(parts, subPart{text: s})
			break
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			parts = append(parts, subPart{text: s})
			break
		}
		if i > 0 {
			parts = append(parts, subPart{text: s[:i]})
		}
		name := s[i+2 : i+j]
		s = s[i+j+1:]
		if strings.HasPrefix(name, "!") { // ${!Literal} writes ${Literal}
			parts = append(parts, subPart{text: "${" + name[1:] + "}"})
			continue
		}
		part := subPart{name: name}
		if v := vars.Get(name); v != nil {
			part.e = p.compile(v)
		} else if !model.IsPolicyVariable(name) {
			part.e = &refExpr{slot: p.slotFor(name, c.Node), name: name, node: c.Node}
		} // else an IoT policy variable, which Fn::Sub cannot resolve
		parts = append(parts, part)
	}
	return &subExpr{parts: parts, node: c.Node}
}
