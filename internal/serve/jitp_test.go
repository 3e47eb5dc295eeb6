package serve

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"log/slog"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// testCA is a CA of the device maker's own.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newTestCA(t testing.TB) *testCA {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "maker CA"}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		t.Fatal(err)
	}
	cert, _ := x509.ParseCertificate(der)
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// device issues a device certificate; the PEM holds the CA after the leaf,
// as devices present it on a first connection.
func (c *testCA) device(t testing.TB, subject pkix.Name) (chainPEM, keyPEM []byte) {
	t.Helper()
	key, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: subject, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, key.Public(), c.key)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, _ := x509.MarshalECPrivateKey(key)
	chain := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), c.pem...)
	return chain, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func certStatus(t testing.TB, s *Server, chainPEM []byte) string {
	var c store.Certificate
	err := s.store.View(func(tx *store.Tx) error {
		_, err := tx.Get(store.Certificates, ca.ID(pemBlock(t, chainPEM)), &c)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Status
}

func TestJITP(t *testing.T) {
	maker := newTestCA(t)
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, maker.pem, 0o644); err != nil {
		t.Fatal(err)
	}
	var log syncBuffer
	s := start(t, "", func(c *Config) {
		c.JITP = []NamedFile{{Name: caFile, Path: "testdata/jitp.json"}}
		c.Log = slog.New(slog.NewTextHandler(&log, nil))
	})
	t.Run("with every subject field", func(t *testing.T) {
		chain, key := maker.device(t, pkix.Name{CommonName: "jitp-1", Country: []string{"IE"}})
		if _, err := connect(t, s, chain, key, "jitp-1"); err == nil {
			t.Error("the first connection succeeded; AWS IoT closes it after registering the certificate")
		}
		if got := certStatus(t, s, chain); got != store.Active {
			t.Fatalf("after JITP the certificate is %q, want ACTIVE\n%s", got, log.String())
		}
		dev, err := connect(t, s, chain, key, "jitp-1")
		if err != nil {
			t.Fatalf("second connection: %v\n%s", err, log.String())
		}
		if err := dev.subscribe("devices/jitp-1/#"); err != nil {
			t.Fatal(err)
		}
		if err := dev.subscribe("devices/other/#"); err == nil {
			t.Error("subscribed to another device's topics")
		}
		var th store.Thing
		_ = s.store.View(func(tx *store.Tx) error { _, err := tx.Get(store.Things, "jitp-1", &th); return err })
		if th.Attributes["country"] != "IE" {
			t.Errorf("thing %+v: want attribute country IE from the certificate", th)
		}
	})
	t.Run("certificate alone", func(t *testing.T) {
		chain, key := maker.device(t, pkix.Name{CommonName: "jitp-alone", Country: []string{"IE"}})
		leaf := chain[:bytes.Index(chain, maker.pem)]
		if _, err := connect(t, s, leaf, key, "jitp-alone"); err == nil {
			t.Error("the first connection succeeded")
		}
		if _, err := connect(t, s, leaf, key, "jitp-alone"); err != nil {
			t.Errorf("second connection: %v", err)
		}
	})
	t.Run("without Country", func(t *testing.T) {
		chain, key := maker.device(t, pkix.Name{CommonName: "jitp-2"})
		for range 2 {
			if _, err := connect(t, s, chain, key, "jitp-2"); err == nil {
				t.Error("a device whose provisioning failed connected")
			}
		}
		if got := certStatus(t, s, chain); got != store.PendingActivation {
			t.Errorf("the certificate is %q, want PENDING_ACTIVATION", got)
		}
		// The log says why, at the template's position.
		if out := log.String(); !strings.Contains(out, "JITP failed") || !strings.Contains(out, "testdata/jitp.json:") || !strings.Contains(out, "Country") {
			t.Errorf("the log does not say why JITP failed, with the template position:\n%s", out)
		}
	})
	t.Run("another CA", func(t *testing.T) {
		chain, key := newTestCA(t).device(t, pkix.Name{CommonName: "jitp-3", Country: []string{"IE"}})
		if _, err := connect(t, s, chain, key, "jitp-3"); err == nil {
			t.Error("a certificate from an unregistered CA connected")
		}
		if got := certStatus(t, s, chain); got != "" {
			t.Errorf("a certificate from an unregistered CA was registered %s", got)
		}
	})
}
