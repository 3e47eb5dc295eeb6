package broker

import (
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// TestBoundedListener checks the two bounds: at most n connections are
// accepted at once (the next waits until one closes), and an accepted
// connection that sends nothing reaches its deadline.
func TestBoundedListener(t *testing.T) {
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	l := newBoundedListener(tcp, 2, 200*time.Millisecond)
	defer l.Close()
	accepted := make(chan net.Conn, 3)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			accepted <- c
		}
	}()
	for i := range 3 {
		c, err := net.Dial("tcp", tcp.Addr().String())
		if err != nil {
			t.Fatalf("dial %d: %v", i, err)
		}
		defer c.Close()
	}
	var open []net.Conn
	for range 2 {
		select {
		case c := <-accepted:
			open = append(open, c)
		case <-time.After(5 * time.Second):
			t.Fatal("the first two connections were not accepted")
		}
	}
	select {
	case <-accepted:
		t.Fatal("a third connection was accepted while two were open")
	case <-time.After(100 * time.Millisecond):
	}
	// The deadline: a client that sends nothing is not waited for.
	start := time.Now()
	if _, err := open[0].Read(make([]byte, 1)); !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read from an idle client: %v, want the deadline", err)
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Fatalf("waited %v for an idle client", waited)
	}
	// Closing one (twice: the slot is freed once) lets the third in.
	open[0].Close()
	open[0].Close()
	select {
	case c := <-accepted:
		c.Close()
	case <-time.After(5 * time.Second):
		t.Fatal("the third connection was not accepted after one closed")
	}
	open[1].Close()
	// Only the Accept waiting for the next connection holds a slot.
	if n := len(l.slots); n > 1 {
		t.Fatalf("%d slots held after every connection closed", n)
	}
}
