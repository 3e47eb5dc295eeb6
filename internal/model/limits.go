package model

import "regexp"

// Limits of the AWS IoT APIs that templates and requests meet, from the
// botocore service model [BC] and the 2019 quota tables [LIM19] (§1, §3, §8
// of the fact sheet).
const (
	MaxBodyChars        = 10240 // templateBody of every API [BC TemplateBody]
	MaxParamKeyChars    = 2048  // RegisterThing parameters key [BC Parameter]
	MaxParamValueChars  = 4096  // RegisterThing parameters value [BC Value]; also the cap on built values
	MaxCSRChars         = 4096  // CertificateSigningRequest [BC, API-CSR]
	MaxCertPemChars     = 65536 // CertificatePem [BC]
	MaxAttrsUntyped     = 3     // thing attributes without a thing type [LIM19]
	MaxAttrsTyped       = 50    // with one [LIM19]
	MaxThingGroups      = 10    // groups per thing [BC AddThingToThingGroup]
	MaxPolicyDocChars   = 2048  // policy document, white space excluded [BC CreatePolicy, LIM19]
	MaxPoliciesPerCert  = 10    // [LIM19]
	MaxDescriptionChars = 500   // template description [BC TemplateDescription]
	MaxRoleArnChars     = 2048  // [BC RoleArn]; the ARN's shape (RoleARN) is longer than the minimum, 20
	MaxHookTargetChars  = 2048  // [BC ProvisioningHook]
	HookPayloadVersion  = "2020-04-01"
	MaxBulkLineBytes    = 256 << 10 // a bulk input line [LIM19]
	// MaxMQTTPayload is AWS IoT Core's message broker quota on a PUBLISH
	// payload, the fleet provisioning API requests and replies included:
	// 128 KB; a larger one is refused with PAYLOAD_LIMIT_EXCEEDED
	// (docs.aws.amazon.com/general/latest/gr/iot-core.html#message-broker-limits,
	// docs.aws.amazon.com/iot/latest/developerguide/topicdata.html).
	MaxMQTTPayload = 128 << 10
)

// Template types of the API, and the type iotpt gives a body that
// StartThingRegistrationTask or RegisterThing take without one.
const (
	FleetProvisioning = "FLEET_PROVISIONING"
	JITP              = "JITP"
	BulkRegistration  = "BULK_REGISTRATION"
)

// Resource types and their properties [PT §3].
const (
	TypeThing       = "AWS::IoT::Thing"
	TypeCertificate = "AWS::IoT::Certificate"
	TypePolicy      = "AWS::IoT::Policy"
)

// Tags of a provisioning template (§8 [BC Tag]): a key of 1 to 128
// characters (letters, spaces, digits and _ . : / = + - @), a value of at
// most 256.
const (
	MaxTagKeyChars   = 128
	MaxTagValueChars = 256
)

// TagKey is the pattern of a tag key [BC Tag].
var TagKey = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)

// CertificateStatuses are the statuses an AWS IoT certificate can have
// [BC CertificateStatus]: what a registry file may say of one.
var CertificateStatuses = []string{"ACTIVE", "INACTIVE", "REVOKED", "PENDING_TRANSFER", "REGISTER_INACTIVE", "PENDING_ACTIVATION"}

// ResourceKeys are the keys of a resource: its Type, its Properties and
// OverrideSettings [PT §1.3]. Others (CloudFormation's DependsOn, Metadata,
// Condition) are taken to fail provisioning (A5).
var ResourceKeys = []string{"Type", "Properties", "OverrideSettings"}

// Property is a resource property AWS documents.
type Property struct {
	Name string
	Kind string // "string", "string list", "string map", "policy document"
	// Rule constrains a string, or each string of a list; nil when none.
	Rule *NameRule
	// Code is the check a broken value fails.
	Code string
	// MustExist names what must already exist for a value ("thing type").
	MustExist string
	// Override is what OverrideSettings may say for it: "" (nothing),
	// "replace" (DO_NOTHING, REPLACE, FAIL) or "merge" (MERGE too).
	Override string
	Doc      string
}

