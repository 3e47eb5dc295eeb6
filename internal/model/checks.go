package model

import "strings"

// Stage is when AWS applies a check.
type Stage string

// Stages.
const (
	// AtCreate: when the template is created or attached
	// (CreateProvisioningTemplate, CreateProvisioningTemplateVersion,
	// RegisterCACertificate / UpdateCACertificate with a registration
	// config). Every device is refused, since the template never exists.
	AtCreate Stage = "create"
	// AtProvision: when a device provisions (RegisterThing over MQTT or the
	// API, a JITP connection, a bulk registration line).
	AtProvision Stage = "provision"
)

// Level is a check's default severity.
type Level string

// Levels.
const (
	Error   Level = "error"   // AWS refuses: creation or provisioning fails
	Warning Level = "warning" // AWS may refuse (an uncertain point), or accepts what will not work
	Info    Level = "info"
)

// Rejection is what the RegisterThing MQTT API answers on its /rejected
// topic for a check that fails at provisioning.
type Rejection struct {
	StatusCode int
	ErrorCode  string
	// Assumption is the uncertain point behind the code, when AWS does not
	// document it ("" when documented or observed).
	Assumption string
}

// Rejections that several checks share.
var (
	// InvalidParameters is observed for an unresolved Ref [FW-ANON].
	InvalidParameters = Rejection{400, "InvalidParameters", "U29"}
	// InvalidRequest stands for the RegisterThing API's
	// InvalidRequestException; the MQTT errorCode is not documented.
	InvalidRequest = Rejection{400, "InvalidRequest", "A1"}
	// RegistrationFailure stands for ResourceRegistrationFailureException
	// (thing type or group not found) [I-BULK3].
	RegistrationFailure = Rejection{400, "ResourceRegistrationFailure", "A1"}
	// Conflict stands for ResourceConflictsException (OverrideSettings
	// FAIL) [PT].
	Conflict = Rejection{409, "ResourceConflicts", "A1"}
	// AccessDenied is the pre-provisioning hook's refusal [HOOK].
	AccessDenied = Rejection{403, "ACCESS_DENIED", "U28"}
	// Disabled is what a device meets when the template is disabled.
	Disabled = Rejection{400, "InvalidRequest", "U40"}
)

// Check is one thing AWS IoT checks, as data. Its Code is the diagnostic
// code of every finding about it, in plan and lint alike.
type Check struct {
	Code  string // "PT301"
	Name  string // readable alias, "thing-name"
	Title string // one line, no final period
	Stage Stage
	Level Level
	// Doc says what AWS checks, why it matters and how to fix it.
	Doc       string
	Bad, Good string // a fragment that breaks the check, and the fix
	// Source is where the fact comes from: the fact sheet's section and
	// source tags.
	Source string
	// Assumption is the uncertain point the check rests on, or "".
	Assumption string
	// AWSError is what AWS reports, in words ("InvalidRequestException").
	AWSError string
	// Rejected is the MQTT RegisterThing answer (AtProvision checks).
	Rejected Rejection
	// PlanOnly marks checks that need inputs a lint run does not have
	// (parameter values, the registry, a hook response).
	PlanOnly bool
}

