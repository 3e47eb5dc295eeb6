package serve

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// timeout bounds every wait of these tests.
const timeout = 15 * time.Second

// testLog sends the endpoint's log to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(b), "\n"))
	return len(b), nil
}

// start runs an endpoint on free ports in dir (a fresh one when empty)
// with the test templates, and stops it at the end of the test.
func start(t testing.TB, dir string, mod ...func(*Config)) *Server {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	cfg := Config{
		Dir: dir, MQTTAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0",
		Templates: []NamedFile{{Name: "Fleet", Path: "testdata/fleet.json"}},
		Log:       slog.New(slog.NewTextHandler(testWriter{t}, nil)),
	}
	for _, m := range mod {
		m(&cfg)
	}
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// client is an MQTT client of the endpoint.
type client struct {
	t    testing.TB
	c    paho.Client
	msgs chan paho.Message
}

// dest is where a test client connects: an MQTT address and the root CA.
type dest struct {
	addr  string
	roots []byte
}

func destOf(s *Server) dest { return dest{s.Info().MQTT, s.ca.RootPEM()} }

// connect connects with a certificate and key (PEM) as clientID.
func connect(t testing.TB, s *Server, certPEM, keyPEM []byte, clientID string) (*client, error) {
	t.Helper()
	return connectTo(t, destOf(s), certPEM, keyPEM, clientID)
}

func connectTo(t testing.TB, d dest, certPEM, keyPEM []byte, clientID string) (*client, error) {
	t.Helper()
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(d.roots)
	cl := &client{t: t, msgs: make(chan paho.Message, 16)}
	opts := paho.NewClientOptions().AddBroker("tls://" + d.addr).SetClientID(clientID).
		SetTLSConfig(&tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}}).
		SetProtocolVersion(4).SetAutoReconnect(false).SetConnectRetry(false).SetConnectTimeout(timeout).
		SetDefaultPublishHandler(func(_ paho.Client, m paho.Message) { cl.msgs <- m })
	cl.c = paho.NewClient(opts)
	tok := cl.c.Connect()
	if !tok.WaitTimeout(timeout) {
		t.Fatal("connect timed out")
	}
	if err := tok.Error(); err != nil {
		return nil, err
	}
	t.Cleanup(func() { cl.c.Disconnect(0) })
	return cl, nil
}

// connectFiles connects with a certificate and key from files.
func connectFiles(t testing.TB, s *Server, certFile, keyFile, clientID string) (*client, error) {
	t.Helper()
	certPEM, err := os.ReadFile(certFile)
	if err != nil {
		t.Fatal(err)
	}
	keyPEM, err := os.ReadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	return connect(t, s, certPEM, keyPEM, clientID)
}

func claimClient(t testing.TB, s *Server, clientID string) *client {
	t.Helper()
	info := s.Info()
	cl, err := connectFiles(t, s, info.ClaimCert, info.ClaimKey, clientID)
	if err != nil {
		t.Fatalf("claim connection: %v", err)
	}
	return cl
}

func (cl *client) subscribe(filter string) error {
	tok := cl.c.Subscribe(filter, 1, nil)
	if !tok.WaitTimeout(timeout) {
		cl.t.Fatal("subscribe timed out")
	}
	if err := tok.Error(); err != nil {
		return err
	}
	if st, ok := tok.(*paho.SubscribeToken); ok {
		for _, code := range st.Result() {
			if code >= 0x80 {
				return fmt.Errorf("subscription to %s refused (SUBACK %#x)", filter, code)
			}
		}
	}
	return nil
}

func (cl *client) publish(topic string, payload []byte) error {
	tok := cl.c.Publish(topic, 1, false, payload)
	if !tok.WaitTimeout(timeout) {
		return fmt.Errorf("publish to %s timed out", topic)
	}
	return tok.Error()
}

// next waits for the next message.
func (cl *client) next() paho.Message {
	cl.t.Helper()
	select {
	case m := <-cl.msgs:
		return m
	case <-time.After(timeout):
		cl.t.Fatal("no message within the timeout")
		return nil
	}
}

// call publishes an API request after subscribing to its replies, and
// returns the reply's topic suffix ("accepted" or "rejected") and payload.
func (cl *client) call(topic string, payload any) (string, map[string]any) {
	cl.t.Helper()
	for _, f := range []string{topic + "/accepted", topic + "/rejected"} {
		if err := cl.subscribe(f); err != nil {
			cl.t.Fatal(err)
		}
	}
	var body []byte
	switch p := payload.(type) {
	case []byte:
		body = p
	default:
		body, _ = json.Marshal(p)
	}
	if err := cl.publish(topic, body); err != nil {
		cl.t.Fatal(err)
	}
	m := cl.next()
	var out map[string]any
	if err := json.Unmarshal(m.Payload(), &out); err != nil {
		cl.t.Fatalf("reply on %s: %v: %s", m.Topic(), err, m.Payload())
	}
	suffix, ok := strings.CutPrefix(m.Topic(), topic+"/")
	if !ok {
		cl.t.Fatalf("reply on %s, want %s/...", m.Topic(), topic)
	}
	return suffix, out
}

