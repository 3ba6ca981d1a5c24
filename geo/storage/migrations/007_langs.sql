-- Version 7: the languages of the documents behind each feature as a filter column, so the
-- `lang` filter of geo/domain/query.py is one more condition in WHERE, as on the file store.
-- Features written before it read their languages from their bodies (none given: English).
ALTER TABLE features ADD COLUMN langs text[] NOT NULL DEFAULT '{en}';
UPDATE features f
    SET langs = ARRAY(SELECT jsonb_array_elements_text(b.body::jsonb -> 'properties' -> 'langs'))
    FROM feature_bodies b
    WHERE b.layer = f.layer AND b.position = f.position
        AND jsonb_typeof(b.body::jsonb -> 'properties' -> 'langs') = 'array'
        AND jsonb_array_length(b.body::jsonb -> 'properties' -> 'langs') > 0;
CREATE INDEX features_langs ON features USING gin (langs);
