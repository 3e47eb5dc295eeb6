// Package eval simulates AWS IoT provisioning: what RegisterThing, JITP or
// a bulk registration task would create or change for given inputs, and
// why it would fail.
//
// Compile turns a parsed template (package template) into a Program once;
// Program.Plan then evaluates it for an Input: parameters, a device
// Certificate (whose subject fields are the AWS::IoT::Certificate::*
// parameters), a pre-provisioning HookResponse, and the Registry as it
// stands. The Plan lists each resource with its action (create, update,
// no-op, fail) and evaluated properties, the thing name and
// DeviceConfiguration RegisterThing would return, the steps in AWS IoT's
// order, what must already exist, the assumptions made where AWS does not
// document its behaviour, and Errors positioned in the template.
//
// A Program is safe for concurrent use. For many devices, NewEvaluator
// reuses its memory between plans (about two microseconds each; see the
// benchmarks). Values with unknown parts, such as a parameter not given
// when Input.Unknowns is set, are kept symbolic ("sensor_<SerialNumber>")
// and written as {"unknown": ...} in JSON, never mistaken for real
// strings.
//
// ParseParams, ParseHookResponse, ParseRegistry and ParseCertificate read
// the input files, with positioned diagnostics.
package eval
