// Package fleet answers the fleet provisioning MQTT API of AWS IoT:
// CreateKeysAndCertificate, CreateCertificateFromCsr and RegisterThing, on
// their $aws topics, with the accepted and rejected payloads AWS documents.
// It knows nothing of MQTT itself: Handle takes a request topic and payload
// and returns the one reply for the requesting client.
package fleet

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/internal/serve/ca"
	"github.com/iotpt/iotpt/internal/serve/cbor"
	"github.com/iotpt/iotpt/internal/serve/provision"
	"github.com/iotpt/iotpt/internal/serve/store"
)

// Topics of the fleet provisioning API with JSON payloads; each has a CBOR
// twin ending in /cbor instead of /json.
const (
	CreateTopic        = "$aws/certificates/create/json"
	CreateFromCSRTopic = "$aws/certificates/create-from-csr/json"
	templatePrefix     = "$aws/provisioning-templates/"
	provisionSuffix    = "/provision/json"
)

// asJSON maps a CBOR topic to its JSON twin; cbor is false for a JSON
// topic (or any other), which is returned as it is.
func asJSON(topic string) (jsonTopic string, cbor bool) {
	if base, ok := strings.CutSuffix(topic, "/cbor"); ok {
		return base + "/json", true
	}
	return topic, false
}

// ProvisionTopic returns RegisterThing's request topic for a template.
func ProvisionTopic(template string) string {
	return templatePrefix + template + provisionSuffix
}

// MaxPayload is the largest request payload read: AWS IoT's message
// broker quota.
const MaxPayload = model.MaxMQTTPayload

// TokenLifetime is how long a certificate ownership token is valid.
const TokenLifetime = time.Hour

// HookTimeout is how long a pre-provisioning hook may take.
const HookTimeout = 5 * time.Second

// Template is a loaded provisioning template.
type Template struct {
	Name    string
	Program *eval.Program
	HookURL string // POST the hook event here before planning; "" for no hook
	Enabled bool   // a disabled template refuses every device
}

// Request is one message published by a client.
type Request struct {
	ClientID string
	CertID   string // the certificate the client connected with
	Topic    string
	Payload  []byte
}

// Reply is the answer to a request, for the requesting client only.
type Reply struct {
	Topic   string
	Payload []byte
}

// Service answers the API.
type Service struct {
	Store     *store.Store
	CA        *ca.CA
	Templates func(name string) (*Template, bool)
	Log       *slog.Logger
	Client    *http.Client // for hooks; nil for http.DefaultClient
}

// IsAPITopic reports whether topic is a request topic of the API.
func IsAPITopic(topic string) bool {
	topic, _ = asJSON(topic)
	_, ok := templateOf(topic)
	return ok || topic == CreateTopic || topic == CreateFromCSRTopic
}

func templateOf(topic string) (string, bool) {
	rest, ok := strings.CutPrefix(topic, templatePrefix)
	if !ok {
		return "", false
	}
	name, ok := strings.CutSuffix(rest, provisionSuffix)
	if !ok || name == "" || strings.Contains(name, "/") {
		return "", false
	}
	return name, true
}

// Rejection is a rejected payload.
type Rejection struct {
	StatusCode   int    `json:"statusCode"`
	ErrorCode    string `json:"errorCode"`
	ErrorMessage string `json:"errorMessage"`
}

func reject(status int, code, format string, args ...any) *Rejection {
	return &Rejection{StatusCode: status, ErrorCode: code, ErrorMessage: fmt.Sprintf(format, args...)}
}

