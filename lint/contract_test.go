package lint

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// The contract between lint and plan: if lint reports an error that says
// provisioning or creation would fail (a check of the service model, or a
// parse error), then plan fails for every input it is given; equivalently,
// if plan succeeds, lint reports no such error. These tests generate
// templates and inputs and check it.

// claims are the codes of lint's own rules whose errors say that AWS would
// refuse the template (the rest of lint's own rules concern what works
// other than meant: escaping debris, permissive policies, placeholders).
var claims = map[string]bool{
	"PT020": true, "PT021": true, "PT107": true, "PT203": true, "PT204": true, "PT242": true, "PT243": true, "PT244": true,
	"PT261": true, "PT329": true,
}

// failureClaim reports whether a lint finding says that AWS would refuse.
func failureClaim(d template.Diagnostic) bool {
	if d.Severity != template.Error {
		return false
	}
	if c := model.CheckByCode(d.Code); c != nil || claims[d.Code] {
		return true
	}
	return strings.HasPrefix(d.Code, "PT0") && d.Code < "PT018" // the parser's
}

// gen builds a template and inputs from a stream of choices. A clean
// generator makes every choice the good one (the first of every pick)
// except one, chosen at random, where it makes any choice: its templates
// hold one mistake or none, which is where a lint claim that the plan does
// not back shows. The other generator makes any choice everywhere.
type gen struct {
	r     *rand.Rand
	clean bool
	n     int // choices made so far
	spoil int // the choice a clean generator makes freely
}

// free reports whether this choice may be any, and counts it.
func (g *gen) free() bool {
	g.n++
	return !g.clean || g.n == g.spoil
}

func (g *gen) pick(xs ...string) string {
	if !g.free() {
		return xs[0]
	}
	return xs[g.r.IntN(len(xs))]
}

func (g *gen) str(params []string) string {
	ref := func() string { return `{"Ref": "` + params[g.r.IntN(len(params))] + `"}` }
	if !g.free() {
		switch g.r.IntN(3) {
		case 0:
			return `"sensor-1"`
		case 1:
			return ref()
		}
		return `{"Fn::Join": ["", ["sensor_", ` + ref() + `]]}`
	}
	switch g.r.IntN(13) {
	case 11:
		return `{"Fn::Sub": "x-${iot:ClientId}"}`
	case 0:
		return `"sensor-1"`
	case 1:
		return `"bad name"`
	case 2:
		return `{"Fn::Join": ["", ["sensor_", ` + ref() + `]]}`
	case 3:
		return `{"Fn::Join": [" ", ["sensor", ` + ref() + `]]}`
	case 4:
		return ref()
	case 5:
		return `{"Fn::Sub": "dev-${` + params[g.r.IntN(len(params))] + `}"}`
	case 6:
		return `42`
	case 7:
		return `{"a": "b"}`
	case 8:
		return `["x"]`
	case 9:
		return `""`
	case 10:
		return `"` + strings.Repeat("a", 130) + `"`
	}
	return `{"Fn::FindInMap": ["M", ` + ref() + `, "v"]}`
}

