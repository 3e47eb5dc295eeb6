package eval_test

import (
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/testcert"
)

// TestCertPEMProblem checks what RegisterThing takes as CertificatePem: a
// PEM CERTIFICATE block that parses.
func TestCertPEMProblem(t *testing.T) {
	good, err := testcert.PEM("CN=dev-1")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text, want string
	}{
		{"certificate", string(good), ""},
		{"not PEM", "pem", "CertificatePem is not a PEM certificate"},
		{"a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "CertificatePem is not a PEM certificate"},
		{"corrupt", "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n", "CertificatePem does not parse as an X.509 certificate"},
	}
	for _, tt := range tests {
		got := eval.CertPEMProblem("CertificatePem", tt.text)
		if tt.want == "" && got != "" || !strings.HasPrefix(got, tt.want) {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
}
