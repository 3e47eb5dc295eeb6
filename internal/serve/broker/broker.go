// Package broker is the MQTT server of iotpt serve: MQTT 3.1.1 and 5 over
// mutual TLS, with every decision (who may connect, publish, subscribe and
// receive, and which messages are API requests) made by a Handler. It is
// the one adapter over github.com/mochi-mqtt/server, so that the broker can
// be replaced without touching the rest of the endpoint.
//
// A refusal is answered as mochi answers it, which is what the MQTT
// specifications allow: a refused CONNECT gets CONNACK "not authorized"; a
// refused subscription gets the SUBACK failure code (0x80 in MQTT 3.1.1,
// 0x87 in MQTT 5); a refused PUBLISH at QoS 0 is dropped, and at QoS 1
// disconnects an MQTT 3.1.1 client and gets PUBACK 0x87 in MQTT 5. AWS
// IoT's own choice in each case is not documented on the pages searched.
//
// mochi checks a subscription and a delivery with the same call; the
// broker tells them apart by the filters of the SUBSCRIBE being processed,
// so a delivery to that client, at that moment, of a topic spelled exactly
// as one of those filters is checked as a Subscribe.
package broker

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"

	"github.com/iotpt/iotpt/internal/model"
)

// Action is what a client asks to do.
type Action string

// The actions of AWS IoT policies that the broker checks.
const (
	Connect   Action = "iot:Connect"
	Publish   Action = "iot:Publish"
	Subscribe Action = "iot:Subscribe"
	Receive   Action = "iot:Receive"
)

// Conn is one client connection.
type Conn struct {
	ClientID string
	Remote   string
	Certs    []*x509.Certificate // as presented: the leaf first
	// Data is the Handler's own state for the connection, set by
	// Authenticate.
	Data any
}

// Handler decides for the broker.
type Handler interface {
	// Authenticate accepts or refuses a connection once its CONNECT
	// packet is read (the TLS handshake is done); an error refuses it.
	Authenticate(c *Conn) error
	// Authorize says whether the client may do action on topic (a topic
	// filter for Subscribe).
	Authorize(c *Conn, action Action, topic string) bool
	// Handle answers a message published by a client when it is an API
	// request: the reply goes to that client alone, and the request is
	// not routed. handled is false for an ordinary message.
	Handle(c *Conn, topic string, payload []byte) (replyTopic string, reply []byte, handled bool)
	// Disconnected is called when an authenticated client goes.
	Disconnected(c *Conn, err error)
}

// What any client, authenticated or not, can make the broker hold. mochi
// reads a packet whole before a hook sees it, so the packet bound is what
// keeps a CONNECT announcing 256 MB from allocating it.
const (
	// MaxPacketBytes bounds an MQTT packet: AWS IoT's payload quota plus
	// room for the topic and MQTT 5 properties. A client announcing a
	// bigger packet is disconnected before it is read.
	MaxPacketBytes = model.MaxMQTTPayload + 64<<10
	// MaxClients bounds the open connections, authenticated or not; more
	// wait until one closes.
	MaxClients = 4096
	// ConnectWithin is the time a new connection has to finish its TLS
	// handshake and send CONNECT.
	ConnectWithin = 15 * time.Second
	// maxPendingWrites bounds the messages queued for one slow client.
	maxPendingWrites = 256
	// maxSessionExpiry is how long a disconnected persistent session is
	// kept, in seconds: AWS IoT's default of one hour.
	maxSessionExpiry = 3600
)

// Broker is a running MQTT server.
type Broker struct {
	srv      *mqtt.Server
	listener *listeners.Net
}

