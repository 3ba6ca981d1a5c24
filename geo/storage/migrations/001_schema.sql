-- drillmap's PostGIS schema, version 1: documents, built layers, their features and evidence.
-- Applied by `drillmap db init|migrate` (geo/storage/migrate.py), inside one transaction.
CREATE EXTENSION IF NOT EXISTS postgis;

-- One row: bumped in the same transaction as every write, so every server process sees the
-- same version (ETags, caches) and when it changed (Last-Modified).
CREATE TABLE store_state (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    token text NOT NULL DEFAULT substr(md5(random()::text || clock_timestamp()::text), 1, 8),
    version bigint NOT NULL DEFAULT 0,
    modified timestamptz NOT NULL DEFAULT now()
);
INSERT INTO store_state DEFAULT VALUES;

CREATE SEQUENCE documents_position_seq MINVALUE 0 START 0;

-- The input documents; the same text (content hash) is stored once, whoever adds it.
CREATE TABLE documents (
    id text PRIMARY KEY,
    position bigint NOT NULL UNIQUE,
    sha256 text NOT NULL UNIQUE,
    body text NOT NULL,
    title text,
    published date,
    published_year integer,
    source text,
    url text,
    pending boolean NOT NULL DEFAULT true,
    added timestamptz NOT NULL DEFAULT now()
);

-- The layers a build wrote, in build order, with their summaries (count, years, actors...).
CREATE TABLE layers (
    name text PRIMARY KEY,
    position integer NOT NULL,
    summary jsonb NOT NULL,
    property_names text[] NOT NULL
);

-- What the build recorded about each document it read (title, mentions...), in build order.
CREATE TABLE built_documents (
    id text PRIMARY KEY,
    position integer NOT NULL,
    entry jsonb NOT NULL
);

-- Every layer feature (events and places). The filter columns mirror the feature's properties
-- as geo.domain.query.matches reads them; `body` is the feature's GeoJSON as served.
CREATE TABLE features (
    layer text NOT NULL REFERENCES layers (name) ON DELETE CASCADE,
    position integer NOT NULL,
    id text NOT NULL,
    geom geometry(Geometry, 4326),
    west double precision,
    south double precision,
    east double precision,
    north double precision,
    kind text,
    years integer[] NOT NULL,
    undated boolean NOT NULL,
    actors text[] NOT NULL,
    first_day date,
    last_day date,
    place_ids text[] NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (layer, id),
    UNIQUE (layer, position)
);
CREATE INDEX features_geom ON features USING gist (geom);
CREATE INDEX features_kind ON features (layer, kind, position);
CREATE INDEX features_first_day ON features (layer, first_day);
CREATE INDEX features_years ON features USING gin (years);
CREATE INDEX features_actors ON features USING gin (actors);
CREATE INDEX features_place_ids ON features USING gin (place_ids);

-- Each evidence sentence of each feature: which features cite a document is one index lookup.
CREATE TABLE evidence (
    layer text NOT NULL,
    feature_id text NOT NULL,
    ord integer NOT NULL,
    doc_id text NOT NULL,
    start_offset integer,
    end_offset integer,
    sentence text,
    PRIMARY KEY (layer, feature_id, ord),
    FOREIGN KEY (layer, feature_id) REFERENCES features (layer, id) ON DELETE CASCADE
);
CREATE INDEX evidence_doc ON evidence (doc_id, layer);
