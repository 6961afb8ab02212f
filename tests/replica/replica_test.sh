#!/usr/bin/env bash
# Reads on a hot standby, on this machine: what production does with
# CloudNativePG (ingest-service → primary, report-service → a replica),
# without a cluster.
#
#   replica_test.sh BUILD_DIR WORK_DIR
#
# A PostgreSQL 15 primary and a hot standby cloned from it with
# `pg_basebackup -R`; the roles made by the same scripts the dev overlay's
# PostgreSQL runs (deploy/overlays/dev/postgres-init, components/db-roles);
# the schema applied by `pledgebook-ingest migrate` as the migration Job does,
# with deploy/base/wait-for-schema.sh (the init containers' script) holding
# before and releasing after; both services started with the dev overlay's
# container arguments. Then: the CLI ingests the fixture on the primary; the
# funding report and the stream come from the standby; a WatchInitiatives
# stream open on the standby-backed report-service sees a second document
# ingested on the primary; and report-service never tried to write.
set -euo pipefail
build=$(cd "${1:?usage: replica_test.sh BUILD_DIR WORK_DIR}" && pwd)
work=${2:?usage: replica_test.sh BUILD_DIR WORK_DIR}
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
KUBECTL=${KUBECTL:-kubectl}
PY=/usr/bin/python3
started=$SECONDS

step() { printf '\n== [%3ss] %s\n' $((SECONDS - started)) "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

rm -rf "$work"; mkdir -p "$work"; work=$(cd "$work" && pwd)
# PostgreSQL refuses to run as root, and the postgres user must reach its
# data; a checkout in a private folder gets a data folder in /tmp instead.
data=$work/data
if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$work"; then
  data=$(mktemp -d /tmp/pledgebook-replica.XXXXXX)
fi
mkdir -p "$data"
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$data" "$work"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in standby primary; do
    [[ -d $data/$d ]] && as_pg "$PGBIN/pg_ctl" -D "$data/$d" -m immediate -w stop >/dev/null 2>&1 || true
  done
  rm -rf "$data"
  echo "logs in $work"
}
trap cleanup EXIT