// Start listens on addr (port 0 picks a free one) with the TLS config,
// which must ask for client certificates.
func Start(addr string, tlsConfig *tls.Config, h Handler, log *slog.Logger) (*Broker, error) {
	caps := mqtt.NewDefaultServerCapabilities()
	caps.MaximumPacketSize = MaxPacketBytes
	caps.MaximumClients = MaxClients
	caps.MaximumClientWritesPending = maxPendingWrites
	caps.MaximumSessionExpiryInterval = maxSessionExpiry
	srv := mqtt.New(&mqtt.Options{Logger: log, Capabilities: caps})
	hk := &hook{h: h, conns: map[*mqtt.Client]*Conn{}, subscribing: map[*mqtt.Client]map[string]bool{}}
	if err := srv.AddHook(hk, nil); err != nil {
		return nil, err
	}
	tcp, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	l := listeners.NewNet("mqtts", tls.NewListener(newBoundedListener(tcp, MaxClients, ConnectWithin), tlsConfig))
	if err := srv.AddListener(l); err != nil {
		tcp.Close()
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	if err := srv.Serve(); err != nil {
		srv.Close()
		return nil, err
	}
	return &Broker{srv: srv, listener: l}, nil
}

// Addr returns the address the broker listens on.
func (b *Broker) Addr() string { return b.listener.Address() }

// Close stops the broker and closes every connection.
func (b *Broker) Close() error { return b.srv.Close() }

// hook is the one mochi hook: it authenticates, authorises and intercepts.
type hook struct {
	mqtt.HookBase
	h  Handler
	mu sync.Mutex
	// conns holds the authenticated connections.
	conns map[*mqtt.Client]*Conn
	// subscribing holds, between OnSubscribe and OnSubscribed, the filters
	// of the SUBSCRIBE packet being processed: mochi calls OnACLCheck with
	// write false both for a subscription and for a delivery, and this
	// tells them apart.
	subscribing map[*mqtt.Client]map[string]bool
}

func (k *hook) ID() string { return "iotpt" }

func (k *hook) Provides(b byte) bool {
	return bytes.Contains([]byte{
		mqtt.OnConnectAuthenticate, mqtt.OnACLCheck, mqtt.OnDisconnect,
		mqtt.OnSubscribe, mqtt.OnSubscribed, mqtt.OnPublish,
	}, []byte{b})
}

func (k *hook) conn(cl *mqtt.Client) *Conn {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.conns[cl]
}

func (k *hook) OnConnectAuthenticate(cl *mqtt.Client, pk packets.Packet) bool {
	tc, ok := cl.Net.Conn.(*tls.Conn)
	if !ok {
		return false
	}
	c := &Conn{ClientID: cl.ID, Remote: cl.Net.Remote, Certs: tc.ConnectionState().PeerCertificates}
	if err := k.h.Authenticate(c); err != nil {
		return false
	}
	k.mu.Lock()
	k.conns[cl] = c
	k.mu.Unlock()
	return true
}

func (k *hook) OnDisconnect(cl *mqtt.Client, err error, _ bool) {
	k.mu.Lock()
	c := k.conns[cl]
	delete(k.conns, cl)
	delete(k.subscribing, cl)
	k.mu.Unlock()
	if c != nil {
		k.h.Disconnected(c, err)
	}
}

func (k *hook) OnSubscribe(cl *mqtt.Client, pk packets.Packet) packets.Packet {
	filters := map[string]bool{}
	for _, f := range pk.Filters {
		filters[f.Filter] = true
	}
	k.mu.Lock()
	k.subscribing[cl] = filters
	k.mu.Unlock()
	return pk
}

func (k *hook) OnSubscribed(cl *mqtt.Client, _ packets.Packet, _ []byte) {
	k.mu.Lock()
	delete(k.subscribing, cl)
	k.mu.Unlock()
}

func (k *hook) OnACLCheck(cl *mqtt.Client, topic string, write bool) bool {
	k.mu.Lock()
	c := k.conns[cl]
	action := Receive
	if write {
		action = Publish
	} else if k.subscribing[cl][topic] {
		action = Subscribe
	}
	k.mu.Unlock()
	if c == nil {
		return false
	}
	return k.h.Authorize(c, action, topic)
}

func (k *hook) OnPublish(cl *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	c := k.conn(cl)
	if c == nil {
		return pk, packets.ErrRejectPacket
	}
	topic, payload, handled := k.h.Handle(c, pk.TopicName, pk.Payload)
	if !handled {
		return pk, nil
	}
	// The reply goes to the requesting client alone, and only when it
	// subscribed to the reply topic and may receive it: a reply may carry
	// a private key.
	if subscribed(cl, topic) && k.h.Authorize(c, Receive, topic) {
		reply := packets.Packet{FixedHeader: packets.FixedHeader{Type: packets.Publish}, TopicName: topic, Payload: payload}
		if err := cl.WritePacket(reply); err != nil && !errors.Is(err, mqtt.ErrConnectionClosed) {
			return pk, err
		}
	}
	return pk, packets.CodeSuccessIgnore
}

// subscribed reports whether one of the client's subscriptions matches topic.
func subscribed(cl *mqtt.Client, topic string) bool {
	for filter := range cl.State.Subscriptions.GetAll() {
		if MatchFilter(filter, topic) {
			return true
		}
	}
	return false
}