// Checks is every check, in code order.
var Checks = []*Check{
	{Code: "PT101", Name: "missing-parameter", Title: "Referenced parameter without a value or Default",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§1.2 [STP, SE-272476]", Assumption: "U3",
		AWSError: `InvalidRequestException ("Cannot resolve reference value")`, Rejected: InvalidParameters,
		Doc: `A parameter that the template uses needs a value: from the request, the
hook's parameterOverrides, the device certificate (JITP) or its Default.
Without one, provisioning fails ("Cannot resolve reference value").`},
	{Code: "PT110", Name: "hook-denied", Title: "Pre-provisioning hook refuses the device",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§6 [HOOK]", Assumption: "U33",
		AWSError: "ACCESS_DENIED", Rejected: AccessDenied,
		Doc: `The pre-provisioning hook runs before anything is created; unless it
returns {"allowProvisioning": true} (a JSON boolean), within 5 seconds,
provisioning fails with ACCESS_DENIED.`},
	{Code: "PT113", Name: "thing-type-missing", Title: "Thing type that does not exist",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§3.1 [I-BULK3]",
		AWSError: `ResourceRegistrationFailureException ("Thing type not found")`, Rejected: RegistrationFailure,
		Doc: `A thing type must exist before a device is provisioned into it.`},
	{Code: "PT114", Name: "thing-group-missing", Title: "Thing group that does not exist, or a dynamic one",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§3.1 [GG]", Assumption: "U12",
		AWSError: "ResourceRegistrationFailureException", Rejected: RegistrationFailure,
		Doc: `"The thing group must exist in your AWS account". A dynamic thing group
takes members by query, not by hand, so provisioning cannot add to it (U12).`},
	{Code: "PT115", Name: "billing-group-missing", Title: "Billing group that does not exist",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§3.1", Assumption: "U13",
		AWSError: "ResourceRegistrationFailureException", Rejected: RegistrationFailure,
		Doc: `A billing group, like a thing type, must exist before provisioning (U13).`},
	{Code: "PT116", Name: "policy-missing", Title: "PolicyName of a policy that does not exist",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§3.3 [PT]",
		AWSError: "ResourceRegistrationFailureException", Rejected: RegistrationFailure,
		Doc: `PolicyName attaches an existing AWS IoT policy ("the policy must already be
created"); name an IoT policy, not an IAM one.`},
	{Code: "PT117", Name: "override-fail", Title: "OverrideSettings FAIL on a resource that exists",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§3.4 [PT]",
		AWSError: "ResourceConflictsException", Rejected: Conflict,
		Doc: `OverrideSettings FAIL makes provisioning fail with ResourceConflictsException
when the resource already exists: a thing of that name, whatever its
values, as the documentation says it. For a certificate, which in fleet
provisioning always exists already (PENDING_ACTIVATION), the plan fails
only when its registered status differs from the template's, since
failing every device cannot be what a template means (U23).`},
	{Code: "PT133", Name: "request-limits", Title: "Parameter or built value longer than RegisterThing accepts",
		Stage: AtProvision, Level: Error, Source: "§1.2, §8 [BC Parameters, API-RT]", Assumption: "U4",
		AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `RegisterThing takes parameter names of at most 2,048 characters and values
of at most 4,096; a CSR is at most 4,096 characters and a certificate PEM
65,536. iotpt holds every value a template builds (Fn::Join, Fn::Sub) to the
same 4,096 characters.`,
		Bad:  `"CertificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----...(5,000 characters)"`,
		Good: `"CertificateSigningRequest": {"Ref": "CSR"}   (a CSR of at most 4,096 characters)`},

	{Code: "PT134", Name: "certificate-conflict", Title: "Certificate that cannot be provisioned as the template says",
		Stage: AtProvision, Level: Error,
		Bad:  `"CertificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----\n(an RSA-1024 key)..."`,
		Good: `"CertificateSigningRequest": "-----BEGIN CERTIFICATE REQUEST-----\n(an ECC P-256 key)..."`, Source: "§3.2 [BC, EXCL]", Assumption: "U17",
		AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `The certificate must be one AWS IoT can use: not REVOKED, not attached to
another thing when ThingPrincipalType is EXCLUSIVE_THING, and a CSR with an
RSA key of at least 2,048 bits or an ECC P-256, P-384 or P-521 key.`},
	{Code: "PT202", Name: "missing-resources", Title: "Resources section missing or empty",
		Stage: AtCreate, Level: Error, Source: "§1, §1.3 [PT]", Assumption: "A7",
		AWSError: "InvalidRequestException (taken; A7)",
		Doc: `AWS documents a provisioning template as a JSON document with two
sections, Parameters and Resources, and the resources a device needs (a
thing, a certificate, policies) in Resources. A template without any is
taken to be refused when it is created (A7); were it accepted, it would
provision nothing: no certificate activated, no policy attached, so the
device could not connect. An empty shell variable interpolated into a
template produces this.`,
		Bad:  `{"Parameters": {"SerialNumber": {"Type": "String"}}}`,
		Good: `{"Parameters": {...}, "Resources": {"thing": {"Type": "AWS::IoT::Thing", ...}}}`},
	{Code: "PT205", Name: "thing-name-required", Title: "Thing resource without ThingName",
		Stage: AtProvision, Level: Error, Source: "§3.1 [PT, BC ThingName]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A thing resource needs a ThingName: provisioning creates (or finds) the
thing by it, and RegisterThing returns it to the device as thingName.`,
		Bad:  `"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingTypeName": "sensor"}}`,
		Good: `"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}, "ThingTypeName": "sensor"}}`},
	{Code: "PT206", Name: "certificate-source", Title: "Certificate given in no way, or in more than one way",
		Stage: AtProvision, Level: Error, Source: "§3.2, §1.6 [PT]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A certificate resource names its certificate in exactly one way: by
CertificateId, by CertificateSigningRequest, or by CertificatePem (with
CACertificatePem when several registered CAs share a subject; only with
CertificatePem). The three are mutually exclusive. JITP and fleet
provisioning templates take only CertificateId.`,
		Bad:  `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "CertificatePem": {"Ref": "Pem"}}`,
		Good: `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}`},
	{Code: "PT207", Name: "policy-name-or-document", Title: "Policy with both or neither of PolicyName and PolicyDocument",
		Stage: AtProvision, Level: Error, Source: "§3.3, §10 [PT, I-WS1]",
		AWSError: `InvalidRequestException ("Neither policyName nor policyDocument is present in the Template")`, Rejected: InvalidRequest,
		Doc: `A policy resource either attaches an existing AWS IoT policy (PolicyName) or
