-- 004: who received, exported or viewed a learner's special category data (equality monitoring
-- answers), and indexes for a learner's history: the records and refused changes that belong to them.

-- Append-only, like change_history: a row per learner each time their answers left the server for
-- a device, were exported, or were shown in their history. It holds ids only, no answers.
CREATE TABLE special_category_access (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  learner_id uuid NOT NULL,
  user_id uuid NOT NULL REFERENCES users,
  device_id uuid REFERENCES devices,
  action text NOT NULL CHECK (action IN ('received-on-device', 'exported', 'viewed')),
  at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX special_category_access_learner ON special_category_access (organisation_id, learner_id, at);

-- Refuses UPDATE, DELETE and TRUNCATE on special_category_access, under the same rule as
-- change_history: only a transaction that set outreach.allow_history_purge to 'on' may.
CREATE FUNCTION special_category_access_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('outreach.allow_history_purge', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'special_category_access is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only erasure may purge it, with outreach.allow_history_purge set to on in its transaction.';
END;
$$;

CREATE TRIGGER special_category_access_append_only_rows
  BEFORE UPDATE OR DELETE ON special_category_access
  FOR EACH ROW EXECUTE FUNCTION special_category_access_append_only();

CREATE TRIGGER special_category_access_append_only_truncate
  BEFORE TRUNCATE ON special_category_access
  FOR EACH STATEMENT EXECUTE FUNCTION special_category_access_append_only();

-- A learner's history: the records that name them (enrolments, attendance, equality monitoring...).
CREATE INDEX records_learner ON records (organisation_id, (data->>'learnerId'))
  WHERE data ? 'learnerId';

-- A learner's history: refused new records that named them (they never reached `records`).
CREATE INDEX change_history_new_record_learner ON change_history (organisation_id, (new_value->>'learnerId'))
  WHERE field = '*';
