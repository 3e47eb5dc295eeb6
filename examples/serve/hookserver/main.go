// Command hookserver serves the example pre-provisioning hook
// (examples/hook) over HTTP, as the Lambda stand-in iotpt serve calls with
// --hook NAME=URL: each POST carries the hook event, and the answer is the
// hook's response.
//
//	go run ./examples/serve/hookserver -template examples/serve/template.json -addr 127.0.0.1:9000
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"

	"github.com/iotpt/iotpt/examples/hook"
)

func main() {
	templateFile := flag.String("template", "template.json", "the template body the hook plans against")
	addr := flag.String("addr", "127.0.0.1:9000", "listen address")
	flag.Parse()
	body, err := os.ReadFile(*templateFile)
	if err != nil {
		log.Fatal(err)
	}
	h, err := hook.New(body, log.Printf)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("pre-provisioning hook on http://%s", *addr)
	log.Fatal(http.ListenAndServe(*addr, Handler(h)))
}

// Handler answers hook events with h.
func Handler(h *hook.Hook) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST a hook event", http.StatusMethodNotAllowed)
			return
		}
		var ev hook.Event
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil {
			http.Error(w, "not a hook event: "+err.Error(), http.StatusBadRequest)
			return
		}
		resp, err := h.Handle(r.Context(), ev)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(resp)
	})
}
