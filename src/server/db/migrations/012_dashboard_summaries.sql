-- 012: the dashboard's summaries (src/server/db/dashboardSummaries.ts). Counting a million marks and a
-- hundred thousand learners out of `records` jsonb takes seconds, so the dashboard reads narrow tables
-- derived from `records` per learner and per session instead.
--
-- Kept current on write, and brought up to date before each dashboard read: every statement that
-- writes `records` marks the learners and sessions it touched as stale (a trigger, so no write path can
-- forget it) and deletes what is derived from those learners at once, so nothing derived outlives its
-- source (an erasure leaves no copy of an ethnicity or a date of birth behind here). The next dashboard
-- read rebuilds the stale ones from `records`. Nothing here is a source of truth: every row can be
-- rebuilt from `records`.

-- What a statement touched and no dashboard read has rebuilt since. kind: 'learner' or 'session'.
CREATE TABLE dashboard_stale (
  organisation_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('learner', 'session')),
  id text NOT NULL,
  PRIMARY KEY (organisation_id, kind, id)
);

-- One row per counted learner (not deleted, not merged): what the breakdowns by person need. An erased
-- learner counts with no date of birth; equality answers from their latest equality record.
CREATE TABLE dashboard_learners (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  date_of_birth text COLLATE "C",
  sex text,
  ethnicity text,
  lldd text,
  PRIMARY KEY (organisation_id, learner_id)
);

-- Counted learners' enrolments with a start date: who was supported in a period. A learner is
-- described as on the start of their first enrolment overlapping the period, so each enrolment carries
-- the learner as on its start date: age, employment status and benefits (no employment record:
-- has_employment false), equality answers, and when the learner first started anything.
CREATE TABLE dashboard_enrolments (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  enrolment_id uuid NOT NULL,
  start_date text COLLATE "C" NOT NULL,
  end_date text COLLATE "C",
  first_start text COLLATE "C" NOT NULL,
  age integer,
  sex text,
  ethnicity text,
  lldd text,
  has_employment boolean NOT NULL,
  employment text,
  benefits text[] NOT NULL,
  PRIMARY KEY (organisation_id, learner_id, enrolment_id)
);

-- Counted learners' employment statuses, each with the days it answers for: the status that applied
-- on a day is the latest on or before it (ties to the greatest id), and before the first one, the
-- first one. applies_from '' and applies_until '~' are open ends ('' < any date < '~' in "C").
CREATE TABLE dashboard_employment (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  record_id uuid NOT NULL,
  applies_from text COLLATE "C" NOT NULL,
  applies_until text COLLATE "C" NOT NULL,
  status text,
  benefits text[] NOT NULL,
  PRIMARY KEY (organisation_id, learner_id, record_id)
);

-- Counted learners' passport awards and outcomes.
CREATE TABLE dashboard_passports (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  award_id uuid NOT NULL,
  level text,
  awarded_on text COLLATE "C",
  PRIMARY KEY (organisation_id, learner_id, award_id)
);

CREATE TABLE dashboard_outcomes (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  outcome_id uuid NOT NULL,
  code text,
  collected_on text COLLATE "C",
  PRIMARY KEY (organisation_id, learner_id, outcome_id)
);

-- The days each counted learner attended each venue, programme and tutor (kind), for counting the
-- learners a place reached in a period: first and last day answer most periods without the list.
CREATE TABLE dashboard_learner_places (
  organisation_id uuid NOT NULL,
  learner_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('venue', 'programme', 'tutor')),
  place text,
  first_day text COLLATE "C" NOT NULL,
  last_day text COLLATE "C" NOT NULL,
  days text[] COLLATE "C" NOT NULL
);
CREATE INDEX dashboard_learner_places_learner ON dashboard_learner_places (organisation_id, learner_id);

-- One row per session that is not deleted or cancelled: where and when, and counted learners'
-- attended marks and minutes there.
CREATE TABLE dashboard_sessions (
  organisation_id uuid NOT NULL,
  session_id uuid NOT NULL,
  day text COLLATE "C",
  venue_id text,
  programme_id text,
  tutor_names text[] NOT NULL,
  attended_marks integer NOT NULL,
  attended_minutes numeric NOT NULL,
  PRIMARY KEY (organisation_id, session_id)
);
CREATE INDEX dashboard_sessions_day ON dashboard_sessions (organisation_id, day);

