-- 010: conflicts a coordinator reviews. What each device had pulled, so a push can tell an overwrite
-- of a value the device never saw (concurrent) from an ordinary later edit; the change sequence
-- number each history row's values arrived at; the mark on such overwrites (set when the row is
-- written: history stays append-only); and the coordinator's decisions on conflicts.

-- The cursor of the device's last full pull page (null: not pulled since this was recorded).
ALTER TABLE devices ADD COLUMN last_pulled_seq bigint;

-- The change sequence number the record took with this change (null: refused, unchanged, or written
-- before this was recorded).
ALTER TABLE change_history ADD COLUMN change_seq bigint;

-- An applied change that overwrote a value its device had not pulled: another device's concurrent edit.
ALTER TABLE change_history ADD COLUMN concurrent boolean NOT NULL DEFAULT false;

-- The open-conflicts list reads the organisation's candidate rows newest first.
CREATE INDEX change_history_conflicts ON change_history (organisation_id, id)
  WHERE concurrent OR outcome IN ('stale', 'after-delete', 'rejected:duplicate-attendance');

-- One decision per conflict (a history row): who kept the current value or restored the other, when.
-- No foreign key to change_history: one would stand in the way of its append-only guard (TRUNCATE
-- is refused by the trigger, not by a reference) and of erasure's purge.
CREATE TABLE conflict_resolutions (
  history_id bigint PRIMARY KEY,
  organisation_id uuid NOT NULL REFERENCES organisations,
  decision text NOT NULL CHECK (decision IN ('keep-current', 'restore')),
  resolved_by uuid REFERENCES users,
  resolved_at timestamptz NOT NULL DEFAULT now()
);