func newCSR(t testing.TB) (csrPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "device"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

func TestStartWritesFilesAndKeepsTheClaimCertificate(t *testing.T) {
	dir := t.TempDir()
	s := start(t, dir)
	info := s.Info()
	for _, f := range []string{info.RootCA, info.ClaimCert, info.ClaimKey} {
		if _, err := os.Stat(f); err != nil {
			t.Error(err)
		}
	}
	if !strings.HasPrefix(info.MQTT, "127.0.0.1:") || strings.HasSuffix(info.MQTT, ":0") || !strings.HasPrefix(info.API, "http://127.0.0.1:") {
		t.Errorf("addresses %q, %q: want 127.0.0.1 with a picked port", info.MQTT, info.API)
	}
	if diff := cmp.Diff([]string{"Fleet"}, info.Templates); diff != "" {
		t.Errorf("templates (-want +got):\n%s", diff)
	}
	claim, _ := os.ReadFile(info.ClaimCert)
	s.Close()
	s2 := start(t, dir)
	claim2, _ := os.ReadFile(s2.Info().ClaimCert)
	if string(claim) != string(claim2) {
		t.Error("the claim certificate changed across a restart; it is made once per directory")
	}
	// The server certificate verifies for the IP and for localhost.
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s2.ca.RootPEM())
	leaf, err := tls.LoadX509KeyPair(filepath.Join(dir, ca.ServerCertFile), filepath.Join(dir, ca.ServerKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"127.0.0.1", "localhost"} {
		if _, err := leaf.Leaf.Verify(x509.VerifyOptions{DNSName: name, Roots: roots}); err != nil {
			t.Errorf("server certificate for %s: %v", name, err)
		}
	}
}

func TestJSONLine(t *testing.T) {
	got := string(Info{MQTT: "127.0.0.1:1", API: "http://127.0.0.1:2", Dir: "d", RootCA: "d/root-ca.pem", ClaimCert: "d/claim.pem", ClaimKey: "d/claim.key", Templates: []string{"A", "B"}}.JSONLine())
	want := `{"mqtt": "127.0.0.1:1", "api": "http://127.0.0.1:2", "dir": "d", "rootCA": "d/root-ca.pem", "claimCert": "d/claim.pem", "claimKey": "d/claim.key", "templates": ["A", "B"]}` + "\n"
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// provision runs the whole flow by claim and returns the device's
// certificate and key.
func provisionDevice(t *testing.T, s *Server, claimID, serial string, csr bool) (certPEM, keyPEM []byte) {
	t.Helper()
	cl := claimClient(t, s, claimID)
	var res map[string]any
	var outcome string
	if csr {
		var csrPEM []byte
		csrPEM, keyPEM = newCSR(t)
		outcome, res = cl.call("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": string(csrPEM)})
	} else {
		outcome, res = cl.call("$aws/certificates/create/json", []byte{})
		keyPEM = []byte(fmt.Sprint(res["privateKey"]))
	}
	if outcome != "accepted" {
		t.Fatalf("create certificate: %s %v", outcome, res)
	}
	certPEM = []byte(res["certificatePem"].(string))
	c, err := x509.ParseCertificate(pemBlock(t, certPEM))
	if err != nil {
		t.Fatal(err)
	}
	if got := res["certificateId"]; got != ca.ID(c.Raw) {
		t.Errorf("certificateId %v, want the SHA-256 of the DER %s", got, ca.ID(c.Raw))
	}
	outcome, res = cl.call("$aws/provisioning-templates/Fleet/provision/json", map[string]any{
		"certificateOwnershipToken": res["certificateOwnershipToken"],
		"parameters":                map[string]string{"SerialNumber": serial},
	})
	want := map[string]any{"thingName": "dev-" + serial, "deviceConfiguration": map[string]any{"Firmware": "1.2.3", "Serial": serial}}
	if outcome != "accepted" {
		t.Fatalf("RegisterThing: %s %v", outcome, res)
	}
	if diff := cmp.Diff(want, res); diff != "" {
		t.Errorf("RegisterThing accepted payload (-want +got):\n%s", diff)
	}
	return certPEM, keyPEM
}

func pemBlock(t testing.TB, data []byte) []byte {
	b, _ := pem.Decode(data)
	if b == nil {
		t.Fatalf("no PEM block in %q", data)
	}
	return b.Bytes
}

func TestProvisionAndReconnect(t *testing.T) {
	s := start(t, "")
	for _, tc := range []struct {
		name   string
		csr    bool
		serial string
	}{{"CreateKeysAndCertificate", false, "K1"}, {"CreateCertificateFromCsr", true, "C1"}} {
		t.Run(tc.name, func(t *testing.T) {
			certPEM, keyPEM := provisionDevice(t, s, "claim-"+tc.serial, tc.serial, tc.csr)
			thing := "dev-" + tc.serial
			if _, err := connect(t, s, certPEM, keyPEM, "someone-else"); err == nil {
				t.Error("the device connected with a client ID other than its thing name; its policy allows only its thing name")
			}
			dev, err := connect(t, s, certPEM, keyPEM, thing)
			if err != nil {
				t.Fatalf("reconnect with the new certificate: %v", err)
			}
			if err := dev.subscribe("devices/" + thing + "/#"); err != nil {
				t.Fatal(err)
			}
			if err := dev.subscribe("devices/admin/#"); err == nil {
				t.Error("subscription to devices/admin/# allowed; the Deny statement must win")
			}
			if err := dev.publish("devices/"+thing+"/hello", []byte("hi")); err != nil {
				t.Fatal(err)
			}
			if m := dev.next(); m.Topic() != "devices/"+thing+"/hello" || string(m.Payload()) != "hi" {
				t.Errorf("got %s %q", m.Topic(), m.Payload())
			}
			var cert store.Certificate
			err = s.store.View(func(tx *store.Tx) error {
				_, err := tx.Get(store.Certificates, ca.ID(pemBlock(t, certPEM)), &cert)
				return err
			})
			if err != nil || cert.Status != store.Active {
				t.Errorf("certificate status %q (%v), want ACTIVE", cert.Status, err)
			}
		})
	}
}

func TestRegisterThingRejections(t *testing.T) {
	s := start(t, "")
	cl := claimClient(t, s, "claim")
	csrPEM, _ := newCSR(t)
	_, res := cl.call("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": string(csrPEM)})
	token := res["certificateOwnershipToken"]
	topic := "$aws/provisioning-templates/Fleet/provision/json"
	for _, tc := range []struct {
		name    string
		payload any
		status  float64
		code    string
		message string
	}{
		{"missing parameter", map[string]any{"certificateOwnershipToken": token}, 400, "InvalidParameters", "SerialNumber"},
		{"no token", map[string]any{"parameters": map[string]string{"SerialNumber": "X"}}, 400, "InvalidCertificateOwnershipToken", "Certificate ownership token cannot be empty."},
		{"unknown token", map[string]any{"certificateOwnershipToken": "nope", "parameters": map[string]string{"SerialNumber": "X"}}, 400, "InvalidCertificateOwnershipToken", "invalid"},
		{"not JSON", []byte("{"), 400, "InvalidPayload", "JSON"},
		{"number parameter", []byte(`{"certificateOwnershipToken": "t", "parameters": {"SerialNumber": 5}}`), 400, "InvalidPayload", "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			outcome, res := cl.call(topic, tc.payload)
			if outcome != "rejected" || res["statusCode"] != tc.status || res["errorCode"] != tc.code || !strings.Contains(fmt.Sprint(res["errorMessage"]), tc.message) {
				t.Errorf("got %s %v; want rejected %v %s with %q in the message", outcome, res, tc.status, tc.code, tc.message)
			}
		})
	}
	// The certificate stays PENDING_ACTIVATION: it cannot connect.
	outcome, res := cl.call("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": "not a CSR"})
	if outcome != "rejected" || res["errorCode"] != "InvalidCertificateSigningRequest" {
		t.Errorf("bad CSR: %s %v", outcome, res)
	}
}

