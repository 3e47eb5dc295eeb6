package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/iotpt/iotpt/internal/serve"
)

// TestServeHelperProcess is iotpt serve in a child process for
// TestServeSignal; it does nothing in a normal run.
func TestServeHelperProcess(t *testing.T) {
	args := os.Getenv("IOTPT_SERVE_ARGS")
	if args == "" {
		t.Skip("helper process for TestServeSignal")
	}
	var argv []string
	if err := json.Unmarshal([]byte(args), &argv); err != nil {
		t.Fatal(err)
	}
	os.Exit(run(argv, os.Stdin, os.Stdout, os.Stderr))
}

// iotpt serve prints its one JSON line, and SIGTERM stops it with exit 0.
func TestServeSignal(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	args, _ := json.Marshal([]string{"serve", "--dir", dir, "--mqtt", "127.0.0.1:0", "--api", "127.0.0.1:0",
		"--template", "Fleet=../../examples/fleet-provisioning/template.json", "--log-format", "json"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeHelperProcess$")
	cmd.Env = append(os.Environ(), "IOTPT_SERVE_ARGS="+string(args))
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- line
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatalf("no JSON line within 30s; stderr:\n%s", stderr.String())
	}
	var info map[string]any
	if err := json.Unmarshal([]byte(line), &info); err != nil {
		cmd.Process.Kill()
		t.Fatalf("stdout %q: %v", line, err)
	}
	for k, want := range map[string]string{"dir": dir, "rootCA": dir + "/root-ca.pem", "claimCert": dir + "/claim.pem", "claimKey": dir + "/claim.key"} {
		if info[k] != want {
			t.Errorf("%s: %v, want %s", k, info[k], want)
		}
	}
	if !strings.HasPrefix(info["mqtt"].(string), "127.0.0.1:") || !strings.HasPrefix(info["api"].(string), "http://127.0.0.1:") {
		t.Errorf("addresses: %v", info)
	}
	if got, _ := json.Marshal(info["templates"]); string(got) != `["Fleet"]` {
		t.Errorf("templates %s", got)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("after SIGTERM: %v, want exit 0; stderr:\n%s", err, stderr.String())
		}
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		t.Fatal("still running 30s after SIGTERM")
	}
	// Logs are JSON lines on stderr.
	for _, l := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
		if !json.Valid([]byte(l)) {
			t.Errorf("stderr line is not JSON: %s", l)
		}
	}
}

func TestServeUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"serve", "--template", "Fleet"}, "want NAME=VALUE"},
		{[]string{"serve", "--log-format", "xml"}, "unknown --log-format"},
		{[]string{"serve", "--dir", "DIR", "--mqtt", "127.0.0.1:0", "--api", "127.0.0.1:0", "--template", "F=missing.json"}, "missing.json"},
		{[]string{"serve", "--dir", "DIR", "--mqtt", "127.0.0.1:0", "--api", "127.0.0.1:0", "--hook", "Nope=http://127.0.0.1:1"}, "no template is named Nope"},
		{[]string{"serve", "--dir", "DIR", "--mqtt", "127.0.0.1:0", "--api", "127.0.0.1:0", "--template", "J=../../examples/jitp/registration-config.json"}, "--jitp CA_PEM="},
		{[]string{"serve", "--dir", "DIR", "--mqtt", "127.0.0.1:0", "--api", "127.0.0.1:0", "--jitp", "../../examples/jitp/registration-config.json=../../examples/jitp/registration-config.json"}, "no -----BEGIN CERTIFICATE----- block"},
	} {
		dir := t.TempDir()
		for i, a := range tc.args {
			if a == "DIR" {
				tc.args[i] = dir
			}
		}
		var stdout, stderr bytes.Buffer
		code := run(tc.args, strings.NewReader(""), &stdout, &stderr)
		if code != exitUsage || !strings.Contains(stderr.String(), tc.want) || stdout.Len() != 0 {
			t.Errorf("%v: exit %d, stderr %q, stdout %q; want exit 2 with %q", tc.args, code, stderr.String(), stdout.String(), tc.want)
		}
	}
}

// plan --existing DIR reads an iotpt serve directory's registry, from the
// snapshot while the endpoint runs: an empty one has none of the thing
// types and groups the template needs.
func TestPlanExistingServeDir(t *testing.T) {
	dir := t.TempDir()
	srv, err := serve.Start(serve.Config{Dir: dir, MQTTAddr: "127.0.0.1:0", APIAddr: "127.0.0.1:0"})
	if err != nil {
		t.Fatal(err)
	}
	tmpl := "../../examples/fleet-provisioning/template.json"
	args := []string{"plan", tmpl, "-p", "SerialNumber=SN1", "--existing", dir}
	for _, running := range []bool{true, false} {
		if !running {
			srv.Close()
		}
		var stdout, stderr bytes.Buffer
		code := run(args, strings.NewReader(""), &stdout, &stderr)
		if code != exitFailed || !strings.Contains(stdout.String(), `thing type "air-quality-sensor" does not exist`) {
			t.Errorf("running %v: exit %d, stdout:\n%s\nstderr:\n%s\nwant exit 1: the thing type is not in the directory's registry", running, code, stdout.String(), stderr.String())
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"plan", tmpl, "--existing", t.TempDir()}, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
		t.Errorf("a directory that is no endpoint's: exit %d, stderr %q", code, stderr.String())
	}
}
