-- 005: the server's sealing key pairs. Devices seal what waits in their outbox to the current
-- public key (docs/sync-protocol.md, "Sealed changes"), so only this server can open it.

-- Rows are never deleted or changed: a device may push changes it sealed months ago, and without
-- the private key they named they could never be opened. The newest row is the one published.
CREATE TABLE sealing_keys (
  id text PRIMARY KEY,
  public_key jsonb NOT NULL,
  -- The private half as a JWK: never sent or logged, read only to open sealed changes.
  private_key jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
