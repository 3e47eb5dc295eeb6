package serve

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/iotpt/iotpt/examples/hook"
)

// The example hook (examples/hook), behind HTTP, as the template's
// pre-provisioning hook: its parameter override (the serial number in upper
// case) is applied, and its refusal is an AccessDenied rejection.
func TestPreProvisioningHook(t *testing.T) {
	body, err := os.ReadFile("testdata/fleet.json")
	if err != nil {
		t.Fatal(err)
	}
	h, err := hook.New(body, t.Logf)
	if err != nil {
		t.Fatal(err)
	}
	var events []hook.Event
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var ev hook.Event
		if err := json.NewDecoder(r.Body).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		events = append(events, ev)
		resp, _ := h.Handle(r.Context(), ev)
		_ = json.NewEncoder(w).Encode(resp)
	}))
	defer srv.Close()
	s := start(t, "", func(c *Config) { c.Hooks = []NamedFile{{Name: "Fleet", Path: srv.URL}} })
	cl := claimClient(t, s, "claim")
	topic := "$aws/provisioning-templates/Fleet/provision/json"
	for _, tc := range []struct {
		params  map[string]string
		outcome string
		field   string
		want    any
	}{
		{map[string]string{"SerialNumber": "sn-9"}, "accepted", "thingName", "dev-SN-9"},
		{map[string]string{}, "rejected", "errorCode", "ACCESS_DENIED"},
	} {
		_, created := cl.call("$aws/certificates/create/json", []byte{})
		outcome, res := cl.call(topic, map[string]any{"certificateOwnershipToken": created["certificateOwnershipToken"], "parameters": tc.params})
		if outcome != tc.outcome || res[tc.field] != tc.want {
			t.Errorf("parameters %v: %s %v; want %s with %s %v", tc.params, outcome, res, tc.outcome, tc.field, tc.want)
		}
	}
	if len(events) != 2 || events[0].CertificateID == "" || events[0].ClientID != "claim" || events[0].ClaimCertificateID == "" || events[0].Parameters["SerialNumber"] != "sn-9" {
		t.Errorf("hook events: %+v", events)
	}
}
