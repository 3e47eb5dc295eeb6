package testcert_test

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"testing"

	"github.com/iotpt/iotpt/internal/testcert"
)

func TestPEMIsDeterministicAndCarriesTheSubject(t *testing.T) {
	a, err := testcert.PEM("CN=dev-1,C=JP,dnQualifier=q1,serialNumber=42")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := testcert.PEM("CN=dev-1,C=JP,dnQualifier=q1,serialNumber=42")
	if !bytes.Equal(a, b) {
		t.Fatal("two certificates for one subject differ")
	}
	block, _ := pem.Decode(a)
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	if cert.Subject.CommonName != "dev-1" || cert.Subject.Country[0] != "JP" || cert.Subject.SerialNumber != "42" {
		t.Errorf("subject %v", cert.Subject)
	}
	if _, err := testcert.PEM("XX=1"); err == nil {
		t.Error("unknown attribute accepted")
	}
}
