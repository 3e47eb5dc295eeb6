package model

import "strings"

// Point is an uncertain point of AWS behaviour, numbered as in the fact
// sheet's register (§11): what is not known, and the reading iotpt takes.
type Point struct {
	ID       string // "U7"
	Section  string // of the fact sheet
	Question string
	// Reading is what iotpt assumes, the safest reading of the register.
	Reading string
	// Sources are the fact sheet's source tags behind the point.
	Sources string
	// NotApplicable, when set, says why iotpt never relies on the point.
	NotApplicable string
}

// Uncertain is the register of uncertain points, in the fact sheet's order.
var Uncertain = []Point{
	{"U1", "§1.1", "Does the service ignore or reject top-level keys other than Parameters, Resources, Mappings and DeviceConfiguration?",
		"An unknown top-level key may be rejected: lint warns; the plan does not evaluate it and says it assumed the key is ignored.", "[PT, JITP, WOC]", ""},
	{"U2", "§1.2", "Are parameter Types other than String, or keys such as AllowedValues, accepted?",
		"A Type other than String may make provisioning fail; every value is treated as a string, a numeric Default as its text, and no constraint key is enforced.", "[PT]", ""},
	{"U3", "§1.2", "What happens when a Ref has no value and no Default?",
		`Provisioning fails: InvalidRequestException "Cannot resolve reference value" (observed for JITP); over MQTT a 400 rejection (see U29).`, "[STP, SE-272476, FW-ANON]", ""},
	{"U4", "§1.2", "Are MQTT RegisterThing parameters and bulk lines held to the API limits (key 2,048, value 4,096 characters)?",
		"They are: a longer key or value fails provisioning.", "[BC Parameters, API-RT]", ""},
	{"U5", "§1.2", "Are Refs to parameters that Parameters does not declare tolerated?",
		"Tolerated when the request supplies a value (AWS's own examples rely on it), with a warning; without a value provisioning fails as in U3.", "[PT, WOC, CLI]", ""},
	{"U6", "§1.3", "May a template hold more than one thing or certificate resource?",
		"A second thing or certificate resource may fail provisioning; templates without a thing or policy are accepted (see U30).", "[PT, GGL, I-CDK17989]", ""},
	{"U7", "§1.6", "Does a JITP template reject or ignore Mappings, DeviceConfiguration and Fn::*?",
		"They may make JITP fail (warning); a JITP plan never returns a deviceConfiguration.", "[PT, JITP]", ""},
	{"U8", "§2", "Do functions outside the documented list (Fn::If, Fn::GetAtt, Condition, ...) fail or pass through?",
		"They fail provisioning.", "[PT]", ""},
	{"U9", "§2", "Does IoT follow CloudFormation in the edge cases of Fn::Select, Fn::Split and delimiters?",
		"CloudFormation's semantics apply (a string index is read as a number, Fn::Split keeps empty strings); a non-literal delimiter fails.", "[CFN-FN]", ""},
	{"U10", "§2", "What does Fn::FindInMap do with a map or key that Mappings does not have?",
		"Provisioning fails, as in CloudFormation.", "[PT, CFN-FN]", ""},
	{"U11", "§2", "How is ${iot:...} inside an Fn::Sub string treated?",
		"It may be taken as an unknown substitution variable and fail; keep policy variables out of Fn::Sub.", "[PT, CFN-FN]", ""},
	{"U12", "§3.1", "Can ThingGroups name a dynamic thing group?",
		"A dynamic thing group fails provisioning (a thing cannot be added to one by hand).", "[BC]", ""},
	{"U13", "§3.1", "Must the BillingGroup already exist?",
		"It must exist; a missing billing group fails provisioning.", "[BC BillingGroupName]", ""},
	{"U14", "§3.1", "What shape and limits does PackageVersions have?",
		"Unverified: any PackageVersions value is flagged as a possible failure.", "[TR, BC PackageName]", ""},
	{"U15", "§3.2", "Is the 2020 spelling CertificateID accepted?",
		"No: CertificateID is an unknown property and fails; write CertificateId.", "[PT-2020, PT]", ""},
	{"U16", "§3.2", "Is the case of a certificate Status ignored?",
		"Case is ignored (the control plane accepts Active and Inactive); the status is taken in upper case.", "[PT, TF-ACC]", ""},
	{"U17", "§3.2", "Is ThingPrincipalType a supported template property?",
		"Accepted with EXCLUSIVE_THING or NON_EXCLUSIVE_THING only; with EXCLUSIVE_THING a certificate already attached to another thing fails.", "[GGL, BC ThingPrincipalType, EXCL]", ""},
	{"U18", "§3.2", "Does MQTT CreateCertificateFromCsr enforce the API's key rules (RSA >= 2048 bits, ECC P-256/384/521)?",
		"It does: other keys are refused.", "[BC CreateCertificateFromCsr]", ""},
	{"U19", "§3.3", "Which hash names a policy created without PolicyName?",
		"iotpt does not compute the name: it is shown as a hash of the policy document, and an existing policy with the same document is taken to be that policy.", "[PT, STP]", ""},
	{"U20", "§3.3", "Is PolicyDocument an escaped string or a JSON object?",
		"Both are accepted; an object is serialised.", "[PT, WOC, CLI, PYSDK]", ""},
	{"U21", "§3.4", "Are OverrideSettings keys written as property names or in SCREAMING_SNAKE?",
		"Property names (every example uses them); SCREAMING_SNAKE keys as in U22.", "[PT]", ""},
	{"U22", "§3.4", "Are SCREAMING_SNAKE OverrideSettings keys accepted?",
		"They may be ignored: the plan does not apply them and says so.", "[PT]", ""},
	{"U23", "§3.4", "What happens to an existing resource without an OverrideSettings entry; can BillingGroup be overridden; does REPLACE drop unlisted ThingGroups?",
		"Without an entry the property is left as it is (DO_NOTHING); OverrideSettings.BillingGroup is not documented and is not applied; REPLACE on ThingGroups removes the groups the template does not list; MERGE keeps the template's value for an attribute both have.", "[PT, BC CreateThing]", ""},
	{"U24", "§3.5", "Are resources rolled back when provisioning fails part way?",
		"No rollback: resources created before the failing step may be left behind; a failed JITP certificate stays PENDING_ACTIVATION.", "[JITP, I-JITP2]", ""},
	{"U25", "§4", "Do the JITP certificate parameters map to the standard X.520 attributes, and what of multi-valued attributes?",
		"The X.520 mapping applies (SerialNumber is the subject's serialNumber); of a multi-valued attribute the first value is taken.", "[JITP]", ""},
	{"U26", "§4", "Do certificate subject values reach the template DN-escaped?",
		"They may: a value with DN special characters (, = + < > # ; \\ \") may arrive backslash-escaped and then break a name pattern.", "[SE-272476]", ""},
	{"U27", "§4", "Are pseudo parameters (AWS::Region, AWS::AccountId, ...) supported?",
		`No: a Ref to one fails with "Cannot resolve reference value".`, "[PT, FW-ANON]", ""},
	{"U28", "§5", "Which errorCode does MQTT RegisterThing return when the pre-provisioning hook fails or denies?",
		"The request is rejected with statusCode 403 and errorCode ACCESS_DENIED.", "[HOOK]", ""},
	{"U29", "§5", "Is InvalidParameters (400) the MQTT errorCode for every unresolved Ref?",
		"Yes: an unresolved Ref is rejected with statusCode 400 and errorCode InvalidParameters.", "[FW-ANON]", ""},
	{"U30", "§5", "Which thingName does RegisterThing return when the template has no thing resource?",
		"None: the accepted response has no thingName, and device code that builds topics from it breaks.", "[I-EMB1821]", ""},
	{"U31", "§5", "What is the API default for enabled when it is omitted?",
		"False: a template created without enabled refuses every device until it is enabled.", "[I-TF33347]", ""},
	{"U32", "§6", "When a key is in both parameters and parameterOverrides, which wins?",
		"The hook's value wins; a warning says when the two differ.", "[HOOK]", ""},
	{"U33", "§6", `Does allowProvisioning accept the string "true"?`,
		`Only JSON true allows: the plan takes "true", a missing allowProvisioning or any other value as ACCESS_DENIED.`, "[HOOK, HOOK-LIVE]", ""},
	{"U34", "§7", "What do the bulk RESULTS and ERRORS report files contain?",
		"Not imitated: iotpt's bulk output is its own format.", "[API-LTRTR]", "iotpt never writes AWS's report files; plan --bulk output is documented as iotpt's own format."},
	{"U35", "§8", "How many provisioning templates may an account have?",
		"No number is enforced.", "[BC]", "iotpt plans one template at a time and never counts templates."},
	{"U36", "§9", "Must the client ID equal the thing name for thing policy variables always, or only under non-exclusive association?",
		"Non-exclusive (the default): the client ID must be the thing name. With EXCLUSIVE_THING, iot:Connection.Thing.ThingName resolves whatever the client ID.", "[VARS-T, VARS-T-NEW, EXCL]", ""},
	{"U37", "§10", "Which error does CreateProvisioningTemplate give for a pre-provisioning hook on a JITP template?",
		"Creation fails, probably with InvalidRequestException.", "[BC]", ""},
	{"U38", "§10", "Is a JITP registration template with no AWS::IoT::Policy resource refused?",
		`Yes, at RegisterCACertificate / UpdateCACertificate: InvalidRequestException "Neither policyName nor policyDocument is present in the Template".`, "[I-WS1]", ""},
	{"U39", "§10", "When does DeleteProvisioningTemplateVersion raise DeleteConflictException?",
		"Deleting the default version fails.", "[BC]", "iotpt does not plan template version deletion."},
	{"U40", "§10", "Which MQTT error does RegisterThing return for a disabled template?",
		"Every request is rejected; iotpt answers statusCode 400 with errorCode InvalidRequest, an assumption.", "[I-TF33347]", ""},
}

