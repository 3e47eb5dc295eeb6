package template_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/iotpt/iotpt/template"
)

// TestPlaceholders checks which text a script or engine fills in.
func TestPlaceholders(t *testing.T) {
	tests := []struct {
		s     string
		inSub bool
		want  []string
	}{
		{"sensor-${Serial}", false, []string{"${Serial}"}},
		{"sensor-${Serial}", true, nil},
		{"${AWS::Region}-${iot:ClientId}-${!Literal}", true, []string{"${AWS::Region}"}},
		{"{{ group }}/<ACCOUNT_ID>/fleet-%s", false, []string{"{{ group }}", "<ACCOUNT_ID>", "%s"}},
		{"100%s %sale", false, nil},
		{"%Y-%m-%d", false, nil},
		{"${this.policy().name}", false, []string{"${this.policy().name}"}},
		{"plain", false, nil},
	}
	for _, tt := range tests {
		var got []string
		for _, r := range template.Placeholders(tt.s, tt.inSub) {
			got = append(got, tt.s[r[0]:r[1]])
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("Placeholders(%q, %v) (-want +got):\n%s", tt.s, tt.inSub, diff)
		}
	}
}
