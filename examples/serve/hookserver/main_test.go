package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/examples/hook"
)

func TestHandler(t *testing.T) {
	body, err := os.ReadFile("../template.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := hook.New(body, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(h))
	defer srv.Close()
	for _, tc := range []struct{ body, want string }{
		{`{"clientId": "c", "certificateId": "4f2a9d3c8b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a10", "parameters": {"SerialNumber": "sn-1"}}`, `{"allowProvisioning":true,"parameterOverrides":{"SerialNumber":"SN-1"}}`},
		{`{"clientId": "c", "certificateId": "4f2a9d3c8b7e6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a10", "parameters": {}}`, `{"allowProvisioning":false}`},
	} {
		resp, err := http.Post(srv.URL, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		_, _ = io.Copy(&b, resp.Body)
		resp.Body.Close()
		if got := strings.TrimSpace(b.String()); got != tc.want {
			t.Errorf("%s: got %s, want %s", tc.body, got, tc.want)
		}
	}
}
