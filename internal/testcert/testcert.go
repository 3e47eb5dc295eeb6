// Package testcert makes deterministic X.509 certificates for tests and
// examples: the same subject always gives the same certificate, and so the
// same AWS IoT certificate ID.
package testcert

import (
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"
)

var oids = map[string]asn1.ObjectIdentifier{
	"C":            {2, 5, 4, 6},
	"O":            {2, 5, 4, 10},
	"OU":           {2, 5, 4, 11},
	"dnQualifier":  {2, 5, 4, 46},
	"ST":           {2, 5, 4, 8},
	"CN":           {2, 5, 4, 3},
	"serialNumber": {2, 5, 4, 5},
}

// Subject parses "CN=dev1,C=JP,serialNumber=42" into a distinguished name.
// Attribute names are C, O, OU, dnQualifier, ST, CN and serialNumber.
func Subject(spec string) (pkix.Name, error) {
	var name pkix.Name
	if spec == "" {
		return name, nil
	}
	for _, part := range strings.Split(spec, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		oid, known := oids[k]
		if !ok || !known {
			return name, fmt.Errorf("testcert: bad subject attribute %q (want KEY=VALUE with KEY one of C, O, OU, dnQualifier, ST, CN, serialNumber)", part)
		}
		name.ExtraNames = append(name.ExtraNames, pkix.AttributeTypeAndValue{Type: oid, Value: v})
	}
	return name, nil
}

// PEM returns a self-signed Ed25519 certificate for the subject, in PEM.
// Ed25519 signatures are deterministic and the key, serial number and
// validity are derived from the subject, so the output is stable.
func PEM(subject string) ([]byte, error) {
	name, err := Subject(subject)
	if err != nil {
		return nil, err
	}
	seed := sha256.Sum256([]byte("iotpt testcert " + subject))
	key := ed25519.NewKeyFromSeed(seed[:])
	tmpl := &x509.Certificate{
		SerialNumber: new(big.Int).SetBytes(seed[:8]),
		Subject:      name,
		NotBefore:    time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		NotAfter:     time.Date(2036, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	der, err := x509.CreateCertificate(nil, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