// A reply carries a private key: only the requesting client gets it, even
// when another client subscribed to the same reply topic first.
func TestRepliesGoOnlyToTheRequester(t *testing.T) {
	s := start(t, "")
	a, b := claimClient(t, s, "claim-a"), claimClient(t, s, "claim-b")
	for _, f := range []string{"$aws/certificates/create/json/accepted", "$aws/certificates/create/json/rejected"} {
		if err := b.subscribe(f); err != nil {
			t.Fatal(err)
		}
	}
	_, ra := a.call("$aws/certificates/create/json", []byte{})
	_, rb := b.call("$aws/certificates/create/json", []byte{})
	if ra["certificateId"] == rb["certificateId"] {
		t.Errorf("client b got client a's certificate %v", ra["certificateId"])
	}
}

func TestUnregisteredCertificateRefused(t *testing.T) {
	s := start(t, "")
	other, err := ca.Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	iss, err := other.NewKeyAndCertificate()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := connect(t, s, []byte(iss.CertPEM), []byte(iss.KeyPEM), "x"); err == nil {
		t.Error("a certificate the endpoint never registered connected")
	}
}

// Provisioned devices talk to each other through the broker.
func TestDevicesTalkToEachOther(t *testing.T) {
	s := start(t, "")
	certA, keyA := provisionDevice(t, s, "claim-a", "TA", true)
	certB, keyB := provisionDevice(t, s, "claim-b", "TB", true)
	a, err := connect(t, s, certA, keyA, "dev-TA")
	if err != nil {
		t.Fatal(err)
	}
	b, err := connect(t, s, certB, keyB, "dev-TB")
	if err != nil {
		t.Fatal(err)
	}
	if err := a.subscribe("devices/+/status"); err != nil {
		t.Fatal(err)
	}
	if err := b.publish("devices/dev-TB/status", []byte("up")); err != nil {
		t.Fatal(err)
	}
	if m := a.next(); m.Topic() != "devices/dev-TB/status" || string(m.Payload()) != "up" {
		t.Errorf("device a got %s %q", m.Topic(), m.Payload())
	}
}
