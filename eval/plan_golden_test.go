package eval_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/golden"
	"github.com/iotpt/iotpt/internal/render"
	"github.com/iotpt/iotpt/internal/testcert"
	"github.com/iotpt/iotpt/template"
)

// TestPlanGolden plans the first section of each testdata/plan archive.
// Header lines give the input: "type: JITP", "params: K=V K=V" (like -p),
// "cert: CN=dev,C=JP" (a certificate generated with that subject),
// "region:", "account:", and "json: true" to also compare the JSON form.
// Optional sections params.json, hook.json and existing.json are the
// --params, --hook-response and --existing files.
func TestPlanGolden(t *testing.T) {
	golden.Run(t, "../testdata/plan/*.txtar", func(t *testing.T, c *golden.Case) {
		in := eval.Input{Type: c.Header("type"), Region: c.Header("region"), Account: c.Header("account")}
		var inputDiags template.Diagnostics
		sources := render.Sources{}
		for _, f := range c.Archive.Files {
			sources.Add(template.NewSource(f.Name, f.Data))
		}
		if data, ok := c.File("params.json"); ok {
			pairs, d := eval.ParseParams("params.json", data)
			in.Params, inputDiags = pairs, append(inputDiags, d...)
		}
		for _, kv := range strings.Fields(c.Header("params")) {
			k, v, _ := strings.Cut(kv, "=")
			in.Params = append(in.Params, eval.Param{Name: k, Value: v})
		}
		if subject, ok := headerSet(c, "cert"); ok {
			pemBytes, err := testcert.PEM(subject)
			if err != nil {
				t.Fatal(err)
			}
			if in.Certificate, err = eval.ParseCertificate(pemBytes); err != nil {
				t.Fatal(err)
			}
		}
		if data, ok := c.File("hook.json"); ok {
			var d template.Diagnostics
			in.Hook, d = eval.ParseHookResponse("hook.json", data)
			inputDiags = append(inputDiags, d...)
		}
		if data, ok := c.File("existing.json"); ok {
			var d template.Diagnostics
			in.Existing, d = eval.ParseRegistry("existing.json", data)
			inputDiags = append(inputDiags, d...)
		}
		if len(inputDiags) > 0 {
			t.Fatalf("input files: %v", inputDiags)
		}
		tf := c.Archive.Files[0]
		plan, f := eval.PlanFile(tf.Name, tf.Data, template.ParseOptions{}, in)
		var text strings.Builder
		render.Plan(&text, plan, sources.Add(f.Source))
		c.Check(t, "want", text.String())
		if c.Header("json") == "true" {
			var buf bytes.Buffer
			if err := json.Indent(&buf, plan.AppendJSON(nil), "", "  "); err != nil {
				t.Fatalf("plan JSON is invalid: %v", err)
			}
			buf.WriteByte('\n')
			c.Check(t, "want.json", buf.String())
		}
	})
}

// headerSet returns a header's value and whether the header is present
// (an empty "cert:" means a certificate with an empty subject).
func headerSet(c *golden.Case, key string) (string, bool) {
	for _, line := range strings.Split(string(c.Archive.Comment), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == key {
			return strings.TrimSpace(v), true
		}
	}
	return "", false
}
