package serve

// Integration tests with the clients devices and people use: the AWS IoT
// Device SDK for JavaScript v2, mosquitto's command-line clients, and
// openssl-made certificates for JITP (the AWS CLI is in api_test.go).
// Each skips, saying what is missing, when its client is not installed;
// .ci/run installs them all.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/serve/store"
)

// skipMissing skips a test whose client is not installed, or fails it when
// IOTPT_REQUIRE_CLIENTS is set (as .ci/run sets it, having installed them).
func skipMissing(t *testing.T, format string, args ...any) {
	t.Helper()
	if os.Getenv("IOTPT_REQUIRE_CLIENTS") != "" {
		t.Fatalf(format, args...)
	}
	t.Skipf(format, args...)
}

// tool returns the path of a command, or skips the test.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		skipMissing(t, "%s is not installed (%s; .ci/run installs it)", name, install)
	}
	return path
}

// runTool runs a command with a time limit and returns its stdout.
func runTool(t *testing.T, dir string, env []string, name string, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		t.Logf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String(), err
}

// writeInfo saves the endpoint's JSON line, as a script would from stdout.
func writeInfo(t *testing.T, s *Server) string {
	path := filepath.Join(t.TempDir(), "info.json")
	if err := os.WriteFile(path, s.Info().JSONLine(), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// The SDK's identity client provisions by claim through both
// CreateKeysAndCertificate and CreateCertificateFromCsr, gets the rejected
// payload for missing parameters, reconnects with the new certificate,
// publishes on an allowed topic and is refused on a forbidden one.
func TestDeviceSDK(t *testing.T) {
	node := tool(t, "node", "Node.js")
	env := []string{}
	if dir := os.Getenv("IOTPT_NODE_MODULES"); dir != "" {
		env = append(env, "NODE_PATH="+dir)
	}
	if _, err := runTool(t, "", env, node, "-e", "require('aws-iot-device-sdk-v2')"); err != nil {
		skipMissing(t, "the npm module aws-iot-device-sdk-v2 is not installed; install it and set IOTPT_NODE_MODULES to its node_modules directory (.ci/run does)")
	}
	script, err := filepath.Abs("../../examples/serve/sdk/provision.js")
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, "")
	info := writeInfo(t, s)
	for _, mode := range []string{"keys", "csr"} {
		t.Run(mode, func(t *testing.T) {
			serial := "SDK-" + mode
			args := []string{script, info, "Fleet", serial, mode}
			if mode == "csr" {
				csrPEM, keyPEM := newCSR(t)
				dir := t.TempDir()
				csrFile, keyFile := filepath.Join(dir, "device.csr"), filepath.Join(dir, "device.key")
				if err := os.WriteFile(csrFile, csrPEM, 0o600); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
					t.Fatal(err)
				}
				args = append(args, csrFile, keyFile)
			}
			out, err := runTool(t, "", env, node, args...)
			if err != nil {
				t.Fatalf("the SDK script failed: %v", err)
			}
			got := map[string]map[string]any{}
			sc := bufio.NewScanner(strings.NewReader(out))
			for sc.Scan() {
				var line map[string]any
				if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
					t.Fatalf("%q: %v", sc.Text(), err)
				}
				got[line["step"].(string)] = line
			}
			for stepName, want := range map[string]string{
				"claim-connect": "connected", "create": "accepted", "register-missing-parameters": "rejected", "register": "accepted",
				"device-connect": "connected", "subscribe-forbidden": "refused", "publish-allowed": "received", "publish-forbidden": "refused",
			} {
				if o := got[stepName]["outcome"]; o != want {
					t.Errorf("step %s: %v, want %s", stepName, o, want)
				}
			}
			rej, _ := got["register-missing-parameters"]["response"].(map[string]any)
			if rej["statusCode"] != float64(400) || rej["errorCode"] != "InvalidParameters" || !strings.Contains(asString(rej["errorMessage"]), "SerialNumber") {
				t.Errorf("rejected payload %v", rej)
			}
			acc, _ := got["register"]["response"].(map[string]any)
			if acc["thingName"] != "dev-"+serial {
				t.Errorf("accepted payload %v", acc)
			}
		})
	}
}

