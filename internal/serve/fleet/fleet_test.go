package fleet

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/cbor"
	"github.com/iotpt/iotpt/internal/serve/store"
	"github.com/iotpt/iotpt/template"
)

const testTemplate = `{
  "Parameters": {"SerialNumber": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
  "Resources": {
    "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}}},
    "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}
  }
}`

func newService(t testing.TB) *Service {
	t.Helper()
	return newServiceWith(t, testTemplate)
}

func newServiceWith(t testing.TB, body string) *Service {
	t.Helper()
	dir := t.TempDir()
	c, err := ca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f, diags := template.Parse("t.json", []byte(body), template.ParseOptions{})
	prog, more := eval.Compile(f)
	if err := append(diags, more...).Err(); err != nil {
		t.Fatal(err)
	}
	tmpl := &Template{Name: "T", Program: prog, Enabled: true}
	return &Service{Store: st, CA: c, Log: slog.New(slog.DiscardHandler), Templates: func(name string) (*Template, bool) {
		return tmpl, name == "T"
	}}
}

func TestDecodeRegisterRequest(t *testing.T) {
	for _, tc := range []struct {
		payload, code string
	}{
		{`{"certificateOwnershipToken": "t", "parameters": {"a": "b"}}`, ""},
		{`{"certificateOwnershipToken": "t"}`, ""},
		{`{"parameters": {"a": "b"}}`, "InvalidCertificateOwnershipToken"},
		{``, "InvalidPayload"},
		{`[]`, "InvalidPayload"},
		{`{"certificateOwnershipToken": "t"} {}`, "InvalidPayload"},
		{`{"certificateOwnershipToken": "t", "parameters": {"a": 1}}`, "InvalidPayload"},
		{`{"certificateOwnershipToken": 5}`, "InvalidPayload"},
	} {
		_, rej := DecodeRegisterRequest([]byte(tc.payload))
		got := ""
		if rej != nil {
			got = rej.ErrorCode
		}
		if got != tc.code {
			t.Errorf("%s: error code %q, want %q", tc.payload, got, tc.code)
		}
	}
}

func TestHandleTopics(t *testing.T) {
	s := newService(t)
	for _, tc := range []struct {
		topic   string
		payload string
		handled bool
		reply   string
	}{
		{"$aws/certificates/create/json", "", true, "$aws/certificates/create/json/accepted"},
		{"$aws/certificates/create-from-csr/json", `{"certificateSigningRequest": "x"}`, true, "$aws/certificates/create-from-csr/json/rejected"},
		{"$aws/provisioning-templates/T/provision/json", `{}`, true, "$aws/provisioning-templates/T/provision/json/rejected"},
		{"$aws/provisioning-templates/Nope/provision/json", `{"certificateOwnershipToken": "x"}`, true, "$aws/provisioning-templates/Nope/provision/json/rejected"},
		{"$aws/provisioning-templates/T/provision/json/accepted", `{}`, false, ""},
		{"devices/a", `{}`, false, ""},
	} {
		reply, ok := s.Handle(context.Background(), Request{ClientID: "c", Topic: tc.topic, Payload: []byte(tc.payload)})
		if ok != tc.handled || reply.Topic != tc.reply {
			t.Errorf("%s: handled %v reply %q, want %v %q", tc.topic, ok, reply.Topic, tc.handled, tc.reply)
		}
	}
}

// The certificate's subject, from the CSR, fills the certificate
// parameters, as iotpt plan --cert does.
func TestCSRSubjectParameters(t *testing.T) {
	s := newServiceWith(t, `{
  "Parameters": {"AWS::IoT::Certificate::CommonName": {"Type": "String"}, "AWS::IoT::Certificate::Id": {"Type": "String"}},
  "Resources": {
    "thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "AWS::IoT::Certificate::CommonName"}}},
    "certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}}
  }
}`)
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	der, _ := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "from-csr"}}, key)
	csr, _ := json.Marshal(CSRRequest{CertificateSigningRequest: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))})
	reply, _ := s.Handle(context.Background(), Request{ClientID: "c", Topic: CreateFromCSRTopic, Payload: csr})
	var created createdCertificate
	if err := json.Unmarshal(reply.Payload, &created); err != nil || created.CertificateOwnershipToken == "" {
		t.Fatalf("%s %s", reply.Topic, reply.Payload)
	}
	req, _ := json.Marshal(RegisterRequest{CertificateOwnershipToken: created.CertificateOwnershipToken})
	reply, _ = s.Handle(context.Background(), Request{ClientID: "c", Topic: ProvisionTopic("T"), Payload: req})
	if !strings.Contains(string(reply.Payload), `"thingName":"from-csr"`) {
		t.Errorf("%s %s; want thing from-csr", reply.Topic, reply.Payload)
	}
}

