#!/usr/bin/env bash
# API hygiene for proto/pledgebook/v1 with buf (from npm, pinned in
# clients/node/package-lock.json; scripts/install-deps.sh installs it):
#   scripts/check-api.sh                    lint (STANDARD + COMMENTS, buf.yaml) and
#                                           breaking (FILE) against proto/baseline/
#   scripts/check-api.sh --update-baseline  rewrites proto/baseline/pledgebook-v1.binpb
#                                           from the current protos: only when an API
#                                           version is released (see proto/baseline/README.md)
# The vendored googleapis protos are a module of the workspace for imports,
# but neither linted nor checked for breaking changes.
# After the real checks, two canaries make sure the configuration still bites:
# a copy of the protos with a renumbered field must fail `buf breaking`, and
# one with a badly named enum zero value must fail `buf lint`.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
baseline=proto/baseline/pledgebook-v1.binpb
buf=$root/clients/node/node_modules/.bin/buf
[[ -x $buf ]] || "$root/scripts/install-deps.sh"
[[ -x $buf ]] || { echo "check-api.sh: buf is not installed in clients/node/node_modules" >&2; exit 1; }
cd "$root"

if [[ ${1:-} == --update-baseline ]]; then
  "$buf" build proto --exclude-source-info -o "$baseline"
  echo "check-api.sh: wrote $baseline ($("$buf" --version)); commit it with the release"
  exit 0
fi
[[ $# -eq 0 ]] || { echo "usage: check-api.sh [--update-baseline]" >&2; exit 2; }

echo "== buf lint ($("$buf" --version))"
"$buf" lint
echo "lint: ok"
echo "== buf breaking against $baseline"
"$buf" breaking proto --against "$baseline"
echo "breaking: ok"

# The canaries, on a copy of the workspace.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
canary() {
  rm -rf "$tmp/ws" && mkdir -p "$tmp/ws/proto"
  cp -r buf.yaml third_party "$tmp/ws/"
  cp -r proto/pledgebook "$tmp/ws/proto/"
}
canary
sed -i 's/int32 end = 2;/int32 end = 20;/' "$tmp/ws/proto/pledgebook/v1/records.proto"
grep -q 'int32 end = 20;' "$tmp/ws/proto/pledgebook/v1/records.proto" || { echo "canary: Span.end not found" >&2; exit 1; }
if (cd "$tmp/ws" && "$buf" breaking proto --against "$root/$baseline" >"$tmp/out" 2>&1); then
  echo "canary: buf breaking accepted a renumbered field; is buf.yaml ignoring too much?" >&2; exit 1
fi
grep -q 'Span' "$tmp/out" || { cat "$tmp/out" >&2; echo "canary: unexpected buf breaking output" >&2; exit 1; }
canary
sed -i 's/CONTENT_FORMAT_UNSPECIFIED = 0;/CONTENT_FORMAT_NONE = 0;/' "$tmp/ws/proto/pledgebook/v1/records.proto"
if (cd "$tmp/ws" && "$buf" lint >"$tmp/out" 2>&1); then
  echo "canary: buf lint accepted an enum zero value without _UNSPECIFIED; is buf.yaml ignoring too much?" >&2; exit 1
fi
grep -q 'CONTENT_FORMAT_NONE' "$tmp/out" || { cat "$tmp/out" >&2; echo "canary: unexpected buf lint output" >&2; exit 1; }
echo "canaries: ok (a renumbered field and a bad enum zero value are caught)"
