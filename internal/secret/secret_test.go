package secret

import "testing"

func TestMask(t *testing.T) {
	key := "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n"
	if got, ok := Mask(key); !ok || got != "<private key, 79 bytes, not shown>" {
		t.Errorf("Mask = %q, %v", got, ok)
	}
	if got, ok := Mask("sensor-1"); ok || got != "sensor-1" {
		t.Errorf("Mask(sensor-1) = %q, %v", got, ok)
	}
	cert := "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----"
	if HasPrivateKey(cert) {
		t.Error("a certificate is not a private key")
	}
	line := `{"Key": "-----BEGIN PRIVATE KEY-----\nMIIEvQ…`
	if got, want := Redact(line), `{"Key": "<private key, 35 bytes, not shown>…`; got != want {
		t.Errorf("Redact = %q, want %q", got, want)
	}
}
