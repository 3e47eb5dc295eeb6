// Package ca is the local certificate authority of iotpt serve: the root
// CA devices trust instead of AmazonRootCA1, the server certificate, the
// claim certificate, and the certificates CreateKeysAndCertificate and
// CreateCertificateFromCsr issue.
package ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// File names in the endpoint's directory.
const (
	RootCertFile   = "root-ca.pem"
	RootKeyFile    = "root-ca.key"
	ClaimCertFile  = "claim.pem"
	ClaimKeyFile   = "claim.key"
	ServerCertFile = "server.pem"
	ServerKeyFile  = "server.key"
)

// MaxCSRChars is the longest CSR CreateCertificateFromCsr takes.
const MaxCSRChars = 4096

// CA signs certificates with the local root.
type CA struct {
	cert *x509.Certificate
	key  crypto.Signer
	pem  []byte
}

// ID returns the certificate ID AWS IoT gives a DER certificate: the
// lowercase hex SHA-256 of the DER.
func ID(der []byte) string {
	sum := sha256.Sum256(der)
	return hex.EncodeToString(sum[:])
}

// Load reads the root CA of dir, creating it on first use.
func Load(dir string) (*CA, error) {
	certPath, keyPath := filepath.Join(dir, RootCertFile), filepath.Join(dir, RootKeyFile)
	certPEM, err1 := os.ReadFile(certPath)
	keyPEM, err2 := os.ReadFile(keyPath)
	if errors.Is(err1, os.ErrNotExist) && errors.Is(err2, os.ErrNotExist) {
		return create(certPath, keyPath)
	}
	if err1 != nil {
		return nil, err1
	}
	if err2 != nil {
		return nil, err2
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return nil, fmt.Errorf("%s and %s: %v; delete both to make a new root CA", certPath, keyPath, err)
	}
	signer, ok := pair.PrivateKey.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("%s: the key cannot sign", keyPath)
	}
	return &CA{cert: pair.Leaf, key: signer, pem: certPEM}, nil
}

func create(certPath, keyPath string) (*CA, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial(),
		Subject:               pkix.Name{Organization: []string{"iotpt"}, CommonName: "iotpt serve local root CA"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.AddDate(10, 0, 0),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	if err != nil {
		return nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := writeFiles(certPath, certPEM, keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})); err != nil {
		return nil, err
	}
	return &CA{cert: cert, key: key, pem: certPEM}, nil
}

// writeFiles writes a certificate and its key, the key readable by the
// owner only; each file appears whole (written aside, then renamed).
func writeFiles(certPath string, certPEM []byte, keyPath string, keyPEM []byte) error {
	for _, f := range []struct {
		path string
		data []byte
		mode os.FileMode
	}{{keyPath, keyPEM, 0o600}, {certPath, certPEM, 0o644}} {
		tmp := f.path + ".tmp"
		if err := os.WriteFile(tmp, f.data, f.mode); err != nil {
			return err
		}
		if err := os.Rename(tmp, f.path); err != nil {
			return err
		}
	}
	return nil
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return n
}

// RootPEM returns the root certificate in PEM.
func (c *CA) RootPEM() []byte { return c.pem }

// Root returns the root certificate.
func (c *CA) Root() *x509.Certificate { return c.cert }

// ServerCert issues a fresh TLS server certificate for localhost and
// 127.0.0.1 (DNS and IP SANs, as SDKs and mosquitto verify the IP) and
// writes it, with its key, in dir.
func (c *CA) ServerCert(dir string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      pkix.Name{CommonName: "localhost"},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(1, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:     []string{"localhost"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, c.cert, key.Public(), c.key)
	if err != nil {
		return tls.Certificate{}, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return tls.Certificate{}, err
	}
	certPEM := append(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), c.pem...)
	err = writeFiles(filepath.Join(dir, ServerCertFile), certPEM, filepath.Join(dir, ServerKeyFile), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}))
	if err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der, c.cert.Raw}, PrivateKey: key, Leaf: leaf}, nil
}

// Issue signs a device certificate for pub and returns its DER.
func (c *CA) Issue(pub crypto.PublicKey, subject pkix.Name) ([]byte, error) {
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial(),
		Subject:      subject,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     time.Date(2049, 12, 31, 23, 59, 59, 0, time.UTC), // as AWS IoT's certificates
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	return x509.CreateCertificate(rand.Reader, tmpl, c.cert, pub, c.key)
}

// Issued is a certificate the CA made, with its key when the CA made that too.
type Issued struct {
	ID      string
	DER     []byte
	CertPEM string
	KeyPEM  string // empty for a certificate from a CSR
}

