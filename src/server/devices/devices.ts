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
