#!/usr/bin/env bash
# Runs a command against both real services on a fresh database:
#   tests/clients/with-services.sh BUILD_DIR PG_URL_FILE COMMAND [ARG...]
# PG_URL_FILE names the libpq URI of a running PostgreSQL (the one ctest
# starts, ${CMAKE_BINARY_DIR}/test-pg/url); "-" starts a throw-away cluster
# with scripts/pg-local.sh instead, so the client tests also run by hand.
# A database of its own is created for this run and dropped afterwards;
# pledgebook-ingest and pledgebook-report listen on ports the kernel picks
# (--listen=127.0.0.1:0, the port is read from their "listening" log line).
# COMMAND sees PLEDGEBOOK_INGEST_ADDR, PLEDGEBOOK_REPORT_ADDR,
# PLEDGEBOOK_TEST_FIXTURES and PLEDGEBOOK_DATABASE_URL; its exit status is
# this script's.
set -euo pipefail
build=$(cd "${1:?usage: with-services.sh BUILD_DIR PG_URL_FILE COMMAND...}" && pwd)
url_file=${2:?usage: with-services.sh BUILD_DIR PG_URL_FILE COMMAND...}
shift 2
root=$(cd "$(dirname "$0")/../.." && pwd)

work=$(mktemp -d /tmp/pledgebook-clients.XXXXXX)
chmod 755 "$work" # pg-local.sh runs PostgreSQL as the postgres user
pids=()
admin=""
db=pbclients_$$
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n $admin ]]; then psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; fi
  if [[ $url_file == - ]]; then "$root/scripts/pg-local.sh" stop "$work/pg" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

for bin in "$build/ingest-service/pledgebook-ingest" "$build/report-service/pledgebook-report"; do
  [[ -x $bin ]] || { echo "with-services.sh: $bin is not built" >&2; exit 1; }
done
if [[ $url_file == - ]]; then
  admin=$("$root/scripts/pg-local.sh" start "$work/pg")
else
  [[ -s $url_file ]] || { echo "with-services.sh: no PostgreSQL URL in $url_file" >&2; exit 1; }
  admin=$(cat "$url_file")
fi
psql "$admin" -qc "CREATE DATABASE $db"
url=${admin%/*}/$db

# Starts a service on a free port and prints that port.
start() {
  local bin=$1 log=$2
  # Plaintext on loopback: the clients' TLS and token paths are tested apart.
  "$bin" --plaintext --database-url="$url" --listen=127.0.0.1:0 >"$log.stdout" 2>"$log" &
  pids+=($!)
  for _ in $(seq 300); do
    local port
    port=$(sed -n 's/.*listening.*"port":"\([0-9]*\)".*/\1/p' "$log" 2>/dev/null || true)  # the log may not exist yet
    if [[ -n $port ]]; then echo "$port"; return; fi
    kill -0 "${pids[-1]}" 2>/dev/null || break
    sleep 0.1
  done
  echo "with-services.sh: $bin did not start:" >&2
  cat "$log" >&2
  exit 1
}
# Both run in this shell (not in $(…)) so that their pids are recorded.
start "$build/ingest-service/pledgebook-ingest" "$work/ingest.log" >"$work/ingest.port"
start "$build/report-service/pledgebook-report" "$work/report.log" >"$work/report.port"
export PLEDGEBOOK_INGEST_ADDR=127.0.0.1:$(cat "$work/ingest.port")
export PLEDGEBOOK_REPORT_ADDR=127.0.0.1:$(cat "$work/report.port")
export PLEDGEBOOK_TEST_FIXTURES=$root/tests/fixtures
export PLEDGEBOOK_DATABASE_URL=$url

status=0
"$@" || status=$?
if ((status != 0)); then
  echo "--- ingest-service log (tail)" >&2; tail -n 20 "$work/ingest.log" >&2
  echo "--- report-service log (tail)" >&2; tail -n 20 "$work/report.log" >&2
fi
exit "$status"
