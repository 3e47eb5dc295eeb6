package template

import (
	"strconv"
	"strings"
)

// ArgKind is what an intrinsic function accepts in one argument position, or
// what it returns.
type ArgKind int

// Argument kinds.
const (
	ArgNone          ArgKind = iota
	ArgLiteralString         // a string written in the template, not a function
	ArgString                // a string, or a function returning one
	ArgList                  // an array, or a function returning one
	ArgIndex                 // a whole number, a string of digits, or a function returning a string
	ArgObject                // an object of values (Fn::Sub's variable map)
	ArgAny                   // a string or a list, decided at evaluation time
)

var argKindNames = [...]string{"nothing", "a literal string", "a string", "a list", "an index", "an object", "a value"}

// String describes the kind for messages.
func (k ArgKind) String() string { return argKindNames[k] }

// Function declares one intrinsic function: its name, whether AWS IoT
// documents it for provisioning templates, and the shape of its argument.
// Behaviour lives in package eval.
type Function struct {
	Name      string
	Supported bool      // documented for provisioning templates
	Scalar    ArgKind   // kind accepted when the argument is not an array; ArgNone if it must be one
	Args      []ArgKind // kinds of the array form's elements; nil if there is no array form
	Result    ArgKind
	Usage     string
}

// Functions is the table of intrinsic functions iotpt knows. The supported
// ones are those AWS documents for provisioning templates; the others are
// CloudFormation functions that people write by habit, declared so that lint
// and eval can name them.
var Functions = map[string]*Function{
	"Ref":           {Name: "Ref", Supported: true, Scalar: ArgLiteralString, Result: ArgString, Usage: `{"Ref": "ParameterName"}`},
	"Fn::Join":      {Name: "Fn::Join", Supported: true, Args: []ArgKind{ArgLiteralString, ArgList}, Result: ArgString, Usage: `{"Fn::Join": ["delimiter", [value, ...]]}`},
	"Fn::Select":    {Name: "Fn::Select", Supported: true, Args: []ArgKind{ArgIndex, ArgList}, Result: ArgString, Usage: `{"Fn::Select": [index, [value, ...]]}`},
	"Fn::Split":     {Name: "Fn::Split", Supported: true, Args: []ArgKind{ArgLiteralString, ArgString}, Result: ArgList, Usage: `{"Fn::Split": ["delimiter", "source string"]}`},
	"Fn::FindInMap": {Name: "Fn::FindInMap", Supported: true, Args: []ArgKind{ArgString, ArgString, ArgString}, Result: ArgAny, Usage: `{"Fn::FindInMap": ["MapName", "TopLevelKey", "SecondLevelKey"]}`},
	"Fn::Sub":       {Name: "Fn::Sub", Supported: true, Scalar: ArgLiteralString, Args: []ArgKind{ArgLiteralString, ArgObject}, Result: ArgString, Usage: `{"Fn::Sub": "text ${Name}"} or {"Fn::Sub": ["text ${Name}", {"Name": value}]}`},

	"Fn::If":           {Name: "Fn::If", Result: ArgAny},
	"Fn::Equals":       {Name: "Fn::Equals", Result: ArgAny},
	"Fn::And":          {Name: "Fn::And", Result: ArgAny},
	"Fn::Or":           {Name: "Fn::Or", Result: ArgAny},
	"Fn::Not":          {Name: "Fn::Not", Result: ArgAny},
	"Fn::Base64":       {Name: "Fn::Base64", Result: ArgAny},
	"Fn::GetAtt":       {Name: "Fn::GetAtt", Result: ArgAny},
	"Fn::GetAZs":       {Name: "Fn::GetAZs", Result: ArgAny},
	"Fn::ImportValue":  {Name: "Fn::ImportValue", Result: ArgAny},
	"Fn::Cidr":         {Name: "Fn::Cidr", Result: ArgAny},
	"Fn::Length":       {Name: "Fn::Length", Result: ArgAny},
	"Fn::ToJsonString": {Name: "Fn::ToJsonString", Result: ArgAny},
	"Fn::Transform":    {Name: "Fn::Transform", Result: ArgAny},
}

