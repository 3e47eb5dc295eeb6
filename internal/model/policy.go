package model

import "strings"

// PolicyActions maps each action an AWS IoT policy can grant to the
// resource type its Resource must name: client, topic, topicfilter, thing,
// rolealias, or "*" for actions that take no specific resource (§9, from
// [ACTS] and [ACT]). AWS IoT policies also carry the Greengrass V2
// data-plane actions of core and client devices [GG-AUTH], whose resources
// are Greengrass ARNs ("greengrass").
var PolicyActions = map[string]string{
	"iot:Connect":                      "client",
	"iot:Publish":                      "topic",
	"iot:Receive":                      "topic",
	"iot:RetainPublish":                "topic",
	"iot:GetRetainedMessage":           "topic",
	"iot:Subscribe":                    "topicfilter",
	"iot:ListRetainedMessages":         "*",
	"iot:GetThingShadow":               "thing",
	"iot:UpdateThingShadow":            "thing",
	"iot:DeleteThingShadow":            "thing",
	"iot:ListNamedShadowsForThing":     "*",
	"iot:DescribeJobExecution":         "thing",
	"iot:GetPendingJobExecutions":      "thing",
	"iot:UpdateJobExecution":           "thing",
	"iot:StartNextPendingJobExecution": "thing",
	"iot:AssumeRoleWithCertificate":    "rolealias",

	"greengrass:GetComponentVersionArtifact":                 "greengrass",
	"greengrass:ResolveComponentCandidates":                  "greengrass",
	"greengrass:GetDeploymentConfiguration":                  "greengrass",
	"greengrass:ListThingGroupsForCoreDevice":                "greengrass",
	"greengrass:VerifyClientDeviceIdentity":                  "greengrass",
	"greengrass:VerifyClientDeviceIoTCertificateAssociation": "greengrass",
	"greengrass:PutCertificateAuthorities":                   "greengrass",
	"greengrass:GetConnectivityInfo":                         "greengrass",
	"greengrass:UpdateConnectivityInfo":                      "greengrass",
	"greengrass:Discover":                                    "greengrass",
}

// PolicyServices are the action prefixes an AWS IoT policy accepts.
var PolicyServices = []string{"iot", "greengrass"}

// IsPolicyVariable reports whether a ${...} name is an AWS IoT policy
// variable (iot:ClientId, aws:SourceIp, iot:Connection.Thing.ThingName):
// the policy engine fills it when a device connects, so Fn::Sub cannot
// [§9].
func IsPolicyVariable(name string) bool {
	return len(name) > len("iot:") && (strings.HasPrefix(name, "iot:") || strings.HasPrefix(name, "aws:"))
}

// PolicyVariables are the AWS IoT policy variables (§9 [VARS-B, VARS-T,
// VARS-C]): basic, thing and certificate ones. iot:DomainName is a basic
// variable newer than the fact sheet's snapshot
// (docs.aws.amazon.com/iot/latest/developerguide/basic-policy-variables.html).
// Attribute forms are matched by prefix (KnownPolicyVariable).
var PolicyVariables = buildPolicyVariables()

var certNameFields = []string{"DistinguishedNameQualifier", "Country", "Organization", "OrganizationalUnit", "State",
	"CommonName", "SerialNumber", "Title", "Surname", "GivenName", "Initials", "Pseudonym", "GenerationQualifier"}

var certAltNames = []string{"RFC822Name", "DNSName", "DirectoryName", "UniformResourceIdentifier", "IPAddress"}

func buildPolicyVariables() []string {
	vars := []string{
		"iot:ClientId", "aws:SourceIp", "iot:DomainName",
		"iot:Connection.Thing.ThingName", "iot:Connection.Thing.ThingTypeName", "iot:Connection.Thing.IsAttached",
		"iot:Certificate.SerialNumber", "iot:Certificate.AvailableKeys",
	}
	for _, side := range []string{"Subject", "Issuer"} {
		for _, f := range certNameFields {
			vars = append(vars, "iot:Certificate."+side+"."+f)
		}
		for _, f := range certAltNames {
			vars = append(vars, "iot:Certificate."+side+".AlternativeName."+f)
		}
	}
	return vars
}

// KnownPolicyVariable reports whether name is a policy variable AWS IoT
// documents. Multi-value suffixes (.List, .1) and thing attributes
// (iot:Connection.Thing.Attributes[name]) are accepted.
func KnownPolicyVariable(name string) bool {
	if strings.HasPrefix(name, "iot:Connection.Thing.Attributes[") && strings.HasSuffix(name, "]") {
		return true
	}
	for _, v := range PolicyVariables {
		if name == v || strings.HasPrefix(name, v+".") && isMultiValueSuffix(name[len(v)+1:]) {
			return true
		}
	}
	return false
}

func isMultiValueSuffix(s string) bool {
	if s == "List" {
		return true
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
