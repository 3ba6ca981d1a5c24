-- Version 6: full-text search on PostGIS (geo/storage/postgis_search.py): every document and
-- every event's evidence sentence, as the file store's search.sqlite holds them, written with
-- the layers (by a build and by each ingest) so it follows the store's version.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_entries (
    id bigserial PRIMARY KEY,
    kind text NOT NULL,  -- document or evidence
    doc_id text NOT NULL,
    label text NOT NULL,  -- shown: the document's or the event's title
    title text NOT NULL,  -- searched: a document's title, nothing for a sentence
    body text NOT NULL,
    base integer NOT NULL,  -- where body starts in the document
    feature_id text,
    layer text,
    cjk boolean NOT NULL,  -- holds Chinese, Japanese or Korean: matched as substrings
    words tsvector NOT NULL  -- folded words with positions, made in Python (title weight A)
);
CREATE INDEX search_entries_words ON search_entries USING gin (words);
CREATE INDEX search_entries_grams ON search_entries USING gin ((title || ' ' || body) gin_trgm_ops)
    WHERE cjk;
CREATE INDEX search_entries_feature ON search_entries (layer, feature_id);
CREATE INDEX search_entries_document ON search_entries (doc_id, kind);

-- The store version the entries were written for (NULL: never; then they are rebuilt).
ALTER TABLE store_state ADD COLUMN search_version bigint;