-- Counted learners' marks per session and mark, with their minutes.
CREATE TABLE dashboard_session_marks (
  organisation_id uuid NOT NULL,
  session_id uuid NOT NULL,
  day text COLLATE "C",
  mark text,
  marks integer NOT NULL,
  minutes numeric NOT NULL
);
CREATE INDEX dashboard_session_marks_session ON dashboard_session_marks (organisation_id, session_id);

-- The learners and sessions the changed rows (old and new) name, as stale; and what is derived from
-- those learners, gone at once. The rows come as parallel arrays of their columns.
CREATE FUNCTION dashboard_mark_stale(
  organisation_ids uuid[], entity_types text[], entity_ids uuid[], learner_ids text[], session_ids text[]
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  learner_organisations uuid[];
  learners uuid[];
  summary text;
BEGIN
  WITH touched AS (
    SELECT DISTINCT r.organisation_id, k.kind, k.id
    FROM unnest(organisation_ids, entity_types, entity_ids, learner_ids, session_ids)
           AS r(organisation_id, entity_type, entity_id, learner_id, session_id)
    CROSS JOIN LATERAL (VALUES
      ('learner', CASE WHEN r.entity_type = 'learner' THEN r.entity_id::text ELSE r.learner_id END),
      ('session', CASE WHEN r.entity_type = 'session' THEN r.entity_id::text ELSE r.session_id END)
    ) AS k(kind, id)
    WHERE k.id IS NOT NULL
  ),
  marked AS (
    INSERT INTO dashboard_stale (organisation_id, kind, id)
    SELECT organisation_id, kind, id FROM touched
    ON CONFLICT DO NOTHING
  )
  SELECT array_agg(organisation_id), array_agg(id::uuid) INTO learner_organisations, learners
  FROM touched
  WHERE kind = 'learner' AND id ~ '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
  IF learners IS NULL THEN
    RETURN;
  END IF;
  FOREACH summary IN ARRAY ARRAY['dashboard_learners', 'dashboard_enrolments', 'dashboard_employment',
                                 'dashboard_learner_places', 'dashboard_passports', 'dashboard_outcomes'] LOOP
    EXECUTE format(
      'DELETE FROM %I AS d USING unnest($1::uuid[], $2::uuid[]) AS l(organisation_id, learner_id)
       WHERE d.organisation_id = l.organisation_id AND d.learner_id = l.learner_id', summary)
    USING learner_organisations, learners;
  END LOOP;
END $$;

-- Statement-level, with transition tables. PostgreSQL allows a transition table only on a single-event
-- trigger, so each trigger names its rows changed_rows: the new ones of an insert, the old ones of a
-- delete, and both of an update (two triggers). Only the types the summaries are made from; only
-- learnerId and sessionId of their data.
CREATE FUNCTION dashboard_records_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM dashboard_mark_stale(array_agg(organisation_id), array_agg(entity_type), array_agg(entity_id),
                               array_agg(data->>'learnerId'), array_agg(data->>'sessionId'))
  FROM changed_rows
  WHERE entity_type IN ('learner', 'session', 'attendance', 'enrolment', 'equalityMonitoring', 'employmentStatus',
                        'passportAward', 'outcome');
  RETURN NULL;
END $$;

CREATE TRIGGER records_dashboard_inserted AFTER INSERT ON records
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_records_changed();
CREATE TRIGGER records_dashboard_updated_to AFTER UPDATE ON records
  REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_records_changed();
CREATE TRIGGER records_dashboard_updated_from AFTER UPDATE ON records
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_records_changed();
CREATE TRIGGER records_dashboard_deleted AFTER DELETE ON records
  REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION dashboard_records_changed();

-- What is already held is built at the next dashboard read.
INSERT INTO dashboard_stale (organisation_id, kind, id)
SELECT DISTINCT organisation_id, CASE WHEN entity_type = 'learner' THEN 'learner' ELSE 'session' END, entity_id::text
FROM records WHERE entity_type IN ('learner', 'session')
ON CONFLICT DO NOTHING;
