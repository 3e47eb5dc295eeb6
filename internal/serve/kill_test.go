package serve

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/iotpt/iotpt/internal/serve/store"
)

// TestServeChild is an endpoint in a child process for TestKill9; it does
// nothing in a normal run.
func TestServeChild(t *testing.T) {
	dir := os.Getenv("IOTPT_SERVE_CHILD_DIR")
	if dir == "" {
		t.Skip("child process of TestKill9")
	}
	s, err := Start(Config{Dir: dir, MQTTAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0", Templates: []NamedFile{{Name: "Fleet", Path: "testdata/fleet.json"}}})
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout.Write(s.Info().JSONLine())
	time.Sleep(2 * time.Minute) // killed long before; bounded all the same
}

// kill -9 while devices provision loses none whose RegisterThing was
// accepted: each is committed to the database before the reply.
func TestKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$")
	cmd.Env = append(os.Environ(), "IOTPT_SERVE_CHILD_DIR="+dir)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	line := make(chan string, 1)
	go func() {
		l, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- l
	}()
	var info Info
	select {
	case l := <-line:
		if err := json.Unmarshal([]byte(l), &info); err != nil {
			t.Fatalf("child stdout %q: %v", l, err)
		}
	case <-time.After(2 * timeout):
		t.Fatal("the child endpoint did not start")
	}
	roots, err := os.ReadFile(info.RootCA)
	if err != nil {
		t.Fatal(err)
	}
	claimCert, _ := os.ReadFile(info.ClaimCert)
	claimKey, _ := os.ReadFile(info.ClaimKey)
	d := dest{info.MQTT, roots}
	// Devices provision in a loop until the child dies.
	var mu sync.Mutex
	var accepted []string
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			cl, err := connectTo(t, d, claimCert, claimKey, fmt.Sprintf("kill-claim-%d", w))
			if err != nil {
				return
			}
			for i := 0; i < 200; i++ {
				csrPEM, _ := newCSR(t)
				outcome, res, err := cl.tryCall("$aws/certificates/create-from-csr/json", map[string]string{"certificateSigningRequest": string(csrPEM)})
				if err != nil || outcome != "accepted" {
					return
				}
				serial := fmt.Sprintf("K%d-%d", w, i)
				outcome, _, err = cl.tryCall("$aws/provisioning-templates/Fleet/provision/json", map[string]any{"certificateOwnershipToken": res["certificateOwnershipToken"], "parameters": map[string]string{"SerialNumber": serial}})
				if err != nil || outcome != "accepted" {
					return
				}
				mu.Lock()
				accepted = append(accepted, serial)
				mu.Unlock()
			}
		})
	}
	deadline := time.Now().Add(2 * timeout)
	for time.Now().Before(deadline) {
		mu.Lock()
		n := len(accepted)
		mu.Unlock()
		if n >= 20 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := cmd.Process.Kill(); err != nil { // SIGKILL
		t.Fatal(err)
	}
	_ = cmd.Wait()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	if len(accepted) < 20 {
		t.Fatalf("only %d devices provisioned before the kill", len(accepted))
	}
	st, err := store.OpenReadOnly(filepath.Join(dir, DBFile))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	err = st.View(func(tx *store.Tx) error {
		for _, serial := range accepted {
			certs, err := tx.List(store.ThingPrincipals, "dev-"+serial)
			if err != nil {
				return err
			}
			var c store.Certificate
			if len(certs) != 1 {
				t.Errorf("dev-%s: accepted before the kill, has certificates %v after it", serial, certs)
			} else if _, err := tx.Get(store.Certificates, certs[0], &c); err != nil || c.Status != store.Active {
				t.Errorf("dev-%s: certificate %s is %q (%v)", serial, certs[0], c.Status, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d devices accepted before kill -9, all in the database after it", len(accepted))
}
