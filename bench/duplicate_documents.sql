-- bench/run.sh: scale the database up without re-parsing. Adds :copies
-- documents, each a copy of an already ingested one (taken in turn), with
-- every child row (sections, initiatives, mentions) under the new document.
-- A copy gets a new id, document_id and content hash (derived from the
-- original's and the copy number), a new ingest_sequence and the source URI
-- bench-duplicate://K/ORIGINAL_ID; everything else is the original's.
-- Child tables are copied column by column as the catalog lists them, so a
-- later migration's columns come along.
--
--   psql -v copies=43000 -f bench/duplicate_documents.sql
\set ON_ERROR_STOP 1
BEGIN;
CREATE TEMP TABLE dup_settings ON COMMIT DROP AS SELECT :copies::bigint AS copies;
CREATE TEMP TABLE dup_original ON COMMIT DROP AS
  SELECT id, row_number() OVER (ORDER BY id) - 1 AS rn FROM documents
  WHERE source_uri NOT LIKE 'bench-duplicate://%';
CREATE TEMP TABLE dup_map ON COMMIT DROP AS
  SELECT o.id AS old_id, nextval(pg_get_serial_sequence('documents', 'id')) AS new_id, s.k
  FROM generate_series(0, (SELECT copies FROM dup_settings) - 1) AS s(k)
  JOIN dup_original o ON o.rn = s.k % (SELECT count(*) FROM dup_original)
  ORDER BY s.k;
CREATE INDEX ON dup_map (old_id);
ANALYZE dup_map;

DO $$
DECLARE
  special CONSTANT text[] := ARRAY['id', 'document_id', 'content_sha256', 'source_uri', 'ingest_sequence', 'created_at'];
  cols text;
  t text;
BEGIN
  SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
  FROM information_schema.columns
  WHERE table_schema = 'public' AND table_name = 'documents' AND column_name <> ALL (special)
    AND is_generated = 'NEVER';
  EXECUTE format(
    'INSERT INTO documents (id, document_id, content_sha256, source_uri, ingest_sequence, created_at, %1$s)'
    ' OVERRIDING SYSTEM VALUE'
    ' SELECT m.new_id, left(md5(''dup:'' || m.k || '':'' || d.document_id), 32),'
    '  encode(sha256(convert_to(''dup:'' || m.k || '':'' || d.content_sha256, ''UTF8'')), ''hex''),'
    '  ''bench-duplicate://'' || m.k || ''/'' || d.document_id, nextval(''ingest_sequence''), now(), %2$s'
    ' FROM dup_map m JOIN documents d ON d.id = m.old_id ORDER BY m.new_id',
    cols, (SELECT string_agg('d.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c));

  FOR t IN
    SELECT DISTINCT c.table_name FROM information_schema.columns c
    JOIN information_schema.tables tb ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name
    WHERE c.table_schema = 'public' AND c.column_name = 'document_id' AND tb.table_type = 'BASE TABLE'
      AND c.table_name NOT IN ('documents', 'ingest_requests')
  LOOP
    SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position) INTO cols
    FROM information_schema.columns
    WHERE table_schema = 'public' AND table_name = t AND column_name <> 'document_id' AND is_generated = 'NEVER';
    EXECUTE format('INSERT INTO %1$I (document_id, %2$s) SELECT m.new_id, %3$s FROM dup_map m JOIN %1$I x'
                   ' ON x.document_id = m.old_id',
                   t, cols, (SELECT string_agg('x.' || c, ', ') FROM unnest(string_to_array(cols, ', ')) c));
  END LOOP;
END
$$;
COMMIT;