// Handle answers one request; ok is false when the topic is not a request
// topic of the API. It never fails: every problem is a rejected reply. A
// request on a CBOR topic is read and answered in CBOR.
func (s *Service) Handle(ctx context.Context, req Request) (reply Reply, ok bool) {
	topic := req.Topic
	jsonTopic, isCBOR := asJSON(topic)
	if !IsAPITopic(topic) {
		return Reply{}, false
	}
	req.Topic = jsonTopic
	var rej *Rejection
	if isCBOR {
		req.Payload, rej = cborToJSON(req.Payload, jsonTopic == CreateTopic)
	}
	var body any
	if rej == nil {
		switch name, isTemplate := templateOf(jsonTopic); {
		case jsonTopic == CreateTopic:
			body, rej = s.createKeys(req)
		case jsonTopic == CreateFromCSRTopic:
			body, rej = s.createFromCSR(req)
		case isTemplate:
			body, rej = s.registerThing(ctx, req, name)
		}
	}
	outcome, payload := "/accepted", body
	if rej != nil {
		s.Log.Info("provisioning request rejected", "client", req.ClientID, "topic", topic, "statusCode", rej.StatusCode, "errorCode", rej.ErrorCode, "errorMessage", rej.ErrorMessage)
		outcome, payload = "/rejected", rej
	}
	out := mustJSON(payload)
	if isCBOR {
		var err error
		if out, err = jsonToCBOR(out); err != nil {
			outcome = "/rejected"
			out, _ = jsonToCBOR(mustJSON(reject(500, "InternalError", "the reply has no CBOR form: %v", err)))
		}
	}
	return Reply{Topic: topic + outcome, Payload: out}, true
}

// cborToJSON turns a CBOR request payload into the JSON one. An empty
// payload stays empty where the operation takes none.
func cborToJSON(payload []byte, emptyOK bool) ([]byte, *Rejection) {
	if len(payload) == 0 && emptyOK {
		return nil, nil
	}
	if len(payload) > MaxPayload {
		return nil, reject(400, "InvalidPayload", "the payload has %d bytes; the most is %d", len(payload), MaxPayload)
	}
	v, err := cbor.Decode(payload)
	if err != nil {
		return nil, reject(400, "InvalidPayload", "the payload is not CBOR: %v", err)
	}
	return mustJSON(v), nil
}

// jsonToCBOR re-encodes a reply the service made in JSON; it fails only
// for a reply nested deeper than CBOR's MaxDepth.
func jsonToCBOR(payload []byte) ([]byte, error) {
	var v any
	if err := json.Unmarshal(payload, &v); err != nil {
		return nil, err
	}
	return cbor.Encode(v)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only plain structs and maps of strings are marshalled
	}
	return b
}

// createdCertificate is CreateKeysAndCertificate's accepted payload.
type createdCertificate struct {
	CertificateID             string `json:"certificateId"`
	CertificatePEM            string `json:"certificatePem"`
	PrivateKey                string `json:"privateKey,omitempty"`
	CertificateOwnershipToken string `json:"certificateOwnershipToken"`
}

func (s *Service) createKeys(req Request) (any, *Rejection) {
	if len(req.Payload) > MaxPayload {
		return nil, reject(400, "InvalidPayload", "the payload has %d bytes; the most is %d", len(req.Payload), MaxPayload)
	}
	iss, err := s.CA.NewKeyAndCertificate()
	if err != nil {
		return nil, reject(500, "InternalError", "%v", err)
	}
	return s.register(req, iss)
}

// CSRRequest is CreateCertificateFromCsr's request payload.
type CSRRequest struct {
	CertificateSigningRequest string `json:"certificateSigningRequest"`
}

// DecodeCSRRequest reads a CreateCertificateFromCsr payload.
func DecodeCSRRequest(payload []byte) (*CSRRequest, *Rejection) {
	var r CSRRequest
	if err := decode(payload, &r); err != nil {
		return nil, reject(400, "InvalidPayload", "%v", err)
	}
	if r.CertificateSigningRequest == "" {
		return nil, reject(400, "InvalidCertificateSigningRequest", "certificateSigningRequest is missing or empty")
	}
	return &r, nil
}

func (s *Service) createFromCSR(req Request) (any, *Rejection) {
	r, rej := DecodeCSRRequest(req.Payload)
	if rej != nil {
		return nil, rej
	}
	iss, err := s.CA.FromCSR(r.CertificateSigningRequest)
	if err != nil {
		return nil, reject(400, "InvalidCertificateSigningRequest", "%v", err)
	}
	return s.register(req, iss)
}

