-- 009: merging duplicate learners. A log of each merge (who merged which record into which, and how
-- many records of each type moved), and the pairs a coordinator said are two different people, so
-- they are not listed as possible duplicates again. Both hold ids and counts only, no personal data.

CREATE TABLE learner_merges (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  survivor_id uuid NOT NULL,
  merged_id uuid NOT NULL,
  merged_by uuid REFERENCES users,
  merged_at timestamptz NOT NULL DEFAULT now(),
  -- Records moved to the survivor, and the merged learner's records the survivor already had one of,
  -- each as { "<entity type>": count }.
  moved jsonb NOT NULL,
  superseded jsonb NOT NULL
);

CREATE INDEX learner_merges_organisation ON learner_merges (organisation_id, merged_at);
-- A tutor's scope keeps the learners merged into one of theirs (src/server/db/scope.ts).
CREATE INDEX learner_merges_survivor ON learner_merges (organisation_id, survivor_id);

-- One row per pair, the smaller id first.
CREATE TABLE learner_duplicate_dismissals (
  organisation_id uuid NOT NULL REFERENCES organisations,
  first_learner_id uuid NOT NULL,
  second_learner_id uuid NOT NULL,
  dismissed_by uuid REFERENCES users,
  dismissed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, first_learner_id, second_learner_id),
  CHECK (first_learner_id < second_learner_id)
);
