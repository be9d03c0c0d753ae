-- 006: each registered device's secret. The device wraps its data key (the key its personal fields
-- are sealed with at rest) under this secret, which it never stores: it fetches it at each online
-- sign-in. Once a coordinator marks the device lost the server refuses it, so a stolen tablet's copy
-- of the records opens only with a PIN.

-- One row per registration, made when the device first asks (a device registered before this
-- migration gets one then). Never sent to another organisation, never logged.
CREATE TABLE device_secrets (
  device_id uuid PRIMARY KEY REFERENCES devices,
  secret bytea NOT NULL CHECK (octet_length(secret) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);
