package celexpr

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/google/cel-go/cel"
	"github.com/google/cel-go/common/functions"
	"github.com/google/cel-go/common/types"
	"github.com/google/cel-go/common/types/ref"
	"github.com/google/cel-go/common/types/traits"
)

// MaxStringBytes bounds the strings an expression may build. CEL charges a
// string function for its result after computing it, so a few chained
// calls of replace, join or format could allocate gigabytes before the cost
// limit stops them; the functions that can make a string much longer than
// their arguments are checked against this bound before they run.
const MaxStringBytes = 1 << 20

// sizeBounds gives, for each overload that can build a string much longer
// than its arguments, an upper bound of its result's size in bytes.
var sizeBounds = map[string]func(args []ref.Val) int{
	"string_replace_string_string":     func(a []ref.Val) int { return replaceBound(a, -1) },
	"string_replace_string_string_int": func(a []ref.Val) int { return replaceBound(a[:3], intArg(a[3])) },
	"list_join":                        func(a []ref.Val) int { return joinBound(a[0], "") },
	"list_join_string":                 func(a []ref.Val) int { return joinBound(a[0], strArg(a[1])) },
	"string_format": func(a []ref.Val) int {
		return len(strArg(a[0])) + 64*strings.Count(strArg(a[0]), "%") + valSize(a[1], 0)
	},
}

// boundedStrings redefines the overloads of sizeBounds in env with a check
// of the bound before the original implementation runs.
func boundedStrings(env *cel.Env) ([]cel.EnvOption, error) {
	var opts []cel.EnvOption
	for name, fn := range env.Functions() {
		bindings, err := fn.Bindings()
		if err != nil {
			return nil, err
		}
		impl := map[string]*functions.Overload{}
		for _, b := range bindings {
			impl[b.Operator] = b
		}
		for _, o := range fn.OverloadDecls() {
			bound, ok := sizeBounds[o.ID()]
			if !ok || impl[o.ID()] == nil {
				continue
			}
			orig, id := impl[o.ID()], o.ID()
			binding := cel.FunctionBinding(func(args ...ref.Val) ref.Val {
				if n := bound(args); n > MaxStringBytes {
					return types.NewErr("%s would build a string of more than %d bytes, over the limit of %d", name, n, MaxStringBytes)
				}
				return call(orig, args)
			})
			overload := cel.Overload
			if o.IsMemberFunction() {
				overload = cel.MemberOverload
			}
			opts = append(opts, cel.Function(name, overload(id, o.ArgTypes(), o.ResultType(), binding)))
		}
	}
	if len(opts) != len(sizeBounds) {
		return nil, fmt.Errorf("celexpr: %d of the %d size-checked string functions found", len(opts), len(sizeBounds))
	}
	return opts, nil
}

// call runs an overload's implementation with args.
func call(o *functions.Overload, args []ref.Val) ref.Val {
	switch {
	case o.Function != nil:
		return o.Function(args...)
	case len(args) == 1 && o.Unary != nil:
		return o.Unary(args[0])
	case len(args) == 2 && o.Binary != nil:
		return o.Binary(args[0], args[1])
	}
	return types.NewErr("no implementation of %s for %d arguments", o.Operator, len(args))
}

func strArg(v ref.Val) string {
	s, _ := v.(types.String)
	return string(s)
}

func intArg(v ref.Val) int {
	i, _ := v.(types.Int)
	return int(i)
}

// replaceBound is the size of s.replace(old, new[, limit]).
func replaceBound(args []ref.Val, limit int) int {
	s, old, repl := strArg(args[0]), strArg(args[1]), strArg(args[2])
	if len(repl) <= len(old) {
		return len(s)
	}
	var n int
	if old == "" {
		n = utf8.RuneCountInString(s) + 1
	} else {
		n = strings.Count(s, old)
	}
	if limit >= 0 {
		n = min(n, limit)
	}
	if n > 0 && len(repl)-len(old) > (MaxStringBytes+1)/n {
		return MaxStringBytes + 1 // the product would overflow; it is over anyway
	}
	return len(s) + n*(len(repl)-len(old))
}

// joinBound is the size of list.join(sep).
func joinBound(list ref.Val, sep string) int {
	l, ok := list.(traits.Lister)
	if !ok {
		return 0
	}
	total := 0
	it := l.Iterator()
	for it.HasNext() == types.True {
		total += len(strArg(it.Next())) + len(sep)
		if total > MaxStringBytes {
			break
		}
	}
	return total
}

// valSize is about the size of v written out, stopping once over
// MaxStringBytes.
func valSize(v ref.Val, depth int) int {
	if depth > 32 {
		return MaxStringBytes + 1
	}
	switch t := v.(type) {
	case types.String:
		return len(t)
	case types.Bytes:
		return 4 * len(t)
	case traits.Mapper:
		total := 2
		it := t.Iterator()
		for it.HasNext() == types.True && total <= MaxStringBytes {
			k := it.Next()
			total += valSize(k, depth+1) + valSize(t.Get(k), depth+1) + 4
		}
		return total
	case traits.Lister:
		total := 2
		it := t.Iterator()
		for it.HasNext() == types.True && total <= MaxStringBytes {
			total += valSize(it.Next(), depth+1) + 2
		}
		return total
	}
	return 32
}
