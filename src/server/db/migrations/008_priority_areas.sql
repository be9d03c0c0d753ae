-- 008: priority areas. Each organisation's rule (postcode districts and sectors it lists, the deprivation
-- decile threshold, and the postcodes it imported with their area and decile), and each learner's
-- priority-area flag, decided once when the server first has the learner's postcode and then kept.

-- One row per organisation that has set a rule. `areas` is a JSON array of normalised districts and
-- sectors ("L20", "L20 3"). Deciles 1..decile_threshold of the imported postcodes count as priority.
CREATE TABLE priority_area_rules (
  organisation_id uuid PRIMARY KEY REFERENCES organisations,
  areas jsonb NOT NULL DEFAULT '[]',
  decile_threshold smallint NOT NULL DEFAULT 2 CHECK (decile_threshold BETWEEN 1 AND 10),
  -- The English Indices of Deprivation edition the imported deciles come from.
  imd_edition smallint CHECK (imd_edition IN (2019, 2025)),
  -- When and by whom the areas and threshold were last saved (null until they are).
  updated_at timestamptz,
  updated_by uuid REFERENCES users,
  postcodes_imported_at timestamptz,
  postcodes_imported_by uuid REFERENCES users
);

-- The imported postcodes, replaced as a whole on each import. Postcodes are stored normalised
-- (upper case, no spaces), as src/domain/postcode.ts makes them.
CREATE TABLE priority_area_postcodes (
  organisation_id uuid NOT NULL REFERENCES organisations,
  postcode text NOT NULL,
  area_name text NOT NULL,
  decile smallint NOT NULL CHECK (decile BETWEEN 1 AND 10),
  PRIMARY KEY (organisation_id, postcode)
);

-- A learner with no row is "not known". Only the priority-areas store writes here; the dashboard reads it.
CREATE TABLE learner_priority_areas (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  in_priority_area boolean NOT NULL,
  area_name text,            -- the listed district/sector or the imported area that decided it; null when not in one
  decile smallint,           -- deprivation decile from the imported CSV, when that decided it
  decided_at timestamptz NOT NULL DEFAULT now(),
  -- The deprivation edition of the decile, when an imported decile decided it.
  imd_edition smallint,
  PRIMARY KEY (organisation_id, learner_id)
);
