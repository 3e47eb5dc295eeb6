package serve

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/iotpt/iotpt/internal/serve/ca"
)

// do sends one control plane request and decodes the JSON answer.
func do(t *testing.T, s *Server, method, path string, body any, header ...string) (int, http.Header, map[string]any) {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.Info().API+path, r)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := (&http.Client{Timeout: timeout}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return resp.StatusCode, resp.Header, out
}

func TestControlPlane(t *testing.T) {
	s := start(t, "")
	must := func(method, path string, body any, header ...string) map[string]any {
		t.Helper()
		code, _, out := do(t, s, method, path, body, header...)
		if code != http.StatusOK {
			t.Fatalf("%s %s: %d %v", method, path, code, out)
		}
		return out
	}
	if got := must("GET", "/endpoint", nil)["endpointAddress"]; got != s.Info().MQTT {
		t.Errorf("describe-endpoint: %v", got)
	}
	must("POST", "/thing-types/sensor", map[string]any{})
	must("POST", "/thing-groups/fleet", map[string]any{})
	must("POST", "/billing-groups/gold", map[string]any{})
	if got := must("GET", "/billing-groups", nil)["billingGroups"].([]any); len(got) != 1 {
		t.Errorf("list-billing-groups: %v", got)
	}
	// A template created through the API is planned like one from a file,
	// and the claim policy lets claim devices use it.
	body, _ := os.ReadFile("testdata/fleet.json")
	typed := strings.Replace(string(body), `"AttributePayload"`, `"ThingTypeName": "sensor", "ThingGroups": ["fleet"], "BillingGroup": "gold", "AttributePayload"`, 1)
	must("POST", "/provisioning-templates", map[string]any{"templateName": "Api", "templateBody": typed, "enabled": true, "provisioningRoleArn": "arn:aws:iam::123456789012:role/R"})
	code, hdr, out := do(t, s, "POST", "/provisioning-templates", map[string]any{"templateName": "Bad", "templateBody": `{"Resources": {"x": `, "enabled": true, "provisioningRoleArn": "r"})
	if code != 400 || hdr.Get("x-amzn-ErrorType") != "InvalidRequestException" || out["message"] == nil {
		t.Errorf("a bad template: %d %s %v; want 400 InvalidRequestException with a message", code, hdr.Get("x-amzn-ErrorType"), out)
	}
	if got := must("GET", "/provisioning-templates/Api", nil)["templateBody"]; got != typed {
		t.Errorf("describe-provisioning-template body %v", got)
	}
	cl := claimClient(t, s, "claim")
	_, created := cl.call("$aws/certificates/create/json", []byte{})
	outcome, res := cl.call("$aws/provisioning-templates/Api/provision/json", map[string]any{"certificateOwnershipToken": created["certificateOwnershipToken"], "parameters": map[string]string{"SerialNumber": "A1"}})
	if outcome != "accepted" {
		t.Fatalf("RegisterThing with the API's template: %s %v", outcome, res)
	}
	thing := must("GET", "/things/dev-A1", nil)
	if thing["thingTypeName"] != "sensor" || thing["billingGroupName"] != "gold" || thing["attributes"].(map[string]any)["serial"] != "A1" {
		t.Errorf("describe-thing: %v", thing)
	}
	certARN := "arn:aws:iot:us-east-1:123456789012:cert/" + created["certificateId"].(string)
	principals := must("GET", "/things/dev-A1/principals", nil)["principals"].([]any)
	if len(principals) != 1 || principals[0] != certARN {
		t.Errorf("list-thing-principals: %v", principals)
	}
	desc := must("GET", "/certificates/"+created["certificateId"].(string), nil)["certificateDescription"].(map[string]any)
	if desc["status"] != "ACTIVE" || desc["certificateArn"] != certARN {
		t.Errorf("describe-certificate: %v", desc)
	}
	// The target arrives URL-encoded, slash included.
	policies := must("POST", "/attached-policies/"+url.PathEscape(certARN), nil)["policies"].([]any)
	if len(policies) != 1 {
		t.Fatalf("list-attached-policies: %v", policies)
	}
	name := policies[0].(map[string]any)["policyName"].(string)
	if doc := must("GET", "/policies/"+name, nil)["policyDocument"].(string); !strings.Contains(doc, "devices/*") {
		t.Errorf("get-policy: %s", doc)
	}
	must("PUT", "/certificates/"+created["certificateId"].(string)+"?newStatus=INACTIVE", nil)
	if _, err := connect(t, s, []byte(created["certificatePem"].(string)), []byte(created["privateKey"].(string)), "dev-A1"); err == nil {
		t.Error("an INACTIVE certificate connected")
	}
	code, hdr, out = do(t, s, "GET", "/things/nope", nil)
	if code != 404 || hdr.Get("x-amzn-ErrorType") != "ResourceNotFoundException" || out["message"] != "thing nope does not exist" {
		t.Errorf("describe-thing of a missing thing: %d %s %v", code, hdr.Get("x-amzn-ErrorType"), out)
	}
	// register-ca-certificate with a registration config turns on JITP.
	maker := newTestCA(t)
	var rc struct {
		TemplateBody string `json:"templateBody"`
	}
	cfg, _ := os.ReadFile("testdata/jitp.json")
	if err := json.Unmarshal(cfg, &rc); err != nil {
		t.Fatal(err)
	}
	registered := must("POST", "/cacertificate?setAsActive=true&allowAutoRegistration=true", map[string]any{"caCertificate": string(maker.pem), "registrationConfig": map[string]string{"templateBody": rc.TemplateBody, "roleArn": "arn:aws:iam::123456789012:role/J"}})
	if !strings.HasPrefix(asString(registered["certificateArn"]), "arn:aws:iot:us-east-1:123456789012:cacert/") {
		t.Errorf("register-ca-certificate: %v", registered)
	}
	desc = must("GET", "/cacertificate/"+asString(registered["certificateId"]), nil)
	if d := desc["certificateDescription"].(map[string]any); d["autoRegistrationStatus"] != "ENABLE" || d["status"] != "ACTIVE" {
		t.Errorf("describe-ca-certificate: %v", d)
	}
	if rc, _ := desc["registrationConfig"].(map[string]any); !strings.Contains(asString(rc["templateBody"]), "AWS::IoT::Certificate::Country") {
		t.Errorf("describe-ca-certificate registrationConfig: %v", desc["registrationConfig"])
	}
	if got := must("GET", "/cacertificates", nil)["certificates"].([]any); len(got) != 1 {
		t.Errorf("list-ca-certificates: %v", got)
	}
	chain, key := maker.device(t, pkix.Name{CommonName: "api-jitp", Country: []string{"FR"}})
	if _, err := connect(t, s, chain, key, "api-jitp"); err == nil {
		t.Error("the first JITP connection succeeded")
	}
	if _, err := connect(t, s, chain, key, "api-jitp"); err != nil {
		t.Errorf("after JITP by a CA registered on the control plane: %v", err)
	}
	// update-provisioning-template: a disabled template leaves service.
	must("PATCH", "/provisioning-templates/Api", map[string]any{"enabled": false})
	if got := s.Info().Templates; slices.Contains(got, "Api") {
		t.Errorf("templates after disabling Api: %v", got)
	}
	if got := must("GET", "/provisioning-templates", nil)["templates"].([]any); len(got) != 2 {
		t.Errorf("list-provisioning-templates: %v", got)
	}
	claim2 := claimClient(t, s, "claim-2") // the claim policy is read on connection
	_, created2 := claim2.call("$aws/certificates/create/json", []byte{})
	outcome, res = claim2.call("$aws/provisioning-templates/Api/provision/json", map[string]any{"certificateOwnershipToken": created2["certificateOwnershipToken"], "parameters": map[string]string{"SerialNumber": "A2"}})
	if outcome != "rejected" || res["errorCode"] != "InvalidRequest" || !strings.Contains(asString(res["errorMessage"]), "disabled") {
		t.Errorf("RegisterThing with a disabled template: %s %v", outcome, res)
	}
	must("PATCH", "/provisioning-templates/Api", map[string]any{"enabled": true})
	if got := s.Info().Templates; !slices.Contains(got, "Api") {
		t.Errorf("templates after enabling Api: %v", got)
	}
	must("DELETE", "/provisioning-templates/Api", nil)
	if got := s.Info().Templates; len(got) != 1 {
		t.Errorf("templates after delete: %v", got)
	}
}