// A token provisions once; the second RegisterThing with it is rejected.
func TestTokenIsUsedOnce(t *testing.T) {
	s := newService(t)
	reply, _ := s.Handle(context.Background(), Request{ClientID: "c", Topic: CreateTopic})
	var created createdCertificate
	if err := json.Unmarshal(reply.Payload, &created); err != nil {
		t.Fatal(err)
	}
	req, _ := json.Marshal(RegisterRequest{CertificateOwnershipToken: created.CertificateOwnershipToken, Parameters: map[string]string{"SerialNumber": "S1"}})
	for i, want := range []string{"accepted", "rejected"} {
		reply, _ := s.Handle(context.Background(), Request{ClientID: "c", Topic: ProvisionTopic("T"), Payload: req})
		if !strings.HasSuffix(reply.Topic, "/"+want) {
			t.Errorf("RegisterThing %d: %s %s, want %s", i+1, reply.Topic, reply.Payload, want)
		}
	}
}

// The CBOR topics take and give CBOR, through the same decoders.
func TestCBOR(t *testing.T) {
	s := newService(t)
	reply, _ := s.Handle(context.Background(), Request{ClientID: "c", Topic: "$aws/certificates/create/cbor"})
	if reply.Topic != "$aws/certificates/create/cbor/accepted" {
		t.Fatalf("create: %s", reply.Topic)
	}
	v, err := cbor.Decode(reply.Payload)
	if err != nil {
		t.Fatal(err)
	}
	created := v.(map[string]any)
	req, _ := cbor.Encode(map[string]any{"certificateOwnershipToken": created["certificateOwnershipToken"], "parameters": map[string]any{"SerialNumber": "C1"}})
	reply, _ = s.Handle(context.Background(), Request{ClientID: "c", Topic: "$aws/provisioning-templates/T/provision/cbor", Payload: req})
	got, err := cbor.Decode(reply.Payload)
	if err != nil || reply.Topic != "$aws/provisioning-templates/T/provision/cbor/accepted" || got.(map[string]any)["thingName"] != "C1" {
		t.Errorf("RegisterThing in CBOR: %s %v %v", reply.Topic, got, err)
	}
	reply, _ = s.Handle(context.Background(), Request{ClientID: "c", Topic: "$aws/provisioning-templates/T/provision/cbor", Payload: []byte{0xa1}})
	got, _ = cbor.Decode(reply.Payload)
	if m, _ := got.(map[string]any); reply.Topic != "$aws/provisioning-templates/T/provision/cbor/rejected" || m["errorCode"] != "InvalidPayload" {
		t.Errorf("bad CBOR: %s %v", reply.Topic, got)
	}
}

// FuzzHandle: any payload on any API topic gets exactly one reply, on the
// topic's accepted or rejected topic, with a JSON object; never a panic.
func FuzzHandle(f *testing.F) {
	for _, seed := range []string{"", "{}", `{"certificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----\nAA==\n-----END CERTIFICATE REQUEST-----"}`, `{"certificateOwnershipToken": "t", "parameters": {"SerialNumber": "x"}}`, `{"parameters": null}`, "\x00\xff"} {
		for topic := range 5 {
			f.Add(uint8(topic), []byte(seed))
		}
	}
	s := newService(f)
	topics := []string{CreateFromCSRTopic, ProvisionTopic("T"), ProvisionTopic("Nope"), "$aws/provisioning-templates/T/provision/cbor", "$aws/certificates/create-from-csr/cbor"}
	f.Fuzz(func(t *testing.T, topic uint8, payload []byte) {
		tp := topics[int(topic)%len(topics)]
		reply, ok := s.Handle(context.Background(), Request{ClientID: "c", Topic: tp, Payload: payload})
		if !ok || (reply.Topic != tp+"/accepted" && reply.Topic != tp+"/rejected") {
			t.Fatalf("reply %q on %q", reply.Topic, tp)
		}
		var v map[string]any
		if strings.HasSuffix(tp, "/cbor") {
			d, err := cbor.Decode(reply.Payload)
			if err != nil {
				t.Fatalf("reply payload %x: %v", reply.Payload, err)
			}
			v, _ = d.(map[string]any)
		} else if err := json.Unmarshal(reply.Payload, &v); err != nil {
			t.Fatalf("reply payload %q: %v", reply.Payload, err)
		}
		if strings.HasSuffix(reply.Topic, "/rejected") && (v["statusCode"] == nil || v["errorCode"] == nil || v["errorMessage"] == nil) {
			t.Fatalf("rejected payload %s lacks statusCode, errorCode or errorMessage", reply.Payload)
		}
	})
}

func FuzzDecodeCSRRequest(f *testing.F) {
	f.Add([]byte(`{"certificateSigningRequest": "x"}`))
	f.Add([]byte(`{"certificateSigningRequest": 1}`))
	f.Fuzz(func(t *testing.T, payload []byte) {
		r, rej := DecodeCSRRequest(payload)
		if (r == nil) == (rej == nil) {
			t.Fatalf("want exactly one of a request and a rejection, got %v %v", r, rej)
		}
		if r != nil {
			_, _ = ca.ParseCSR(r.CertificateSigningRequest)
		}
	})
}
