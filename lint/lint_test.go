package lint_test

import (
	"testing"

	"github.com/iotpt/iotpt/lint"
)

// TestTypeInference checks which template type rules see: the file's own,
// --type, a bare body with a CSR or PEM certificate taken for a bulk
// registration template, and fleet provisioning otherwise.
func TestTypeInference(t *testing.T) {
	csr := `{"Parameters": {"CSR": {"Type": "String"}}, "Resources": {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateSigningRequest": {"Ref": "CSR"}}}}}`
	fleet := `{"Parameters": {"Id": {"Type": "String"}}, "Resources": {"c": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "Id"}}}}}`
	tests := []struct {
		name, body, typ string
		wantPT271       bool
	}{
		{"bulk body", csr, "", false},
		{"bulk body as fleet", csr, "FLEET_PROVISIONING", true},
		{"fleet body", fleet, "", true},
		{"fleet body as JITP", fleet, "JITP", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := lint.Check("t.json", []byte(tc.body), lint.Options{Type: tc.typ})
			got := false
			for _, d := range res.Diagnostics {
				got = got || d.Code == "PT271"
			}
			if got != tc.wantPT271 {
				t.Errorf("PT271 reported: %v, want %v (%v)", got, tc.wantPT271, res.Diagnostics)
			}
		})
	}
}
