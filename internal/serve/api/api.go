// Package api is the HTTP control plane of iotpt serve: a subset of the
// AWS IoT REST API on the same paths, so that the AWS CLI and SDKs work
// against it with --endpoint-url. Signatures are not checked. Errors have
// AWS's shape: the x-amzn-ErrorType header and a JSON message.
package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/iotpt/iotpt/internal/serve/store"
)

// MaxBody is the largest request body read.
const MaxBody = 1 << 20

// API serves the control plane.
type API struct {
	Store *store.Store
	// MQTTAddr is the broker's address, for describe-endpoint.
	MQTTAddr string
	Log      *slog.Logger
}

// Handler returns the HTTP handler.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /endpoint", a.describeEndpoint)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &Error{Status: http.StatusNotFound, Type: "ResourceNotFoundException", Message: fmt.Sprintf("%s %s is not an operation of this endpoint", r.Method, r.URL.Path)})
	})
	return mux
}

// Error is an AWS error response.
type Error struct {
	Status  int
	Type    string
	Message string
}

func (e *Error) Error() string { return e.Type + ": " + e.Message }

func writeError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Status: http.StatusInternalServerError, Type: "InternalFailureException", Message: err.Error()}
	}
	w.Header().Set("x-amzn-ErrorType", e.Type)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	_ = json.NewEncoder(w).Encode(map[string]string{"message": e.Message})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// readJSON decodes a bounded request body into v; an empty body is {}.
func readJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, MaxBody+1))
	if err != nil {
		return err
	}
	if len(body) > MaxBody {
		return &Error{Status: http.StatusRequestEntityTooLarge, Type: "InvalidRequestException", Message: fmt.Sprintf("the request body has more than %d bytes", MaxBody)}
	}
	if len(body) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, v); err != nil {
		return &Error{Status: http.StatusBadRequest, Type: "InvalidRequestException", Message: "the request body is not valid JSON for this operation: " + err.Error()}
	}
	return nil
}

func (a *API) describeEndpoint(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, map[string]string{"endpointAddress": a.MQTTAddr})
}