// Resources lists every resource type and its properties, in the order
// the documentation gives them.
var Resources = map[string][]Property{
	TypeThing: {
		{Name: "ThingName", Kind: "string", Rule: &ThingName, Code: "PT301", Doc: "The thing's name; RegisterThing returns it as thingName."},
		{Name: "AttributePayload", Kind: "string map", Code: "PT303", Override: "merge", Doc: "Attributes, written directly as name: value."},
		{Name: "ThingTypeName", Kind: "string", Rule: &ThingTypeName, Code: "PT302", MustExist: "thing type", Override: "replace", Doc: "An existing thing type."},
		{Name: "ThingGroups", Kind: "string list", Rule: &ThingGroupName, Code: "PT302", MustExist: "thing group", Override: "merge", Doc: "Existing static thing groups, at most 10."},
		{Name: "BillingGroup", Kind: "string", Rule: &BillingGroup, Code: "PT302", MustExist: "billing group", Doc: "An existing billing group (U13)."},
		{Name: "PackageVersions", Kind: "any", Code: "PT204", Doc: "Software package versions; shape undocumented (U14)."},
	},
	TypeCertificate: {
		{Name: "CertificateId", Kind: "string", Code: "PT308", Doc: "The ID of a registered certificate: 64 hexadecimal characters."},
		{Name: "CertificateSigningRequest", Kind: "string", Code: "PT133", Doc: "A PEM CSR of at most 4,096 characters (bulk registration, RegisterThing)."},
		{Name: "CertificatePem", Kind: "string", Code: "PT133", Doc: "A PEM certificate of at most 65,536 characters (bulk registration, RegisterThing)."},
		{Name: "CACertificatePem", Kind: "string", Code: "PT206", Doc: "The CA of CertificatePem, when several registered CAs share its subject."},
		{Name: "Status", Kind: "string", Code: "PT306", Override: "replace", Doc: "ACTIVE (the default) or INACTIVE, in any case (U16)."},
		{Name: "ThingPrincipalType", Kind: "string", Code: "PT204", Doc: "EXCLUSIVE_THING or NON_EXCLUSIVE_THING (U17)."},
	},
	TypePolicy: {
		{Name: "PolicyName", Kind: "string", Rule: &PolicyName, Code: "PT302", MustExist: "policy", Doc: "An existing AWS IoT policy; then no PolicyDocument."},
		{Name: "PolicyDocument", Kind: "policy document", Code: "PT281", Doc: "A policy document, as an escaped JSON string or an object (U20)."},
	},
}

// PropertyOf returns the property of a resource type, or nil.
func PropertyOf(typ, name string) *Property {
	for i, p := range Resources[typ] {
		if p.Name == name {
			return &Resources[typ][i]
		}
	}
	return nil
}

// PrincipalTypes are the values of ThingPrincipalType [BC ThingPrincipalType].
var PrincipalTypes = []string{"EXCLUSIVE_THING", "NON_EXCLUSIVE_THING"}

// OverrideValues are the values of OverrideSettings [PT §3.4].
var OverrideValues = []string{"DO_NOTHING", "REPLACE", "FAIL", "MERGE"}

// OverrideSnake maps the SCREAMING_SNAKE spellings of the documentation's
// prose to property names (U21, U22).
var OverrideSnake = map[string]string{
	"ATTRIBUTE_PAYLOAD": "AttributePayload", "THING_TYPE_NAME": "ThingTypeName", "THING_GROUPS": "ThingGroups",
}

// CertParamPrefix starts the names of the parameters AWS IoT fills from the
// device certificate [JITP §4].
const CertParamPrefix = "AWS::IoT::Certificate::"

// CertParamID is the certificate ID parameter.
const CertParamID = CertParamPrefix + "Id"

// RoleARN is the shape of an IAM role ARN, which the provisioning role and
// a registration config's roleArn must have [BC RoleArn; WOC].
var RoleARN = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:role/[\w+=,.@/-]+$`)

// LambdaARN is the shape of a Lambda function ARN: the only hook target
// AWS IoT supports [BC ProvisioningHook].
var LambdaARN = regexp.MustCompile(`^arn:aws[a-z-]*:lambda:[a-z0-9-]+:[0-9]{12}:function:[A-Za-z0-9_-]+(:[A-Za-z0-9_$-]+)?$`)

// CSR key rules of CreateCertificateFromCsr [BC CreateCertificateFromCsr]:
// RSA keys of at least MinRSABits, or ECC keys on one of CSRCurves. The
// MQTT API is taken to apply the same (U18).
const MinRSABits = 2048

// CSRCurves are the elliptic curves a CSR key may use.
var CSRCurves = []string{"P-256", "P-384", "P-521"}

// Sections are the top-level keys of a template body [PT §1.1]; others are
// uncertain (U1).
var Sections = []string{"Parameters", "Mappings", "Resources", "DeviceConfiguration"}

// ResourceTypes are the resource types a template may hold [PT §1.3].
var ResourceTypes = []string{TypeThing, TypeCertificate, TypePolicy}

// PropertyNames returns the documented properties of a resource type, in
// documentation order.
func PropertyNames(typ string) []string {
	var out []string
	for _, p := range Resources[typ] {
		out = append(out, p.Name)
	}
	return out
}
