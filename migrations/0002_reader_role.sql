-- A group role that can read every Pledgebook table and write none:
-- report-service's database login is made a member of it (least
-- privilege; docs/security.md). NOLOGIN: nobody connects as the group
-- itself.
--
--   CREATE ROLE pledgebook_report_login LOGIN PASSWORD '…' IN ROLE pledgebook_reader;
--
-- Roles are cluster-wide: the role may exist already (another database of
-- the cluster, or a DBA made it). Creating it needs CREATEROLE; a migrating
-- owner without it leaves the creation to the DBA (a NOTICE says so) and
-- the grants below then apply only when the role exists.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pledgebook_reader') THEN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND (rolcreaterole OR rolsuper)) THEN
      BEGIN
        CREATE ROLE pledgebook_reader NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN
        NULL;  -- created concurrently by a migration of another database
      END;
    ELSE
      RAISE NOTICE 'role pledgebook_reader does not exist and % may not create roles: create it as a DBA (CREATE ROLE pledgebook_reader NOLOGIN) and rerun the grants of migrations/0002_reader_role.sql', current_user;
    END IF;
  END IF;

  IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'pledgebook_reader') THEN
    EXECUTE 'GRANT USAGE ON SCHEMA public TO pledgebook_reader';
    EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA public TO pledgebook_reader';
    -- Tables that later migrations create (as the same owner) too.
    EXECUTE 'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO pledgebook_reader';
  END IF;
END
$$;