// awsCLI runs the AWS CLI against the endpoint, or skips the test when it
// is not installed.
func awsCLI(t *testing.T, s *Server, args ...string) map[string]any {
	t.Helper()
	path := tool(t, "aws", "Debian package awscli")
	cmd := exec.Command(path, append(append([]string{"iot"}, args...), "--endpoint-url", s.Info().API, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1", "AWS_PAGER=", "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("aws iot %s: %v\n%s", strings.Join(args, " "), err, stderr)
	}
	var v map[string]any
	if len(bytes.TrimSpace(out)) > 0 {
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("aws iot %s: %v: %s", strings.Join(args, " "), err, out)
		}
	}
	return v
}

// The AWS CLI reads back the thing, certificate and policy of a device
// provisioned by claim.
func TestAWSCLI(t *testing.T) {
	tool(t, "aws", "Debian package awscli")
	s := start(t, "")
	certPEM, _ := provisionDevice(t, s, "claim", "CLI1", true)
	certID := ca.ID(pemBlock(t, certPEM))
	if got := awsCLI(t, s, "describe-endpoint", "--endpoint-type", "iot:Data-ATS")["endpointAddress"]; got != s.Info().MQTT {
		t.Errorf("describe-endpoint: %v", got)
	}
	if got := awsCLI(t, s, "describe-thing", "--thing-name", "dev-CLI1"); got["thingName"] != "dev-CLI1" {
		t.Errorf("describe-thing: %v", got)
	}
	desc := awsCLI(t, s, "describe-certificate", "--certificate-id", certID)["certificateDescription"].(map[string]any)
	if desc["status"] != "ACTIVE" {
		t.Errorf("describe-certificate: %v", desc)
	}
	policies := awsCLI(t, s, "list-attached-policies", "--target", desc["certificateArn"].(string))["policies"].([]any)
	if len(policies) != 1 {
		t.Fatalf("list-attached-policies: %v", policies)
	}
	name := policies[0].(map[string]any)["policyName"].(string)
	if got := awsCLI(t, s, "get-policy", "--policy-name", name); !strings.Contains(asString(got["policyDocument"]), "iot:Connect") {
		t.Errorf("get-policy: %v", got)
	}
	// register-ca-certificate with a registration config, as the AWS docs
	// show it, then JITP for a device of that CA.
	maker := newTestCA(t)
	dir := t.TempDir()
	caFile, rcFile := filepath.Join(dir, "ca.pem"), filepath.Join(dir, "rc.json")
	cfg, _ := os.ReadFile("testdata/jitp.json")
	if err := os.WriteFile(caFile, maker.pem, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rcFile, cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	awsCLI(t, s, "register-ca-certificate", "--ca-certificate", "file://"+caFile, "--set-as-active", "--allow-auto-registration", "--registration-config", "file://"+rcFile)
	chain, key := maker.device(t, pkix.Name{CommonName: "cli-jitp", Country: []string{"DE"}})
	if _, err := connect(t, s, chain, key, "cli-jitp"); err == nil {
		t.Error("the first JITP connection succeeded")
	}
	if _, err := connect(t, s, chain, key, "cli-jitp"); err != nil {
		t.Errorf("after JITP by a CA the AWS CLI registered: %v", err)
	}
	if got := awsCLI(t, s, "describe-thing", "--thing-name", "cli-jitp"); got["attributes"].(map[string]any)["country"] != "DE" {
		t.Errorf("describe-thing of the JITP device: %v", got)
	}
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}