// register stores a new certificate PENDING_ACTIVATION with an ownership token.
func (s *Service) register(req Request, iss *ca.Issued) (any, *Rejection) {
	token := newToken()
	now := time.Now().UTC()
	err := s.Store.Update(func(tx *store.Tx) error {
		if err := tx.Put(store.Certificates, iss.ID, store.Certificate{ID: iss.ID, PEM: iss.CertPEM, Status: store.PendingActivation, CreatedAt: now}); err != nil {
			return err
		}
		return tx.Put(store.Tokens, token, store.Token{CertificateID: iss.ID, Expires: now.Add(TokenLifetime)})
	})
	if err != nil {
		return nil, reject(500, "InternalError", "%v", err)
	}
	s.Log.Info("certificate created", "client", req.ClientID, "certificateId", iss.ID, "fromCSR", iss.KeyPEM == "")
	return createdCertificate{CertificateID: iss.ID, CertificatePEM: iss.CertPEM, PrivateKey: iss.KeyPEM, CertificateOwnershipToken: token}, nil
}

func newToken() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// RegisterRequest is RegisterThing's request payload.
type RegisterRequest struct {
	CertificateOwnershipToken string            `json:"certificateOwnershipToken"`
	Parameters                map[string]string `json:"parameters"`
}

// DecodeRegisterRequest reads a RegisterThing payload.
func DecodeRegisterRequest(payload []byte) (*RegisterRequest, *Rejection) {
	var r RegisterRequest
	if err := decode(payload, &r); err != nil {
		return nil, reject(400, "InvalidPayload", "%v", err)
	}
	if r.CertificateOwnershipToken == "" {
		return nil, reject(400, "InvalidCertificateOwnershipToken", "Certificate ownership token cannot be empty.")
	}
	return &r, nil
}

