package eval

import "github.com/iotpt/iotpt/internal/model"

// Diagnostic codes of evaluation and planning. Codes are stable. A break of
// something AWS checks carries the code of its check in the service model
// (internal/model), the same code lint reports; these are the codes of the
// planner's own.
const (
	CodeMissingParam     = "PT101" // a referenced parameter has no value
	CodeUndeclaredParam  = "PT102" // a Ref to a parameter Parameters does not declare
	CodeSelectRange      = "PT243" // Fn::Select index out of range or null element
	CodeMapLookup        = "PT242" // Fn::FindInMap map or key missing
	CodeSubVariable      = "PT244" // an IoT policy variable inside Fn::Sub (lint rule sub-policy-variable)
	CodeFunctionType     = "PT106" // a function applied to a value of the wrong kind
	CodeBadRef           = "PT107" // Ref to a resource or pseudo parameter
	CodeHookDenied       = "PT110" // the pre-provisioning hook denies provisioning
	CodeCertAttrMissing  = "PT266" // a JITP certificate lacks a subject attribute the template needs
	CodeJITPParam        = "PT261" // a JITP template uses a non-certificate parameter
	CodeThingTypeMissing = "PT113" // the thing type does not exist
	CodeGroupMissing     = "PT114" // a thing group does not exist, or is dynamic
	CodeBillingMissing   = "PT115" // the billing group does not exist
	CodePolicyMissing    = "PT116" // a named policy does not exist
	CodeConflict         = "PT117" // OverrideSettings FAIL on an existing resource
	CodeIgnoredInput     = "PT121" // an input that this kind of provisioning does not use
	CodeAssumption       = "PT122" // undocumented AWS behaviour the plan had to assume
	CodeInput            = "PT130" // a malformed input file (parameters, hook response, registry)
	CodeBulkLine         = "PT131" // a bulk parameters line that is not a JSON object of strings
	CodeBulkLineTooLong  = "PT132" // a bulk parameters line over 256 KiB
	CodeRequestLimit     = "PT133" // a parameter or built value over RegisterThing's limits
	CodeCertConflict     = "PT134" // a certificate that cannot be provisioned as the template says
	CodeNotTemplate      = "PT135" // the file holds no template to plan
	CodeDeployTime       = "PT136" // a body or section known only when Terraform runs: the plan cannot see it
)

// Codes of the service model's checks that the planner applies.
const (
	codeUnknownType      = "PT203"
	codeThingNameMissing = "PT205"
	codeCertSource       = "PT206"
	codePolicyShape      = "PT207"
	codeOverride         = "PT208"
	codeParamType        = "PT224"
	codeParamDefault     = "PT225"
	codeMappingsFunction = "PT241"
	codeJITPCertID       = "PT262"
	codeJITPHook         = "PT263"
	codeJITPPolicy       = "PT268"
	codeNoResources      = "PT202"
	codeSecondResource   = "PT210"
	codeUnknownProperty  = "PT204"
	codeFleetCertID      = "PT271"
	codeDevConf          = "PT272"
	codePolicyDocument   = "PT281"
	codeBodyObject       = "PT282"
	codeBodyTooLong      = "PT284"
	codeThingName        = "PT301"
	codeNames            = "PT302"
	codeAttributes       = "PT303"
	codeAttributeCount   = "PT304"
	codeGroupCount       = "PT305"
	codeCertStatus       = "PT306"
	codeCertID           = "PT308"
	codeWrapper          = "PT309"
	codeHookShape        = "PT310"
	codeDisabled         = "PT312"
	codePolicyTooLong    = "PT328"
	codePolicyShapeDoc   = "PT329"
)

// Template types. BulkRegistration is not an AWS template type: it stands
// for the body that StartThingRegistrationTask and RegisterThing take
// without a type, where every parameter comes from the request (no
// certificate ID is supplied) and a certificate may come from a CSR or PEM.
const (
	FleetProvisioning = model.FleetProvisioning
	JITP              = model.JITP
	BulkRegistration  = model.BulkRegistration
)
