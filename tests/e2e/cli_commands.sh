#!/usr/bin/env bash
# The pledgebook CLI end to end, command by command (docs/cli.md): start
# pledgebook-ingest and pledgebook-report on free ports against a fresh
# database (as cli_end_to_end.sh does), then check
#   --help of every command, usage errors (exit 2), an unreachable service (4);
#   ingest of a directory, of glob patterns, of a bad and a missing file (1);
#   report as csv, json, jsonl and table agreeing on the grand totals;
#   stream row counts in every format; documents paging; get and NOT_FOUND (3);
#   watch seeing a newly ingested document, Ctrl-C, and resuming from a cursor;
#   --token and --tls-ca-file: against the plaintext services, and (when the
#   services can serve TLS and check tokens) against a second pair started
#   with a throw-away certificate and a token file; parse and eval offline.
#   tests/e2e/cli_commands.sh BUILD_DIR PG_URL_FILE TESTS_DIR
set -euo pipefail
build=$1; url_file=$2; tests=$3
admin=$(cat "$url_file")
db=pbcli_$$
psql "$admin" -qc "CREATE DATABASE $db"
url=${admin%/*}/$db
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; rm -rf "$work"' EXIT

# Ports from 23000/24000: cli_end_to_end.sh scans from 21000/22000 and ctest
# may run both at once (below 32768: see scripts/free-port.sh).
free_port_sh="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/scripts/free-port.sh"
port() { "$free_port_sh" "$1" 300; }
wait_listening() { for _ in $(seq 300); do grep -q listening "$1" && return; sleep 0.1; done; cat "$1" >&2; exit 1; }

# Services that serve TLS refuse to start in plaintext unless told so.
secure=""
service_flags=$("$build/report-service/pledgebook-report" --helpfull 2>&1 || true)
if [[ $service_flags == *--tls_cert_file* ]]; then secure=1; fi
transport=(${secure:+--plaintext})

export PLEDGEBOOK_INGEST_ADDR=127.0.0.1:$(port 23000)
"$build/ingest-service/pledgebook-ingest" --database-url="$url" --listen="$PLEDGEBOOK_INGEST_ADDR" "${transport[@]}" 2>"$work/ingest.log" &
pids+=($!)
wait_listening "$work/ingest.log"
export PLEDGEBOOK_REPORT_ADDR=127.0.0.1:$(port 24000)
"$build/report-service/pledgebook-report" --database-url="$url" --listen="$PLEDGEBOOK_REPORT_ADDR" "${transport[@]}" 2>"$work/report.log" &
pids+=($!)
wait_listening "$work/report.log"
unset PLEDGEBOOK_TOKEN PLEDGEBOOK_TLS_CA_FILE

cli=$build/cli/pledgebook
docs=$tests/gold/docs
py() { /usr/bin/python3 -c "$@"; }
fail() {
  echo "FAIL: $*" >&2
  for f in out err; do [[ -s $work/$f ]] && { echo "--- std$f of the last command:" >&2; head -c 4000 "$work/$f" >&2; }; done
  exit 1
}
# expect STATUS CMD...: runs CMD with stdout in $work/out and stderr in
# $work/err; fails unless it exits with STATUS.
expect() {
  local want=$1 got=0
  shift
  "$@" >"$work/out" 2>"$work/err" </dev/null || got=$?
  [[ $got == "$want" ]] || fail "expected exit $want, got $got: $*"
}
has() { grep -q -- "$2" "$work/$1" || fail "std$1 of the last command lacks: $2"; }
lacks() { ! grep -q -- "$2" "$work/$1" || fail "std$1 of the last command has: $2"; }

echo "== --help of every command"
declare -A flags=(
  [ingest]="--content-type --publisher --concurrency --progress --format --ingest-addr --deadline-seconds --token --tls-ca-file"
  [report]="--group-by --filter --joint --top --roles --format --report-addr --deadline-seconds --token --tls-ca-file"
  [stream]="--filter --order-by --limit --format --report-addr --deadline-seconds --token --tls-ca-file"
  [watch]="--filter --resume-cursor --format --report-addr --deadline-seconds --token --tls-ca-file"
  [documents]="--page-size --page-token --all --filter --format --report-addr --deadline-seconds --token --tls-ca-file"
  [get]="--view --format --report-addr --deadline-seconds --token --tls-ca-file"
  [parse]="--content-type --publisher --title --format"
  [eval]="--verbose"
)
for cmd in "${!flags[@]}"; do
  for h in --help -h; do
    expect 0 "$cli" "$cmd" "$h"
    has out "^usage: pledgebook $cmd "
    has out "^  -h, --help "
    # Each flag on a line of its own in the flag list.
    for f in ${flags[$cmd]}; do grep -qE -- "^  $f([= ]|$)" "$work/out" || fail "$cmd $h does not list $f"; done
  done
  if [[ ${flags[$cmd]} == *--token* ]]; then
    for env in PLEDGEBOOK_TOKEN PLEDGEBOOK_TLS_CA_FILE; do has out "$env"; done
  fi
done
expect 0 "$cli" --help
for cmd in "${!flags[@]}"; do has out "^  $cmd "; done
expect 0 "$cli" help watch
has out "^usage: pledgebook watch "
expect 2 "$cli"
expect 0 "$cli" --version
has out "^pledgebook "

echo "== usage errors exit 2 and name the problem"
expect 2 "$cli" report --bogus
has err "unknown flag --bogus"
has err "pledgebook report --help"
expect 2 "$cli" ingest --concurency=2 "$docs"
has err "unknown flag --concurency (did you mean --concurrency?)"
expect 2 "$cli" frobnicate
has err 'unknown command "frobnicate"'
expect 2 "$cli" get
has err "missing DOCUMENT_ID"
expect 2 "$cli" report --format=xml
has err '"xml"'
expect 2 "$cli" report --group-by=funder,galaxy
has err 'unknown dimension "galaxy"'
expect 2 "$cli" stream --limit=-3
has err "--limit"
expect 2 "$cli" documents --deadline-seconds=soon
has err "--deadline-seconds"
expect 2 "$cli" documents --tls-ca-file="$work/none.pem"
has err "cannot read $work/none.pem"
expect 2 "$cli" documents --token="$(printf 'a\nb')"
has err "--token"
# The server's INVALID_ARGUMENT for a bad filter is a usage error too.
expect 2 "$cli" report --filter='no_such_field = 1'
has err "INVALID_ARGUMENT"
has err "no_such_field"
echo "== an unreachable service exits 4 and says where it looked"
dead=127.0.0.1:$(port 25000)
expect 4 "$cli" documents --report-addr="$dead" --deadline-seconds=10
has err "UNAVAILABLE"
has err "report-service at $dead"
expect 1 "$cli" ingest --ingest-addr="$dead" "$docs"
has out "summary: 0 created, 0 already stored, 11 failed"
has out "not sent: ingest-service unavailable"

echo "== ingest a directory (11 documents in three formats)"
expect 0 "$cli" ingest "$docs"
cp "$work/out" "$work/ingest-dir.out"
cat "$work/out" >>"$work/all-ingest.out"
test "$(grep -c ': created documents/[0-9a-f]\{32\} (' "$work/out")" -eq 11 || fail "11 created lines expected"
for ext in txt md html; do has out "\.$ext: created documents/"; done
has out "^summary: 11 created, 0 already stored, 0 failed (11 files in "
# Not a terminal: no progress bar, no control characters on stderr.
if grep -q $'[\r\x1b]' "$work/err"; then fail "control characters on a non-terminal stderr"; fi
# Results come in input order (sorted within the directory), whatever the concurrency.
expect 0 "$cli" ingest --concurrency=8 "$docs"
has out "^summary: 0 created, 11 already stored, 0 failed"
diff <(sed 's/: .*//' "$work/out" | head -11) <(find "$docs" -type f | LC_ALL=C sort) || fail "ingest lines not in input order"
# A forced bar: drawn on stderr, with the rate and the time left.
expect 0 "$cli" ingest --progress=bar "$docs"
grep -q $'\r\x1b\\[K\\[' "$work/err" || fail "no progress bar"
has err "documents/s  ETA "

echo "== ingest glob patterns (expanded by the CLI), a duplicate, a bad file, a missing file"
n_md=$(find "$docs" -name '*.md' | wc -l)
expect 0 "$cli" ingest "$docs/*.md"
has out "^summary: 0 created, $n_md already stored, 0 failed ($n_md files in "
n_2022=$(find "$docs" -name '2022-*.txt' -o -name '2022-*.html' | wc -l)
one_2022=$(find "$docs" -name '2022-*.txt' | LC_ALL=C sort | head -1)
expect 0 "$cli" ingest "$docs/2022-*.{txt,html}" "$one_2022"
has out "^summary: 0 created, $n_2022 already stored, 0 failed ($n_2022 files in "
printf '\xff\xfe' >"$work/bad.txt"
expect 1 "$cli" ingest "$work/bad.txt" "$tests/fixtures/hled-2022-factsheet.txt"
has out "bad.txt: failed: INVALID_ARGUMENT: "
has out "hled-2022-factsheet.txt: already stored documents/"
has out "^summary: 0 created, 1 already stored, 1 failed (2 files in "
expect 1 "$cli" ingest "$work/missing.txt" "$work/*.nothing"
has out "missing.txt: failed: no such file or directory"
has out "nothing: failed: no file matches this pattern"
has out "^summary: 0 created, 0 already stored, 2 failed"
expect 1 "$cli" ingest --format=jsonl "$tests/fixtures/hled-2022-factsheet.txt" "$work/bad.txt"
has err "^summary: 0 created, 1 already stored, 1 failed"
py '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["result"] for l in lines] == ["already_stored", "failed"], lines
assert lines[0]["response"]["name"].startswith("documents/"), lines[0]
assert lines[1]["error"].startswith("INVALID_ARGUMENT: "), lines[1]
' "$work/out"

echo "== report: csv, json, jsonl and table agree on the grand totals"
for group in "" "--group-by=funder" "--group-by=year,funder-country" "--group-by=section,funder --joint=split" \
             "--group-by=funder --top=2"; do
  # shellcheck disable=SC2086
  for format in csv json jsonl table; do
    expect 0 "$cli" report $group --format=$format
    cp "$work/out" "$work/report.$format"
  done
  py '
import csv, json, sys
from decimal import Decimal
d = sys.argv[1]
split = "split" in sys.argv[2]
def money(m):
    return Decimal(int(m.get("units", "0"))) + Decimal(m.get("nanos", 0)) / Decimal(10**9)
rows = list(csv.DictReader(open(d + "/report.csv", newline="")))
csv_totals = {r["currency"]: Decimal(r["total"]) for r in rows if r["kind"] == "total"}
assert csv_totals.get("USD", 0) > 0, csv_totals
j = json.load(open(d + "/report.json"))
json_totals = {t["total"]["currencyCode"]: money(t["total"]) for t in j["totals"]}
jl = [json.loads(l) for l in open(d + "/report.jsonl")]
jsonl_totals = {o["total"]["total"]["currencyCode"]: money(o["total"]["total"]) for o in jl if "total" in o}
assert csv_totals == json_totals == jsonl_totals, (csv_totals, json_totals, jsonl_totals)
assert len([o for o in jl if "row" in o]) == len(j.get("rows", [])) == len([r for r in rows if r["kind"] != "total"])
table = {}
for line in open(d + "/report.table"):
    if line.startswith("Grand total"):
        cur, amount = line.split()[2:4]
        table[cur] = Decimal(amount.replace(",", ""))
assert table == csv_totals, (table, csv_totals)
if not split:  # each amount is in exactly one row (an even split may round)
    for cur, total in csv_totals.items():
        s = sum(Decimal(r["total"]) for r in rows if r["kind"] != "total" and r["currency"] == cur)
        assert s == total, (cur, s, total)
print("  ", sys.argv[2] or "(no group-by)", {c: str(v) for c, v in csv_totals.items()})
' "$work" "$group"
done
grep -q ',other$' "$work/report.csv" || fail "--top=2 folded nothing into an other row"
# --roles=all counts exactly the amounts the default left out.
expect 0 "$cli" report --format=json
cp "$work/out" "$work/report-items.json"
expect 0 "$cli" report --roles=all --format=json
py '
import json, sys
items, everything = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
count = lambda r: sum(int(t["count"]) for t in r["totals"])
excluded = sum(int(e["count"]) for e in items.get("exclusions", []))
assert excluded > 0, items
assert count(everything) == count(items) + excluded, (count(everything), count(items), excluded)
' "$work/report-items.json" "$work/out"

echo "== stream: the same initiatives in every format"
expect 0 "$cli" documents --all --format=jsonl
total_initiatives=$(py 'import json,sys; print(sum(int(json.loads(l)["stats"].get("initiativeCount", 0)) for l in open(sys.argv[1])))' "$work/out")
test "$total_initiatives" -gt 0 || fail "no initiatives stored"
expect 0 "$cli" stream
test "$(wc -l <"$work/out")" -eq "$total_initiatives" || fail "stream: $(wc -l <"$work/out") lines, $total_initiatives initiatives"
expect 0 "$cli" stream --format=csv
py '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="")))
assert rows[0][:3] == ["document_id", "section_index", "index"], rows[0]
assert len(rows) - 1 == int(sys.argv[2]), (len(rows) - 1, sys.argv[2])
assert all(len(r) == len(rows[0]) for r in rows)
assert any(r[7].startswith("USD ") for r in rows[1:]), "no money column"
' "$work/out" "$total_initiatives"
expect 0 "$cli" stream --format=json
py 'import json,sys; a = json.load(open(sys.argv[1])); assert len(a) == int(sys.argv[2]), len(a)' "$work/out" "$total_initiatives"
expect 0 "$cli" stream --format=table --limit=5 --filter='has_funding = true'
test "$(wc -l <"$work/out")" -eq 7 || fail "table: header, rule and 5 rows expected"
has out "^Document  Sec"
expect 0 "$cli" stream --limit=3 --order-by='ingest_sequence desc'
test "$(wc -l <"$work/out")" -eq 3 || fail "--limit=3"

echo "== a reader that goes away (| head, | grep -q) ends the output normally"
size=$("$cli" stream | wc -c)
test "$size" -gt 262144 || fail "stream output ($size bytes) too small to fill a pipe"
"$cli" stream | head -c 100 >/dev/null || fail "stream | head: exit ${PIPESTATUS[0]}"
"$cli" stream --format=csv | head -1 >/dev/null || fail "stream --format=csv | head: exit ${PIPESTATUS[0]}"
"$cli" ingest "$docs" | grep -q "already stored" || fail "ingest | grep -q: exit ${PIPESTATUS[0]}"

echo "== get, and NOT_FOUND exits 3"
id=$(grep -o 'hled-2022-factsheet.txt: created documents/[0-9a-f]*' "$work/ingest-dir.out" | sed 's|.*/||')
test -n "$id" || fail "no id for the fact sheet"
expect 0 "$cli" get "$id"
has out "^Document    documents/$id"
has out "^Counts      4 sections, 20 initiatives, 4 money mentions"
expect 0 "$cli" get "documents/$id" --view=full --format=json
py '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["documentId"] == sys.argv[2] and len(d["normalizedText"]) > 1000, d.keys()
' "$work/out" "$id"
expect 0 "$cli" get "$id" --format=jsonl
test "$(wc -l <"$work/out")" -eq 1 || fail "jsonl is one line"
lacks out "normalizedText"
expect 3 "$cli" get 00000000000000000000000000000000
has err "NOT_FOUND"

echo "== watch sees a newly ingested document; Ctrl-C prints the cursor; resume goes on from it"
expect 0 "$cli" watch --deadline-seconds=1.5
has err "no initiative received"
test ! -s "$work/out" || fail "watch printed something with nothing ingested"
expect 2 "$cli" watch --resume-cursor=not-a-cursor --deadline-seconds=5
has err "INVALID_ARGUMENT"
"$cli" watch --deadline-seconds=120 >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!
pids+=("$watch_pid")
# The watch starts "from now" once the server has the call, which the client
# cannot observe: ingest a new document until the watch shows one (the first
# one nearly always).
seen=""
for attempt in 1 2 3 4 5; do
  sleep 1
  cat >"$work/new-$attempt.md" <<EOF
---
title: "Grid grants, attempt $attempt of run $$ at $(date +%s%N)"
---
# Grid grants

The Department of Energy announced three grants:

- \$12 million for grid batteries in Ohio.
- \$8 million for transmission lines in Texas.
- \$5 million to train electricians in Maine.
EOF
  expect 0 "$cli" ingest "$work/new-$attempt.md"
  cat "$work/out" >>"$work/all-ingest.out"
  new_id=$(grep -o 'created documents/[0-9a-f]*' "$work/out" | sed 's|.*/||')
  new_initiatives=$(sed -n 's/.* \([0-9]*\) initiatives.*/\1/p' "$work/out")
  for _ in $(seq 50); do
    if [[ $(grep -c "\"documentId\":\"$new_id\"" "$work/watch.out" || true) -ge $new_initiatives ]]; then
      seen=$new_id
      break 2
    fi
    sleep 0.2
  done
done
test -n "$seen" || { cat "$work/watch.err" >&2; fail "watch never showed a newly ingested document"; }
test "$new_initiatives" -ge 2 || fail "the new document should have several initiatives"
kill -INT "$watch_pid"
watch_status=0
wait "$watch_pid" || watch_status=$?
test "$watch_status" -eq 0 || fail "watch exited $watch_status on SIGINT"
last_cursor=$(sed -n 's/.*resume with --resume-cursor=\(.*\)/\1/p' "$work/watch.err")
py '
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert lines and all(l["cursor"] and l["initiative"]["documentId"] for l in lines), lines[:2]
assert lines[-1]["cursor"] == sys.argv[2], (lines[-1]["cursor"], sys.argv[2])
' "$work/watch.out" "$last_cursor"
first_cursor=$(py 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["cursor"])' "$work/watch.out")
expect 0 "$cli" watch --resume-cursor="$first_cursor" --deadline-seconds=3
diff <(tail -n +2 "$work/watch.out") "$work/out" || fail "resuming from the first cursor did not give the rest"
has err "resume with --resume-cursor=$last_cursor"

echo "== documents: paging by hand and --all"
stored=$(grep -o 'created documents/[0-9a-f]*' "$work/all-ingest.out" | sort -u | wc -l)
expect 0 "$cli" documents --all --page-size=4 --format=jsonl
test "$(wc -l <"$work/out")" -eq "$stored" || fail "documents --all: $(wc -l <"$work/out") lines, $stored stored"
test "$(py 'import json,sys; print(len({json.loads(l)["documentId"] for l in open(sys.argv[1])}))' "$work/out")" -eq "$stored"
lacks err "page-token"
expect 0 "$cli" documents --page-size=4
test "$(wc -l <"$work/out")" -eq 6 || fail "a table page of 4: header, rule, 4 rows"
token=$(sed -n 's/.*--page-token=\([^ ]*\).*/\1/p' "$work/err")
test -n "$token" || fail "no next-page hint on stderr"
first_page=$(tail -n 4 "$work/out" | cut -c1-32)
expect 0 "$cli" documents --page-size=4 --page-token="$token" --format=csv
test "$(wc -l <"$work/out")" -eq 5 || fail "a csv page of 4: header and 4 records"
for d in $(tail -n 4 "$work/out" | cut -d, -f1); do
  [[ $first_page != *"$d"* ]] || fail "page 2 repeats $d"
done
expect 0 "$cli" documents --all --page-size=5 --format=json
py '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["documents"]) == int(sys.argv[2]) and not r.get("nextPageToken"), (len(r["documents"]), r.get("nextPageToken"))
' "$work/out" "$stored"

echo "== token and TLS flags against the plaintext services"
PLEDGEBOOK_TOKEN=e2e-token expect 0 "$cli" documents --page-size=1 --format=jsonl
test "$(wc -l <"$work/out")" -eq 1 || fail "documents with a token"
cert() {  # a throw-away self-signed certificate for 127.0.0.1: $1.key, $1.pem
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost \
    -addext subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "$1.key" -out "$1.pem" 2>/dev/null
}
cert "$work/server"
cert "$work/stranger"
# TLS to a plaintext server: the handshake fails, so the flag is really used.
PLEDGEBOOK_TLS_CA_FILE=$work/server.pem expect 4 "$cli" documents --deadline-seconds=10
has err "report-service at $PLEDGEBOOK_REPORT_ADDR (TLS)"

if [[ -z $secure ]]; then
  echo "NOTE: these services have no TLS or tokens yet: --tls-ca-file and --token were checked against plaintext services only"
else
  echo "== token and TLS against services that serve TLS and require tokens"
  printf '%s report,ingest name=e2e\n' "$(printf %s e2e-secret | sha256sum | cut -d' ' -f1)" >"$work/tokens"
  tls_flags=(--tls_cert_file="$work/server.pem" --tls_key_file="$work/server.key" --token_file="$work/tokens")
  tls_report=127.0.0.1:$(port 26000)
  "$build/report-service/pledgebook-report" --database-url="$url" --listen="$tls_report" "${tls_flags[@]}" 2>"$work/tls-report.log" &
  pids+=($!)
  wait_listening "$work/tls-report.log"
  tls_ingest=127.0.0.1:$(port 27000)
  "$build/ingest-service/pledgebook-ingest" --database-url="$url" --listen="$tls_ingest" "${tls_flags[@]}" 2>"$work/tls-ingest.log" &
  pids+=($!)
  wait_listening "$work/tls-ingest.log"
  expect 0 "$cli" documents --all --format=jsonl --report-addr="$tls_report" --tls-ca-file="$work/server.pem" --token=e2e-secret
  test "$(wc -l <"$work/out")" -eq "$stored" || fail "documents over TLS with a token"
  PLEDGEBOOK_REPORT_ADDR=$tls_report PLEDGEBOOK_TLS_CA_FILE=$work/server.pem PLEDGEBOOK_TOKEN=e2e-secret \
    expect 0 "$cli" report --format=csv
  grep -q ',total$' "$work/out" || fail "report over TLS from the environment variables"
  PLEDGEBOOK_TLS_CA_FILE=$work/server.pem PLEDGEBOOK_TOKEN=e2e-secret \
    expect 0 "$cli" ingest --ingest-addr="$tls_ingest" "$tests/fixtures/hled-2022-factsheet.txt"
  has out "^summary: 0 created, 1 already stored, 0 failed"
  PLEDGEBOOK_TLS_CA_FILE=$work/server.pem PLEDGEBOOK_TOKEN=e2e-secret \
    expect 0 "$cli" watch --report-addr="$tls_report" --deadline-seconds=1
  has err "no initiative received"
  # No token, a wrong token: UNAUTHENTICATED (exit 1), per file for ingest.
  expect 1 "$cli" documents --report-addr="$tls_report" --tls-ca-file="$work/server.pem"
  has err "UNAUTHENTICATED"
  expect 1 "$cli" get "$id" --report-addr="$tls_report" --tls-ca-file="$work/server.pem" --token=wrong
  has err "UNAUTHENTICATED"
  expect 1 "$cli" ingest --ingest-addr="$tls_ingest" --tls-ca-file="$work/server.pem" "$tests/fixtures/hled-2022-factsheet.txt"
  has out "hled-2022-factsheet.txt: failed: UNAUTHENTICATED: "
  # Plaintext to the TLS server, or TLS trusting another CA: no connection (exit 4).
  expect 4 "$cli" documents --report-addr="$tls_report" --token=e2e-secret --deadline-seconds=10
  expect 4 "$cli" documents --report-addr="$tls_report" --tls-ca-file="$work/stranger.pem" --token=e2e-secret --deadline-seconds=10
  has err "(TLS)"
fi

echo "== parse and eval work offline"
html=$(find "$docs" -name '*.html' | sort | head -1)
expect 2 "$cli" parse "$html" --ingest-addr=127.0.0.1:1  # offline: no server flags
has err "unknown flag --ingest-addr"
expect 0 "$cli" parse "$html" --format=jsonl
py 'import json,sys; d = json.load(open(sys.argv[1]))["document"]; assert d["format"] == "CONTENT_FORMAT_HTML" and d["sections"]' "$work/out"
expect 0 "$cli" eval "$tests/gold"
has out "money"

echo "cli commands: ok"
