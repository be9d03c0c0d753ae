-- 001: organisations and their accounts, devices, the synced records, and the change history.
-- Shipped: never edit this file; change the schema in a new numbered file.

CREATE TABLE organisations (
  id uuid PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL DEFAULT 'other',
  -- The organisation's last change sequence number: every records row written gets the next one.
  change_seq bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  -- Stored lower-cased, so an address matches however it is typed.
  email text NOT NULL UNIQUE CHECK (email = lower(email)),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('coordinator', 'tutor')),
  -- scrypt, with its parameters and salt in the string.
  password_hash text NOT NULL,
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended', 'left')),
  may_view_special_category boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A signed-in browser holds a random token in a cookie; only its SHA-256 is stored.
CREATE TABLE auth_sessions (
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);

-- A device is registered anew each time (a wiped tablet gets a new id): ids are never reused.
CREATE TABLE devices (
  id uuid PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  client_device_id text NOT NULL,
  registered_by uuid NOT NULL REFERENCES users,
  registered_at timestamptz NOT NULL DEFAULT now(),
  last_mutation_id bigint NOT NULL DEFAULT 0,
  last_seen_at timestamptz,
  app_version text,
  health jsonb
);

-- Every synced record, including the server-owned ones (organisation, users, document versions).
CREATE TABLE records (
  organisation_id uuid NOT NULL REFERENCES organisations,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  data jsonb NOT NULL,
  field_hlcs jsonb NOT NULL DEFAULT '{}',
  deleted boolean NOT NULL DEFAULT false,
  deleted_hlc text,
  change_seq bigint NOT NULL,
  created_by_user uuid,
  created_by_device uuid,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (organisation_id, entity_type, entity_id)
);

-- Pull: everything an organisation changed after a cursor.
CREATE INDEX records_organisation_change_seq ON records (organisation_id, change_seq);

-- One attendance per session and learner, whichever devices made it.
CREATE UNIQUE INDEX records_attendance_session_learner
  ON records (organisation_id, (data->>'sessionId'), (data->>'learnerId'))
  WHERE entity_type = 'attendance';

-- A replayed mutation gets the answer it got the first time.
CREATE TABLE mutation_results (
  device_id uuid NOT NULL REFERENCES devices,
  mutation_id bigint NOT NULL,
  status text NOT NULL CHECK (status IN ('applied', 'rejected')),
  reason text,
  PRIMARY KEY (device_id, mutation_id)
);

-- Append-only: who changed which field, from what to what, and how the merge decided.
CREATE TABLE change_history (
  id bigserial PRIMARY KEY,
  organisation_id uuid NOT NULL,
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  field text,
  old_value jsonb,
  new_value jsonb,
  hlc text,
  outcome text NOT NULL,
  user_id uuid,
  device_id uuid,
  mutation_id bigint,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX change_history_entity ON change_history (organisation_id, entity_type, entity_id);

-- Refuses UPDATE, DELETE and TRUNCATE on change_history, unless the transaction has set
-- outreach.allow_history_purge to 'on' (SET LOCAL, or set_config(..., true)): erasure purges
-- personal values that way and nothing else changes history.
CREATE FUNCTION change_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('outreach.allow_history_purge', true), '') = 'on' THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'change_history is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Only erasure may purge history, with outreach.allow_history_purge set to on in its transaction.';
END;
$$;

CREATE TRIGGER change_history_append_only_rows
  BEFORE UPDATE OR DELETE ON change_history
  FOR EACH ROW EXECUTE FUNCTION change_history_append_only();

CREATE TRIGGER change_history_append_only_truncate
  BEFORE TRUNCATE ON change_history
  FOR EACH STATEMENT EXECUTE FUNCTION change_history_append_only();
