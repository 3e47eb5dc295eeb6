// Package secret keeps private keys out of what iotpt prints. A parameter
// that holds a PEM private key is a mistake (a device's key must never
// leave it, let alone sit in a parameters file); iotpt replaces the value
// by a placeholder as soon as it reads it, so that no command and no
// output format can print it, and warns.
package secret

import (
	"fmt"
	"regexp"
)

// pemKey matches a PEM private key block ("-----BEGIN RSA PRIVATE KEY-----",
// "-----BEGIN ENCRYPTED PRIVATE KEY-----", ...) to its END line or, when
// that is missing (a value cut short in a message), up to a quote or the
// end of the text.
var pemKey = regexp.MustCompile(`(?s)-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:.*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[^"'…]*)`)

// Placeholder is what is shown instead of a private key of n bytes.
func Placeholder(n int) string { return fmt.Sprintf("<private key, %d bytes, not shown>", n) }

// HasPrivateKey reports whether s holds a PEM private key block.
func HasPrivateKey(s string) bool { return pemKey.MatchString(s) }

// Mask returns value with a private key it holds replaced by
// Placeholder(len(value)), and whether it held one.
func Mask(value string) (string, bool) {
	if !HasPrivateKey(value) {
		return value, false
	}
	return Placeholder(len(value)), true
}

// Redact replaces every private key block in text (say, a source line in
// a snippet) by the placeholder of the block's size.
func Redact(text string) string {
	if !HasPrivateKey(text) {
		return text
	}
	return pemKey.ReplaceAllStringFunc(text, func(block string) string { return Placeholder(len(block)) })
}

// Warning is the message for parameter name holding a private key.
func Warning(name string, n int) string {
	return fmt.Sprintf("parameter %s holds a private key (%s); a private key does not belong in a parameter: keep it on the device", name, Placeholder(n))
}
