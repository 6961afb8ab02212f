#!/usr/bin/env bash
# The main job on the bundled sample: build, start a local PostgreSQL and
# both services on loopback (plaintext: local development only), ingest the
# fact sheet, print funding reports and the first streamed initiatives.
# Everything is stopped at the end unless --keep is given.
set -euo pipefail
cd "$(dirname "$0")/.."
keep=false; [[ "${1:-}" == "--keep" ]] && keep=true
SAMPLE=tests/fixtures/hled-2022-factsheet.txt

scripts/build.sh >/dev/null
run=var/demo
mkdir -p "$run"
url=$(scripts/pg-local.sh start "$run/pg")

pids=()
cleanup() {
  $keep && { echo "left running (stop with: kill ${pids[*]}; scripts/pg-local.sh stop $run/pg)"; return; }
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  scripts/pg-local.sh stop "$run/pg"
}
trap cleanup EXIT

port() { scripts/free-port.sh "$1" 200; }
export PLEDGEBOOK_INGEST_ADDR=127.0.0.1:$(port 50051)
build/ingest-service/pledgebook-ingest --plaintext --database-url="$url" --listen="$PLEDGEBOOK_INGEST_ADDR" 2>"$run/ingest.log" &
pids+=($!)
# Start report-service once the schema exists (ingest-service migrates on start).
wait_listening() {
  for _ in $(seq 300); do grep -q listening "$1" && return; sleep 0.1; done
  echo "a service did not start; its log:" >&2; cat "$1" >&2; exit 1
}
wait_listening "$run/ingest.log"
export PLEDGEBOOK_REPORT_ADDR=127.0.0.1:$(port 50252)
build/report-service/pledgebook-report --plaintext --database-url="$url" --listen="$PLEDGEBOOK_REPORT_ADDR" 2>"$run/report.log" &
pids+=($!)
wait_listening "$run/report.log"

cli=build/cli/pledgebook
echo "== Ingest"
$cli ingest --publisher="The White House" "$SAMPLE"
echo
echo "== Funding by section"
$cli report --group-by=section
echo
echo "== Funding by funder (joint amounts as their own row)"
$cli report --group-by=funder
echo
echo "== First initiatives (streamed)"
$cli stream --limit=5 | /usr/bin/python3 -c '
import json, sys
for line in sys.stdin:
    i = json.loads(line)
    money = ", ".join(m["text"] for m in i.get("money", []))
    print("[%s.%s] %s%s" % (i.get("sectionIndex", 0), i.get("index", 0), i["text"][:110],
                          "…" if len(i["text"]) > 110 else ""))
    if money: print("        money: " + money)
'
