-- 007: the record of every CSV export (funder returns): who took which export, for what period, how
-- many rows, and whether equality answers (special category data) were in it. Written when the download
-- ends, so the row count is known; a download that broke off is recorded as incomplete.

CREATE TABLE exports (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  user_id uuid NOT NULL REFERENCES users,
  -- One of EXPORT_KINDS in src/domain/reports/exports.ts (learners, enrolments, attendance, outcomes, summary).
  kind text NOT NULL,
  -- Both days included; both null when the export covers all time.
  period_from date,
  period_to date,
  row_count integer NOT NULL CHECK (row_count >= 0),
  special_category_included boolean NOT NULL,
  status text NOT NULL CHECK (status IN ('completed', 'incomplete')),
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((period_from IS NULL) = (period_to IS NULL))
);

-- The organisation's recent exports, newest first.
CREATE INDEX exports_organisation_finished ON exports (organisation_id, finished_at DESC, id);
