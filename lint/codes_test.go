package lint

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestREADMECodesExplained checks that every code in the README's tables
// is one iotpt explain knows.
func TestREADMECodesExplained(t *testing.T) {
	data, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	codes := regexp.MustCompile(`(?m)^\| (PT\d{3})\b`).FindAllStringSubmatch(string(data), -1)
	if len(codes) < 40 {
		t.Fatalf("only %d codes found in the README's tables", len(codes))
	}
	for _, m := range codes {
		if CodeTitle(m[1]) == "" {
			t.Errorf("README lists %s, which iotpt explain does not know", m[1])
		}
	}
}

// TestEveryCodeHasHelp checks that explain has a paragraph for every code
// that is not a rule's.
func TestEveryCodeHasHelp(t *testing.T) {
	for _, code := range Codes() {
		help := CodeHelp(code)
		if len(strings.Fields(help)) < 25 {
			t.Errorf("%s (%s): no real paragraph for iotpt explain: %q", code, CodeTitle(code), help)
		}
	}
}
