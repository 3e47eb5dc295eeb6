package eval

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"slices"

	"github.com/iotpt/iotpt/internal/model"
)

// CertParamPrefix starts the names of the parameters AWS IoT fills from the
// device certificate.
const CertParamPrefix = "AWS::IoT::Certificate::"

// CertParamID is the certificate ID parameter: the lowercase hex SHA-256 of
// the DER certificate, not a value of its subject.
const CertParamID = CertParamPrefix + "Id"

// CertSubjectParams maps each certificate subject parameter to the X.520
// attribute it is read from. AWS names the parameters but not the OIDs; the
// mapping is the standard one (C, O, OU, dnQualifier, ST, CN, serialNumber),
// and SerialNumber is the subject's serialNumber attribute, not the
// certificate's serial number.
var CertSubjectParams = []struct {
	Param string
	Attr  string
	OID   asn1.ObjectIdentifier
}{
	{CertParamPrefix + "Country", "C (Country)", asn1.ObjectIdentifier{2, 5, 4, 6}},
	{CertParamPrefix + "Organization", "O (Organization)", asn1.ObjectIdentifier{2, 5, 4, 10}},
	{CertParamPrefix + "OrganizationalUnit", "OU (OrganizationalUnit)", asn1.ObjectIdentifier{2, 5, 4, 11}},
	{CertParamPrefix + "DistinguishedNameQualifier", "dnQualifier (DistinguishedNameQualifier)", asn1.ObjectIdentifier{2, 5, 4, 46}},
	{CertParamPrefix + "StateName", "ST (StateOrProvinceName)", asn1.ObjectIdentifier{2, 5, 4, 8}},
	{CertParamPrefix + "CommonName", "CN (CommonName)", asn1.ObjectIdentifier{2, 5, 4, 3}},
	{CertParamPrefix + "SerialNumber", "serialNumber (subject SerialNumber)", asn1.ObjectIdentifier{2, 5, 4, 5}},
}

// IsCertParam reports whether name is one of the eight parameters AWS IoT
// fills from the device certificate in JITP.
func IsCertParam(name string) bool {
	if name == CertParamID {
		return true
	}
	for _, p := range CertSubjectParams {
		if p.Param == name {
			return true
		}
	}
	return false
}

// Certificate is what a plan needs of a device certificate.
type Certificate struct {
	ID      string            // lowercase hex SHA-256 of the DER encoding
	Subject map[string]string // certificate parameter name -> value, for the attributes present
}

// ParseCertificate reads the first certificate of a PEM file.
func ParseCertificate(data []byte) (*Certificate, error) {
	var block *pem.Block
	for rest := data; ; {
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no PEM certificate found; expected a -----BEGIN CERTIFICATE----- block")
		}
		if block.Type == "CERTIFICATE" {
			break
		}
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the PEM block is not a valid X.509 certificate: %v", err)
	}
	sum := sha256.Sum256(cert.Raw)
	c := &Certificate{ID: hex.EncodeToString(sum[:]), Subject: map[string]string{}}
	// A multi-valued attribute gives its first value; AWS does not document
	// this case.
	for _, name := range cert.Subject.Names {
		for _, p := range CertSubjectParams {
			if name.Type.Equal(p.OID) {
				if _, seen := c.Subject[p.Param]; !seen {
					c.Subject[p.Param] = fmt.Sprint(name.Value)
				}
			}
		}
	}
	return c, nil
}

// CertPEMProblem checks a PEM certificate given to RegisterThing
// (CertificatePem, CACertificatePem in property prop): it must be a PEM
// CERTIFICATE block holding an X.509 certificate. It returns "" for one
// that parses.
func CertPEMProblem(prop, text string) string {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "CERTIFICATE" {
		return prop + " is not a PEM certificate (-----BEGIN CERTIFICATE-----)"
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return prop + " does not parse as an X.509 certificate: " + err.Error()
	}
	return ""
}

// CSRProblem checks a PEM certificate signing request as AWS IoT does when
// it signs one: it must parse, its signature must verify, and its key must
// be RSA of at least 2,048 bits or ECC on P-256, P-384 or P-521. It
// returns "" for a CSR AWS accepts.
func CSRProblem(text string) string {
	block, _ := pem.Decode([]byte(text))
	if block == nil || (block.Type != "CERTIFICATE REQUEST" && block.Type != "NEW CERTIFICATE REQUEST") {
		return "CertificateSigningRequest is not a PEM certificate request (-----BEGIN CERTIFICATE REQUEST-----)"
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return "CertificateSigningRequest does not parse: " + err.Error()
	}
	if err := csr.CheckSignature(); err != nil {
		return "the CSR's signature does not verify: " + err.Error()
	}
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		if bits := k.N.BitLen(); bits < model.MinRSABits {
			return fmt.Sprintf("the CSR has a %d-bit RSA key; AWS IoT signs RSA keys of at least %d bits (U18)", bits, model.MinRSABits)
		}
	case *ecdsa.PublicKey:
		if !slices.Contains(model.CSRCurves, k.Curve.Params().Name) {
			return "the CSR's ECC key is on " + k.Curve.Params().Name + "; AWS IoT signs P-256, P-384 and P-521 keys (U18)"
		}
	default:
		return fmt.Sprintf("the CSR has a %s key; AWS IoT signs RSA (2,048 bits or more) and ECC (P-256, P-384, P-521) keys (U18)", csr.PublicKeyAlgorithm)
	}
	return ""
}
