// Package serve is iotpt serve: a local AWS IoT provisioning endpoint that
// devices and SDKs provision against. It joins the parts, each in its own
// package: the local CA (ca), the state in one embedded database (store),
// the MQTT broker over mutual TLS (broker), the fleet provisioning API
// (fleet), running templates against the store (provision), and policy
// evaluation (policy). Start runs an endpoint; the command in cmd/iotpt
// only parses flags and prints Info.
package serve
