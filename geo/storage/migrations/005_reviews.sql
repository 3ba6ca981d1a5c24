-- Version 5: the analysts' verdicts (geo/storage/postgis_reviews.py), kept apart from the
-- machine's output like the file store's review/ folder: the current one per event, and every
-- change ever made, oldest first.
CREATE TABLE corrections (id text PRIMARY KEY, body jsonb NOT NULL);
CREATE TABLE review_audit (seq bigserial PRIMARY KEY, entry jsonb NOT NULL);
