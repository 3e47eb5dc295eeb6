package eval_test

import (
	"strings"
	"testing"

	"github.com/iotpt/iotpt/eval"
)

// TestRegistryCertificateStatus checks that a registry file's certificate
// status is one AWS IoT has, in any case.
func TestRegistryCertificateStatus(t *testing.T) {
	for _, tt := range []struct {
		status, wantErr string
	}{
		{"ACTIVE", ""}, {"pending_activation", ""}, {"PENDING_TRANSFER", ""}, {"REVOKED", ""},
		{"BOGUS", `certificate status "BOGUS" is not one AWS IoT has`},
		{"ENABLED", `certificate status "ENABLED" is not one AWS IoT has`},
	} {
		_, diags := eval.ParseRegistry("existing.json", []byte(`{"certificates": {"abc": {"status": "`+tt.status+`"}}}`))
		got := ""
		if len(diags) > 0 {
			got = diags[0].Message
		}
		if tt.wantErr == "" && got != "" || !strings.HasPrefix(got, tt.wantErr) {
			t.Errorf("status %q: %q, want %q", tt.status, got, tt.wantErr)
		}
	}
}
