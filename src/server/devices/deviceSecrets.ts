// Each registered device's secret (32 random bytes): the device wraps its data key under it and never
// stores it, so it must ask for it at each online sign-in. Made on first request, the same ever after;
// refused once the device is marked lost (or has erased itself). Never logged.
import { randomBytes } from 'node:crypto';
import type { Database } from '../db/database';

const SECRET_BYTES = 32;

export type DeviceSecretLookup =
  | { kind: 'secret'; secret: string }
  /** No such device in this organisation (another organisation's, or none at all). */
  | { kind: 'not-found' }
  /** Marked lost by a coordinator, or erased after that. */
  | { kind: 'lost' };

/** The device's secret as base64, made now if it has none yet. */
export async function deviceSecret(
  database: Database,
  organisationId: string,
  deviceId: string,
): Promise<DeviceSecretLookup> {
  return database.transaction(async (sql) => {
    // The device row is locked, so marking it lost waits for this answer or goes before it.
    const { rows: devices } = await sql.query<{ lost: boolean }>(
      `SELECT lost_at IS NOT NULL OR erased_at IS NOT NULL AS lost
       FROM devices WHERE organisation_id = $1 AND id = $2 FOR SHARE`,
      [organisationId, deviceId],
    );
    const device = devices[0];
    if (!device) return { kind: 'not-found' };
    if (device.lost) return { kind: 'lost' };
    await sql.query(
      `INSERT INTO device_secrets (device_id, secret) VALUES ($1, decode($2, 'base64'))
       ON CONFLICT (device_id) DO NOTHING`,
      [deviceId, randomBytes(SECRET_BYTES).toString('base64')],
    );
    const { rows } = await sql.query<{ secret: string }>(
      "SELECT encode(secret, 'base64') AS secret FROM device_secrets WHERE device_id = $1",
      [deviceId],
    );
    const secret = rows[0]?.secret;
    if (secret === undefined) throw new Error('The device secret just stored could not be read back');
    return { kind: 'secret', secret };
  });
}
