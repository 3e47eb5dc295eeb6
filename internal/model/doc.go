// Package model is iotpt's knowledge of AWS IoT Core provisioning, as data:
// what the service accepts, refuses and does, each fact with its source in
// the project's fact sheet (shared/spec/provisioning-templates.md) and the
// moment AWS applies it (Stage).
//
// It is the one place such facts live. The planner (package eval) applies
// every Check to concrete values and fails a plan with the Check's code;
// lint reports the same checks on the known parts of values, by reading the
// plan it computes with every parameter unknown; the JSON Schemas printed by
// "iotpt schema", the rule documentation and the README's tables are
// generated from it. A fix to AWS knowledge is made here, once.
//
// Where AWS does not document its behaviour, the fact sheet numbers the
// point (U1, U2, ...). Uncertain lists every point with the reading iotpt
// takes; a check or a plan that relies on one names its id, so that no
// undocumented behaviour is decided silently.
//
// The package depends on nothing of iotpt's: values are checked as strings,
// or as the known parts of a string whose other parts are not known yet.
package model
