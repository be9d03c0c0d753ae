// Devices of an organisation. Each registration makes a new id, never reused: a tablet that is wiped
// or reinstalled registers again and starts its mutation ids afresh under the new id.
import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database';

export type NewDevice = {
  organisationId: string;
  registeredBy: string;
  clientDeviceId: string;
  appVersion: string;
  /** Mutation ids up to this one are not expected from the device (0: it starts at 1). */
  acknowledgedMutationId?: number;
};

/** Registers a device and returns its new server id. */
export async function registerDevice(sql: Sql, device: NewDevice): Promise<string> {
  const id = randomUUID();
  await sql.query(
    `INSERT INTO devices (id, organisation_id, client_device_id, registered_by, last_seen_at, app_version,
                          last_mutation_id)
     VALUES ($1, $2, $3, $4, now(), $5, $6)`,
    [
      id,
      device.organisationId,
      device.clientDeviceId,
      device.registeredBy,
      device.appVersion,
      device.acknowledgedMutationId ?? 0,
    ],
  );
  return id;
}

/** A device as a coordinator's device list shows it. */
export type DeviceSummary = {
  id: string;
  registeredByName: string;
  registeredAt: string;
  lastSeenAt: string | null;
  appVersion: string | null;
  /** What the device last reported: waiting changes, storage. */
  health: Record<string, unknown> | null;
  lostAt: string | null;
  erasedAt: string | null;
};

const isoOrNull = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

export async function listDevices(sql: Sql, organisationId: string): Promise<DeviceSummary[]> {
  const { rows } = await sql.query<{
    id: string;
    registered_by_name: string;
    registered_at: Date | string;
    last_seen_at: Date | string | null;
    app_version: string | null;
    health: Record<string, unknown> | null;
    lost_at: Date | string | null;
    erased_at: Date | string | null;
  }>(
    `SELECT d.id, u.name AS registered_by_name, d.registered_at, d.last_seen_at, d.app_version, d.health,
            d.lost_at, d.erased_at
     FROM devices d JOIN users u ON u.id = d.registered_by
     WHERE d.organisation_id = $1
     ORDER BY d.last_seen_at DESC NULLS LAST, d.registered_at DESC`,
    [organisationId],
  );
  return rows.map((row) => ({
    id: row.id,
    registeredByName: row.registered_by_name,
    registeredAt: new Date(row.registered_at).toISOString(),
    lastSeenAt: isoOrNull(row.last_seen_at),
    appVersion: row.app_version,
    health: row.health,
    lostAt: isoOrNull(row.lost_at),
    erasedAt: isoOrNull(row.erased_at),
  }));
}

/**
 * Marks an organisation's device lost (once: a second marking keeps the first time). False when the
 * organisation has no such device.
 */
export async function markDeviceLost(
  sql: Sql,
  organisationId: string,
  deviceId: string,
  byUserId: string,
): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE devices SET lost_at = coalesce(lost_at, now()), lost_marked_by = coalesce(lost_marked_by, $3)
     WHERE organisation_id = $1 AND id = $2 RETURNING id`,
    [organisationId, deviceId, byUserId],
  );
  return rows.length > 0;
}

/** Whether the organisation's device has been marked lost. */
export async function isDeviceLost(sql: Sql, organisationId: string, deviceId: string): Promise<boolean> {
  const { rows } = await sql.query<{ lost: boolean }>(
    'SELECT lost_at IS NOT NULL AS lost FROM devices WHERE organisation_id = $1 AND id = $2',
    [organisationId, deviceId],
  );
  return rows[0]?.lost === true;
}

/** Records that a lost device erased its data; false unless the device is the organisation's and lost. */
export async function markDeviceErased(sql: Sql, organisationId: string, deviceId: string): Promise<boolean> {
  const { rows } = await sql.query<{ id: string }>(
    `UPDATE devices SET erased_at = coalesce(erased_at, now())
     WHERE organisation_id = $1 AND id = $2 AND lost_at IS NOT NULL RETURNING id`,
    [organisationId, deviceId],
  );
  return rows.length > 0;
}
