#!/usr/bin/env bash
# bench/run.sh — every Pledgebook benchmark, end to end, each figure a ratio
# against a baseline measured in the same run:
#
#   1. parser throughput (Google Benchmark, tests/corpus)   vs normalization only
#   2. bulk ingest over gRPC (IngestDocuments streams)       vs COPY of the same rows
#   3. GetFundingReport latency at 1 and 64 clients          vs the same SQL run directly
#   4. StreamInitiatives rows/s and the server's peak RSS    vs COPY (SELECT …) TO STDOUT
#   5. WatchInitiatives delivery delay under ingest          vs the poll interval
#
# It builds in Release (its own build dir), starts a fresh PostgreSQL
# (scripts/pg-local.sh) and both services (plaintext, 127.0.0.1, free
# ports), runs the benchmarks, and writes the results table with the
# machine's description into bench/README.md between the markers
# <!-- bench:begin --> and <!-- bench:end -->.
#
#   bench/run.sh                 full run (~64,000 documents, 1M money mentions; see bench/README.md)
#   bench/run.sh --quick         smoke run on tiny data (README left alone unless --readme)
#
# Options (after --quick, to override its sizes):
#   --documents N        documents ingested over gRPC (default 64000; quick 3000)
#   --mentions N         money mentions the report benchmark needs; missing ones are added by
#                        duplicating ingested documents' rows in SQL (default 1000000; quick 0)
#   --stream-rows N      initiatives streamed (default 1000000; quick 50000)
#   --report-seconds S   measured seconds per report run (default 15; quick 3)
#   --watch-seconds S    seconds of sustained ingest for the watch benchmark (default 30; quick 6)
#   --watch-rate R       documents/s ingested meanwhile (default 20)
#   --streams N          parallel IngestDocuments streams (default 4)
#   --build-dir DIR      build directory (default build-bench)
#   --no-build           use the binaries already in the build directory
#   --readme | --no-readme   update bench/README.md or not (default: full yes, quick no)
#   --profile            perf record the services during ingest and the 64-client report run
#   --keep               leave PostgreSQL, the services and the work folder in place
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

mode=full
documents=64000 mentions=1000000 stream_rows=1000000 report_seconds=15 watch_seconds=30
parser_min_time=1 parser_repetitions=5
watch_rate=20 streams=4 build_dir=$root/build-bench build=1 readme=auto profile=0 keep=0
args=("$@")
for a in "${args[@]}"; do
  if [[ $a == --quick ]]; then
    mode=quick documents=3000 mentions=0 stream_rows=50000 report_seconds=3 watch_seconds=6 parser_min_time=0.1 parser_repetitions=1
  fi
done
while (($#)); do
  case $1 in
    --quick) ;;
    --documents) documents=$2; shift ;;
    --mentions) mentions=$2; shift ;;
    --stream-rows) stream_rows=$2; shift ;;
    --report-seconds) report_seconds=$2; shift ;;
    --watch-seconds) watch_seconds=$2; shift ;;
    --watch-rate) watch_rate=$2; shift ;;
    --streams) streams=$2; shift ;;
    --build-dir) build_dir=$(mkdir -p "$2" && cd "$2" && pwd); shift ;;
    --no-build) build=0 ;;
    --readme) readme=yes ;;
    --no-readme) readme=no ;;
    --profile) profile=1 ;;
    --keep) keep=1 ;;
    -h | --help) sed -n '2,35p' "$root/bench/run.sh"; exit 0 ;;
    *) echo "bench/run.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
[[ $readme == auto ]] && { [[ $mode == full ]] && readme=yes || readme=no; }

run_start=$(date +%s)
work=$build_dir/bench-run
results=$work/results
B=$build_dir/bench
log() { printf '[bench %s +%ss] %s\n' "$(date +%H:%M:%S)" $(($(date +%s) - run_start)) "$*" >&2; }
now() { date +%s.%N; }
step_times=()
step() { step_times+=("$1=$(($(date +%s) - run_start))"); log "$1"; }

# ---------------------------------------------------------------- build
step build
if ! command -v cmake >/dev/null || ! command -v ninja >/dev/null || [[ ! -x /usr/lib/postgresql/15/bin/pg_ctl ]]; then
  scripts/install-deps.sh
fi
if ((build)); then
  mkdir -p "$build_dir"
  cmake -S "$root" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPLEDGEBOOK_BUILD_TESTS=OFF \
    -DPLEDGEBOOK_BUILD_BENCH=ON >"$build_dir/bench-cmake.log" 2>&1 || { cat "$build_dir/bench-cmake.log" >&2; exit 1; }
  cmake --build "$build_dir" -j2 >"$build_dir/bench-build.log" 2>&1 || { tail -50 "$build_dir/bench-build.log" >&2; exit 1; }
