package eval_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/testcert"
	"github.com/iotpt/iotpt/template"
)

// subjectFields pairs each certificate parameter with the testcert
// attribute that carries it.
var subjectFields = []struct{ param, attr string }{
	{"AWS::IoT::Certificate::Country", "C"},
	{"AWS::IoT::Certificate::Organization", "O"},
	{"AWS::IoT::Certificate::OrganizationalUnit", "OU"},
	{"AWS::IoT::Certificate::DistinguishedNameQualifier", "dnQualifier"},
	{"AWS::IoT::Certificate::StateName", "ST"},
	{"AWS::IoT::Certificate::CommonName", "CN"},
	{"AWS::IoT::Certificate::SerialNumber", "serialNumber"},
}

// TestJITPEachSubjectField plans a JITP template that declares one subject
// parameter, with a certificate that has that field and with one that has
// every other field but that one.
func TestJITPEachSubjectField(t *testing.T) {
	for _, f := range subjectFields {
		t.Run(f.attr, func(t *testing.T) {
			body := `{"Parameters": {"` + f.param + `": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
				"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t1", "AttributePayload": {"v": {"Ref": "` + f.param + `"}}}},
				"certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}},
				"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "DevicePolicy"}}}}`
			var others []string
			for _, o := range subjectFields {
				if o.attr != f.attr {
					others = append(others, o.attr+"=x"+o.attr)
				}
			}
			with := plan(t, body, f.attr+"=value-1")
			if with.Outcome != "success" {
				t.Fatalf("with %s: %v", f.attr, with.Errors)
			}
			attrs, _ := with.Resources[0].Properties.Get("AttributePayload")
			if v, _ := attrs.Get("v"); v.Text() != "value-1" {
				t.Errorf("attribute from %s = %q", f.attr, v.Display())
			}
			without := plan(t, body, strings.Join(others, ","))
			if without.Outcome != "failure" || len(without.Errors) != 1 || without.Errors[0].Code != eval.CodeCertAttrMissing {
				t.Fatalf("without %s: outcome %s, errors %v", f.attr, without.Outcome, without.Errors)
			}
			if !strings.Contains(without.Errors[0].Message, f.attr) {
				t.Errorf("the error does not name the attribute %s: %s", f.attr, without.Errors[0].Message)
			}
		})
	}
}

func plan(t *testing.T, body, subject string) *eval.Plan {
	t.Helper()
	pemBytes, err := testcert.PEM(subject)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := eval.ParseCertificate(pemBytes)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := eval.PlanFile("t.json", []byte(body), template.ParseOptions{}, eval.Input{Type: eval.JITP, Certificate: cert})
	return p
}

// TestCertificateID checks the ID against a SHA-256 computed here from the
// PEM's DER bytes.
func TestCertificateID(t *testing.T) {
	pemBytes, _ := testcert.PEM("CN=dev")
	block, _ := pem.Decode(pemBytes)
	sum := sha256.Sum256(block.Bytes)
	c, err := eval.ParseCertificate(append([]byte("junk before\n"), pemBytes...))
	if err != nil {
		t.Fatal(err)
	}
	if c.ID != hex.EncodeToString(sum[:]) {
		t.Errorf("ID %s, want %s", c.ID, hex.EncodeToString(sum[:]))
	}
	if _, err := eval.ParseCertificate([]byte("not a certificate")); err == nil {
		t.Error("no error for a file without a certificate")
	}
	bad := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: []byte{1, 2, 3}})
	if _, err := eval.ParseCertificate(bad); err == nil {
		t.Error("no error for a corrupt certificate")
	}
}

// TestValueJSON checks that values keep template order and that unknowns
// can never pass for strings.
func TestValueJSON(t *testing.T) {
	body := `{"Parameters": {"Known": {"Type": "String"}, "Later": {"Type": "String"}},
		"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t"}}},
		"DeviceConfiguration": {"z": {"Ref": "Known"}, "a": {"Fn::Join": ["-", ["x", {"Ref": "Later"}]]}, "m": "lit"}}`
	p, _ := eval.PlanFile("t.json", []byte(body), template.ParseOptions{}, eval.Input{Params: []eval.Param{{Name: "Known", Value: `say "hi"`}}, Unknowns: true})
	got := string(p.DeviceConfiguration.AppendJSON(nil))
	want := `{"z":"say \"hi\"","a":{"unknown":"x-<Later>"},"m":"lit"}`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
	var v any
	if err := json.Unmarshal(p.AppendJSON(nil), &v); err != nil {
		t.Errorf("plan JSON does not decode: %v", err)
	}
}

// TestProgramConcurrentUse evaluates one compiled program from many
// goroutines with different parameters (run with -race).
func TestProgramConcurrentUse(t *testing.T) {
	data := []byte(`{"Parameters": {"Serial": {"Type": "String"}},
		"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Fn::Join": ["_", ["dev", {"Ref": "Serial"}]]}}}}}`)
	f, _ := template.Parse("t.json", data, template.ParseOptions{})
	prog, diags := eval.Compile(f)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				serial := fmt.Sprintf("%d-%d", g, i)
				p := prog.Plan(eval.Input{Params: []eval.Param{{Name: "Serial", Value: serial}}})
				if got := p.ThingName.Text(); got != "dev_"+serial {
					t.Errorf("thing name %q for serial %s", got, serial)
					return
				}
			}
		}()
	}
	wg.Wait()
}
