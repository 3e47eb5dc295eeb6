#!/usr/bin/env bash
# Times iotpt's bulk planning of N generated lines through the example fleet
# template (Mappings, Fn::Join, Fn::FindInMap, an inline policy,
# DeviceConfiguration), and reports wall time and peak memory.
#
#   scripts/bench.sh 1000000
#
# Needs Go; uses GNU time (/usr/bin/time) for peak memory when present.
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

go build -o "$work/iotpt" ./cmd/iotpt
awk -v n="$n" 'BEGIN {
	split("Tokyo Dublin Seattle", loc, " ")
	for (i = 1; i <= n; i++)
		printf "{\"SerialNumber\":\"SN%08d\",\"DeviceLocation\":\"%s\",\"Firmware\":\"1.1.1\",\"AWS::IoT::Certificate::Id\":\"%056d%08x\"}\n", i, loc[i % 3 + 1], 0, i
}' > "$work/params.jsonl"
echo "machine: $(nproc) cores, $(go version | cut -d' ' -f3-), $(uname -m)"
echo "input:   $n lines, $(du -h "$work/params.jsonl" | cut -f1)"

run() {
	local label="$1"; shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$work/time" -f "$label: %e s wall, %M KiB peak" "$@" > /dev/null 2> "$work/stderr" || true
		cat "$work/time"
	else
		local start end
		start=$(date +%s.%N)
		"$@" > /dev/null 2> "$work/stderr" || true
		end=$(date +%s.%N)
		echo "$label: $(echo "$end - $start" | bc) s wall"
	fi
}
# Some lines may fail (exit code 1); that is not an error here.
run "--format json " "$work/iotpt" plan examples/fleet-provisioning/template.json --bulk "$work/params.jsonl" --format json
run "--summary-only" "$work/iotpt" plan examples/fleet-provisioning/template.json --bulk "$work/params.jsonl" --summary-only

# Lint: 1,000 templates in one directory (the fleet and JITP examples,
# copied alternately).
mkdir -p "$work/templates"
i=0
while [ "$i" -lt 1000 ]; do
	for f in examples/fleet-provisioning/template.json examples/jitp/registration-config.json; do
		cp "$f" "$work/templates/t$i.json"
		i=$((i + 1))
	done
done
run "lint 1000 files" "$work/iotpt" lint "$work/templates"
