package eval

// Diagnostic codes of evaluation and planning. Codes are stable.
const (
	CodeMissingParam     = "PT101" // a referenced parameter has no value
	CodeUndeclaredParam  = "PT102" // a Ref to a parameter Parameters does not declare
	CodeSelectRange      = "PT103" // Fn::Select index out of range or null element
	CodeMapLookup        = "PT104" // Fn::FindInMap map or key missing
	CodeSubVariable      = "PT105" // Fn::Sub variable that cannot be resolved
	CodeFunctionType     = "PT106" // a function applied to a value of the wrong kind
	CodeBadRef           = "PT107" // Ref to a resource or pseudo parameter
	CodeHookDenied       = "PT110" // the pre-provisioning hook denies provisioning
	CodeCertAttrMissing  = "PT111" // a JITP certificate lacks a subject attribute the template needs
	CodeJITPParam        = "PT112" // a JITP template uses a non-certificate parameter
	CodeThingTypeMissing = "PT113" // the thing type does not exist
	CodeGroupMissing     = "PT114" // a thing group does not exist
	CodeBillingMissing   = "PT115" // the billing group does not exist
	CodePolicyMissing    = "PT116" // a named policy does not exist
	CodeConflict         = "PT117" // OverrideSettings FAIL on an existing resource
	CodeInvalidValue     = "PT118" // a resolved value breaks an API constraint
	CodeResourceShape    = "PT119" // a resource lacks what provisioning needs
	CodeOverride         = "PT120" // an OverrideSettings value that cannot apply
	CodeIgnoredInput     = "PT121" // an input that this kind of provisioning does not use
	CodeAssumption       = "PT122" // undocumented AWS behaviour the plan had to assume
	CodeValueTooLong     = "PT123" // Fn::Join or Fn::Sub builds a value over MaxValueChars
	CodeInput            = "PT130" // a malformed input file (parameters, hook response, registry)
	CodeBulkLine         = "PT131" // a bulk parameters line that is not a JSON object of strings
	CodeBulkLineTooLong  = "PT132" // a bulk parameters line over 256 KiB
)
