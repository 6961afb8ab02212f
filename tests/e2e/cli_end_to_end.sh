#!/usr/bin/env bash
# The three binaries end to end: start pledgebook-ingest and
# pledgebook-report on free ports against a fresh database, ingest the
# fixture with the CLI, and check the funding report's grand total.
set -euo pipefail
build=$1; url_file=$2; sample=$3
admin=$(cat "$url_file")
db=pbe2e_$$
psql "$admin" -qc "CREATE DATABASE $db"
url=${admin%/*}/$db
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

# Ports below 32768: see scripts/free-port.sh.
free_port_sh="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/free-port.sh"
port() { "$free_port_sh" "$1" 300; }
wait_listening() { for _ in $(seq 300); do grep -q listening "$1" && return; sleep 0.1; done; cat "$1" >&2; exit 1; }

export PLEDGEBOOK_INGEST_ADDR=127.0.0.1:$(port 21000)
"$build/ingest-service/pledgebook-ingest" --plaintext --database-url="$url" --listen="$PLEDGEBOOK_INGEST_ADDR" 2>"$work/ingest.log" &
pids+=($!)
wait_listening "$work/ingest.log"
export PLEDGEBOOK_REPORT_ADDR=127.0.0.1:$(port 22000)
"$build/report-service/pledgebook-report" --plaintext --database-url="$url" --listen="$PLEDGEBOOK_REPORT_ADDR" 2>"$work/report.log" &
pids+=($!)
wait_listening "$work/report.log"

cli=$build/cli/pledgebook
$cli ingest "$sample" | tee "$work/ingest.out"
grep -q "created documents/" "$work/ingest.out"
$cli ingest "$sample" | grep -q "already stored"
# A file that fails makes the CLI exit non-zero.
printf '\xff\xfe' >"$work/bad.txt"
if $cli ingest "$work/bad.txt"; then echo "bad file accepted" >&2; exit 1; fi

$cli report --group-by=section,funder | tee "$work/report.out"
grep -q "Grand total .*USD 5,374,038,000" "$work/report.out"
$cli report --group-by=funder --format=csv | grep -q "^EPA + CONAGUA,USD,474000000,1,"
test "$($cli stream | wc -l)" -eq 20
# parse works offline: 4 sections, 20 initiatives, 4 money mentions.
$cli parse "$sample" | /usr/bin/python3 -c '
import json, sys
d = json.load(sys.stdin)["document"]
assert len(d["sections"]) == 4, len(d["sections"])
assert sum(len(s.get("initiatives", [])) for s in d["sections"]) == 20
assert sum(len(i.get("money", [])) for s in d["sections"] for i in s.get("initiatives", [])) == 4
'
echo "cli end to end: ok"
