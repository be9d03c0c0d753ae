-- 003: what roles and scope need. Invitations (a coordinator invites a tutor with a one-time code),
-- failed sign-ins (the rate limit, kept in the database so several instances share it), devices a
-- coordinator marks lost, and indexes for working out a tutor's scope.

CREATE TABLE invitations (
  id uuid PRIMARY KEY,
  -- Only the SHA-256 of the one-time code is stored, like session tokens.
  code_hash text NOT NULL UNIQUE,
  organisation_id uuid NOT NULL REFERENCES organisations,
  email text NOT NULL CHECK (email = lower(email)),
  role text NOT NULL CHECK (role IN ('coordinator', 'tutor')),
  invited_by uuid NOT NULL REFERENCES users,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_user uuid REFERENCES users,
  revoked_at timestamptz
);

CREATE INDEX invitations_organisation ON invitations (organisation_id);

-- One row per refused sign-in, by the address tried and by the caller's network address (each kept
-- as a SHA-256, so the table lists no one's email). Rows older than the window are deleted as new
-- ones arrive.
CREATE TABLE sign_in_failures (
  id bigserial PRIMARY KEY,
  key_hash text NOT NULL,
  failed_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX sign_in_failures_key ON sign_in_failures (key_hash, failed_at);

ALTER TABLE devices ADD COLUMN lost_at timestamptz;
ALTER TABLE devices ADD COLUMN lost_marked_by uuid REFERENCES users;
ALTER TABLE devices ADD COLUMN erased_at timestamptz;

-- A tutor's scope: the sessions they run, the learners enrolled on those sessions' programmes, and
-- the learners they created.
CREATE INDEX records_session_tutors ON records USING gin ((data->'tutorIds'))
  WHERE entity_type = 'session';
CREATE INDEX records_enrolment_programme ON records (organisation_id, (data->>'programmeId'))
  WHERE entity_type = 'enrolment';
CREATE INDEX records_learner_creator ON records (organisation_id, created_by_user)
  WHERE entity_type = 'learner';
