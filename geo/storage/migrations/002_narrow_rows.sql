-- Version 2: the served GeoJSON moves to a table of its own, so a bbox + filter query (and its
-- count) reads narrow rows, written in spatial order, and fetches only its page's bodies; one
-- GiST index on geometry, layer and kind answers the commonest map query (bbox + kind) alone.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE feature_bodies (
    layer text NOT NULL,
    position integer NOT NULL,
    body text NOT NULL,
    PRIMARY KEY (layer, position),
    FOREIGN KEY (layer, position) REFERENCES features (layer, position) ON DELETE CASCADE
);
INSERT INTO feature_bodies (layer, position, body) SELECT layer, position, body FROM features;
ALTER TABLE features DROP COLUMN body;

CREATE INDEX features_geom_layer_kind ON features USING gist (geom, layer, kind);
