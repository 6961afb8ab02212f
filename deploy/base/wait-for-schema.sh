#!/bin/sh
# Init container of ingest-service and report-service: holds the pod until
# the database behind PLEDGEBOOK_DATABASE_URL (the primary for ingest, a read
# replica for report, so replication lag is waited for too) has the schema
# version this release needs (PLEDGEBOOK_SCHEMA_VERSION). The migration Job
# applies it; the services never change the schema themselves
# (--migrate_on_start=false). Needs only psql and libpq's environment
# (PGUSER, PGPASSWORD, PGCONNECT_TIMEOUT). tests/replica runs this very file.
set -u
want=${PLEDGEBOOK_SCHEMA_VERSION:?PLEDGEBOOK_SCHEMA_VERSION is required}
url=${PLEDGEBOOK_DATABASE_URL:?PLEDGEBOOK_DATABASE_URL is required}
interval=${WAIT_INTERVAL_SECONDS:-2}
while :; do
  out=$(psql "$url" -X -q -t -A -v ON_ERROR_STOP=1 \
          -c 'SELECT coalesce(max(version), 0) FROM schema_migrations' 2>&1)
  case "$out" in
    '' | *[!0-9]*)
      echo "wait-for-schema: no schema yet: $(printf '%s\n' "$out" | head -n 1)" ;;
    *)
      if [ "$out" -ge "$want" ]; then
        echo "wait-for-schema: schema version $out (need $want)"
        exit 0
      fi
      echo "wait-for-schema: schema version $out, waiting for $want" ;;
  esac
  sleep "$interval"
done
