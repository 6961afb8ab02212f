-- Pledgebook schema, version 1.
-- Documents are identified by the SHA-256 of their content; children are
-- keyed by (document, position) so that one ingest can write them with COPY
-- without reading generated ids back.

CREATE SEQUENCE ingest_sequence;

CREATE TABLE documents (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    document_id        text        NOT NULL UNIQUE,
    content_sha256     text        NOT NULL UNIQUE,
    title              text        NOT NULL DEFAULT '',
    publisher          text        NOT NULL DEFAULT '',
    published_date     date,
    source_uri         text        NOT NULL DEFAULT '',
    format             smallint    NOT NULL,
    parser_version     text        NOT NULL,
    normalized_text    text        NOT NULL,
    preamble           bytea,                 -- serialized pledgebook.v1.Section, no initiatives
    warnings           text[]      NOT NULL DEFAULT '{}',
    section_count      integer     NOT NULL,
    initiative_count   integer     NOT NULL,
    money_count        integer     NOT NULL,
    -- Set last in the ingest transaction, under an advisory lock, so that
    -- sequence order is commit order (WatchInitiatives relies on it).
    ingest_sequence    bigint      UNIQUE,
    created_at         timestamptz NOT NULL DEFAULT now()
);
-- ListDocuments pages newest first by ingest_sequence (its UNIQUE index).

-- Idempotency keys (AIP-155): a repeated request_id returns the earlier result.
CREATE TABLE ingest_requests (
    request_id   text        PRIMARY KEY,
    document_id  bigint      NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    created      boolean     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sections (
    document_id    bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    section_index  integer  NOT NULL,
    heading        text     NOT NULL DEFAULT '',
    intro          text     NOT NULL DEFAULT '',
    record         bytea    NOT NULL,         -- serialized pledgebook.v1.Section, no initiatives
    PRIMARY KEY (document_id, section_index)
);

CREATE TABLE initiatives (
    document_id       bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    initiative_index  integer  NOT NULL,
    section_index     integer  NOT NULL,
    kind              smallint NOT NULL,
    depth             smallint NOT NULL,
    text              text     NOT NULL,
    has_funding       boolean  NOT NULL,
    -- The whole pledgebook.v1.Initiative with its mentions: streaming reads
    -- one row per initiative instead of joining five tables.
    record            bytea    NOT NULL,
    PRIMARY KEY (document_id, initiative_index)
);

CREATE TABLE money_mentions (
    document_id       bigint        NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    mention_index     integer       NOT NULL,
    initiative_index  integer       NOT NULL,
    section_index     integer       NOT NULL,
    surface           text          NOT NULL,
    span_start        integer       NOT NULL,
    span_end          integer       NOT NULL,
    currency_code     text          NOT NULL,
    amount            numeric(38,9) NOT NULL,
    amount_high       numeric(38,9),
    qualifier         smallint      NOT NULL,
    stage             smallint      NOT NULL,
    role              smallint      NOT NULL,
    rate              smallint      NOT NULL,
    funders           text[]        NOT NULL DEFAULT '{}',  -- display names, joint funders together
    funder_countries  text[]        NOT NULL DEFAULT '{}',
    recipient         text          NOT NULL DEFAULT '',
    period_start      date,
    period_end        date,
    related_mention   integer,
    PRIMARY KEY (document_id, mention_index)
);
CREATE INDEX money_mentions_initiative_idx ON money_mentions (document_id, initiative_index);

CREATE TABLE organization_mentions (
    document_id       bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    initiative_index  integer  NOT NULL,
    ordinal           integer  NOT NULL,
    name              text     NOT NULL,
    acronym           text     NOT NULL DEFAULT '',
    country_code      text     NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, initiative_index, ordinal)
);

CREATE TABLE place_mentions (
    document_id       bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    initiative_index  integer  NOT NULL,
    ordinal           integer  NOT NULL,
    name              text     NOT NULL,
    kind              smallint NOT NULL,
    country_code      text     NOT NULL DEFAULT '',
    PRIMARY KEY (document_id, initiative_index, ordinal)
);
