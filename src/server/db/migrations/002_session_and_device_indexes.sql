-- 002: indexes for what accounts look up by user or organisation: a user's sessions (revoked
-- together when the user is suspended or leaves) and an organisation's devices (its device list).

CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

CREATE INDEX devices_organisation ON devices (organisation_id);
