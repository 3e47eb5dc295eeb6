#!/usr/bin/env bash
# Tests the hooks of .pre-commit-hooks.yaml for real: installs pre-commit
# when it is missing, makes a throwaway git repository whose
# .pre-commit-config.yaml is the README's snippet pointed at this checkout,
# and checks that a commit of a broken template is blocked and a commit of
# a good one goes through.
#
# pre-commit clones a hook repository at a revision, so the hooks are built
# from a snapshot of this working tree committed in a scratch repository:
# uncommitted changes are tested too, and no .git is needed.
#
# pre-commit is installed without assuming root: Debian's package as root
# or with password-less sudo, else pipx, else pip --user. When none works
# the script says so and exits 0 (SKIP), or 1 with IOTPT_REQUIRE_PRE_COMMIT=1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
fail() { echo "FAIL: $*"; exit 1; }

install_pre_commit() {
	command -v pre-commit >/dev/null && return 0
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
		echo "installing pre-commit (Debian package)"
		apt-get update -qq && apt-get install -y -qq pre-commit >/dev/null && return 0
	elif command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
		echo "installing pre-commit (Debian package, with sudo)"
		sudo apt-get update -qq && sudo apt-get install -y -qq pre-commit >/dev/null && return 0
	fi
	if command -v pipx >/dev/null; then
		echo "installing pre-commit (pipx)"
		pipx install --quiet pre-commit >/dev/null 2>&1 && export PATH="$HOME/.local/bin:$PATH"
		command -v pre-commit >/dev/null && return 0
	fi
	if command -v python3 >/dev/null && python3 -m pip --version >/dev/null 2>&1; then
		echo "installing pre-commit (pip --user)"
		python3 -m pip install --user --quiet pre-commit >/dev/null 2>&1 || true
		PATH="$(python3 -m site --user-base)/bin:$PATH"
		export PATH
		command -v pre-commit >/dev/null && return 0
	fi
	return 1
}
if ! install_pre_commit; then
	echo "SKIP: pre-commit is not installed, and neither apt-get (needs root or sudo), pipx nor pip --user could install it."
	echo "      Install it (https://pre-commit.com/#install) and run scripts/test-pre-commit.sh again."
	[ "${IOTPT_REQUIRE_PRE_COMMIT:-}" = 1 ] && exit 1
	exit 0
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
# The README's snippet as written, with this snapshot as the repository and
# its commit as rev: the README pins a commit SHA the same way.
sed -n '/^# .pre-commit-config.yaml$/,/^```$/p' "$root/README.md" | sed '$d' >.pre-commit-config.yaml
grep -Eq '^    rev: [0-9a-f]{40}( |$)' .pre-commit-config.yaml || fail "the README's pre-commit snippet does not pin rev by a commit SHA"
sed -i -e "s|^  - repo: https://github.com/iotpt/iotpt\$|  - repo: $src|" \
	-e "s|^    rev: [0-9a-f]\{40\}|    rev: $(git -C "$src" rev-parse HEAD)|" .pre-commit-config.yaml
grep -q "repo: $src" .pre-commit-config.yaml || { cat .pre-commit-config.yaml; fail "the README's pre-commit snippet does not name https://github.com/iotpt/iotpt"; }
git add .pre-commit-config.yaml
git commit -q -m "pre-commit configuration"
pre-commit install >/dev/null

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
