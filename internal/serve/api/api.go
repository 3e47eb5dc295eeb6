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

	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// MaxBody is the largest request body read.
const MaxBody = 1 << 20

// API serves the control plane.
type API struct {
	Store *store.Store
	CA    *ca.CA
	// MQTTAddr is the broker's address, for describe-endpoint.
	MQTTAddr string
	Log      *slog.Logger
	// LoadTemplate checks a provisioning template created or updated
	// through the API and makes it live, in the transaction that stores
	// it; an error refuses it.
	LoadTemplate func(tx *store.Tx, t *store.Template) error
	// DropTemplate takes a deleted template out of service.
	DropTemplate func(tx *store.Tx, name string) error
	// LoadCA makes a registered CA usable for JITP; an error refuses it.
	LoadCA func(c *store.CA) error
}

// Handler returns the HTTP handler.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	for pattern, h := range map[string]func(*http.Request) (any, error){
		"GET /endpoint":                                 a.describeEndpoint,
		"POST /things/{thingName}":                      a.createThing,
		"GET /things/{thingName}":                       a.describeThing,
		"GET /things":                                   a.listThings,
		"GET /things/{thingName}/principals":            a.listThingPrincipals,
		"PUT /things/{thingName}/principals":            a.attachThingPrincipal,
		"POST /thing-groups/{thingGroupName}":           a.createThingGroup,
		"GET /thing-groups/{thingGroupName}":            a.describeThingGroup,
		"GET /thing-groups":                             a.listThingGroups,
		"POST /billing-groups/{billingGroupName}":       a.createBillingGroup,
		"GET /billing-groups/{billingGroupName}":        a.describeBillingGroup,
		"GET /billing-groups":                           a.listBillingGroups,
		"POST /thing-types/{thingTypeName}":             a.createThingType,
		"GET /thing-types/{thingTypeName}":              a.describeThingType,
		"GET /thing-types":                              a.listThingTypes,
		"POST /policies/{policyName}":                   a.createPolicy,
		"GET /policies/{policyName}":                    a.getPolicy,
		"GET /policies":                                 a.listPolicies,
		"PUT /target-policies/{policyName}":             a.attachPolicy,
		"POST /attached-policies/{target}":              a.listAttachedPolicies,
		"POST /keys-and-certificate":                    a.createKeysAndCertificate,
		"GET /certificates/{certificateId}":             a.describeCertificate,
		"GET /certificates":                             a.listCertificates,
		"PUT /certificates/{certificateId}":             a.updateCertificate,
		"POST /provisioning-templates":                  a.createTemplate,
		"GET /provisioning-templates/{templateName}":    a.describeTemplate,
		"GET /provisioning-templates":                   a.listTemplates,
		"PATCH /provisioning-templates/{templateName}":  a.updateTemplate,
		"DELETE /provisioning-templates/{templateName}": a.deleteTemplate,
		"GET /cacertificate/{caCertificateId}":          a.describeCACertificate,
		"GET /cacertificates":                           a.listCACertificates,
		"POST /cacertificate":                           a.registerCACertificate,
	} {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			out, err := h(r)
			if err != nil {
				a.Log.Info("control plane request failed", "method", r.Method, "path", r.URL.Path, "error", err)
				writeError(w, err)
				return
			}
			writeJSON(w, out)
		})
	}
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
