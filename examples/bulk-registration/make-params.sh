#!/usr/bin/env bash
# Makes params.jsonl, the parameters file of this example: one JSON object
# per line, each with a certificate signing request made by openssl (the
# keys are thrown away). The last line forgets its serial number, and the
# fourth repeats the first thing name, so that the plan has something to
# report.
set -euo pipefail
cd "$(dirname "$0")"
keys=$(mktemp -d)
trap 'rm -rf "$keys"' EXIT
csr() { # csr NAME: a CSR as one JSON string
	openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-keyout "$keys/$1.key" -subj "/CN=$1" 2>/dev/null |
		awk 'BEGIN { printf "\"" } { printf "%s\\n", $0 } END { printf "\"" }'
}
{
	printf '{"ThingName": "tracker-001", "SerialNumber": "PT-001", "CSR": %s}\n' "$(csr tracker-001)"
	printf '{"ThingName": "tracker-002", "SerialNumber": "PT-002", "Location": "warehouse-2", "CSR": %s}\n' "$(csr tracker-002)"
	printf '{"ThingName": "tracker-003", "SerialNumber": "PT-003", "CSR": %s}\n' "$(csr tracker-003)"
	printf '{"ThingName": "tracker-001", "SerialNumber": "PT-004", "CSR": %s}\n' "$(csr tracker-004)"
	printf '{"ThingName": "tracker-005", "CSR": %s}\n' "$(csr tracker-005)"
} > params.jsonl
