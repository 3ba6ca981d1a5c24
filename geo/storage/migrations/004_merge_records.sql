-- Version 4: the merge records an ingest folds a new document into (geo/build/records.py), so
-- adding a document extracts it alone and rewrites only the features it touches, in one
-- transaction (geo/storage/postgis_records.py). A store built before this has no records
-- (records_token NULL): its next ingest rebuilds once and writes them.
ALTER TABLE store_state ADD COLUMN records_token text;

-- Each record (an event's merged fields, a place's first sentences...), replaced whole.
CREATE TABLE merge_records (owner text PRIMARY KEY, body text NOT NULL);
-- Every evidence entry of every record, in order: a feature carries only the first few.
CREATE TABLE merge_evidence (
    owner text NOT NULL,
    position integer NOT NULL,
    doc_id text NOT NULL,
    entry text NOT NULL,
    PRIMARY KEY (owner, position)
);
CREATE INDEX merge_evidence_doc ON merge_evidence (doc_id);
-- Which record a feature's evidence belongs to (a place's features in two layers share one).
CREATE TABLE merge_owners (fid text PRIMARY KEY, owner text NOT NULL);
CREATE INDEX merge_owners_owner ON merge_owners (owner);
-- An ingest appends its documents after the last one built (one index read, not a scan).
CREATE UNIQUE INDEX built_documents_position ON built_documents (position);
-- Each event held at each place (a place record keeps only their counts): [fid, year, actors].
CREATE TABLE merge_members (
    place_id text NOT NULL,
    owner text NOT NULL,
    fid text COLLATE "C" NOT NULL,  -- listed in Python's order (code points)
    body text NOT NULL,
    PRIMARY KEY (place_id, owner)
);
CREATE INDEX merge_members_by_id ON merge_members (place_id, fid);
-- Each document's place mentions (its page highlights them), kept out of the index.
CREATE TABLE merge_mentions (doc_id text PRIMARY KEY, body text NOT NULL);
-- What each layer's summary is made of, counted up and down as features come and go, so an
-- ingest redraws a summary from a few indexed rows instead of a pass over the layer.
CREATE TABLE layer_facets (
    layer text NOT NULL,
    facet text NOT NULL,
    value text NOT NULL,
    number double precision,
    n bigint NOT NULL,
    PRIMARY KEY (layer, facet, value)
);
CREATE INDEX layer_facets_number ON layer_facets (layer, facet, number);

-- A feature's place in its layer's order (geo.domain.features.feature_order, as text that
-- sorts the same byte by byte), so an ingest finds where a new feature goes; positions leave
-- gaps between features for it, and may be renumbered (ON UPDATE CASCADE).
ALTER TABLE features ADD COLUMN order_key text COLLATE "C";
CREATE INDEX features_order ON features (layer, order_key);
ALTER TABLE feature_bodies DROP CONSTRAINT feature_bodies_layer_position_fkey;
ALTER TABLE features ALTER COLUMN position TYPE bigint;
ALTER TABLE feature_bodies ALTER COLUMN position TYPE bigint;
ALTER TABLE feature_bodies ADD CONSTRAINT feature_bodies_layer_position_fkey
    FOREIGN KEY (layer, position) REFERENCES features (layer, position)
    ON DELETE CASCADE ON UPDATE CASCADE;
