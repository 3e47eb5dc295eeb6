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
