-- 014: each record's latest field stamp, stored. A pull sends it with every record, and working it out
-- from field_hlcs (jsonb_each_text over every field) took half of PostgreSQL's time per pulled page;
-- every device pulls every record, so it is worked out once, when the record is written, instead.
-- A generated column: no write path can forget it. Adding it rewrites `records` once.
-- Compared in "C" order: a stamp is a fixed-width ISO 8601 time, counter and node, so byte order is
-- clock order whatever the database's collation.
CREATE FUNCTION records_latest_hlc(field_hlcs jsonb) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (SELECT max(value COLLATE "C") FROM jsonb_each_text(field_hlcs));

ALTER TABLE records ADD COLUMN latest_hlc text COLLATE "C" GENERATED ALWAYS AS (records_latest_hlc(field_hlcs)) STORED;
