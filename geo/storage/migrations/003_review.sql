-- Version 3: each feature's review verdict (machine, confirmed, corrected, rejected) as a filter
-- column, so the `review` filter of geo/domain/query.py (rejected left out by default) is one
-- more condition in WHERE. Place features and layers built before reviews are the machine's.
ALTER TABLE features ADD COLUMN review text NOT NULL DEFAULT 'machine';
UPDATE features f SET review = b.body::jsonb -> 'properties' ->> 'review'
    FROM feature_bodies b
    WHERE b.layer = f.layer AND b.position = f.position
        AND b.body::jsonb -> 'properties' ->> 'review' IS NOT NULL;
CREATE INDEX features_review ON features (layer, review) WHERE review <> 'machine';
