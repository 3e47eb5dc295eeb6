#!/usr/bin/env bash
# Tests the hooks of .pre-commit-hooks.yaml for real: installs Debian's
# pre-commit when it is missing, makes a throwaway git repository whose
# .pre-commit-config.yaml points at this checkout, and checks that a commit
# of a broken template is blocked and a commit of a good one goes through.
#
# pre-commit clones a hook repository at a revision, so the hooks are built
# from a snapshot of this working tree committed in a scratch repository:
# uncommitted changes are tested too, and no .git is needed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)

if ! command -v pre-commit >/dev/null; then
	echo "installing pre-commit (Debian package)"
	apt-get update -qq && apt-get install -y -qq pre-commit >/dev/null
fi
pre-commit --version

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
# Reuse the module and build caches: pre-commit builds the hook with go install.
export GOMODCACHE="${GOMODCACHE:-$(go env GOMODCACHE)}" GOCACHE="${GOCACHE:-$(go env GOCACHE)}"
export GOFLAGS="${GOFLAGS:-}"
GOFLAGS="${GOFLAGS//-mod=readonly/}"

src="$work/src"
mkdir -p "$src"
tar -C "$root" --exclude=./.git -cf - . | tar -C "$src" -xf -
git -C "$src" init -q
git -C "$src" add -A
git -C "$src" -c user.email=ci@example.com -c user.name=CI commit -q -m snapshot

repo="$work/repo"
mkdir -p "$repo"
cd "$repo"
git init -q
git config user.email ci@example.com
git config user.name CI
cat > .pre-commit-config.yaml <<YAML
repos:
  - repo: $src
    rev: $(git -C "$src" rev-parse HEAD)
    hooks:
      - id: iotpt-lint
      - id: iotpt-fmt
YAML
git add .pre-commit-config.yaml
git commit -q -m "pre-commit configuration"
pre-commit install >/dev/null

fail() { echo "FAIL: $*"; exit 1; }

# A broken template: a missing comma in the body. The commit must fail and
# the output must point at the line and column.
cat > device-template.json <<'JSON'
{
  "Parameters": {"SerialNumber": {"Type": "String"}}
  "Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": {"Ref": "SerialNumber"}}}}
}
JSON
git add device-template.json
if git commit -q -m "broken template" >"$work/out" 2>&1; then
	cat "$work/out"
	fail "the commit of a broken template went through"
fi
grep -q 'device-template.json:3:3: error PT001' "$work/out" || { cat "$work/out"; fail "no positioned PT001 in the hook output"; }
echo "ok: a broken template blocks the commit"
sed -n '/iotpt lint/,$p' "$work/out" | head -8

# The same template, fixed and formatted: the commit goes through.
cat > device-template.json <<'JSON'
{
  "Parameters": {
    "SerialNumber": {"Type": "String"},
    "AWS::IoT::Certificate::Id": {"Type": "String"}
  },
  "Resources": {
    "thing": {
      "Type": "AWS::IoT::Thing",
      "Properties": {"ThingName": {"Ref": "SerialNumber"}, "ThingGroups": ["sensors"]}
    },
    "certificate": {
      "Type": "AWS::IoT::Certificate",
      "Properties": {"CertificateId": {"Ref": "AWS::IoT::Certificate::Id"}, "Status": "ACTIVE"}
    }
  }
}
JSON
iotpt=$(find "$PRE_COMMIT_HOME" -path '*/bin/iotpt' -type f | head -1)
"$iotpt" fmt -w device-template.json
git add device-template.json
git commit -q -m "good template" >"$work/out" 2>&1 || { cat "$work/out"; fail "the commit of a good template was blocked"; }
echo "ok: a good template commits"

# A template that lints clean but is not formatted: iotpt-fmt blocks it.
printf '{"Resources": {"thing": {"Type": "AWS::IoT::Thing", "Properties": {"ThingName": "t1", "ThingGroups": ["g"]}}}}\n' > other-template.json
git add other-template.json
if git commit -q -m "unformatted" >"$work/out" 2>&1; then
	fail "the commit of an unformatted template went through"
fi
grep -q 'other-template.json' "$work/out" || { cat "$work/out"; fail "iotpt fmt did not name the file"; }
echo "ok: an unformatted template blocks the commit"
echo "pre-commit hooks passed"