// Call is an intrinsic function call: an object with a single member named
// "Ref" or "Fn::...".
type Call struct {
	Name     string
	NameNode *String
	Arg      Node
	Node     *Object
	Func     *Function // nil for an Fn:: name iotpt does not know, or a misspelt one
	// Meant is the function a misspelt name stands for ("Ref" for "REF",
	// "Fn::Join" for "Fn:Join" or "Fn::Jion"), or "" when the name is
	// written correctly or resembles no function.
	Meant string
}

// AsCall reports whether n is an intrinsic function call: an object with
// one member named "Ref" or "Fn::...", or named like one of them but
// misspelt ("REF", "Fn:Join", "fn::join", "Fn::Jion"). A misspelt call has
// a nil Func and its Meant name, so that lint and eval both report it
// instead of taking the object for a plain value.
func AsCall(n Node) (*Call, bool) {
	o, ok := n.(*Object)
	if !ok || len(o.Members) != 1 {
		return nil, false
	}
	m := o.Members[0]
	name := m.Key.Value
	if name != "Ref" && !strings.HasPrefix(name, "Fn::") {
		meant := MeantFunction(name)
		if meant == "" || keyedByUser(o.Pointer()) {
			return nil, false
		}
		return &Call{Name: name, NameNode: m.Key, Arg: m.Value, Node: o, Meant: meant}, true
	}
	c := &Call{Name: name, NameNode: m.Key, Arg: m.Value, Node: o, Func: Functions[name]}
	if c.Func == nil {
		c.Meant = MeantFunction(name)
		if c.Meant == "" {
			c.Meant = meantTag(m.Key) // !Reff
		}
	}
	return c, true
}

// keyedByUser reports whether the object at JSON pointer ptr (relative to
// the body) has keys its author chose (parameter names, logical IDs,
// Mappings keys, attribute names, DeviceConfiguration keys, policy
// conditions), so that a single key "ref" there is a name, not a misspelt
// Ref.
func keyedByUser(ptr string) bool {
	seg := strings.Split(ptr, "/")[1:]
	switch {
	case len(seg) == 0:
		return true // the body itself
	case seg[0] == "Parameters" && len(seg) <= 2, seg[0] == "Mappings" && len(seg) <= 3, seg[0] == "DeviceConfiguration" && len(seg) == 1:
		return true
	case seg[0] == "Resources" && (len(seg) <= 2 || len(seg) == 3 && (seg[2] == "Properties" || seg[2] == "OverrideSettings")):
		return true
	case seg[0] == "Resources" && len(seg) == 4 && seg[2] == "Properties" && seg[3] == "AttributePayload":
		return true
	case seg[0] == "Resources" && len(seg) > 4 && seg[2] == "Properties" && seg[3] == "PolicyDocument":
		return true // a policy document: Condition operators and keys
	}
	return false
}

// MeantFunction returns the intrinsic function that key is a misspelling
// of: the same name in another case ("REF", "fn::join"), an "Fn" prefix
// with one or three colons ("Fn:Join"), or an Fn:: name within two edits
// of a known one ("Fn::Jion"). It returns "" for a correct name and for
// keys that resemble no function.
func MeantFunction(key string) string {
	if Functions[key] != nil {
		return ""
	}
	k := strings.ToLower(key)
	if k == "ref" {
		return "Ref"
	}
	rest, ok := strings.CutPrefix(k, "fn:")
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(strings.TrimPrefix(rest, ":"), ":")
	if rest == "" || strings.Contains(rest, ":") {
		return ""
	}
	best, bestDist := "", 3
	if len(rest) < 5 {
		bestDist = 2 // "Fn::Ib" is not meant to be anything
	}
	for _, name := range functionNames {
		short := strings.ToLower(strings.TrimPrefix(name, "Fn::"))
		if short == "ref" {
			continue
		}
		if d := editDistance(rest, short); d < bestDist {
			best, bestDist = name, d
		}
	}
	return best
}

