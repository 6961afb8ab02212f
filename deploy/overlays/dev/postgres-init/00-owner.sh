#!/bin/sh
# Dev database bootstrap, run once by the postgres image on an empty data
# directory (/docker-entrypoint-initdb.d, in name order, as POSTGRES_USER in
# POSTGRES_DB): the schema owner that the migration Job logs in as. Production
# gets the same from CloudNativePG's bootstrap.initdb (owner + its Secret).
set -eu
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
     -v owner_password="$PLEDGEBOOK_OWNER_PASSWORD" -v dbname="$POSTGRES_DB" <<'SQL'
CREATE ROLE pledgebook LOGIN PASSWORD :'owner_password';
ALTER DATABASE :"dbname" OWNER TO pledgebook;
SQL
