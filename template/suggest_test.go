package template_test

import (
	"slices"
	"testing"

	"github.com/iotpt/iotpt/template"
)

// TestSuggest checks the nearest candidate, and that the answer does not
// depend on the order of the candidates (callers pass a map's keys).
func TestSuggest(t *testing.T) {
	tests := []struct {
		s          string
		candidates []string
		want       string
	}{
		{"Fn::Jion", []string{"Fn::Join", "Fn::Sub", "Ref"}, "Fn::Join"},
		{"ref", []string{"Fn::Join", "Ref"}, "Ref"},
		{"iot:Publsh", []string{"iot:Publish", "iot:Receive"}, "iot:Publish"},
		{"iot:Nothing", []string{"iot:Publish", "iot:Receive"}, ""},
		// Two candidates one edit away: the lexically first, in any order.
		{"iot:Get", []string{"iot:Gets", "iot:Det", "iot:Set"}, "iot:Det"},
	}
	for _, tt := range tests {
		for range 6 {
			if got := template.Suggest(tt.s, tt.candidates); got != tt.want {
				t.Errorf("Suggest(%q, %q) = %q, want %q", tt.s, tt.candidates, got, tt.want)
			}
			c := slices.Clone(tt.candidates)
			slices.Reverse(c)
			c = append(c[1:], c[0])
			tt.candidates = c
		}
	}
}
