#!/usr/bin/env bash
# Fails when docs/api/ is not what scripts/gen-docs.sh makes from the protos now.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/scripts/gen-docs.sh" "$tmp/api" >/dev/null
# The generator must have documented every RPC and message of the API.
for name in IngestService.IngestDocument ReportService.WatchInitiatives pledgebook.v1.Initiative \
            pledgebook.v1.FundingDimension google.rpc.BadRequest; do
  grep -rq "\`[a-z.]*$name\`" "$tmp/api" || { echo "generated docs lack $name" >&2; exit 1; }
done
if ! diff -ru "$root/docs/api" "$tmp/api"; then
  echo "docs/api/ is out of date: run scripts/gen-docs.sh and commit the result" >&2
  exit 1
fi
echo "docs/api/ is up to date ($(ls "$tmp/api" | wc -l) pages)"
