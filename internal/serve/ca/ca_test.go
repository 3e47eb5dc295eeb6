package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"strings"
	"testing"
)

func csr(t *testing.T, key crypto.Signer) string {
	t.Helper()
	der, err := x509.CreateCertificateRequest(rand.Reader, &x509.CertificateRequest{Subject: pkix.Name{CommonName: "d"}}, key)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE REQUEST", Bytes: der}))
}

func TestFromCSR(t *testing.T) {
	c, err := Load(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	p256, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	p384, _ := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	p224, _ := ecdsa.GenerateKey(elliptic.P224(), rand.Reader)
	rsa1024, _ := rsa.GenerateKey(rand.Reader, 1024)
	_, ed, _ := ed25519.GenerateKey(rand.Reader)
	good := csr(t, p256)
	tampered := []byte(good)
	block, _ := pem.Decode(tampered)
	block.Bytes[len(block.Bytes)-3] ^= 0xff
	for _, tc := range []struct {
		name, csr, err string
	}{
		{"P-256", good, ""},
		{"P-384", csr(t, p384), ""},
		{"P-224", csr(t, p224), "P-224"},
		{"RSA 1024", csr(t, rsa1024), "1024 bits"},
		{"Ed25519", csr(t, ed), "ed25519"},
		{"empty", "", "empty"},
		{"not PEM", "hello", "not a PEM"},
		{"too long", good + strings.Repeat(" ", MaxCSRChars), "characters"},
		{"bad signature", string(pem.EncodeToMemory(block)), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			iss, err := c.FromCSR(tc.csr)
			if tc.name == "bad signature" {
				if err == nil {
					t.Error("a tampered CSR was signed")
				}
				return
			}
			if tc.err == "" {
				if err != nil {
					t.Fatal(err)
				}
				cert, err := x509.ParseCertificate(iss.DER)
				if err != nil {
					t.Fatal(err)
				}
				if err := cert.CheckSignatureFrom(c.Root()); err != nil {
					t.Error(err)
				}
				if cert.Subject.CommonName != "d" {
					t.Errorf("subject %s, want the CSR's (CN=d)", cert.Subject)
				}
				if ID(iss.DER) != iss.ID || iss.KeyPEM != "" {
					t.Errorf("ID %s, key %q", iss.ID, iss.KeyPEM)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want one with %q", err, tc.err)
			}
		})
	}
}

func TestLoadKeepsTheRoot(t *testing.T) {
	dir := t.TempDir()
	a, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	b, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if string(a.RootPEM()) != string(b.RootPEM()) {
		t.Error("the root CA changed on reload")
	}
}
