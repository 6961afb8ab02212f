#!/bin/sh
# Dev database bootstrap, after 10-roles.sql (components/db-roles): lets the
# service roles log in with the passwords of their Secrets. Production:
# CloudNativePG's managed roles do this from the same kind of Secrets.
set -eu
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v ingest_password="$PLEDGEBOOK_INGEST_PASSWORD" \
     -v report_password="$PLEDGEBOOK_REPORT_PASSWORD" <<'SQL'
ALTER ROLE pledgebook_ingest LOGIN PASSWORD :'ingest_password';
ALTER ROLE pledgebook_report LOGIN PASSWORD :'report_password';
SQL