creates one from a document (PolicyDocument), not both. With neither, AWS
rejects the template: "Neither policyName nor policyDocument is present in
the Template" (for a JITP registration config, when it is attached to the
CA). A JITP template with no policy resource at all is PT268.`,
		Bad:  `"policy": {"Type": "AWS::IoT::Policy", "Properties": {}}`,
		Good: `"policy": {"Type": "AWS::IoT::Policy", "Properties": {"PolicyName": "DevicePolicy"}}`},
	{Code: "PT208", Name: "override-settings", Title: "OverrideSettings that cannot apply",
		Stage: AtProvision, Level: Error, Source: "§3.4 [PT]", Assumption: "U23", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `OverrideSettings say what to do when a resource already exists: DO_NOTHING,
REPLACE, FAIL, or MERGE (only for a thing's AttributePayload and
ThingGroups). A thing may override AttributePayload, ThingTypeName and
ThingGroups; a certificate only Status; a policy nothing. Overriding
BillingGroup or PackageVersions is not documented: iotpt does not apply it
(U23).`,
		Bad:  `"OverrideSettings": {"ThingTypeName": "MERGE"}`,
		Good: `"OverrideSettings": {"ThingTypeName": "REPLACE", "AttributePayload": "MERGE"}`},
	{Code: "PT210", Name: "one-thing-one-certificate", Title: "More than one thing or certificate resource",
		Stage: AtProvision, Level: Warning, Source: "§1.3 [PT, GGL, I-CDK17989]", Assumption: "U6",
		Doc: `A template describes the device being provisioned: AWS's templates have one
