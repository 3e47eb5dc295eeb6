package bulk

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"testing"
)

// benchLines generates n parameter lines for the example fleet template.
func benchLines(n int) []byte {
	var b bytes.Buffer
	locs := []string{"Tokyo", "Dublin", "Seattle"}
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, `{"SerialNumber":"SN%08d","DeviceLocation":"%s","Firmware":"1.1.1","AWS::IoT::Certificate::Id":"%064x"}`+"\n", i, locs[i%3], i)
	}
	return b.Bytes()
}

// BenchmarkBulk runs the whole pipeline (read, decode, plan on every core,
// order, encode) over 100,000 lines of the example fleet template; ns/op is
// per line.
func BenchmarkBulk(b *testing.B) {
	body, err := os.ReadFile("../../examples/fleet-provisioning/template.json")
	if err != nil {
		b.Fatal(err)
	}
	prog := compile(b, string(body))
	const n = 100000
	input := benchLines(n)
	for _, format := range []string{FormatNone, FormatJSON} {
		name := map[string]string{FormatNone: "summary-only", FormatJSON: "json"}[format]
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(input)) / n)
			b.ReportAllocs()
			for b.Loop() {
				sum, err := Run(prog, bytes.NewReader(input), io.Discard, Options{Format: format, InputSize: int64(len(input))})
				if err != nil || sum.Failed != 0 {
					b.Fatalf("%v %+v", err, sum.Reasons)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/line")
		})
	}
}
