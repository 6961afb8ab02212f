-- Pledgebook's database roles. Runs once, as a superuser, in the application
-- database, right after it is created and before any migration; the owner
-- role `pledgebook` (the migration Job's) exists already. LOGIN and passwords
-- are set where the credentials live: CloudNativePG's managed roles in
-- production, postgres-init/20-logins.sh in dev.
--
--   pledgebook         owns the schema; only the migration Job uses it
--   pledgebook_ingest  reads and writes rows, cannot change the schema
--   pledgebook_reader  NOLOGIN group that may read every Pledgebook table;
--                      migrations/0002_reader_role.sql grants it SELECT (an
--                      owner without CREATEROLE cannot create it: done here)
--   pledgebook_report  report-service's login: a member of pledgebook_reader,
--                      read-only even if it tried (works on hot standbys)

DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pledgebook_ingest') THEN
    CREATE ROLE pledgebook_ingest NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pledgebook_reader') THEN
    CREATE ROLE pledgebook_reader NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pledgebook_report') THEN
    CREATE ROLE pledgebook_report NOLOGIN;
  END IF;
END
$$;

-- report-service: what pledgebook_reader may read, and no more; a write
-- fails even if attempted.
GRANT pledgebook_reader TO pledgebook_report;
ALTER ROLE pledgebook_report SET default_transaction_read_only = on;

-- ingest-service: rows of the tables the migrations create (as `pledgebook`).
GRANT USAGE ON SCHEMA public TO pledgebook_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE pledgebook IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO pledgebook_ingest;
ALTER DEFAULT PRIVILEGES FOR ROLE pledgebook IN SCHEMA public
  GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO pledgebook_ingest;
-- …and those that exist already, if this runs on a migrated database.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO pledgebook_ingest;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO pledgebook_ingest;