thing and one certificate (the device's), and policies as many as needed.
Whether AWS accepts a second thing or certificate resource is not
documented (U6): provisioning may fail, or attach resources in a way the
device does not expect. Provision one device per template; keep a second
certificate (a bootstrap one, say) out of it.`,
		Bad:  `"certificate": {"Type": "AWS::IoT::Certificate", ...}, "newCertificate": {"Type": "AWS::IoT::Certificate", ...}`,
		Good: `"certificate": {"Type": "AWS::IoT::Certificate", "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}}`},
	{Code: "PT224", Name: "parameter-type", Title: "Parameter Type missing or other than String",
		Stage: AtProvision, Level: Warning, Source: "§1.2 [PT]", Assumption: "U2",
		Doc: `Parameter values reach provisioning as strings (RegisterThing and the MQTT
API take a map of strings), and String is the only Type AWS documents. Types
borrowed from CloudFormation (Number, List<...>, CommaDelimitedList) and
constraints such as AllowedValues are not documented: whether AWS accepts
them is uncertain (U2), and iotpt enforces none of them.`,
		Bad:  `"Count": {"Type": "Number"}`,
		Good: `"Count": {"Type": "String"}`},
	{Code: "PT225", Name: "parameter-default", Title: "Parameter Default that is not a string",
		Stage: AtProvision, Level: Warning, Source: "§1.2 [PT]", Assumption: "U2",
		Doc: `Parameters are strings, so their Default should be a string too: write "3",
not 3. iotpt plans a number or boolean Default as its text (U2); an object or
list Default cannot be a parameter value.`,
		Bad:  `"Retries": {"Type": "String", "Default": 3}`,
		Good: `"Retries": {"Type": "String", "Default": "3"}`},
	{Code: "PT241", Name: "function-in-mappings", Title: "Intrinsic function or parameter inside Mappings",
		Stage: AtProvision, Level: Error, Source: "§1.4 [PT]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `Mappings are literal tables: "You cannot include parameters, pseudo
parameters, or call intrinsic functions in the Mappings section". Look values
up with Fn::FindInMap from the resources instead.`,
		Bad:  `"Mappings": {"Sites": {"Tokyo": {"Url": {"Fn::Join": ["", ["https://", {"Ref": "Host"}]]}}}}`,
		Good: `"Mappings": {"Sites": {"Tokyo": {"Url": "https://tokyo.example.com"}}}`},
	{Code: "PT262", Name: "jitp-certificate-id", Title: "JITP template that does not give the certificate by CertificateId",
		Stage: AtProvision, Level: Error, Source: "§1.6, §3.2 [PT]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `"You must use CertificateId in a template that's used for JIT
provisioning": the device's certificate is already registered when the
template runs, and the template refers to it with
{"Ref": "AWS::IoT::Certificate::Id"}.`,
		Bad:  `"Properties": {"CertificateSigningRequest": {"Ref": "CSR"}}   (JITP)`,
		Good: `"Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}}`},
	{Code: "PT263", Name: "jitp-hook", Title: "Pre-provisioning hook on a JITP template",
		Stage: AtCreate, Level: Error, Source: "§1.6, §10 [BC preProvisioningHook]", Assumption: "U37",
		AWSError: "InvalidRequestException",
		Doc: `Pre-provisioning hooks are supported only by FLEET_PROVISIONING templates
(CreateProvisioningTemplate's preProvisioningHook "Only supports template of
type FLEET_PROVISIONING"); creating a JITP template with one is taken to fail
(U37).`,
		Bad:  `{"templateName": "jitp", "type": "JITP", "preProvisioningHook": {...}, ...}`,
		Good: `{"templateName": "jitp", "type": "JITP", ...}`},
	{Code: "PT266", Name: "missing-certificate-attribute", Title: "JITP certificate lacks a subject field the template declares",
		Stage: AtProvision, Level: Error, PlanOnly: true, Source: "§4 [JITP, SE-272476, I-JITP2]", Assumption: "U25",
		AWSError: `InvalidRequestException ("Cannot resolve reference value"); the certificate stays PENDING_ACTIVATION`, Rejected: InvalidParameters,
		Doc: `"The certificate must contain values for all of the parameters in the
template body": a JITP template that declares AWS::IoT::Certificate::Country
fails for a certificate without C in its subject.`},
	{Code: "PT268", Name: "jitp-policy-required", Title: "JITP template without a policy resource",
		Stage: AtCreate, Level: Error, Source: "§10 [I-WS1]", Assumption: "U38",
		AWSError: `InvalidRequestException ("Neither policyName nor policyDocument is present in the Template")`,
		Doc: `A JITP registration config is parsed when it is attached to its CA
(RegisterCACertificate, UpdateCACertificate), and a template whose policy
has neither PolicyName nor PolicyDocument is refused there. A template with
no AWS::IoT::Policy resource at all is taken to be refused the same way
(U38): the device would connect with a certificate that no policy lets do
anything. Add a policy resource, by PolicyName or PolicyDocument.`,
		Bad:  `{"templateBody": "{\"Resources\": {\"thing\": ..., \"certificate\": ...}}", "roleArn": "..."}`,
		Good: `{"templateBody": "{\"Resources\": {..., \"policy\": {\"Type\": \"AWS::IoT::Policy\", \"Properties\": {\"PolicyName\": \"DevicePolicy\"}}}}", ...}`},
	{Code: "PT272", Name: "device-configuration-values", Title: "DeviceConfiguration value that is not a string",
		Stage: AtProvision, Level: Error, Source: "§1.5 [PT, PYSDK]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `"The DeviceConfiguration section doesn't support nested JSON objects", and
the device SDKs type it as a map of strings. Give every value as a string (or
a function returning one); flatten nested settings into several keys or one
encoded string.`,
		Bad:  `"DeviceConfiguration": {"mqtt": {"port": 8883}}`,
		Good: `"DeviceConfiguration": {"MqttPort": "8883"}`},
	{Code: "PT281", Name: "double-encoded-policy", Title: "PolicyDocument that does not hold a JSON policy object",
		Stage: AtProvision, Level: Error, Source: "§3.3 [PT, BC CreatePolicy]", Assumption: "U20",
		AWSError: "MalformedPolicyException", Rejected: InvalidRequest,
		Doc: `A PolicyDocument string must hold the policy's JSON object. When the
document was JSON-encoded twice (json.dumps of a string that was already
JSON), the string holds a JSON string instead; when it is not JSON at all,
it holds nothing; either way CreatePolicy rejects it as malformed and
provisioning fails. The fix removes one level of encoding. (A templateBody
encoded twice is reported by the parser, PT016, with the same fix.)`,
		Bad:  `"PolicyDocument": "\"{\\\"Version\\\": \\\"2012-10-17\\\", ...}\""`,
		Good: `"PolicyDocument": "{\"Version\": \"2012-10-17\", ...}"`},
	{Code: "PT282", Name: "template-body-object", Title: "templateBody written as an object where the API takes a string",
		Stage: AtCreate, Level: Error, Source: "§1.1 [BC TemplateBody, JITP]", AWSError: "SerializationException / InvalidRequestException",
		Doc: `RegisterCACertificate's registration config and CreateProvisioningTemplate
take templateBody as a string holding JSON ("a JSON object specified as an
escaped string"), not as a JSON object. Write the body readably in its own
file and let iotpt compile produce the escaped string; the fix here replaces
the object with that string.`,
		Bad:  `{"templateBody": {"Resources": {...}}, "roleArn": "..."}`,
		Good: `{"templateBody": "{\"Resources\":{...}}", "roleArn": "..."}`},
	{Code: "PT284", Name: "body-too-long", Title: "Template body longer than the 10,240 characters the APIs accept",
		Stage: AtCreate, Level: Error, Source: "§1.1, §8 [BC TemplateBody, LIM19]", AWSError: "InvalidRequestException",
		Doc: `CreateProvisioningTemplate, RegisterThing, StartThingRegistrationTask and
the JITP registration config accept a templateBody of at most 10,240
characters. The length counts the body as sent: indentation and line breaks
included. iotpt compile sends it minified; if even that is too long, move
policies out (PolicyName of an existing policy) or shorten names.`,
		Bad:  `(a pretty-printed body of 12,000 characters)`,
		Good: `(the same body, minified by iotpt compile, 8,000 characters)`},
	{Code: "PT301", Name: "thing-name", Title: "Thing name with characters or a length AWS IoT rejects",
		Stage: AtProvision, Level: Error, Source: "§3.1 [BC ThingName]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A thing name is 1 to 128 characters of letters, digits, ':', '_' and '-'.
Spaces, dots and slashes are rejected, and so is a value that is not a
string. The check covers literal names and the known parts of names built
with functions ("sensor " + <Serial> has a space whatever the serial).`,
		Bad:  `"ThingName": {"Fn::Join": [" ", ["sensor", {"Ref": "Serial"}]]}`,
		Good: `"ThingName": {"Fn::Join": ["_", ["sensor", {"Ref": "Serial"}]]}`},
	{Code: "PT302", Name: "resource-names", Title: "Thing type, group, billing group or policy name AWS IoT rejects",
		Stage: AtProvision, Level: Error, Source: "§3.1, §3.3 [BC]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `Thing type, thing group and billing group names are 1 to 128 characters of
letters, digits, ':', '_' and '-'; policy names 1 to 128 of letters, digits
and _ + = , . @ -. Each must be a string (ThingGroups a list of strings). A
name that breaks the pattern fails provisioning for every device.`,
		Bad:  `"ThingGroups": ["sensors/eu-west"]`,
		Good: `"ThingGroups": ["sensors-eu-west"]`},
	{Code: "PT303", Name: "attributes", Title: "Thing attribute name or value AWS IoT rejects",
		Stage: AtProvision, Level: Error, Source: "§3.1 [BC AttributeName, AttributeValue]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `Attribute names are up to 128 characters of letters, digits and
_ . , @ / : # -; values up to 800 of letters, digits and _ . , @ / : # = [ ] -.
Values cannot hold spaces, and must be strings: a nested object or a number
is rejected. Flatten structured data into several attributes.`,
		Bad:  `"AttributePayload": {"location": "Building 7", "config": {"rev": 2}}`,
		Good: `"AttributePayload": {"location": "building-7", "configRev": "2"}`},
	{Code: "PT304", Name: "attribute-count", Title: "More thing attributes than AWS IoT allows",
		Stage: AtProvision, Level: Error, Source: "§3.1, §8 [LIM19, BC CreateThing]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A thing without a thing type can have at most 3 attributes; with a thing
type, 50. The count is of the thing as it stands after provisioning: an
existing thing's attributes merged with the template's (MERGE) count too.`,
		Bad:  `"AttributePayload": {"a": "1", "b": "2", "c": "3", "d": "4"}   (no ThingTypeName)`,
		Good: `"ThingTypeName": "sensor", "AttributePayload": {"a": "1", "b": "2", "c": "3", "d": "4"}`},
	{Code: "PT305", Name: "thing-group-count", Title: "Thing in more than 10 thing groups",
		Stage: AtProvision, Level: Error, Source: "§3.1, §8 [BC AddThingToThingGroup]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A thing can belong to at most 10 thing groups, counted after provisioning:
groups an existing thing keeps (MERGE) count too.`,
		Bad:  `"ThingGroups": ["g1", "g2", "g3", "g4", "g5", "g6", "g7", "g8", "g9", "g10", "g11"]`,
		Good: `"ThingGroups": ["g1", "g2"]`},
	{Code: "PT306", Name: "certificate-status", Title: "Certificate Status other than ACTIVE or INACTIVE",
		Stage: AtProvision, Level: Error, Source: "§3.2 [PT]", Assumption: "U16", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A certificate resource's Status is ACTIVE (the default) or INACTIVE, in any
case (U16). Other certificate states (PENDING_ACTIVATION, REVOKED, ...)
cannot be set by a template.`,
		Bad:  `"Status": "ENABLED"`,
		Good: `"Status": "ACTIVE"`},
	{Code: "PT308", Name: "certificate-id-format", Title: "CertificateId that is not a certificate ID",
		Stage: AtProvision, Level: Error, Source: "§3.2 [BC CertificateId, API-CD]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `A certificate ID is exactly 64 characters matching (0x)?[a-fA-F0-9]+: the
length counts an 0x prefix, so 0x with 64 hexadecimal digits is refused. A
literal ID of another shape (an ARN, a truncated ID, a placeholder) never
matches a certificate.`,
		Bad:  `"CertificateId": "arn:aws:iot:us-east-1:123456789012:cert/4f2a"`,
		Good: `"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}`},
	{Code: "PT309", Name: "wrapper-fields", Title: "Registration config or CLI input field the API rejects",
		Stage: AtCreate, Level: Error, Source: "§8 [BC TemplateName, TemplateDescription, RoleArn, TemplateType]", AWSError: "InvalidRequestException",
		Doc: `The fields around the body have API constraints too: templateName is 1 to
36 letters, digits, '_' and '-'; description at most 500 characters without
control characters; type FLEET_PROVISIONING or JITP; enabled a boolean; and
the role (roleArn, provisioningRoleArn) an IAM role ARN of 20 to 2048
characters, required: a registration config without roleArn cannot be
attached to a CA. Tags are a list of {"Key", "Value"}: a key of 1 to 128
letters, spaces, digits and _ . : / = + - @, a value of at most 256
characters. A field the form does not have (the CLI input's
templateDescription, a registration config's region) is refused by the AWS
CLI ("Unknown parameter in input"); the CLI input names its role
provisioningRoleArn, not roleArn.`,
		Bad:  `{"templateName": "fleet template v2", "provisioningRoleArn": "ProvisioningRole", ...}`,
		Good: `{"templateName": "fleet-template-v2", "provisioningRoleArn": "arn:aws:iam::123456789012:role/ProvisioningRole", ...}`},
	{Code: "PT310", Name: "pre-provisioning-hook", Title: "Pre-provisioning hook with a bad target or payload version",
		Stage: AtCreate, Level: Error, Source: "§6 [BC ProvisioningHook, CFN-DOC]", AWSError: "InvalidRequestException",
		Doc: `A pre-provisioning hook is {"targetArn": <Lambda function ARN>,
"payloadVersion": "2020-04-01"}. Only Lambda targets are supported, and
2020-04-01 is the only payload version there is. The function must exist
before the template, and AWS IoT must be allowed to invoke it.`,
		Bad:  `"preProvisioningHook": {"targetArn": "my-hook", "payloadVersion": "2020-04"}`,
		Good: `"preProvisioningHook": {"targetArn": "arn:aws:lambda:us-east-1:123456789012:function:my-hook", "payloadVersion": "2020-04-01"}`},
	{Code: "PT312", Name: "template-disabled", Title: "Provisioning template created disabled",
		Stage: AtProvision, Level: Error, Source: "§5, §10 [I-TF33347]", Assumption: "U40",
		AWSError: "every RegisterThing is refused", Rejected: Disabled,
		Doc: `A disabled provisioning template makes every provisioning request fail.
Terraform's aws_iot_provisioning_template defaults enabled to false, and the
API's own default is not documented (U31): say "enabled": true explicitly.`,
		Bad:  `{"templateName": "fleet", "enabled": false, ...}`,
		Good: `{"templateName": "fleet", "enabled": true, ...}`},
	{Code: "PT328", Name: "policy-too-long", Title: "Policy document over 2,048 characters besides white space",
		Stage: AtProvision, Level: Error, Source: "§3.3, §8 [BC CreatePolicy, LIM19]", AWSError: "InvalidRequestException", Rejected: InvalidRequest,
		Doc: `CreatePolicy accepts a document of at most 2,048 characters, not counting
white space. Split the permissions over several policy resources, or use
wildcards and policy variables instead of listing every topic.`,
		Bad:  `(a document listing 60 topic ARNs)`,
		Good: `"Resource": "arn:aws:iot:us-east-1:123456789012:topic/devices/${iot:Connection.Thing.ThingName}/*"`},
}

// CheckByCode returns the check with a code ("PT301") or name
// ("thing-name"), or nil.
func CheckByCode(codeOrName string) *Check {
	for _, c := range Checks {
		if c.Code == codeOrName || strings.EqualFold(c.Name, codeOrName) {
			return c
		}
	}
	return nil
}

// Own lists iotpt's assumptions that the fact sheet's register does not
// number: choices the plan makes where AWS documents nothing.
var Own = []Point{
	{"A1", "§5, §8", "Which errorCode does the MQTT RegisterThing API give for failures other than an unresolved Ref or a hook refusal?",
		"The name of the RegisterThing API exception without its Exception suffix (InvalidRequest, ResourceRegistrationFailure, ResourceConflicts), with statusCode 400 (409 for a conflict).",
		"[BC RegisterThing errors, FPAPI]", ""},
	{"A2", "§3.4", "Does a thing whose name is not known until a device provisions already exist?",
		"It is taken not to exist (created), so OverrideSettings do not apply; pass the parameter that names it to check against --existing.",
		"[PT]", ""},
	{"A3", "§6", "What does a pre-provisioning hook answer when the plan is not given its response?",
		"It allows provisioning and overrides no parameter; pass --hook-response to plan its real answer.",
		"[HOOK]", ""},
	{"A4", "§3.2", "How does AWS IoT compute a certificate ID?",
		"As the lowercase hexadecimal SHA-256 of the DER certificate, as moto computes it; AWS's documents give only the length (64 hexadecimal characters).",
		"[BC CertificateId, MOTO]", ""},
	{"A5", "§1.3, §3", "Does AWS refuse a resource property, or a resource key, it does not document?",
		"It is taken to: an unknown property, or a resource key other than Type, Properties and OverrideSettings (CloudFormation's DependsOn, Metadata, Condition), fails the plan, as lint reports it (PT204); nearly every unknown property is a misspelling of a documented one.",
		"[PT]", ""},
	{"A6", "§1.2, §7", "Does a bulk registration task accept a number or boolean as a parameter value?",
		"No: parameters are strings, so a line whose used parameter is a number or boolean fails (quote it); a key the template does not use is ignored whatever its value.",
		"[BC Parameters, BULK]", ""},
	{"A7", "§1, §1.3", "Does AWS accept a template with no resources (Resources missing or empty)?",
		"It is taken to be refused when the template is created (PT202): a template is documented by its Parameters and Resources sections, and one with no resource would provision nothing a device can connect with.",
		"[PT]", ""},
}
