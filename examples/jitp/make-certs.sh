#!/usr/bin/env bash
# Makes the certificates of this example with openssl: a CA (the one you
# would register with AWS IoT, with the registration config attached), and
# two device certificates it signs: one with every subject field the
# template reads, one without Country. The keys are thrown away; only the
# certificates are kept, since iotpt needs nothing else.
set -euo pipefail
cd "$(dirname "$0")"
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT

openssl req -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-keyout "$keys/ca.key" -out ca.pem -days 3650 -subj "/CN=Example Metering CA/O=Example Utilities"

device() { # device NAME SUBJECT
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$keys/$1.key" -out "$keys/$1.csr" -subj "$2"
	openssl x509 -req -in "$keys/$1.csr" -CA ca.pem -CAkey "$keys/ca.key" -CAcreateserial \
		-CAserial "$keys/ca.srl" -out "$1.pem" -days 3650
}
device device-ie "/CN=meter-0042/C=IE/O=Example Utilities"
device device-no-country "/CN=meter-0043/O=Example Utilities"