fi
for b in "$B/parser_bench" "$B/load_generator" "$B/report_sql_baseline" "$B/ingest_client" "$B/stream_client" \
  "$B/watch_delay" "$build_dir/ingest-service/pledgebook-ingest" "$build_dir/report-service/pledgebook-report"; do
  [[ -x $b ]] || { echo "bench/run.sh: $b is missing (build first, or drop --no-build)" >&2; exit 1; }
done

# ---------------------------------------------------------------- state
if [[ -f $work/pg/datadir ]]; then scripts/pg-local.sh stop "$work/pg" >/dev/null 2>&1 || true; fi
rm -rf "$work"
mkdir -p "$results" "$work/dump"
pids=()
cleanup() {
  local status=$?
  if ((keep)); then
    log "left running: services ${pids[*]:-none}, PostgreSQL $(cat "$work/pg/url" 2>/dev/null); work folder $work"
    return
  fi
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  scripts/pg-local.sh stop "$work/pg" >/dev/null 2>&1 || true
  if ((status == 0)); then
    rm -rf "$work/dump" "$(cat "$work/pg/datadir" 2>/dev/null || echo /nonexistent)"
  fi
}
trap cleanup EXIT

printf '%s\n' "mode=$mode" "documents=$documents" "mentions_target=$mentions" "stream_rows=$stream_rows" \
  "report_seconds=$report_seconds" "watch_seconds=$watch_seconds" "watch_rate=$watch_rate" "streams=$streams" \
  "loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)" >"$results/settings.txt"

# ---------------------------------------------------------------- 1. parser
step parser
"$B/parser_bench" --benchmark_min_time="$parser_min_time" --benchmark_repetitions="$parser_repetitions" --benchmark_format=json \
  --benchmark_out="$results/parser.json" --benchmark_out_format=json >/dev/null

