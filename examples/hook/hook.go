// Package hook is a pre-provisioning hook for fleet provisioning, written
// in Go with iotpt: before AWS IoT provisions a device, it plans the
// device's RegisterThing request against the template and refuses the
// device when provisioning would fail or break a house rule, with the
// reason in the function's log instead of a bare ACCESS_DENIED.
//
// AWS IoT invokes the hook's Lambda function with an Event and expects a
// Response (see the pre-provisioning hook page of the AWS IoT developer
// guide). Wire Hook.Handle to your Lambda runtime's entry point, for
// example lambda.Start(h.Handle) with github.com/aws/aws-lambda-go.
package hook

import (
	"context"
	"fmt"
	"strings"

	"github.com/iotpt/iotpt/eval"
	"github.com/iotpt/iotpt/template"
)

// Event is what AWS IoT sends the hook.
type Event struct {
	ClaimCertificateID string            `json:"claimCertificateId"`
	CertificateID      string            `json:"certificateId"`
	CertificatePEM     string            `json:"certificatePem"`
	TemplateARN        string            `json:"templateArn"`
	ClientID           string            `json:"clientId"`
	Parameters         map[string]string `json:"parameters"`
}

// Response is what the hook answers.
type Response struct {
	AllowProvisioning  bool              `json:"allowProvisioning"`
	ParameterOverrides map[string]string `json:"parameterOverrides,omitempty"`
}

// Hook plans requests against one template, compiled once when the
// function starts and shared by concurrent invocations.
type Hook struct {
	prog *eval.Program
	log  func(format string, args ...any)
}

// New compiles the template body the provisioning template holds. A body
// with errors is refused here, at deployment, rather than on every device.
func New(body []byte, log func(format string, args ...any)) (*Hook, error) {
	f, diags := template.Parse("template.json", body, template.ParseOptions{Form: template.FormBody})
	prog, more := eval.Compile(f)
	diags = append(diags, more...)
	if diags.HasErrors() {
		return nil, fmt.Errorf("the template has errors: %v", diags)
	}
	return &Hook{prog: prog, log: log}, nil
}

// Handle decides on one request. Serial numbers are normalised to upper
// case (a parameter override); a request whose plan fails is refused and
// each reason is logged.
func (h *Hook) Handle(_ context.Context, ev Event) (Response, error) {
	overrides := map[string]string{}
	if s, ok := ev.Parameters["SerialNumber"]; ok && s != strings.ToUpper(s) {
		overrides["SerialNumber"] = strings.ToUpper(s)
	}
	params := make([]eval.Param, 0, len(ev.Parameters)+2)
	for k, v := range ev.Parameters {
		params = append(params, eval.Param{Name: k, Value: v})
	}
	for k, v := range overrides {
		params = append(params, eval.Param{Name: k, Value: v}) // later ones win
	}
	params = append(params, eval.Param{Name: eval.CertParamID, Value: ev.CertificateID})
	plan := h.prog.Plan(eval.Input{Params: params})
	if plan.Outcome != "success" {
		for _, d := range plan.Errors {
			h.log("refusing client %s: %s", ev.ClientID, d)
		}
		return Response{AllowProvisioning: false}, nil
	}
	h.log("allowing client %s as thing %s", ev.ClientID, plan.ThingName.Display())
	return Response{AllowProvisioning: true, ParameterOverrides: overrides}, nil
}
