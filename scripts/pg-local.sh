#!/usr/bin/env bash
# A throw-away local PostgreSQL 15 for the demo and the tests.
#   scripts/pg-local.sh start DIR   → starts a cluster in DIR on a free port, prints its URL
#   scripts/pg-local.sh stop DIR    → stops it
# initdb and postgres refuse to run as root, so they run as the postgres user.
set -euo pipefail
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pg-local.sh start|stop DIR}
dir=${2:?usage: pg-local.sh start|stop DIR}

as_pg() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Below 32768, with a bind test: see free-port.sh.
free_port() { "$(dirname "${BASH_SOURCE[0]}")/free-port.sh" 25330 670; }

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    # The cluster lives where the postgres user can reach; a checkout under
    # a private folder gets a link to a folder in /tmp instead.
    data="$dir/data"
    if [[ $(id -u) -eq 0 ]] && ! runuser -u postgres -- test -x "$dir"; then
      data=$(mktemp -d /tmp/pledgebook-pg.XXXXXX)/data
    fi
    if [[ -f "$dir/url" ]] && as_pg "$PGBIN/pg_ctl" -D "$(cat "$dir/datadir")" status >/dev/null 2>&1; then
      cat "$dir/url"; exit 0
    fi
    rm -rf "$data"; mkdir -p "$data"
    [[ $(id -u) -eq 0 ]] && chown -R postgres:postgres "$(dirname "$data")" "$dir"
    as_pg "$PGBIN/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    port=$(free_port)
    as_pg "$PGBIN/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    as_pg "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres pledgebook
    echo "$data" >"$dir/datadir"
    echo "postgresql://postgres@127.0.0.1:$port/pledgebook" | tee "$dir/url"
    ;;
  stop)
    [[ -f "$dir/datadir" ]] || exit 0
    as_pg "$PGBIN/pg_ctl" -D "$(cat "$dir/datadir")" -m fast -w stop >/dev/null 2>&1 || true
    rm -f "$dir/url"
    ;;
  *) echo "usage: pg-local.sh start|stop DIR" >&2; exit 2 ;;
esac
