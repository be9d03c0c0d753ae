// The outbox sealed to the server (src/crypto/outboxSeal.ts): the server's public key as last
// fetched, and this tab's sealing key. The sealing key lives in memory only; its wrapped form (which
// only the server opens) is stored, so changes sealed under it can be pushed after a reload, a lock
// or a loss. A tab makes a new one when it has none, or when the server's key changed.
import {
  type SealedChangeIdentity,
  type SealedFields,
  type SealingKey,
  type ServerSealingKey,
  createSealingKey,
  sealFields,
} from '../crypto/outboxSeal';
import type { WrappedSealingKey } from '../crypto/outboxSeal';
import type { OutreachDatabase, ServerSealingKeyRow } from './database';
import { toStoreError } from './errors';

const sealingKeys = new WeakMap<OutreachDatabase, Promise<SealingKey>>();

export async function getServerSealingKey(db: OutreachDatabase): Promise<ServerSealingKey | null> {
  const row = (await db.meta.get('serverSealingKey')) as ServerSealingKeyRow | undefined;
  return row ? { keyId: row.keyId, publicKey: row.publicKey } : null;
}

/** Keeps the server's public key (fetched at start and before each sync); unchanged keys are not rewritten. */
export async function rememberServerSealingKey(db: OutreachDatabase, key: ServerSealingKey): Promise<void> {
  try {
    await db.transaction('rw', db.meta, async () => {
      const current = (await db.meta.get('serverSealingKey')) as ServerSealingKeyRow | undefined;
      if (current?.keyId === key.keyId) return;
      await db.meta.put({ key: 'serverSealingKey', fetchedAt: new Date().toISOString(), ...key });
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

/**
 * This tab's sealing key, made (and its wrapped form stored) on first use. null while the device has
 * never fetched the server's key: changes are then kept unsealed until it has (see sealWaitingChanges).
 */
export async function currentSealingKey(db: OutreachDatabase): Promise<SealingKey | null> {
  const server = await getServerSealingKey(db);
  if (!server) return null;
  const held = sealingKeys.get(db);
  if (held) {
    const key = await held;
    if (key.wrapped.serverKeyId === server.keyId) return key;
  }
  const making = (async () => {
    const key = await createSealingKey(server);
    await db.sealingKeys.put(key.wrapped);
    return key;
  })();
  sealingKeys.set(db, making);
  try {
    return await making;
  } catch (error) {
    sealingKeys.delete(db);
    throw toStoreError(error);
  }
}

/** The device was erased: its sealing key goes with the rest (a new one is made for the next write). */
export function forgetSealingKey(db: OutreachDatabase): void {
  sealingKeys.delete(db);
}

/** One change's fields as the outbox keeps them: sealed when the server's key is known. */
export type OutboxFields = { sealed: SealedFields } | { fields: Record<string, unknown> };

export async function outboxFields(
  sealing: SealingKey | null,
  change: SealedChangeIdentity,
  fields: Record<string, unknown>,
): Promise<OutboxFields> {
  return sealing ? { sealed: await sealFields(sealing, change, fields) } : { fields };
}

/** The wrapped sealing keys that sealed changes name, for a push or an unsynced-work file. */
export async function sealingKeysFor(
  db: OutreachDatabase,
  changes: readonly { sealed?: SealedFields | undefined }[],
): Promise<WrappedSealingKey[]> {
  const ids = [...new Set(changes.flatMap((change) => (change.sealed ? [change.sealed.keyId] : [])))];
  if (ids.length === 0) return [];
  const keys = await db.sealingKeys.bulkGet(ids);
  return keys.filter((key): key is WrappedSealingKey => key !== undefined);
}
