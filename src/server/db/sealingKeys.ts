// The server's sealing key pairs (migration 005): the only SQL about them. A pair is made at the
// first start and never deleted, because a device may push changes it sealed to any key this server
// has ever had.
import type { ServerSealingKeyPair } from '../../crypto/outboxSeal';
import type { Database } from './database';
import { SEALING_KEYS_LOCK } from './locks';

type SealingKeyRow = { id: string; public_key: JsonWebKey; private_key: JsonWebKey };

/**
 * Every key pair this server has, the current one (the newest, the one published) first. When there
 * is none yet, makes one with `generate` and stores it under a lock, so servers starting together on
 * one database wait for each other and end up with the same key pair.
 */
export function loadOrCreateSealingKeyPairs(
  database: Database,
  generate: () => Promise<ServerSealingKeyPair>,
): Promise<ServerSealingKeyPair[]> {
  return database.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [SEALING_KEYS_LOCK]);
    const { rows } = await sql.query<SealingKeyRow>(
      'SELECT id, public_key, private_key FROM sealing_keys ORDER BY created_at DESC, id DESC',
    );
    if (rows.length > 0) {
      return rows.map((row) => ({ keyId: row.id, publicKey: row.public_key, privateKey: row.private_key }));
    }
    const pair = await generate();
    await sql.query(
      'INSERT INTO sealing_keys (id, public_key, private_key) VALUES ($1, $2::jsonb, $3::jsonb)',
      [pair.keyId, JSON.stringify(pair.publicKey), JSON.stringify(pair.privateKey)],
    );
    return [pair];
  });
}