// functionNames lists the names of Functions in a fixed order, supported
// ones first, so that MeantFunction's choice never depends on map order.
var functionNames = []string{"Ref", "Fn::Join", "Fn::Select", "Fn::Split", "Fn::FindInMap", "Fn::Sub",
	"Fn::If", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not", "Fn::Base64", "Fn::GetAtt", "Fn::GetAZs",
	"Fn::ImportValue", "Fn::Cidr", "Fn::Length", "Fn::ToJsonString", "Fn::Transform"}

// editDistance is the Levenshtein distance of two strings, counting an
// adjacent transposition ("jion" for "join") as one edit.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}

// Diagnostic codes for intrinsic function calls.
const (
	CodeUnsupportedFunction = "PT020" // a function AWS IoT does not document
	CodeFunctionArgs        = "PT021" // wrong number or kinds of arguments
)

// Check reports an unsupported function or arguments that do not fit the
// function's declaration. Only the call itself is checked, not the calls
// nested in its arguments.
func (c *Call) Check() Diagnostics {
	f := c.Func
	if f == nil && c.Meant != "" {
		msg := strconv.Quote(c.Name) + " is not an intrinsic function; did you mean " + c.Meant + "?"
		if tag := shortTag(c.NameNode); tag != "" && longToShort[c.Meant] != "" {
			msg = "unknown YAML tag " + tag + "; did you mean " + longToShort[c.Meant] + "?"
		}
		if strings.EqualFold(c.Name, c.Meant) {
			msg += " (function names are case-sensitive)"
		}
		return Diagnostics{{Severity: Error, Code: CodeUnsupportedFunction, Message: msg,
			Range: c.NameNode.Range(), Path: c.Node.Pointer()}}
	}
	if f == nil || !f.Supported {
		return Diagnostics{{Severity: Error, Code: CodeUnsupportedFunction,
			Message: c.Name + " is not supported in provisioning templates; AWS IoT documents only Ref, Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap and Fn::Sub",
			Range:   c.NameNode.Range(), Path: c.Node.Pointer()}}
	}
	bad := func(n Node, msg string) Diagnostics {
		return Diagnostics{{Severity: Error, Code: CodeFunctionArgs, Message: c.Name + " " + msg + "; write it as " + f.Usage,
			Range: n.Range(), Path: n.Pointer()}}
	}
	arr, isArr := c.Arg.(*Array)
	if !isArr || f.Args == nil {
		if f.Scalar == ArgNone {
			return bad(c.Arg, "takes an array of "+strconv.Itoa(len(f.Args))+" arguments, not "+article(KindOf(c.Arg)))
		}
		if !argFits(f.Scalar, c.Arg) {
			return bad(c.Arg, "takes "+f.Scalar.String()+", not "+describeArg(c.Arg))
		}
		return nil
	}
	if len(arr.Elems) != len(f.Args) {
		return bad(arr, "takes "+strconv.Itoa(len(f.Args))+" arguments, not "+strconv.Itoa(len(arr.Elems)))
	}
	for i, kind := range f.Args {
		if !argFits(kind, arr.Elems[i]) {
			return bad(arr.Elems[i], "argument "+strconv.Itoa(i+1)+" must be "+kind.String()+", not "+describeArg(arr.Elems[i]))
		}
	}
	return nil
}

func describeArg(n Node) string {
	if c, ok := AsCall(n); ok {
		return "a call to " + c.Name
	}
	return article(KindOf(n))
}

// argFits reports whether node n can be an argument of kind k.
func argFits(k ArgKind, n Node) bool {
	if c, ok := AsCall(n); ok {
		if c.Func == nil || !c.Func.Supported {
			return k != ArgLiteralString && k != ArgObject // reported on its own
		}
		switch k {
		case ArgString, ArgIndex:
			return c.Func.Result == ArgString || c.Func.Result == ArgAny
		case ArgList:
			return c.Func.Result == ArgList || c.Func.Result == ArgAny
		case ArgAny:
			return true
		}
		return false
	}
	switch v := n.(type) {
	case *String:
		return k == ArgLiteralString || k == ArgString || k == ArgIndex || k == ArgAny
	case *Array:
		return k == ArgList || k == ArgAny
	case *Number:
		_, whole := v.Int()
		return k == ArgIndex && whole
	case *Object:
		return k == ArgObject
	}
	return false
}
