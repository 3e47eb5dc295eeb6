package eval

import (
	"strings"

	"github.com/iotpt/iotpt/internal/model"
	"github.com/iotpt/iotpt/template"
)

// Response is what the service answers for a plan: on the MQTT
// RegisterThing topics for fleet provisioning (Accepted or Rejected), what
// becomes of the certificate and the connection for JITP, and the
// RegisterThing API's answer for bulk registration. Stage says when a
// failure happens: at "create" (the template is refused when created or
// attached to its CA, so no device gets through) or at "provision".
type Response struct {
	Stage    string
	Accepted *Accepted
	Rejected *Rejected
	JITP     *JITPResult
}

// Accepted is the payload of .../provision/json/accepted.
type Accepted struct {
	ThingName           Value // Null when the template has no thing (U30)
	DeviceConfiguration Value
}

// Rejected is the payload of .../provision/json/rejected (or the API
// error of a refused creation).
type Rejected struct {
	StatusCode   int
	ErrorCode    string
	ErrorMessage string
}

// JITPResult is what JITP does with the device's first connection.
type JITPResult struct {
	CertificateStatus string // ACTIVE, INACTIVE or PENDING_ACTIVATION
	Connection        string
}

// respond derives the response from a finished plan. A plan that cannot
// see the template's resources (PT136) gives no response: the service's
// answer is not known.
func (pl *planner) respond() {
	plan := pl.plan
	for _, d := range plan.Errors {
		if d.Code == CodeDeployTime {
			plan.Response = Response{}
			return
		}
	}
	r := Response{Stage: "provision"}
	var first *template.Diagnostic
	for i := range plan.Errors {
		if plan.Errors[i].Severity == template.Error {
			first = &plan.Errors[i]
			break
		}
	}
	for _, d := range plan.Errors {
		if c := model.CheckByCode(d.Code); d.Severity == template.Error && c != nil && c.Stage == model.AtCreate {
			r.Stage, first = "create", &d
			break
		}
	}
	switch {
	case pl.typ == JITP && first == nil:
		status := "ACTIVE"
		for _, res := range plan.Resources {
			if res.Type == template.TypeCertificate {
				status = certStatus(res)
			}
		}
		conn := "AWS IoT closes the first connection after registering the certificate; the device reconnects and is let in by the attached policy"
		if status != "ACTIVE" {
			conn = "AWS IoT closes the first connection; the template leaves the certificate " + status + ", so every reconnection is refused"
		}
		r.JITP = &JITPResult{CertificateStatus: status, Connection: conn}
	case pl.typ == JITP && r.Stage == "create":
		r.JITP = &JITPResult{CertificateStatus: "PENDING_ACTIVATION",
			Connection: "the registration config is refused when it is attached to the CA, so no device certificate is provisioned: " + first.Message}
	case pl.typ == JITP:
		r.JITP = &JITPResult{CertificateStatus: "PENDING_ACTIVATION",
			Connection: "AWS IoT closes the connection and the certificate stays PENDING_ACTIVATION, so every reconnection is refused: " + first.Message}
		if pl.createsBeforeFailing() {
			pl.assume("U24", "a failed JITP leaves the certificate PENDING_ACTIVATION and does not roll back what it created before the failing step")
		}
	case first == nil:
		r.Accepted = &Accepted{ThingName: plan.ThingName, DeviceConfiguration: plan.DeviceConfiguration}
		if plan.ThingName.kind == Null && pl.typ == FleetProvisioning {
			pl.assume("U30", "without a thing resource, RegisterThing is accepted with no thingName")
		}
	default:
		rej := model.InvalidRequest
		if c := model.CheckByCode(first.Code); c != nil && c.Rejected.ErrorCode != "" {
			rej = c.Rejected
		}
		if r.Stage == "create" {
			rej = model.Rejection{StatusCode: 400, ErrorCode: "InvalidRequestException", Assumption: ""}
		}
		r.Rejected = &Rejected{StatusCode: rej.StatusCode, ErrorCode: rej.ErrorCode, ErrorMessage: deviceMessage(first.Message)}
		if rej.Assumption != "" && (pl.typ == FleetProvisioning) {
			pl.assume(rej.Assumption, "the MQTT rejection carries statusCode "+itoa(rej.StatusCode)+" and errorCode "+rej.ErrorCode+" for this failure")
		}
		if r.Stage == "provision" && !pl.denied && pl.createsBeforeFailing() {
			pl.assume("U24", "resources created before the failing step are not rolled back")
		}
	}
	plan.Response = r
	if r.Stage == "create" || pl.disabled() {
		// The template never runs: nothing is created or changed.
		for _, res := range plan.Resources {
			res.Action = ActionFail
		}
	}
}

// createsBeforeFailing reports whether a resource that does not fail comes
// before one that does, in AWS IoT's order (certificate, thing, policy):
// what could be left behind.
func (pl *planner) createsBeforeFailing() bool {
	ok := false
	for _, typ := range []string{template.TypeCertificate, template.TypeThing, template.TypePolicy} {
		for _, res := range pl.plan.Resources {
			if res.Type != typ {
				continue
			}
			if res.Action == ActionFail {
				return ok
			}
			ok = ok || res.Action == ActionCreate || res.Action == ActionUpdate
		}
	}
	return false
}

// disabled reports whether the template is disabled (PT312): every device
// is refused before anything runs.
func (pl *planner) disabled() bool {
	for _, d := range pl.plan.Errors {
		if d.Code == codeDisabled && d.Severity == template.Error {
			return true
		}
	}
	return false
}

// deviceMessage is a finding's message as a device would read it: without
// the advice to iotpt's user on how to pass a value.
func deviceMessage(msg string) string {
	for _, advice := range []string{"; pass it with -p ", "; add it to the line"} {
		if i := strings.Index(msg, advice); i >= 0 {
			msg = msg[:i]
		}
	}
	return msg
}
