package bulk

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
)

// endless is a reader of lines without end that closes stop once it has
// given after lines.
type endless struct {
	n, after int
	stop     chan struct{}
	buf      []byte
}

func (e *endless) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) {
		e.n++
		e.buf = fmt.Appendf(e.buf, `{"SerialNumber": "SN%d"}`+"\n", e.n)
		if e.n == e.after {
			close(e.stop)
		}
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// On interrupt, a run over an endless input stops reading, writes every
// line it read whole (JSON Lines output never ends in a cut-off line) and
// reports how many it planned.
func TestInterrupt(t *testing.T) {
	prog := compile(t, fleetBody)
	for _, format := range []string{FormatJSON, FormatText} {
		stop := make(chan struct{})
		var out bytes.Buffer
		in := &endless{after: 20_000, stop: stop}
		sum, err := Run(prog, in, &out, Options{Format: format, Workers: 2, Stop: stop})
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Interrupted || sum.Lines < 10_000 || sum.Lines > int64(in.n) {
			t.Fatalf("%s: interrupted %v after %d lines of %d given", format, sum.Interrupted, sum.Lines, in.n)
		}
		if format == FormatText {
			continue
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if int64(len(lines)) != sum.Lines || !strings.HasSuffix(out.String(), "\n") {
			t.Fatalf("%d output lines for %d planned", len(lines), sum.Lines)
		}
		for i, l := range lines {
			var v struct{ Line int64 }
			if err := json.Unmarshal([]byte(l), &v); err != nil || v.Line != int64(i+1) {
				t.Fatalf("output line %d: %v, line %d: %.100s", i+1, err, v.Line, l)
			}
		}
	}
}

// A bulk line whose parameter a template joins many times fails at
// RegisterThing's 4,096-character value limit instead of building the
// value, line after line.
func TestBulkValueCap(t *testing.T) {
	refs := strings.TrimSuffix(strings.Repeat(`{"Ref": "P"},`, 500), ",")
	prog := compile(t, `{"Parameters": {"P": {"Type": "String"}}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t", "AttributePayload": {"a": {"Fn::Join": ["", [`+refs+`]]}}}}}}`)
	line := `{"P": "` + strings.Repeat("x", 200_000) + `"}` + "\n"
	in := strings.Repeat(line, 20)
	var out bytes.Buffer
	var sum *Summary
	var err error
	allocs := testing.AllocsPerRun(1, func() {
		out.Reset()
		sum, err = Run(prog, strings.NewReader(in), &out, Options{Format: FormatText, Workers: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 20 || len(sum.Reasons) != 1 || sum.Reasons[0].Code != "PT133" {
		t.Fatalf("summary %+v", sum)
	}
	if allocs > 5000 {
		t.Errorf("%.0f allocations for 20 lines", allocs)
	}
}

// manyKeys is a bulk line of n distinct parameters and, when dup, one
// repeated at the end.
func manyKeys(n int, dup bool) string {
	var b strings.Builder
	b.WriteString(`{"SerialNumber": "SN1"`)
	for i := range n {
		fmt.Fprintf(&b, `,"k%d":""`, i)
	}
	if dup {
		b.WriteString(`,"k0":""`)
	}
	return b.String() + "}\n"
}

// A line of tens of thousands of parameters (256 KiB allows that) is
// checked for duplicates in linear time, and the duplicate is found.
func TestManyKeysDuplicate(t *testing.T) {
	prog := compile(t, fleetBody)
	var out bytes.Buffer
	sum, err := Run(prog, strings.NewReader(manyKeys(18_000, true)+manyKeys(18_000, false)), &out, Options{Format: FormatText, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Failed != 1 || !strings.Contains(out.String(), `parameter "k0" is given twice`) {
		t.Errorf("summary %+v, output %.300s", sum, out.String())
	}
}

func BenchmarkManyKeys(b *testing.B) {
	prog := compile(b, fleetBody)
	for _, n := range []int{9_000, 18_000} {
		line := manyKeys(n, false)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			b.SetBytes(int64(len(line)))
			for b.Loop() {
				if _, err := Run(prog, strings.NewReader(line), io.Discard, Options{Format: FormatNone, Workers: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