func (g *gen) template() (body string, params []string) {
	params = []string{"P1", "P2", "AWS::IoT::Certificate::Id"}
	if g.r.IntN(3) == 0 || g.clean && g.r.IntN(2) == 0 {
		// Only certificate parameters: a template JITP can use, so that
		// JITP plans get past the parameters to the rest.
		params = []string{"AWS::IoT::Certificate::CommonName", "AWS::IoT::Certificate::Id"}
	}
	var decl []string
	for _, p := range params {
		if g.r.IntN(4) > 0 {
			d := `"` + p + `": {"Type": "String"`
			switch g.r.IntN(5) {
			case 0:
				d += `, "Default": "d"`
			case 1:
				d += `, "Default": 7`
			}
			decl = append(decl, d+"}")
		}
	}
	var res []string
	if g.r.IntN(5) > 0 {
		props := []string{}
		if g.r.IntN(6) > 0 {
			props = append(props, `"ThingName": `+g.str(params))
		}
		if g.r.IntN(2) == 0 {
			props = append(props, `"ThingTypeName": `+g.str(params))
		}
		if g.r.IntN(2) == 0 {
			props = append(props, `"ThingGroups": [`+g.str(params)+`]`)
		}
		if g.r.IntN(2) == 0 {
			props = append(props, `"AttributePayload": {"a": `+g.str(params)+`, "b": "1", "c": "2"`+g.pick("", `, "d": "3"`)+`}`)
		}
		over := g.pick("", `, "OverrideSettings": {"ThingGroups": "MERGE"}`, `, "OverrideSettings": {"ThingTypeName": "MERGE"}`, `, "OverrideSettings": {"AttributePayload": "FAIL"}`)
		res = append(res, `"thing": {"Type": "AWS::IoT::Thing", "Properties": {`+strings.Join(props, ", ")+`}`+over+`}`)
	}
	if g.r.IntN(5) > 0 {
		src := g.pick(`"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}`, `"CertificateId": `+g.str(params), `"CertificateSigningRequest": {"Ref": "P1"}`,
			`"CertificateId": "0x`+strings.Repeat("a", 64)+`"`, `"CertificateId": "`+strings.Repeat("b", 64)+`"`, ``)
		status := g.pick(``, `, "Status": "Active"`, `, "Status": "ENABLED"`, `, "Status": 1`, `, "ThingPrincipalType": "BOGUS"`, `, "ThingPrincipalType": "EXCLUSIVE_THING"`)
		if src == "" {
			status = strings.TrimPrefix(status, ", ")
		}
		res = append(res, `"certificate": {"Type": "AWS::IoT::Certificate", "Properties": {`+src+status+`}}`)
	}
	if g.r.IntN(4) > 0 {
		p := g.pick(`"PolicyName": `+g.str(params), `"PolicyDocument": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"*\"}]}"`,
			`"PolicyDocument": "\"{}\""`, `"PolicyDocument": "not json"`, ``, `"PolicyName": "p", "PolicyDocument": {}`,
			`"PolicyDocument": {"Version": "2012-10-17"}`, `"PolicyDocument": {"Ref": "P1"}`, `"PolicyName": "p", "Bogus": "x"`,
			`"PolicyDocument": {"Fn::Sub": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"iot:Connect\", \"Resource\": \"arn:aws:iot:*:*:client/${`+g.pick("iot:Connection.Thing.ThingName", "!iot:ClientId", "P1")+`}\"}]}"}`)
		res = append(res, `"policy": {"Type": "AWS::IoT::Policy", "Properties": {`+p+`}}`)
	}
	if !g.clean && g.r.IntN(8) == 0 {
		res = append(res, `"role": {"Type": "AWS::IAM::Role", "Properties": {}}`)
	}
	body = `{"Parameters": {` + strings.Join(decl, ", ") + `}`
	if g.r.IntN(20) > 0 {
		body += `, "Resources": {` + strings.Join(res, ", ") + `}`
	}
	switch g.r.IntN(4) {
	case 0:
		body += `, "Mappings": {"M": {"k": {"v": ` + g.pick(`"x"`, `{"Ref": "P1"}`) + `}}}`
	case 1:
		body += `, "DeviceConfiguration": {"a": ` + g.str(params) + `}`
	}
	body += "}"
	switch g.r.IntN(4) {
	case 0:
		extra := g.pick(`, "enabled": true`, `, "enabled": false`, ``, `, "enabled": true, "type": "JITP"`, `, "enabled": true, "type": "FLEET"`,
			`, "enabled": true, "preProvisioningHook": {"targetArn": "`+g.pick("arn:aws:lambda:us-east-1:123456789012:function:h", "h")+`", "payloadVersion": "`+g.pick("2020-04-01", "1")+`"}`)
		role := g.pick(`"provisioningRoleArn": "arn:aws:iam::123456789012:role/R", `, `"provisioningRoleArn": "R", `, ``)
		body = `{"templateName": "` + g.pick("fleet", "bad name") + `", ` + role + `"templateBody": ` + jsonString(body) + extra + `}`
	case 1:
		body = `{"templateBody": ` + jsonString(body) + g.pick(`, "roleArn": "arn:aws:iam::123456789012:role/R"`, ``) + `}`
	}
	return body, params
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// inputs draws parameter values, good and bad.
func (g *gen) inputs(params []string) []eval.Param {
	var out []eval.Param
	for _, p := range params {
		if g.r.IntN(5) == 0 {
			continue
		}
		v := g.pick("k", "SN1", "has space", "", strings.Repeat("c", 64), "x/y", strings.Repeat("z", 4100))
		if p == "AWS::IoT::Certificate::Id" && g.clean {
			v = strings.Repeat("c", 64)
		}
		out = append(out, eval.Param{Name: p, Value: v})
	}
	return out
}

// registry draws an existing registry, or none: every name the generator
// uses exists, and a thing "sensor-1" may already be there.
func (g *gen) registry() *eval.Registry {
	if g.r.IntN(2) == 0 {
		return nil
	}
	names := map[string]bool{"sensor-1": true, "k": true, "SN1": true, "p": true, "sensor_k": true, "dev-k": true}
	r := &eval.Registry{Things: map[string]eval.ExistingThing{}, ThingTypes: names, ThingGroups: names, BillingGroups: names,
		Policies: map[string]eval.Value{"sensor-1": {}, "k": {}, "SN1": {}, "p": {}}, Certificates: map[string]eval.ExistingCertificate{}}
	if g.r.IntN(2) == 0 {
		r.Things["sensor-1"] = eval.ExistingThing{Attributes: [][2]string{{"x", "1"}}, ThingGroups: []string{"k"}}
	}
	return r
}

// hook draws a pre-provisioning hook answer, or none.
func (g *gen) hook(params []string) *eval.HookResponse {
	switch g.r.IntN(4) {
	case 0:
		return &eval.HookResponse{AllowProvisioning: true, ParameterOverrides: g.inputs(params)}
	case 1:
		return &eval.HookResponse{AllowProvisioning: g.clean}
	}
	return nil
}

// checkContract lints a generated template and plans it for several
// inputs, and fails when lint claims a failure the plan does not find.
func checkContract(t *testing.T, seed1, seed2 uint64) {
	r := rand.New(rand.NewPCG(seed1, seed2))
	g := &gen{r: r, clean: r.IntN(2) == 0, spoil: 1 + r.IntN(24)}
	body, params := g.template()
	requested := []string{"", "", eval.FleetProvisioning, eval.JITP, eval.BulkRegistration}[r.IntN(5)]
	res := Check("t.json", []byte(body), Options{Type: requested})
	var claims []template.Diagnostic
	for _, d := range res.Diagnostics {
		if failureClaim(d) {
			claims = append(claims, d)
		}
	}
	prog := eval.CompileFile("t.json", []byte(body), template.ParseOptions{})
	typ, _ := eval.InferType(prog.File(), requested)
	for range 4 {
		in := eval.Input{Type: typ, Params: g.inputs(params), Existing: g.registry(), Hook: g.hook(params)}
		if typ == eval.JITP {
			in.Params = nil
		}
		plan := prog.Plan(in)
		if len(claims) > 0 && plan.Outcome == "success" {
			t.Fatalf("lint says provisioning fails, plan succeeds\ntemplate: %s\nparams: %v\nlint: %v", body, in.Params, claims)
		}
	}
}

// TestLintPlanContract checks the contract on generated templates.
func TestLintPlanContract(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	for i := range n {
		checkContract(t, uint64(i), 7)
	}
}

// FuzzLintPlanContract lets the fuzzer choose the templates and inputs.
func FuzzLintPlanContract(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Fuzz(func(t *testing.T, a, b uint64) { checkContract(t, a, b) })
}

// TestContractEverySection places each mistake lint can call a failure in
// each section of an otherwise good template of each type, including the
// sections a type does not evaluate (a JITP template's DeviceConfiguration,
// a Mappings entry nothing looks up), and checks the contract for each: a
// claim there must be one the plan backs.
func TestContractEverySection(t *testing.T) {
	mistakes := []string{
		`{"Fn::Sub": "x-${iot:ClientId}"}`,
		`{"Fn::Sub": "x-${Undeclared}"}`,
		`{"Fn::If": ["c", "x", "y"]}`,
		`{"Fn::GetAtt": ["thing", "Arn"]}`,
		`{"Fn::Join": [""]}`,
		`{"Fn::Join": ["", ["a", {"b": "c"}]]}`,
		`{"Ref": "thing"}`,
		`{"Ref": "AWS::Region"}`,
		`{"Ref": "Undeclared"}`,
		`{"Ref": "Serial"}`,
		`{"Fn::FindInMap": ["Nope", "k", "v"]}`,
		`{"Fn::FindInMap": ["M", "k", "nope"]}`,
		`{"Fn::Select": ["5", ["x"]]}`,
		`{"Fn::Split": [",", {"b": "c"}]}`,
		`{"b": "c"}`,
		`["x"]`,
		`42`,
		`"has space"`,
		`""`,
	}
	// Each place holds %s once; the rest of each template is good for its
	// type.
	places := []string{
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": %s}}, POLICY}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t", "AttributePayload": {"a": %s}}}, POLICY}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t", "ThingGroups": [%s]}}, POLICY}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}, POLICY}, "DeviceConfiguration": {"a": %s}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}, POLICY}, "Mappings": {"M": {"k": {"v": "x"}, "unused": {"v": %s}}}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::FindInMap": ["M", "k", "v"]}}}, POLICY}, "Mappings": {"M": {"k": {"v": %s}}}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}, "policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": %s}}}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}, "Metadata": {"m": %s}}, POLICY}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}, "OverrideSettings": {"ThingGroups": %s}}, POLICY}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}, POLICY}, "Outputs": {"o": %s}`,
		`"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}, POLICY}`, // with the mistake in a parameter's Description
	}
	inDescription := len(places) - 1
	const policy = `"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "DevicePolicy"}}`
	type form struct {
		name, params string
		wrap         func(body string) string
		in           eval.Input
	}
	forms := []form{
		{"jitp", `"AWS::IoT::Certificate::CommonName": {"Type": "String"}`,
			func(b string) string {
				return `{"templateBody": ` + jsonString(b) + `, "roleArn": "arn:aws:iam::123456789012:role/R"}`
			},
			eval.Input{}},
		{"jitp with a parameter it cannot fill", `"AWS::IoT::Certificate::CommonName": {"Type": "String"}, "Serial": {"Type": "String"}`,
			func(b string) string {
				return `{"templateBody": ` + jsonString(b) + `, "roleArn": "arn:aws:iam::123456789012:role/R"}`
			},
			eval.Input{}},
		{"fleet", `"Serial": {"Type": "String"}`,
			func(b string) string {
				return `{"templateName": "fleet", "provisioningRoleArn": "arn:aws:iam::123456789012:role/R", "enabled": true, "templateBody": ` + jsonString(b) + `}`
			},
			eval.Input{Params: []eval.Param{{Name: "Serial", Value: "SN1"}}}},
		{"bulk", `"Serial": {"Type": "String"}`, func(b string) string { return b },
			eval.Input{Params: []eval.Param{{Name: "Serial", Value: "SN1"}}}},
	}
	for _, f := range forms {
		for pi, place := range places {
			for _, m := range mistakes {
				params := f.params
				if pi == inDescription {
					params += `, "AWS::IoT::Certificate::Country": {"Type": "String", "Description": ` + m + `}`
				}
				body := `{"Parameters": {` + params + `}, ` + strings.Replace(strings.Replace(place, "%s", m, 1), "POLICY", policy, 1) + `}`
				file := f.wrap(body)
				typ := ""
				if f.name == "bulk" { // a bare body: the type is the request's
					typ = eval.BulkRegistration
				}
				var claims []template.Diagnostic
				for _, d := range Check("t.json", []byte(file), Options{Type: typ}).Diagnostics {
					if failureClaim(d) {
						claims = append(claims, d)
					}
				}
				prog := eval.CompileFile("t.json", []byte(file), template.ParseOptions{})
				in := f.in
				in.Type, _ = eval.InferType(prog.File(), typ)
				if plan := prog.Plan(in); len(claims) > 0 && plan.Outcome == "success" {
					t.Errorf("%s, place %d, %s: lint says provisioning fails, plan succeeds\ntemplate: %s\nlint: %v", f.name, pi, m, file, claims)
				}
			}
		}
	}
}
