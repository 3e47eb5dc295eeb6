// Package cbor converts between CBOR (RFC 8949) and the JSON data model,
// for the fleet provisioning API's CBOR topics: a request payload is read
// into the values encoding/json uses (map[string]any, []any, string,
// float64, bool, nil) and a reply is written from them. Only what JSON can
// hold is accepted: map keys are text, byte strings become base64 text
// (as AWS IoT's JSON payloads carry binary), tags are read through.
package cbor

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"unicode/utf8"
)

// MaxDepth is the deepest nesting read.
const MaxDepth = 64

// Decode reads exactly one CBOR data item.
func Decode(data []byte) (any, error) {
	d := decoder{data: data}
	v, err := d.item(0)
	if err != nil {
		return nil, err
	}
	if d.pos != len(d.data) {
		return nil, fmt.Errorf("cbor: %d bytes after the data item", len(d.data)-d.pos)
	}
	return v, nil
}

type decoder struct {
	data []byte
	pos  int
}

var errShort = errors.New("cbor: the data ends inside an item")

// errBreak marks the break code that ends an indefinite-length item.
var errBreak = errors.New("cbor: unexpected break code")

func (d *decoder) byte() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, errShort
	}
	b := d.data[d.pos]
	d.pos++
	return b, nil
}

// argument reads the argument of an initial byte's additional information;
// indefinite is set for 31.
func (d *decoder) argument(info byte) (n uint64, indefinite bool, err error) {
	var size int
	switch {
	case info < 24:
		return uint64(info), false, nil
	case info == 24:
		size = 1
	case info == 25:
		size = 2
	case info == 26:
		size = 4
	case info == 27:
		size = 8
	case info == 31:
		return 0, true, nil
	default:
		return 0, false, fmt.Errorf("cbor: reserved additional information %d", info)
	}
	if len(d.data)-d.pos < size {
		return 0, false, errShort
	}
	b := d.data[d.pos : d.pos+size]
	d.pos += size
	switch size {
	case 1:
		n = uint64(b[0])
	case 2:
		n = uint64(binary.BigEndian.Uint16(b))
	case 4:
		n = uint64(binary.BigEndian.Uint32(b))
	default:
		n = binary.BigEndian.Uint64(b)
	}
	return n, false, nil
}

// length checks a definite length against the bytes left (every element
// takes at least one byte).
func (d *decoder) length(n uint64) (int, error) {
	if n > uint64(len(d.data)-d.pos) {
		return 0, errShort
	}
	return int(n), nil
}

func (d *decoder) item(depth int) (any, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("cbor: nested deeper than %d", MaxDepth)
	}
	ib, err := d.byte()
	if err != nil {
		return nil, err
	}
	major, info := ib>>5, ib&31
	if major == 7 {
		return d.simple(info)
	}
	n, indefinite, err := d.argument(info)
	if err != nil {
		return nil, err
	}
	if indefinite && (major == 0 || major == 1 || major == 6) {
		return nil, fmt.Errorf("cbor: major type %d cannot have an indefinite length", major)
	}
	switch major {
	case 0:
		return float64(n), nil
	case 1:
		return -1 - float64(n), nil
	case 2, 3:
		b, err := d.str(major, n, indefinite)
		if err != nil {
			return nil, err
		}
		if major == 2 {
			return base64.StdEncoding.EncodeToString(b), nil
		}
		if !utf8.Valid(b) {
			return nil, errors.New("cbor: a text string is not UTF-8")
		}
		return string(b), nil
	case 4:
		list := []any{}
		for i := 0; indefinite || uint64(i) < n; i++ {
			if !indefinite && uint64(i) >= uint64(len(d.data)) {
				return nil, errShort
			}
			v, err := d.item(depth + 1)
			if indefinite && errors.Is(err, errBreak) {
				break
			}
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		return list, nil
	case 5:
		m := map[string]any{}
		for i := 0; indefinite || uint64(i) < n; i++ {
			if !indefinite && uint64(i) >= uint64(len(d.data)) {
				return nil, errShort
			}
			k, err := d.item(depth + 1)
			if indefinite && errors.Is(err, errBreak) {
				break
			}
			if err != nil {
				return nil, err
			}
			key, ok := k.(string)
			if !ok {
				return nil, fmt.Errorf("cbor: a map key is %T; only text keys map to JSON", k)
			}
			v, err := d.item(depth + 1)
			if err != nil {
				return nil, err
			}
			m[key] = v
		}
		return m, nil
	default: // 6: a tag; its content stands for it
		return d.item(depth + 1)
	}
}

