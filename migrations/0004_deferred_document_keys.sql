-- Bulk ingest (schema version 4): one transaction stores a batch of
-- documents, children first by COPY, and the `documents` rows last, with
-- their ingest_sequence already set under the sequence lock — so no UPDATE
-- of a row just inserted. The children's keys to `documents` are checked at
-- commit instead of row by row. ON DELETE CASCADE still acts at once
-- (referential actions are never deferred); only the existence check waits.
ALTER TABLE sections              ALTER CONSTRAINT sections_document_id_fkey              DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE initiatives           ALTER CONSTRAINT initiatives_document_id_fkey           DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE money_mentions        ALTER CONSTRAINT money_mentions_document_id_fkey        DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE organization_mentions ALTER CONSTRAINT organization_mentions_document_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE place_mentions        ALTER CONSTRAINT place_mentions_document_id_fkey        DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE date_mentions         ALTER CONSTRAINT date_mentions_document_id_fkey         DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE ingest_requests       ALTER CONSTRAINT ingest_requests_document_id_fkey       DEFERRABLE INITIALLY DEFERRED;