# ---------------------------------------------------------------- services
step services
url=$(scripts/pg-local.sh start "$work/pg")
admin=${url%/*}/postgres
postmaster=$(head -1 "$(cat "$work/pg/datadir")/postmaster.pid")
psql -X "$admin" -Atc "SHOW server_version" >"$results/pg_version.txt"

free_port() { "$root/scripts/free-port.sh" "$1" 400; }  # below 32768: see the script
wait_listening() {
  for _ in $(seq 600); do grep -q '"msg":"[a-z-]* listening"' "$1" && return; sleep 0.1; done
  echo "a service did not start; its log:" >&2; cat "$1" >&2; exit 1
}
ingest_addr=127.0.0.1:$(free_port 29100)
report_addr=127.0.0.1:$(free_port 29600)
poll_ms=250
starts=0
start_ingest() {
  starts=$((starts + 1))
  ingest_log=$work/ingest.$starts.log
  "$build_dir/ingest-service/pledgebook-ingest" --plaintext --database-url="$url" --listen="$ingest_addr" \
    2>"$ingest_log" &
  ingest_pid=$!
  pids+=("$ingest_pid")
  wait_listening "$ingest_log"   # it has migrated the schema
}
start_report() {
  starts=$((starts + 1))
  report_log=$work/report.$starts.log
  "$build_dir/report-service/pledgebook-report" --plaintext --database-url="$url" --listen="$report_addr" \
    --watch-poll-ms="$poll_ms" 2>"$report_log" &
  report_pid=$!
  pids+=("$report_pid")
  wait_listening "$report_log"
}
# After each benchmark: a service that died is written down (it shows in
# the results) and restarted, so the benchmarks after it still run.
check_services() {  # check_services STEP
  local status
  if ! kill -0 "$ingest_pid" 2>/dev/null; then
    status=0; wait "$ingest_pid" 2>/dev/null || status=$?
    echo "$1: pledgebook-ingest died (exit status $status); its last log line: $(grep -v '"msg":"rpc"' "$ingest_log" | tail -1 | cut -c1-300)" >>"$results/incidents.txt"
    log "pledgebook-ingest died during $1 (status $status); restarting it"
    start_ingest
  fi
  if ! kill -0 "$report_pid" 2>/dev/null; then
    status=0; wait "$report_pid" 2>/dev/null || status=$?
    echo "$1: pledgebook-report died (exit status $status); its last log line: $(grep -v '"msg":"rpc"' "$report_log" | tail -1 | cut -c1-300)" >>"$results/incidents.txt"
    log "pledgebook-report died during $1 (status $status); restarting it"
    start_report
  fi
}
start_ingest
start_report
log "PostgreSQL $url (postmaster $postmaster), ingest $ingest_addr (pid $ingest_pid), report $report_addr (pid $report_pid)"

perf_start() {  # perf_start NAME PID: samples PID with call graphs until perf_stop
  ((profile)) && command -v perf >/dev/null || return 0
  perf record -g -F 499 -p "$2" -o "$work/perf-$1.data" >/dev/null 2>&1 &
  perf_pid=$!
}
perf_stop() {  # perf_stop NAME
  ((profile)) && [[ -n ${perf_pid:-} ]] || return 0
  kill -INT "$perf_pid" 2>/dev/null || true
  wait "$perf_pid" 2>/dev/null || true
  perf_pid=
  perf report -i "$work/perf-$1.data" --stdio --no-children --percent-limit 1.5 --sort symbol -g none \
    >"$results/perf-$1.txt" 2>/dev/null || true
  perf report -i "$work/perf-$1.data" --stdio --children --percent-limit 5 --sort symbol -g none \
    >"$results/perf-$1-children.txt" 2>/dev/null || true
}

sql() { psql -X -v ON_ERROR_STOP=1 "$url" -Atq "$@"; }
tables="documents ingest_requests sections initiatives money_mentions organization_mentions place_mentions date_mentions"
count_rows() {  # count_rows URL → "table count" lines
  for t in $tables; do echo "$t $(psql -X "$1" -Atc "SELECT count(*) FROM $t")"; done
}

# ---------------------------------------------------------------- 2. bulk ingest
step ingest
perf_start ingest "$ingest_pid"
"$B/ingest_client" --target="$ingest_addr" --documents="$documents" --streams="$streams" --seed=1 \
  --server_pid="$ingest_pid" --postmaster_pid="$postmaster" --out="$results/ingest.json" >/dev/null ||
  log "ingest_client reported failures (see ingest.json)"
perf_stop ingest
check_services ingest
count_rows "$url" >"$results/ingest_rows.txt"

step copy-baseline
# The same rows, dumped, then loaded with COPY into a second database with
# the same schema (migrations: same tables, same indexes), in one session.
for t in $tables; do sql -c "\\copy (SELECT * FROM $t) TO '$work/dump/$t.copy'"; done
psql -X "$admin" -qc "CREATE DATABASE pledgebook_copy"
copy_url=${url%/*}/pledgebook_copy
"$build_dir/ingest-service/pledgebook-ingest" migrate --database-url="$copy_url" >/dev/null 2>&1
{
  echo '\set ON_ERROR_STOP 1'
  echo 'SELECT pg_backend_pid() AS backend_pid \gset'
  echo 'BEGIN;'
  for t in $tables; do echo "\\copy $t FROM '$work/dump/$t.copy'"; done
  echo 'COMMIT;'
  # The backend's own CPU, read before the session ends.
  echo '\setenv BACKEND_PID :backend_pid'
  echo "\\! awk '{print \$14 + \$15}' /proc/\$BACKEND_PID/stat >'$work/dump/backend_cpu' && echo \$BACKEND_PID >'$work/dump/backend_pid'"
} >"$work/dump/load.sql"
# CPU of PostgreSQL's other processes (checkpointer, WAL writer, …), in ticks.
pg_others_cpu() {
  local s=0 skip=${1:-0}
  for c in $(cat "/proc/$postmaster/task/$postmaster/children"); do
    [[ $c == "$skip" ]] && continue
    s=$((s + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0)))
  done
  echo "$s"
}
others0=$(pg_others_cpu)
t0=$(now)
psql -X -q "$copy_url" -f "$work/dump/load.sql"
t1=$(now)
others1=$(pg_others_cpu "$(cat "$work/dump/backend_pid")")
count_rows "$copy_url" >"$results/copy_rows.txt"
pg_cpu=$(awk -v b="$(cat "$work/dump/backend_cpu")" -v o0="$others0" -v o1="$others1" -v hz="$(getconf CLK_TCK)" \
  'BEGIN {printf "%.2f", (b + o1 - o0) / hz}')
echo "{\"seconds\": $(awk "BEGIN {printf \"%.6f\", $t1 - $t0}"), \"postgres_cpu_seconds\": $pg_cpu, \"bytes\": $(cat "$work"/dump/*.copy | wc -c)}" \
  >"$results/copy.json"
psql -X "$admin" -qc "DROP DATABASE pledgebook_copy"
rm -f "$work"/dump/*.copy

# ---------------------------------------------------------------- scale up
step fill
have=$(sql -c "SELECT count(*) FROM money_mentions")
if ((have < mentions)); then
  per_doc=$(sql -c "SELECT greatest(1, count(*) / greatest(1, (SELECT count(*) FROM documents))) FROM money_mentions")
  copies=$(((mentions - have + per_doc - 1) / per_doc + 50))
  log "$have money mentions; duplicating $copies documents' rows in SQL to reach $mentions"
  sql -v copies="$copies" -f "$root/bench/duplicate_documents.sql"
  echo "$copies" >"$results/fill_copies.txt"
else
  echo 0 >"$results/fill_copies.txt"
fi
sql -c "VACUUM ANALYZE"
count_rows "$url" >"$results/final_rows.txt"

# ---------------------------------------------------------------- 3. report latency
step report
sql -c "SELECT setseed(0.42)" -c "SELECT document_id FROM documents ORDER BY random() LIMIT 5000" >"$work/ids.txt"
one_doc=(--filter='document_id = "{id}"' --ids_file="$work/ids.txt" --group_by=funder)
# Two rounds, baseline and service in turn; the table keeps the better round
# of each (the machine is shared: a burst of someone else's work hits one
# round, rarely both).
for c in 1 64; do
  for round in 1 2; do
    "$B/report_sql_baseline" --database_url="$url" --concurrency=$c --duration_seconds="$report_seconds" \
      "${one_doc[@]}" --out="$results/report_sql_c${c}_$round.json" >/dev/null || log "report_sql_baseline failed"
    [[ $c == 64 && $round == 1 ]] && perf_start report "$report_pid"
    "$B/load_generator" --target="$report_addr" --concurrency=$c --duration_seconds="$report_seconds" \
      "${one_doc[@]}" --out="$results/report_grpc_c${c}_$round.json" >/dev/null || log "load_generator failed"
    [[ $c == 64 && $round == 1 ]] && perf_stop report
    check_services "report, $c clients"
  done
done
# The whole database in one report (every money mention), one client, a few
# requests: how the SQL scales, not a latency target.
whole=(--group_by=funder --warmup_seconds=0 --max_requests=3 --duration_seconds=$((report_seconds * 2)))
"$B/report_sql_baseline" --database_url="$url" --concurrency=1 "${whole[@]}" --out="$results/report_sql_all.json" \
  >/dev/null || log "report_sql_baseline failed"
"$B/load_generator" --target="$report_addr" --concurrency=1 "${whole[@]}" --deadline_ms=120000 \
  --out="$results/report_grpc_all.json" >/dev/null || log "load_generator failed"
check_services "whole-database report"
# The cost of a call that does nearly nothing (ListExchangeRates), one
# client, over one new connection: p50 per window of 5,000 consecutive
# calls. Flat is right; a rise means each call pays for the calls before it
# on the same connection.
"$B/load_generator" --target="$report_addr" --method=exchange_rates --concurrency=1 --warmup_seconds=0 \
  --duration_seconds=$((report_seconds * 2)) --window=5000 --out="$results/report_drift.json" >/dev/null ||
  log "load_generator (drift) failed"
check_services "per-call drift"

# ---------------------------------------------------------------- 4. streaming
step stream
copy_sql="COPY (SELECT d.document_id, d.ingest_sequence, i.record, i.initiative_index FROM initiatives i JOIN documents d ON d.id = i.document_id ORDER BY d.document_id, i.initiative_index LIMIT $stream_rows) TO STDOUT"
for k in 1 2; do
  t0=$(now)
  bytes=$(psql -X "$url" -qc "$copy_sql" | wc -c)
  t1=$(now)
  echo "{\"rows\": $stream_rows, \"seconds\": $(awk "BEGIN {printf \"%.6f\", $t1 - $t0}"), \"bytes\": $bytes}" >"$results/stream_copy_$k.json"
  "$B/stream_client" --target="$report_addr" --limit="$stream_rows" --server_pid="$report_pid" \
    --out="$results/stream_grpc_$k.json" >/dev/null || log "stream_client failed"
  check_services "stream"
done

# ---------------------------------------------------------------- 5. watch delay
step watch
"$B/watch_delay" --report_target="$report_addr" --ingest_target="$ingest_addr" --seed=7 \
  --documents_per_second="$watch_rate" --duration_seconds="$watch_seconds" --poll_ms="$poll_ms" \
  --drain_seconds=60 --out="$results/watch.json" >/dev/null || log "watch_delay reported a failure (see watch.json)"
check_services watch

# ---------------------------------------------------------------- results
step results
{
  echo "nproc=$(nproc)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "mem_kb=$(awk '/MemTotal/ {print $2}' /proc/meminfo)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "kernel=$(uname -r)"
  echo "compiler=$(c++ --version | head -1)"
  echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
  echo "loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "seconds_total=$(($(date +%s) - run_start))"
  printf '%s\n' "${step_times[@]}"
} >>"$results/settings.txt"
/usr/bin/python3 "$root/bench/render_results.py" "$results" >"$results/results.md"
if [[ $readme == yes ]]; then
  /usr/bin/python3 "$root/bench/render_results.py" "$results" --readme "$root/bench/README.md"
  log "bench/README.md updated"
fi
cat "$results/results.md"
log "done in $(($(date +%s) - run_start)) s; raw results in $results"