// PointByID returns the uncertain point with an id ("U7", "u7"), or nil.
func PointByID(id string) *Point {
	for i := range Own {
		if strings.EqualFold(Own[i].ID, id) {
			return &Own[i]
		}
	}
	for i := range Uncertain {
		if strings.EqualFold(Uncertain[i].ID, id) {
			return &Uncertain[i]
		}
	}
	return nil
}

// Markdown documents the point for iotpt explain: the question, the
// reading iotpt takes, its sources, and the checks that rest on it.
func (p *Point) Markdown() string {
	var b strings.Builder
	b.WriteString("# " + p.ID + ": " + p.Question + "\n\n")
	if strings.HasPrefix(p.ID, "U") {
		b.WriteString("Uncertain point " + p.ID + " of the fact sheet's register (" + p.Section + "): AWS does not document this, or its sources disagree.\n\n")
	} else {
		b.WriteString("An assumption of iotpt's own (" + p.Section + " of the fact sheet): AWS documents nothing here.\n\n")
	}
	b.WriteString("**What iotpt assumes:** " + p.Reading + "\n\n")
	b.WriteString("**Sources:** " + p.Sources + "\n")
	if p.NotApplicable != "" {
		b.WriteString("\n**Not relied on:** " + p.NotApplicable + "\n")
	}
	var codes []string
	for _, c := range Checks {
		if c.Assumption == p.ID || c.Rejected.Assumption == p.ID {
			codes = append(codes, c.Code+" ("+c.Name+")")
		}
	}
	if len(codes) > 0 {
		b.WriteString("\n**Checks that rest on it:** " + strings.Join(codes, ", ") + ".\n")
	}
	b.WriteString("\nA plan that relies on it lists it under Assumptions (JSON: {\"id\": \"" + p.ID + "\", \"text\": ...}).\n")
	return b.String()
}
