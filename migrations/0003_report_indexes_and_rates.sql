-- Report-service queries and exchange rates (schema version 3).
-- Each index serves a filter or report named in docs/filtering.md.

-- Full text over initiative text: `text:"…"` uses websearch_to_tsquery
-- against this expression index (GIN).
CREATE INDEX initiatives_text_fts_idx ON initiatives USING gin (to_tsvector('english', text));

-- `has_funding = true` without a document: a partial index keeps it small.
CREATE INDEX initiatives_funded_idx ON initiatives (document_id, initiative_index) WHERE has_funding;

-- Documents by publisher and date (filters and time buckets).
CREATE INDEX documents_publisher_idx ON documents (lower(publisher));
CREATE INDEX documents_published_date_idx ON documents (published_date);

-- `organization = "…"` (name or acronym, case-insensitive) and `organization_country`.
CREATE INDEX organization_mentions_name_idx ON organization_mentions (lower(name));
CREATE INDEX organization_mentions_acronym_idx ON organization_mentions (lower(acronym)) WHERE acronym <> '';
CREATE INDEX organization_mentions_country_idx ON organization_mentions (country_code) WHERE country_code <> '';

-- `place = "…"` by name or country code.
CREATE INDEX place_mentions_name_idx ON place_mentions (lower(name));
CREATE INDEX place_mentions_country_idx ON place_mentions (country_code) WHERE country_code <> '';

-- `amount >= "USD 1000000"` and `currency = "EUR"`: per currency, by amount.
CREATE INDEX money_mentions_currency_amount_idx ON money_mentions (currency_code, amount);
-- `funder = "…"`: array containment.
CREATE INDEX money_mentions_funders_idx ON money_mentions USING gin (funders);

-- Dates stated in the text, for `mention_date` filters and stated-period
-- time buckets. Filled by ingest for documents stored from now on.
CREATE TABLE date_mentions (
    document_id       bigint   NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    initiative_index  integer  NOT NULL,
    ordinal           integer  NOT NULL,
    start_date        date     NOT NULL,
    end_date          date     NOT NULL,
    kind              smallint NOT NULL,
    PRIMARY KEY (document_id, initiative_index, ordinal)
);
CREATE INDEX date_mentions_range_idx ON date_mentions (start_date, end_date);

-- Exchange rates loaded by an operator (AdminService.LoadExchangeRates).
-- One unit of from_currency is worth `rate` units of to_currency from
-- rate_date on.
CREATE TABLE exchange_rates (
    from_currency  text          NOT NULL,
    to_currency    text          NOT NULL,
    rate_date      date          NOT NULL,
    rate           numeric(24,12) NOT NULL CHECK (rate > 0),
    source         text          NOT NULL DEFAULT '',
    loaded_at      timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (from_currency, to_currency, rate_date)
);
