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

/** This tab's sealing key once made, and the one being made (so two writes never make two). */
const heldKeys = new WeakMap<OutreachDatabase, SealingKey>();
const makingKeys = new WeakMap<OutreachDatabase, Promise<SealingKey>>();

export async function getServerSealingKey(db: OutreachDatabase): Promise<ServerSealingKey | null> {
  const row = (await db.meta.get('serverSealingKey')) as ServerSealingKeyRow | undefined;
  return row ? serverSealingKeyOf(row) : null;
}

export function serverSealingKeyOf(row: ServerSealingKeyRow): ServerSealingKey {
  return { keyId: row.keyId, publicKey: row.publicKey };
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

/** The sealing key this tab holds for the server's key `serverKeyId`, if it has made one (no I/O). */
export function heldSealingKey(db: OutreachDatabase, serverKeyId: string): SealingKey | null {
  const held = heldKeys.get(db);
  return held?.wrapped.serverKeyId === serverKeyId ? held : null;
}

/** This tab's sealing key for the server's key, made (and its wrapped form stored) when it has none. */
export async function sealingKeyFor(db: OutreachDatabase, server: ServerSealingKey): Promise<SealingKey> {
  const held = heldSealingKey(db, server.keyId);
  if (held) return held;
  const making = makingKeys.get(db);
  if (making) {
    const key = await making;
    if (key.wrapped.serverKeyId === server.keyId) return key;
  }
  const made = (async () => {
    const key = await createSealingKey(server);
    await db.sealingKeys.put(key.wrapped);
    heldKeys.set(db, key);
    return key;
  })();
  makingKeys.set(db, made);
  try {
    return await made;
  } catch (error) {
    throw toStoreError(error);
  } finally {
    if (makingKeys.get(db) === made) makingKeys.delete(db);
  }
}

/**
 * This tab's sealing key, made on first use. null while the device has never fetched the server's
 * key: changes are then kept unsealed until it has (see sealWaitingChanges).
 */
export async function currentSealingKey(db: OutreachDatabase): Promise<SealingKey | null> {
  const server = await getServerSealingKey(db);
  return server ? sealingKeyFor(db, server) : null;
}

/** The device was erased: its sealing key goes with the rest (a new one is made for the next write). */
export function forgetSealingKey(db: OutreachDatabase): void {
  heldKeys.get(db)?.forget();
  heldKeys.delete(db);
  makingKeys.delete(db);
}

/** One change's fields as the outbox keeps them: sealed when the server's key is known. */
export type OutboxFields = { sealed: SealedFields } | { fields: Record<string, unknown> };

export function outboxFields(
  sealing: SealingKey | null,
  change: SealedChangeIdentity,
  fields: Record<string, unknown>,
): OutboxFields {
  return sealing ? { sealed: sealFields(sealing, change, fields) } : { fields };
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
