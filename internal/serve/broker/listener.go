package broker

import (
	"net"
	"sync"
	"time"
)

// boundedListener bounds the connections open at once, authenticated or
// not, and gives each accepted connection a deadline to finish its TLS
// handshake and send CONNECT; mochi replaces the deadline with one from
// the client's keep-alive once CONNECT is read. Without it an idle TCP
// connection, or one that never completes TLS, is held for ever.
type boundedListener struct {
	net.Listener
	slots         chan struct{}
	connectWithin time.Duration
}

func newBoundedListener(l net.Listener, connections int, connectWithin time.Duration) *boundedListener {
	return &boundedListener{Listener: l, slots: make(chan struct{}, connections), connectWithin: connectWithin}
}

// Accept waits for a free slot, then for a connection: a client over the
// bound waits in the kernel's backlog until another leaves.
func (l *boundedListener) Accept() (net.Conn, error) {
	l.slots <- struct{}{}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slots
		return nil, err
	}
	if err := c.SetDeadline(time.Now().Add(l.connectWithin)); err != nil {
		c.Close()
		<-l.slots
		return nil, err
	}
	return &slotConn{Conn: c, release: func() { <-l.slots }}, nil
}

// slotConn frees its listener's slot when it is closed, once.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
