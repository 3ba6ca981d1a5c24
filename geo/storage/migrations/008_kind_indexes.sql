-- Version 8: one GiST index on geometry per event kind, in place of the GiST index on (geom,
-- layer, kind). The map's commonest query is a bbox and one kind; in the three-column index a
-- box of one kind still walked the index pages of every kind (1.5 ms of a 2.8 ms query at a
-- million features), in its kind's own index it reads a tenth of them. The build writes rows
-- by kind, then in Z-order (geo/storage/postgis.py), so such a query also reads few heap pages.
-- A kind added to geo/domain/kinds.py gets its index in a new migration (a test checks).
CREATE INDEX features_geom_naval_exercise ON features USING gist (geom)
    WHERE kind = 'naval_exercise';
CREATE INDEX features_geom_air_patrol ON features USING gist (geom) WHERE kind = 'air_patrol';
CREATE INDEX features_geom_naval_patrol ON features USING gist (geom)
    WHERE kind = 'naval_patrol';
CREATE INDEX features_geom_bomber_flight ON features USING gist (geom)
    WHERE kind = 'bomber_flight';
CREATE INDEX features_geom_scramble ON features USING gist (geom) WHERE kind = 'scramble';
CREATE INDEX features_geom_missile_launch ON features USING gist (geom)
    WHERE kind = 'missile_launch';
CREATE INDEX features_geom_other ON features USING gist (geom) WHERE kind = 'other';
DROP INDEX features_geom_layer_kind;
