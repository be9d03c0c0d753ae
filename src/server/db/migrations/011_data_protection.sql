-- 011: data protection. The log of learners erased (on request, or anonymised when their retention
-- period ended) and of subject access exports, the retention period a coordinator sets per funding
-- stream, and the log of retention runs. Ids, counts and dates only: no personal data.

CREATE TABLE learner_erasures (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  learner_id uuid NOT NULL,
  -- 'request': a coordinator erased them at the learner's request; 'retention': a retention run.
  reason text NOT NULL CHECK (reason IN ('request', 'retention')),
  erased_by uuid REFERENCES users,
  erased_at timestamptz NOT NULL DEFAULT now(),
  -- Records blanked, as { "<entity type>": count }, and history rows whose values were purged.
  records jsonb NOT NULL,
  history_rows_purged integer NOT NULL CHECK (history_rows_purged >= 0),
  -- Erasure is final and happens once per learner.
  UNIQUE (organisation_id, learner_id)
);

CREATE TABLE subject_access_exports (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  learner_id uuid NOT NULL,
  exported_by uuid NOT NULL REFERENCES users,
  exported_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX subject_access_exports_learner ON subject_access_exports (organisation_id, learner_id);

-- A stream with no row has the default of src/domain/retention.ts.
CREATE TABLE retention_periods (
  organisation_id uuid NOT NULL REFERENCES organisations,
  funding_stream text NOT NULL,
  years smallint NOT NULL CHECK (years BETWEEN 1 AND 50),
  updated_by uuid REFERENCES users,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, funding_stream)
);

CREATE TABLE retention_runs (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  run_by uuid REFERENCES users,
  run_at timestamptz NOT NULL DEFAULT now(),
  -- The day activity was compared with (the run's date), and how many learners were anonymised.
  as_of date NOT NULL,
  learners_anonymised integer NOT NULL CHECK (learners_anonymised >= 0)
);

CREATE INDEX retention_runs_organisation ON retention_runs (organisation_id, run_at);
