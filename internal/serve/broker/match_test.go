package broker

import "testing"

func TestMatchFilter(t *testing.T) {
	for _, tc := range []struct {
		filter, topic string
		want          bool
	}{
		{"a/b", "a/b", true}, {"a/+", "a/b", true}, {"a/+", "a/b/c", false}, {"a/#", "a/b/c", true}, {"a/#", "a", true},
		{"#", "a/b", true}, {"#", "$aws/x", false}, {"+/x", "$aws/x", false}, {"$aws/#", "$aws/x/y", true},
		{"a/b", "a/c", false}, {"a/b/c", "a/b", false}, {"+", "a", true}, {"+/+", "a/b", true}, {"a//b", "a//b", true},
	} {
		if got := MatchFilter(tc.filter, tc.topic); got != tc.want {
			t.Errorf("MatchFilter(%q, %q) = %v", tc.filter, tc.topic, got)
		}
	}
}
