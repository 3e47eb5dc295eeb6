package api

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/store"
)

func newAPI(t testing.TB) http.Handler {
	dir := t.TempDir()
	c, err := ca.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(filepath.Join(dir, "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	a := &API{Store: st, CA: c, MQTTAddr: "127.0.0.1:1", Log: slog.New(slog.DiscardHandler),
		LoadTemplate: func(*store.Tx, *store.Template) error { return nil },
		DropTemplate: func(*store.Tx, string) error { return nil },
		LoadCA:       func(*store.CA) error { return nil }}
	return a.Handler()
}

var requests = []struct{ method, path string }{
	{"POST", "/things/t1"}, {"GET", "/things/t1"}, {"POST", "/thing-types/ty"}, {"POST", "/thing-groups/g"},
	{"POST", "/policies/p"}, {"PUT", "/target-policies/p"}, {"POST", "/billing-groups/b"}, {"POST", "/provisioning-templates"},
	{"PATCH", "/provisioning-templates/x"}, {"POST", "/cacertificate"}, {"PUT", "/things/t1/principals"},
}

// FuzzHandler: any body on any operation gets a JSON answer, and an error
// in AWS's shape (x-amzn-ErrorType and a message), never a panic or a
// server error.
func FuzzHandler(f *testing.F) {
	for i := range requests {
		for _, body := range []string{"", "{}", `{"thingTypeName": "ty", "attributePayload": {"attributes": {"a": "b"}}}`, `{"policyDocument": "{\"Statement\": []}"}`,
			`{"templateName": "x", "templateBody": "{}", "provisioningRoleArn": "r", "enabled": true}`, `{"caCertificate": "x"}`, "[", `{"target": 1}`} {
			f.Add(uint8(i), []byte(body))
		}
	}
	h := newAPI(f)
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		r := requests[int(op)%len(requests)]
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(r.method, r.path, strings.NewReader(string(body))))
		if w.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", r.method, r.path, body, w.Code, w.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %s: answer %q is not a JSON object", r.method, r.path, w.Body)
		}
		if w.Code >= 400 && (w.Header().Get("x-amzn-ErrorType") == "" || out["message"] == nil) {
			t.Fatalf("%s %s: error %d without x-amzn-ErrorType and message: %s", r.method, r.path, w.Code, w.Body)
		}
	})
}

func TestNotFoundShape(t *testing.T) {
	h := newAPI(t)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/nope", nil))
	if w.Code != 404 || w.Header().Get("x-amzn-ErrorType") != "ResourceNotFoundException" || !strings.Contains(w.Body.String(), `"message"`) {
		t.Errorf("%d %v %s", w.Code, w.Header(), w.Body)
	}
}