// mosquitto_rr (MQTT 5 request/response on one connection) provisions by
// claim; the device then talks on its topics and is refused elsewhere.
func TestMosquitto(t *testing.T) {
	rr := tool(t, "mosquitto_rr", "Debian package mosquitto-clients")
	sub := tool(t, "mosquitto_sub", "Debian package mosquitto-clients")
	s := start(t, "")
	info := s.Info()
	host, port, _ := strings.Cut(info.MQTT, ":")
	conn := func(cert, key, id string) []string {
		return []string{"-h", host, "-p", port, "--cafile", info.RootCA, "--cert", cert, "--key", key, "-i", id}
	}
	call := func(topic, reply, payload string) map[string]any {
		t.Helper()
		args := append(conn(info.ClaimCert, info.ClaimKey, "mosquitto-claim"), "-V", "5", "-t", topic, "-e", topic+"/"+reply, "-m", payload, "-W", "15")
		out, err := runTool(t, "", nil, rr, args...)
		if err != nil {
			t.Fatalf("mosquitto_rr %s: no %s reply: %v", topic, reply, err)
		}
		var v map[string]any
		if err := json.Unmarshal([]byte(strings.TrimSpace(out)), &v); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		return v
	}
	created := call("$aws/certificates/create/json", "accepted", "")
	dir := t.TempDir()
	cert, key := filepath.Join(dir, "device.pem"), filepath.Join(dir, "device.key")
	if err := os.WriteFile(cert, []byte(asString(created["certificatePem"])), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, []byte(asString(created["privateKey"])), 0o600); err != nil {
		t.Fatal(err)
	}
	topic := "$aws/provisioning-templates/Fleet/provision/json"
	req := func(params map[string]string) string {
		b, _ := json.Marshal(map[string]any{"certificateOwnershipToken": created["certificateOwnershipToken"], "parameters": params})
		return string(b)
	}
	if rej := call(topic, "rejected", req(map[string]string{})); rej["statusCode"] != float64(400) || rej["errorCode"] != "InvalidParameters" {
		t.Errorf("RegisterThing without parameters: %v", rej)
	}
	if acc := call(topic, "accepted", req(map[string]string{"SerialNumber": "MQ1"})); acc["thingName"] != "dev-MQ1" {
		t.Errorf("RegisterThing: %v", acc)
	}
	// The device publishes to its own topic and receives it.
	out, err := runTool(t, "", nil, rr, append(conn(cert, key, "dev-MQ1"), "-V", "5", "-t", "devices/dev-MQ1/ping", "-e", "devices/dev-MQ1/ping", "-m", "hi", "-W", "15")...)
	if err != nil || strings.TrimSpace(out) != "hi" {
		t.Errorf("device round trip: %q %v", out, err)
	}
	// A forbidden subscription is refused, over MQTT 3.1.1 and 5.
	for _, v := range []string{"311", "5"} {
		ctx, cancel := context.WithTimeout(context.Background(), 2*timeout)
		cmd := exec.CommandContext(ctx, sub, append(conn(cert, key, "dev-MQ1"), "-V", v, "-t", "devices/admin/#", "-C", "1", "-W", "5")...)
		msg, _ := cmd.CombinedOutput()
		cancel()
		if !strings.Contains(string(msg), "denied") {
			t.Errorf("MQTT %s subscription to devices/admin/#: %q; want it denied", v, msg)
		}
	}
}

// JITP with a CA and device certificates made by openssl, with and without
// the subject field the template needs.
func TestOpenSSLJITP(t *testing.T) {
	ossl := tool(t, "openssl", "Debian package openssl")
	dir := t.TempDir()
	run := func(args ...string) {
		t.Helper()
		if _, err := runTool(t, dir, nil, ossl, args...); err != nil {
			t.Fatal(err)
		}
	}
	run("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
		"-subj", "/CN=openssl maker CA", "-days", "2", "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
	device := func(name, subject string) (chain, key []byte) {
		run("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", name+".key", "-out", name+".csr", "-subj", subject)
		run("x509", "-req", "-in", name+".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", name+".pem", "-days", "2")
		leaf, _ := os.ReadFile(filepath.Join(dir, name+".pem"))
		ca, _ := os.ReadFile(filepath.Join(dir, "ca.pem"))
		key, _ = os.ReadFile(filepath.Join(dir, name+".key"))
		return append(leaf, ca...), key
	}
	s := start(t, "", func(c *Config) {
		c.JITP = []NamedFile{{Name: filepath.Join(dir, "ca.pem"), Path: "testdata/jitp.json"}}
	})
	chain, key := device("good", "/CN=ossl-1/C=IE")
	if _, err := connect(t, s, chain, key, "ossl-1"); err == nil {
		t.Error("the first connection succeeded")
	}
	if _, err := connect(t, s, chain, key, "ossl-1"); err != nil {
		t.Errorf("the second connection after JITP: %v", err)
	}
	chain, key = device("nocountry", "/CN=ossl-2")
	for range 2 {
		if _, err := connect(t, s, chain, key, "ossl-2"); err == nil {
			t.Error("a device without Country connected")
		}
	}
	if got := certStatus(t, s, chain); got != store.PendingActivation {
		t.Errorf("without Country the certificate is %q, want PENDING_ACTIVATION", got)
	}
}
