package serve

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/iotpt/iotpt/internal/serve/store"
)

// loadDevice provisions one device by CSR, retrying each step after a lost
// connection (the endpoint restarts in the middle). It returns the
// certificate ID it ended with.
// A device given a gate waits on it between its two requests, holding its
// connection, so that the restart cuts it.
func loadDevice(t *testing.T, addr func() *Server, serial string, accepted, created *atomic.Int64, gate <-chan struct{}) (string, error) {
	var token, certID string
	for attempt := 0; attempt < 20; attempt++ {
		if attempt > 0 {
			time.Sleep(50 * time.Millisecond)
		}
		s := addr()
		cl, err := tryClaimClient(t, s, "claim-"+serial)
		if err != nil {
			continue
		}
		if token == "" {
			csrPEM, _ := newCSR(t)
			outcome, res, err := cl.tryCall("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": string(csrPEM)})
			if err != nil {
				cl.c.Disconnect(0)
				continue
			}
			if outcome != "accepted" {
				return "", fmt.Errorf("%s: create-from-csr %s %v", serial, outcome, res)
			}
			token, certID = res["certificateOwnershipToken"].(string), res["certificateId"].(string)
			if gate != nil {
				created.Add(1)
				<-gate
			}
		}
		outcome, res, err := cl.tryCall("$aws/provisioning-templates/Fleet/provision/json", map[string]any{"certificateOwnershipToken": token, "parameters": map[string]string{"SerialNumber": serial}})
		cl.c.Disconnect(0)
		if err != nil {
			continue
		}
		switch {
		case outcome == "accepted":
			accepted.Add(1)
			return certID, nil
		case res["errorCode"] == "InvalidCertificateOwnershipToken" && attempt > 0:
			// Accepted before the restart, the reply lost: the token is spent.
			return certID, nil
		default:
			return "", fmt.Errorf("%s: RegisterThing %s %v", serial, outcome, res)
		}
	}
	return "", fmt.Errorf("%s: gave up after 20 attempts", serial)
}

func tryClaimClient(t testing.TB, s *Server, id string) (*client, error) {
	info := s.Info()
	return connectFiles(t, s, info.ClaimCert, info.ClaimKey, id)
}

// tryCall is call that reports a lost connection instead of failing.
func (cl *client) tryCall(topic string, payload any) (string, map[string]any, error) {
	for _, f := range []string{topic + "/accepted", topic + "/rejected"} {
		tok := cl.c.Subscribe(f, 1, nil)
		if !tok.WaitTimeout(timeout) || tok.Error() != nil {
			return "", nil, fmt.Errorf("subscribe %s failed", f)
		}
	}
	body, _ := json.Marshal(payload)
	tok := cl.c.Publish(topic, 1, false, body)
	if !tok.WaitTimeout(timeout) || tok.Error() != nil {
		return "", nil, fmt.Errorf("publish failed")
	}
	select {
	case m := <-cl.msgs:
		var out map[string]any
		if err := json.Unmarshal(m.Payload(), &out); err != nil {
			return "", nil, err
		}
		return strings.TrimPrefix(m.Topic(), topic+"/"), out, nil
	case <-time.After(timeout):
		return "", nil, fmt.Errorf("no reply on %s", topic)
	}
}

// TestLoad provisions devices concurrently by CSR and restarts the endpoint
// in the middle: every device ends with exactly one thing holding exactly
// one ACTIVE certificate, and no accepted device is lost.
func TestLoad(t *testing.T) {
	n := 200
	if testing.Short() {
		n = 40
	}
	dir := t.TempDir()
	first := start(t, dir)
	var mu sync.Mutex
	current := first
	addr := func() *Server {
		mu.Lock()
		defer mu.Unlock()
		return current
	}
	var accepted, created atomic.Int64
	gate := make(chan struct{})
	restarted := make(chan error, 1)
	go func() {
		// Restart once a quarter of the devices are provisioned and the
		// second half hold an ownership token, waiting to use it.
		deadline := time.Now().Add(2 * timeout)
		for (accepted.Load() < int64(n/4) || created.Load() < int64(n-n/2)) && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		t.Logf("restarting with %d devices provisioned, %d waiting with a token", accepted.Load(), created.Load())
		info := first.Info()
		first.Close()
		close(gate)
		// The same addresses: the devices reconnect where they were.
		s, err := Start(Config{Dir: dir, MQTTAddr: info.MQTT, APIAddr: strings.TrimPrefix(info.API, "http://"),
			Templates: []NamedFile{{Name: "Fleet", Path: "testdata/fleet.json"}}})
		if err == nil {
			mu.Lock()
			current = s
			mu.Unlock()
		}
		restarted <- err
	}()
	certs := make([]string, n)
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			var g <-chan struct{}
			if i >= n/2 {
				g = gate
			}
			id, err := loadDevice(t, addr, fmt.Sprintf("L%03d", i), &accepted, &created, g)
			if err != nil {
				errs <- err
			}
			certs[i] = id
		})
	}
	wg.Wait()
	if err := <-restarted; err != nil {
		t.Fatalf("restart: %v", err)
	}
	t.Cleanup(func() { addr().Close() })
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := addr()
	if s == first {
		t.Fatal("the endpoint did not restart during the test")
	}
	err := s.store.View(func(tx *store.Tx) error {
		things := tx.Keys(store.Things)
		if len(things) != n {
			t.Errorf("%d things, want %d", len(things), n)
		}
		for i, want := range certs {
			thing := fmt.Sprintf("dev-L%03d", i)
			got, err := tx.List(store.ThingPrincipals, thing)
			if err != nil {
				return err
			}
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s has certificates %v, want exactly [%s]", thing, got, want)
				continue
			}
			var c store.Certificate
			if _, err := tx.Get(store.Certificates, want, &c); err != nil || c.Status != store.Active {
				t.Errorf("%s: certificate %s is %q (%v)", thing, want, c.Status, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// BenchmarkProvision measures devices provisioned per second over MQTT,
// from CreateCertificateFromCsr or CreateKeysAndCertificate to an accepted
// RegisterThing, with one claim connection per parallel worker.
func BenchmarkProvision(b *testing.B) {
	for _, path := range []string{"csr", "keys"} {
		b.Run(path, func(b *testing.B) {
			s := start(b, "", func(c *Config) { c.Log = nil })
			var seq atomic.Int64
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				cl, err := tryClaimClient(b, s, fmt.Sprintf("bench-%d", seq.Add(1)))
				if err != nil {
					b.Error(err)
					return
				}
				defer cl.c.Disconnect(0)
				for pb.Next() {
					serial := fmt.Sprintf("B%d", seq.Add(1))
					var outcome string
					var res map[string]any
					if path == "csr" {
						csrPEM, _ := newCSR(b)
						outcome, res, err = cl.tryCall("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": string(csrPEM)})
					} else {
						outcome, res, err = cl.tryCall("$aws/certificates/create/json", map[string]string{})
					}
					if err != nil || outcome != "accepted" {
						b.Fatalf("create: %s %v %v", outcome, res, err)
					}
					outcome, res, err = cl.tryCall("$aws/provisioning-templates/Fleet/provision/json", map[string]any{"certificateOwnershipToken": res["certificateOwnershipToken"], "parameters": map[string]string{"SerialNumber": serial}})
					if err != nil || outcome != "accepted" {
						b.Fatalf("RegisterThing: %s %v %v", outcome, res, err)
					}
				}
			})
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "devices/s")
		})
	}
}
