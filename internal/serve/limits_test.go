package serve

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"testing"
	"time"

	"github.com/iotpt/iotpt/internal/serve/broker"
)

// rawTLS opens a TLS connection to the MQTT listener with the claim
// certificate, below any MQTT client library.
func rawTLS(t *testing.T, s *Server) *tls.Conn {
	t.Helper()
	info := s.Info()
	pair, err := tls.LoadX509KeyPair(info.ClaimCert, info.ClaimKey)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.ca.RootPEM())
	conn, err := tls.Dial("tcp", info.MQTT, &tls.Config{RootCAs: roots, Certificates: []tls.Certificate{pair}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// remainingLength encodes an MQTT variable byte integer.
func remainingLength(n int) []byte {
	var b []byte
	for {
		d := byte(n % 128)
		n /= 128
		if n > 0 {
			d |= 0x80
		}
		b = append(b, d)
		if n == 0 {
			return b
		}
	}
}

// TestOversizedPacketDisconnects checks that a packet announced larger
// than broker.MaxPacketBytes closes the connection at once, before the
// broker reads (and allocates) it, while one just under the bound is
// waited for.
func TestOversizedPacketDisconnects(t *testing.T) {
	s := start(t, "")
	for _, tt := range []struct {
		name   string
		size   int
		closed bool
	}{
		{"the largest MQTT packet", 268435455, true},
		{"one byte over", broker.MaxPacketBytes, true},
		{"at the bound", broker.MaxPacketBytes - 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			conn := rawTLS(t, s)
			header := append([]byte{0x10}, remainingLength(tt.size)...) // CONNECT
			if _, err := conn.Write(header); err != nil {
				t.Fatal(err)
			}
			wait := timeout
			if !tt.closed {
				wait = 500 * time.Millisecond // the broker waits for the body
			}
			conn.SetReadDeadline(time.Now().Add(wait))
			_, err := conn.Read(make([]byte, 1))
			var ne interface{ Timeout() bool }
			timedOut := errors.As(err, &ne) && ne.Timeout()
			switch {
			case tt.closed && timedOut:
				t.Fatalf("a CONNECT of %d bytes was waited for; want the connection closed", tt.size)
			case tt.closed && err == nil:
				t.Fatal("the broker answered a CONNECT it cannot have read")
			case !tt.closed && !timedOut:
				t.Fatalf("a CONNECT of %d bytes: %v; want the broker to wait for its body", tt.size, err)
			}
		})
	}
}