// str reads a byte or text string, definite or made of definite chunks.
func (d *decoder) str(major byte, n uint64, indefinite bool) ([]byte, error) {
	if !indefinite {
		size, err := d.length(n)
		if err != nil {
			return nil, err
		}
		b := d.data[d.pos : d.pos+size]
		d.pos += size
		return b, nil
	}
	var out []byte
	for {
		ib, err := d.byte()
		if err != nil {
			return nil, err
		}
		if ib == 0xff {
			return out, nil
		}
		if ib>>5 != major {
			return nil, errors.New("cbor: a chunk of an indefinite string has another type")
		}
		cn, ind, err := d.argument(ib & 31)
		if err != nil {
			return nil, err
		}
		if ind {
			return nil, errors.New("cbor: nested indefinite string chunk")
		}
		chunk, err := d.str(major, cn, false)
		if err != nil {
			return nil, err
		}
		out = append(out, chunk...)
	}
}

func (d *decoder) simple(info byte) (any, error) {
	switch info {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22, 23:
		return nil, nil
	case 25, 26, 27:
		n, _, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		var f float64
		switch info {
		case 25:
			f = halfFloat(uint16(n))
		case 26:
			f = float64(math.Float32frombits(uint32(n)))
		default:
			f = math.Float64frombits(n)
		}
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, errors.New("cbor: NaN and infinity have no JSON form")
		}
		return f, nil
	case 31:
		return nil, errBreak
	}
	return nil, fmt.Errorf("cbor: simple value %d has no JSON form", info)
}

func halfFloat(h uint16) float64 {
	exp, mant := int(h>>10)&0x1f, float64(h&0x3ff)
	var f float64
	switch exp {
	case 0:
		f = math.Ldexp(mant, -24)
	case 31:
		f = math.Inf(1)
		if mant != 0 {
			f = math.NaN()
		}
	default:
		f = math.Ldexp(mant+1024, exp-25)
	}
	if h&0x8000 != 0 {
		f = -f
	}
	return f
}

// Encode writes a value of the JSON data model as CBOR, map keys in
// sorted order (whole numbers as integers, others as float64).
func Encode(v any) ([]byte, error) {
	return appendItem(nil, v, 0)
}

func appendHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= math.MaxUint8:
		return append(b, m|24, byte(n))
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, m|25), uint16(n))
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, m|26), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, m|27), n)
}

func appendItem(b []byte, v any, depth int) ([]byte, error) {
	if depth > MaxDepth {
		return nil, fmt.Errorf("cbor: nested deeper than %d", MaxDepth)
	}
	switch x := v.(type) {
	case nil:
		return append(b, 0xf6), nil
	case bool:
		if x {
			return append(b, 0xf5), nil
		}
		return append(b, 0xf4), nil
	case string:
		return append(appendHead(b, 3, uint64(len(x))), x...), nil
	case float64:
		switch {
		case x == math.Trunc(x) && x >= 0 && x < 1<<63:
			return appendHead(b, 0, uint64(x)), nil
		case x == math.Trunc(x) && x < 0 && x >= -(1<<63):
			return appendHead(b, 1, uint64(-1-x)), nil
		}
		return binary.BigEndian.AppendUint64(append(b, 0xfb), math.Float64bits(x)), nil
	case int:
		return appendItem(b, float64(x), depth)
	case []any:
		b = appendHead(b, 4, uint64(len(x)))
		for _, it := range x {
			var err error
			if b, err = appendItem(b, it, depth+1); err != nil {
				return nil, err
			}
		}
		return b, nil
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		b = appendHead(b, 5, uint64(len(keys)))
		for _, k := range keys {
			b = append(appendHead(b, 3, uint64(len(k))), k...)
			var err error
			if b, err = appendItem(b, x[k], depth+1); err != nil {
				return nil, err
			}
		}
		return b, nil
	}
	return nil, fmt.Errorf("cbor: cannot encode %T", v)
}