taken=()
# Below 32768, with a bind test: see scripts/free-port.sh.
free_port() {
  local p
  p=$("$repo/scripts/free-port.sh" "$1" 500 "${taken[@]}") || fail "no free port from $1"
  taken+=("$p")
  echo "$p"
}
psql_at() { local port=$1 user=$2; shift 2; psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$user" "$@"; }

# ---------------------------------------------------------------- tools
for f in "$build/ingest-service/pledgebook-ingest" "$build/report-service/pledgebook-report" "$build/cli/pledgebook" \
         "$PGBIN/initdb" "$PGBIN/pg_basebackup" /usr/bin/grpc_python_plugin; do
  [[ -x $f ]] || fail "$f is missing (build the binaries; scripts/install-deps.sh)"
done
"$PY" -c 'import grpc, yaml' || fail "Debian's python3-grpcio and python3-yaml are needed"

step "gRPC stubs for the watcher (protoc)"
gen=$work/gen
# grpc.health.v1, under a folder of its own: Python's `grpc` package owns grpc/.
mkdir -p "$gen/health_probe"
cat >"$gen/health_probe/health.proto" <<'EOF'
syntax = "proto3";
package grpc.health.v1;
message HealthCheckRequest { string service = 1; }
message HealthCheckResponse {
  enum ServingStatus { UNKNOWN = 0; SERVING = 1; NOT_SERVING = 2; SERVICE_UNKNOWN = 3; }
  ServingStatus status = 1;
}
service Health {
  rpc Check(HealthCheckRequest) returns (HealthCheckResponse);
  rpc Watch(HealthCheckRequest) returns (stream HealthCheckResponse);
}
EOF
(cd "$repo" && protoc -I proto -I third_party/googleapis -I "$gen" --python_out="$gen" --grpc_out="$gen" \
  --plugin=protoc-gen-grpc=/usr/bin/grpc_python_plugin \
  proto/pledgebook/v1/*.proto third_party/googleapis/google/type/*.proto third_party/googleapis/google/rpc/*.proto \
  "$gen/health_probe/health.proto")
client() { "$PY" "$here/grpc_client.py" "$gen" "$@"; }

step "the dev overlay's container arguments (kubectl kustomize deploy/overlays/dev)"
"$KUBECTL" kustomize "$repo/deploy/overlays/dev" >"$work/dev.yaml"
container_args() {  # DEPLOYMENT → its main container's args, one per line
  "$PY" - "$work/dev.yaml" "$1" <<'EOF'
import sys, yaml
for o in yaml.safe_load_all(open(sys.argv[1])):
    if o and o["kind"] == "Deployment" and o["metadata"]["name"] == sys.argv[2]:
        print("\n".join(o["spec"]["template"]["spec"]["containers"][0].get("args", [])))
EOF
}
mapfile -t ingest_args < <(container_args pledgebook-ingest)
mapfile -t report_args < <(container_args pledgebook-report)
echo "ingest: ${ingest_args[*]}"
echo "report: ${report_args[*]}"
[[ " ${ingest_args[*]} " == *" --migrate_on_start=false "* ]] || fail "ingest does not leave migrations to the Job"
schema_version=$(sed -n 's/^PLEDGEBOOK_SCHEMA_VERSION=//p' "$repo/deploy/base/settings.env")
[[ $schema_version =~ ^[0-9]+$ ]] || fail "no PLEDGEBOOK_SCHEMA_VERSION in deploy/base/settings.env"

# ---------------------------------------------------------------- primary
step "primary: initdb and start"
P=$(free_port 30400)
as_pg "$PGBIN/initdb" -D "$data/primary" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$work/initdb.log"
as_pg "$PGBIN/pg_ctl" -D "$data/primary" -l "$work/primary.log" -w -t 60 -o \
  "-p $P -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c wal_level=replica -c max_wal_senders=5 -c log_line_prefix='%m [%p] %u@%d %a: '" \
  start >/dev/null

step "roles, as the dev overlay's PostgreSQL makes them (00-owner.sh, roles.sql, 20-logins.sh)"
psql_at "$P" postgres -d postgres -c "CREATE DATABASE pledgebook"
init_env=(env PGHOST=127.0.0.1 PGPORT="$P" POSTGRES_USER=postgres POSTGRES_DB=pledgebook
          PLEDGEBOOK_OWNER_PASSWORD=o PLEDGEBOOK_INGEST_PASSWORD=i PLEDGEBOOK_REPORT_PASSWORD=r)
"${init_env[@]}" sh "$repo/deploy/overlays/dev/postgres-init/00-owner.sh"
"${init_env[@]}" psql -X -v ON_ERROR_STOP=1 -q --username postgres --dbname pledgebook \
  -f "$repo/deploy/components/db-roles/roles.sql"
"${init_env[@]}" sh "$repo/deploy/overlays/dev/postgres-init/20-logins.sh"

# ---------------------------------------------------------------- standby
step "standby: pg_basebackup -R from the primary, start as a hot standby"
S=$(free_port 30500)
as_pg "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$P" -U postgres -D "$data/standby" -R -X stream -c fast
# log_statement=mod logs every statement that would change data: on a
# standby, nothing should ever try.
as_pg "$PGBIN/pg_ctl" -D "$data/standby" -l "$work/standby.log" -w -t 60 -o \
  "-p $S -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c hot_standby=on -c hot_standby_feedback=on -c log_statement=mod -c log_line_prefix='%m [%p] %u@%d %a: '" \
  start >/dev/null
test "$(psql_at "$S" postgres -d pledgebook -tAc 'SELECT pg_is_in_recovery()')" = t || fail "the standby is not in recovery"
echo "primary on $P, hot standby on $S"

primary_url="postgresql://127.0.0.1:$P/pledgebook?sslmode=disable"
standby_url="postgresql://127.0.0.1:$S/pledgebook?sslmode=disable"

# Caught up: the standby has replayed everything the primary wrote so far.
caught_up() {
  local lsn
  lsn=$(psql_at "$P" postgres -d postgres -tAc 'SELECT pg_current_wal_lsn()')
  for _ in $(seq 200); do
    [[ $(psql_at "$S" postgres -d postgres -tAc "SELECT pg_last_wal_replay_lsn() >= '$lsn'") == t ]] && return
    sleep 0.05
  done
  fail "the standby did not replay up to $lsn"
}

# ---------------------------------------------------------------- migration
step "before the migration Job: wait-for-schema (report's init container) keeps waiting"
wait_schema() {  # URL USER SECONDS
  env PLEDGEBOOK_DATABASE_URL="$1" PGUSER="$2" PLEDGEBOOK_SCHEMA_VERSION="$schema_version" WAIT_INTERVAL_SECONDS=0.5 \
      PGCONNECT_TIMEOUT=5 timeout "$3" sh "$repo/deploy/base/wait-for-schema.sh"
}
rc=0; wait_schema "$standby_url" pledgebook_report 3 >"$work/wait-before.log" 2>&1 || rc=$?
tail -n 2 "$work/wait-before.log"
[[ $rc -eq 124 ]] || fail "wait-for-schema did not wait for a missing schema (exit $rc)"
grep -q "no schema yet" "$work/wait-before.log" || fail "wait-for-schema did not say why it waits"

step "the migration Job: pledgebook-ingest migrate, as the owner, on the primary"
env PLEDGEBOOK_DATABASE_URL="$primary_url" PGUSER=pledgebook PGAPPNAME=pledgebook-migrate \
  "$build/ingest-service/pledgebook-ingest" migrate 2>&1 | tee "$work/migrate.log"
grep -q '"schema up to date"' "$work/migrate.log" || fail "migrate did not finish"
applied=$(sed -n 's/.*"schema up to date","version":"\([0-9]*\)".*/\1/p' "$work/migrate.log")
[[ $applied == "$schema_version" ]] ||
  fail "the binary migrates to schema version $applied, deploy/base/settings.env waits for $schema_version"

step "after it: wait-for-schema is released by the standby, for both service roles"
wait_schema "$standby_url" pledgebook_report 30 >"$work/wait-after-report.log" 2>&1 ||
  fail "wait-for-schema on the standby was not released: $(tail -n 1 "$work/wait-after-report.log")"
wait_schema "$primary_url" pledgebook_ingest 30 >"$work/wait-after-ingest.log" 2>&1 ||
  fail "wait-for-schema on the primary was not released: $(tail -n 1 "$work/wait-after-ingest.log")"
tail -qn 1 "$work/wait-after-report.log" "$work/wait-after-ingest.log"

step "least privilege: ingest cannot change the schema, report cannot write even on the primary"
if psql_at "$P" pledgebook_ingest -d pledgebook -c 'CREATE TABLE intruder (x int)' 2>"$work/deny1.log"; then
  fail "pledgebook_ingest could create a table"
fi
grep -q "permission denied" "$work/deny1.log" || fail "unexpected error: $(cat "$work/deny1.log")"
if psql_at "$P" pledgebook_report -d pledgebook -c "DELETE FROM schema_migrations" 2>"$work/deny2.log"; then
  fail "pledgebook_report could delete on the primary"
fi
grep -q "read-only transaction" "$work/deny2.log" || fail "unexpected error: $(cat "$work/deny2.log")"
echo "both refused"

# ---------------------------------------------------------------- services
# The services listen on ports the kernel picks (port 0); the port is read
# from their "listening" log line.
listening_port() {  # LOG PID
  local port
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening.*"port":"\([0-9]*\)".*/\1/p' "$1")
    [[ -n $port ]] && { echo "$port"; return; }
    kill -0 "$2" 2>/dev/null || break
    sleep 0.1
  done
  cat "$1" >&2; fail "$(basename "$1" .log) did not start"
}
step "ingest-service on the primary, report-service on the standby (dev overlay arguments)"
env PLEDGEBOOK_DATABASE_URL="$primary_url" PGUSER=pledgebook_ingest PGAPPNAME=pledgebook-ingest PLEDGEBOOK_LISTEN=127.0.0.1:0 \
  "$build/ingest-service/pledgebook-ingest" "${ingest_args[@]}" 2>"$work/ingest.log" &
ingest_pid=$!; pids+=("$ingest_pid")
env PLEDGEBOOK_DATABASE_URL="$standby_url" PGUSER=pledgebook_report PGAPPNAME=pledgebook-report PLEDGEBOOK_LISTEN=127.0.0.1:0 \
  "$build/report-service/pledgebook-report" "${report_args[@]}" 2>"$work/report.log" &
report_pid=$!; pids+=("$report_pid")
I=$(listening_port "$work/ingest.log" "$ingest_pid")
R=$(listening_port "$work/report.log" "$report_pid")
echo "ingest-service on $I, report-service on $R"

step "health, as the kubelet's gRPC probes ask it"
client health "127.0.0.1:$I" "" pledgebook.v1.IngestService
client health "127.0.0.1:$R" "" pledgebook.v1.ReportService

export PLEDGEBOOK_INGEST_ADDR=127.0.0.1:$I PLEDGEBOOK_REPORT_ADDR=127.0.0.1:$R
cli=$build/cli/pledgebook

step "ingest the fixture through the CLI (→ primary)"
$cli ingest "$repo/tests/fixtures/hled-2022-factsheet.txt" | tee "$work/ingest1.out"
grep -q "created documents/" "$work/ingest1.out" || fail "the fixture was not created"
caught_up

step "the funding report, from the standby"
$cli report --group-by=section | tee "$work/report.out"
grep -Eq "Grand total .*USD 5,374,038,000" "$work/report.out" || fail "wrong grand total on the standby"

step "the initiative stream, from the standby"
lines=$($cli stream | tee "$work/stream.out" | wc -l)
echo "$lines initiatives"
[[ $lines -eq 20 ]] || fail "stream returned $lines lines, not 20"

step "WatchInitiatives on the standby sees a document ingested on the primary"
client watch "127.0.0.1:$R" 2 30 >"$work/watch.out" 2>"$work/watch.err" &
watch_pid=$!; pids+=("$watch_pid")
for _ in $(seq 200); do grep -q WATCHING "$work/watch.out" && break; sleep 0.05; done
grep -q WATCHING "$work/watch.out" || { cat "$work/watch.err" >&2; fail "the watch did not open"; }
$cli ingest "$here/second-document.txt" | tee "$work/ingest2.out"
doc2=$(sed -n 's|.*created documents/\([0-9a-f]*\).*|\1|p' "$work/ingest2.out")
[[ -n $doc2 ]] || fail "the second document was not created"
wait "$watch_pid" || { cat "$work/watch.err" >&2; fail "the watch did not see the second document"; }
cat "$work/watch.out"
"$PY" - "$work/watch.out" "$doc2" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
assert len(rows) == 2, rows
assert all(r["document_id"] == sys.argv[2] for r in rows), rows
assert "$12 million" in rows[0]["text"] and "$3 million" in rows[1]["text"], rows
assert rows[0]["cursor"] and rows[1]["cursor"] != rows[0]["cursor"], rows
print("the watch saw both initiatives of documents/" + sys.argv[2])
EOF

step "report-service read from the standby only, and never tried to write"
standby_conns=$(psql_at "$S" postgres -d postgres -tAc \
  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pledgebook-report' AND usename = 'pledgebook_report'")
primary_conns=$(psql_at "$P" postgres -d postgres -tAc \
  "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pledgebook-report'")
echo "report-service connections: $standby_conns on the standby, $primary_conns on the primary"
[[ $standby_conns -gt 0 ]] || fail "report-service has no connection to the standby"
[[ $primary_conns -eq 0 ]] || fail "report-service is connected to the primary"
writes() { grep -cE "read-only transaction|recovery is in progress|LOG:  statement:" "$work/standby.log" || true; }
[[ $(writes) -eq 0 ]] || { grep -E "read-only transaction|recovery is in progress|statement:" "$work/standby.log" >&2; fail "a write was attempted on the standby"; }
echo "standby log: no write attempted"
# …and that check can fail: a write attempt shows up in the same log.
psql_at "$S" pledgebook_report -d pledgebook -c "INSERT INTO schema_migrations VALUES (999, 'x')" 2>/dev/null \
  && fail "the standby accepted a write"
sleep 0.2
[[ $(writes) -gt 0 ]] || fail "a deliberate write on the standby left no trace in its log: the check above proves nothing"
echo "(a deliberate write attempt is detected: $(writes) log lines)"

step "graceful shutdown on SIGTERM, as Kubernetes stops a pod"
for pid in "$ingest_pid" "$report_pid"; do
  kill -TERM "$pid"
  t0=$SECONDS
  rc=0; wait "$pid" || rc=$?
  [[ $rc -eq 0 ]] || fail "a service exited with $rc on SIGTERM"
  (( SECONDS - t0 <= 25 )) || fail "a service took $((SECONDS - t0)) s to stop"
done
grep -q '"shutting down"' "$work/ingest.log" && grep -q '"shutting down"' "$work/report.log" \
  || fail "the services did not log their shutdown"
pids=()

step "replica test: ok ($((SECONDS - started)) s)"