// NewKeyAndCertificate makes an RSA 2048 key pair (as CreateKeysAndCertificate
// does) and a certificate for it.
func (c *CA) NewKeyAndCertificate() (*Issued, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	der, err := c.Issue(key.Public(), pkix.Name{CommonName: "AWS IoT Certificate"})
	if err != nil {
		return nil, err
	}
	return &Issued{
		ID: ID(der), DER: der,
		CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})),
		KeyPEM:  string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})),
	}, nil
}

// FromCSR checks a PEM certificate signing request as
// CreateCertificateFromCsr does (at most 4096 characters, a valid
// signature, an RSA key of at least 2048 bits or an ECC P-256, P-384 or
// P-521 key) and issues a certificate for its key and subject. The error
// says what is wrong with the CSR.
func (c *CA) FromCSR(csrPEM string) (*Issued, error) {
	csr, err := ParseCSR(csrPEM)
	if err != nil {
		return nil, err
	}
	der, err := c.Issue(csr.PublicKey, csr.Subject)
	if err != nil {
		return nil, err
	}
	return &Issued{ID: ID(der), DER: der, CertPEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))}, nil
}

// ParseCSR reads and checks a PEM CSR (see FromCSR).
func ParseCSR(csrPEM string) (*x509.CertificateRequest, error) {
	if csrPEM == "" {
		return nil, errors.New("the certificate signing request is empty")
	}
	if len(csrPEM) > MaxCSRChars {
		return nil, fmt.Errorf("the certificate signing request has %d characters; the most is %d", len(csrPEM), MaxCSRChars)
	}
	block, _ := pem.Decode([]byte(csrPEM))
	if block == nil || block.Type != "CERTIFICATE REQUEST" {
		return nil, errors.New("the certificate signing request is not a PEM -----BEGIN CERTIFICATE REQUEST----- block")
	}
	csr, err := x509.ParseCertificateRequest(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("the certificate signing request cannot be parsed: %v", err)
	}
	if err := csr.CheckSignature(); err != nil {
		return nil, fmt.Errorf("the certificate signing request's signature is invalid: %v", err)
	}
	switch k := csr.PublicKey.(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < 2048 {
			return nil, fmt.Errorf("the certificate signing request has an RSA key of %d bits; AWS IoT requires at least 2048", k.N.BitLen())
		}
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256(), elliptic.P384(), elliptic.P521():
		default:
			return nil, fmt.Errorf("the certificate signing request has an ECC key on curve %s; AWS IoT takes P-256, P-384 or P-521", k.Curve.Params().Name)
		}
	default:
		return nil, fmt.Errorf("the certificate signing request has a %T key; AWS IoT takes RSA (2048 bits or more) or ECC P-256, P-384 or P-521", csr.PublicKey)
	}
	return csr, nil
}

// Claim returns the claim certificate of dir, making it (and its key) on
// first use; made reports whether it is new.
func (c *CA) Claim(dir string) (certPEM []byte, made bool, err error) {
	certPath, keyPath := filepath.Join(dir, ClaimCertFile), filepath.Join(dir, ClaimKeyFile)
	if data, err := os.ReadFile(certPath); err == nil {
		if _, err := os.Stat(keyPath); err != nil {
			return nil, false, fmt.Errorf("%s exists without %s: %v", certPath, keyPath, err)
		}
		return data, false, nil
	}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, false, err
	}
	der, err := c.Issue(key.Public(), pkix.Name{CommonName: "iotpt serve claim certificate"})
	if err != nil {
		return nil, false, err
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return nil, false, err
	}
	certPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	if err := writeFiles(certPath, certPEM, keyPath, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER})); err != nil {
		return nil, false, err
	}
	return certPEM, true, nil
}

// CertificateDER reads the first certificate of a PEM text.
func CertificateDER(certPEM string) ([]byte, error) {
	block, _ := pem.Decode([]byte(certPEM))
	if block == nil || block.Type != "CERTIFICATE" {
		return nil, errors.New("no -----BEGIN CERTIFICATE----- block")
	}
	if _, err := x509.ParseCertificate(block.Bytes); err != nil {
		return nil, err
	}
	return block.Bytes, nil
}

// PublicKeyPEM returns the public key of a DER certificate in PEM.
func PublicKeyPEM(der []byte) (string, error) {
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", err
	}
	pub, err := x509.MarshalPKIXPublicKey(cert.PublicKey)
	if err != nil {
		return "", err
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pub})), nil
}