// decode reads one JSON object, bounded in size.
func decode(payload []byte, v any) error {
	if len(payload) > MaxPayload {
		return fmt.Errorf("the payload has %d bytes; the most is %d", len(payload), MaxPayload)
	}
	if len(bytes.TrimSpace(payload)) == 0 {
		return errors.New("the payload is empty; it must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("the payload is not the JSON object this API takes: %v", err)
	}
	if dec.More() {
		return errors.New("the payload has more than one JSON value")
	}
	return nil
}

// accepted is RegisterThing's accepted payload.
type accepted struct {
	DeviceConfiguration json.RawMessage `json:"deviceConfiguration"`
	ThingName           string          `json:"thingName"`
}

func (s *Service) registerThing(ctx context.Context, req Request, name string) (any, *Rejection) {
	r, rej := DecodeRegisterRequest(req.Payload)
	if rej != nil {
		return nil, rej
	}
	tmpl, ok := s.Templates(name)
	if !ok {
		return nil, reject(404, "ResourceNotFound", "provisioning template %q does not exist", name)
	}
	if !tmpl.Enabled {
		return nil, reject(model.Disabled.StatusCode, model.Disabled.ErrorCode, "provisioning template %q is disabled", name)
	}
	var tok store.Token
	var cert store.Certificate
	err := s.Store.View(func(tx *store.Tx) error {
		if found, err := tx.Get(store.Tokens, r.CertificateOwnershipToken, &tok); err != nil || !found {
			return err
		}
		_, err := tx.Get(store.Certificates, tok.CertificateID, &cert)
		return err
	})
	if err != nil {
		return nil, reject(500, "InternalError", "%v", err)
	}
	if tok.CertificateID == "" || time.Now().After(tok.Expires) || cert.ID == "" {
		return nil, reject(400, "InvalidCertificateOwnershipToken", "Certificate ownership token is invalid or expired.")
	}
	params := make([]eval.Param, 0, len(r.Parameters))
	for k, v := range r.Parameters {
		params = append(params, eval.Param{Name: k, Value: v})
	}
	// The certificate supplies AWS::IoT::Certificate::Id and, as iotpt plan
	// --cert assumes, the subject parameters.
	device, err := eval.ParseCertificate([]byte(cert.PEM))
	if err != nil {
		return nil, reject(500, "InternalError", "the stored certificate: %v", err)
	}
	in := eval.Input{Type: eval.FleetProvisioning, Params: params, Certificate: device}
	if tmpl.HookURL != "" {
		hook, err := s.callHook(ctx, tmpl, req, cert, r.Parameters)
		if err != nil {
			s.Log.Info("pre-provisioning hook failed", "template", name, "client", req.ClientID, "error", err)
			return nil, reject(model.AccessDenied.StatusCode, model.AccessDenied.ErrorCode, "the pre-provisioning hook failed: %v", err)
		}
		in.Hook = hook
	}
	var plan *eval.Plan
	err = s.Store.Update(func(tx *store.Tx) error {
		// The token is checked again inside the transaction: two requests
		// with the same token provision once.
		if !tx.Has(store.Tokens, r.CertificateOwnershipToken) {
			return errTokenUsed
		}
		var err error
		plan, err = provision.Run(tx, tmpl.Program, in, cert.ID)
		if err != nil {
			return err
		}
		return tx.Delete(store.Tokens, r.CertificateOwnershipToken)
	})
	switch {
	case errors.Is(err, errTokenUsed):
		return nil, reject(400, "InvalidCertificateOwnershipToken", "Certificate ownership token is invalid or expired.")
	case errors.Is(err, provision.ErrFailed):
		for _, d := range plan.Errors {
			s.Log.Info("RegisterThing failed", "template", name, "client", req.ClientID, "error", d.String())
		}
		return nil, rejectedFor(plan)
	case err != nil:
		return nil, reject(500, "InternalError", "%v", err)
	}
	acc := plan.Response.Accepted
	if acc == nil {
		acc = &eval.Accepted{ThingName: plan.ThingName, DeviceConfiguration: plan.DeviceConfiguration}
	}
	thing := acc.ThingName.Text() // "" without a thing (U30)
	s.Log.Info("device provisioned", "template", name, "client", req.ClientID, "thingName", thing, "certificateId", cert.ID)
	return accepted{DeviceConfiguration: acc.DeviceConfiguration.AppendJSON(nil), ThingName: thing}, nil
}

var errTokenUsed = errors.New("ownership token already used")

// rejectedFor is the rejected payload of a failed plan: the plan's own
// Response, which the service model derives from the first error.
func rejectedFor(plan *eval.Plan) *Rejection {
	if r := plan.Response.Rejected; r != nil {
		return reject(r.StatusCode, r.ErrorCode, "%s", r.ErrorMessage)
	}
	return reject(model.InvalidRequest.StatusCode, model.InvalidRequest.ErrorCode, "provisioning failed")
}

// hookEvent is the pre-provisioning hook's input.
type hookEvent struct {
	ClaimCertificateID string            `json:"claimCertificateId"`
	CertificateID      string            `json:"certificateId"`
	CertificatePEM     string            `json:"certificatePem"`
	TemplateARN        string            `json:"templateArn"`
	ClientID           string            `json:"clientId"`
	Parameters         map[string]string `json:"parameters"`
}

func (s *Service) callHook(ctx context.Context, tmpl *Template, req Request, cert store.Certificate, params map[string]string) (*eval.HookResponse, error) {
	if params == nil {
		params = map[string]string{}
	}
	ev := hookEvent{
		ClaimCertificateID: req.CertID, CertificateID: cert.ID, CertificatePEM: cert.PEM,
		TemplateARN: "arn:aws:iot:" + provision.Region + ":" + provision.Account + ":provisioningtemplate/" + tmpl.Name,
		ClientID:    req.ClientID, Parameters: params,
	}
	ctx, cancel := context.WithTimeout(ctx, HookTimeout)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, tmpl.HookURL, bytes.NewReader(mustJSON(ev)))
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Content-Type", "application/json")
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(hreq)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxPayload+1))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s answered %s", tmpl.HookURL, resp.Status)
	}
	if len(body) > MaxPayload {
		return nil, fmt.Errorf("%s answered more than %d bytes", tmpl.HookURL, MaxPayload)
	}
	hook, diags := eval.ParseHookResponse("hook response from "+tmpl.HookURL, body)
	if err := diags.Err(); err != nil {
		return nil, err
	}
	return hook, nil
}
