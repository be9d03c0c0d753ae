// Where the device's data key (src/crypto/dataKey.ts) is kept, and how a tab comes to hold it.
// Stored only wrapped: under each person's PIN key (their devicePins row) and under the per-device
// secret the server releases at online sign-in (the `vault` meta row). A tab holds the unwrapped key
// in memory while it is unlocked and forgets it when it locks; nothing readable is on disk.
// Before anyone has a PIN here (the app used with no sign-in, as in its first offline release) there
// is nothing to wrap it with: the key is kept unprotected until the first PIN is chosen, and the
// README says so.
import {
  type DataKeys,
  type WrappedDataKey,
  deriveDataKeys,
  importDeviceSecret,
  newDataKeyBytes,
  unwrapDataKey,
  wrapDataKey,
} from '../crypto/dataKey';
import { fromBase64, toBase64 } from '../crypto/keys';
import type { OutreachDatabase, VaultRow } from './database';
import { StoreError } from './errors';

const DEVICE_PURPOSE = 'device-secret';
const pinPurpose = (userId: string) => `pin:${userId}`;

export const LOCKED_MESSAGE =
  'The app is locked, so personal details cannot be read or saved. Unlock it with your PIN and try again.';

type HeldKey = { keys: DataKeys; bytes: Uint8Array<ArrayBuffer> };

/** Per open database (tests open several): what this tab holds while unlocked. */
const held = new WeakMap<OutreachDatabase, HeldKey>();
const listeners = new Set<() => void>();

function notify(): void {
  for (const listener of listeners) listener();
}

async function hold(db: OutreachDatabase, bytes: Uint8Array<ArrayBuffer>): Promise<HeldKey> {
  const key = { keys: await deriveDataKeys(bytes), bytes };
  held.set(db, key);
  notify();
  return key;
}

async function readVault(db: OutreachDatabase): Promise<VaultRow | undefined> {
  return (await db.meta.get('vault')) as VaultRow | undefined;
}

/** Calls `listener` when this tab comes to hold the data key or forgets it. Returns the unsubscribe. */
export function subscribeDataKey(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Whether this tab holds the data key now (no I/O). */
export function holdsDataKey(db: OutreachDatabase): boolean {
  return held.has(db);
}

/**
 * The data key this tab holds, with no I/O: for a write that checks, in its own transaction, that
 * the vault still exists (see openDataKeys). null when it holds none.
 */
export function heldDataKeys(db: OutreachDatabase): DataKeys | null {
  return held.get(db)?.keys ?? null;
}

/** The tab locked (or the device was erased): the data key leaves memory. */
export function forgetDataKey(db: OutreachDatabase): void {
  const key = held.get(db);
  if (!key) return;
  key.bytes.fill(0);
  held.delete(db);
  notify();
}

/**
 * The data key a tab may use now: the one it holds, or, on a device where no one has a PIN yet, the
 * unprotected one (made on first use). null while locked.
 */
export async function openDataKeys(db: OutreachDatabase): Promise<DataKeys | null> {
  const holding = held.get(db);
  const vault = await readVault(db);
  if (holding && vault) return holding.keys;
  // The device was erased (in another tab): the key held here wraps nothing any more. Anything
  // sealed under it could never be opened again, so it is forgotten and the device starts afresh.
  if (holding) forgetDataKey(db);
  if (vault) {
    return vault.unprotected ? (await hold(db, fromBase64(vault.unprotected))).keys : null;
  }
  const bytes = newDataKeyBytes();
  const created = await db.transaction('rw', db.meta, async () => {
    // Another tab may have made it meanwhile: theirs is the one.
    const existing = await readVault(db);
    if (existing) return existing;
    const row: VaultRow = {
      key: 'vault',
      createdAt: new Date().toISOString(),
      unprotected: toBase64(bytes),
      device: null,
    };
    await db.meta.put(row);
    return row;
  });
  return created.unprotected ? (await hold(db, fromBase64(created.unprotected))).keys : null;
}

/** The data key, or a StoreError('locked') that says to unlock. */
export async function requireDataKeys(db: OutreachDatabase): Promise<DataKeys> {
  const keys = await openDataKeys(db);
  if (!keys) throw new StoreError('locked', LOCKED_MESSAGE);
  return keys;
}

/** The key's bytes, to wrap for a new PIN or the device secret: held, or still unprotected. */
async function bytesToWrap(db: OutreachDatabase): Promise<Uint8Array<ArrayBuffer> | null> {
  if (!held.has(db)) await openDataKeys(db);
  return held.get(db)?.bytes ?? null;
}

/**
 * The data key wrapped for a PIN being chosen (stored with the PIN's row). null when this tab holds
 * no key to wrap: the person signs in online first, which releases it.
 */
export async function wrapDataKeyForPin(
  db: OutreachDatabase,
  userId: string,
  pinKey: CryptoKey,
): Promise<WrappedDataKey | null> {
  const bytes = await bytesToWrap(db);
  return bytes ? wrapDataKey(bytes, pinKey, pinPurpose(userId)) : null;
}

/**
 * A PIN now wraps the key: the unprotected copy goes (done after the PIN row is stored, so there is
 * never a moment with no way in).
 */
export async function dropUnprotectedDataKey(db: OutreachDatabase): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const vault = await readVault(db);
    if (vault?.unprotected) await db.meta.put({ ...vault, unprotected: null });
  });
}

/**
 * The right PIN was typed: the tab takes the data key from the PIN's wrap. A PIN from before
 * encryption at rest has no wrap: it gets one now when the key is still unprotected. The unprotected
 * copy goes only once the device secret wraps the key too: otherwise a person locked out of their
 * PIN could never open the records again by signing in online (openDataKeyWithDeviceSecret drops it
 * when it makes that wrap). Returns whether the tab holds the key.
 */
export async function openDataKeyWithPin(
  db: OutreachDatabase,
  userId: string,
  pinKey: CryptoKey,
): Promise<boolean> {
  const row = await db.devicePins.get(userId);
  if (row?.dataKey) {
    const bytes = await unwrapDataKey(row.dataKey, pinKey, pinPurpose(userId));
    if (bytes) await hold(db, bytes);
    return bytes !== null;
  }
  const wrapped = await wrapDataKeyForPin(db, userId, pinKey);
  if (!wrapped || !row) return false;
  await db.devicePins.update(userId, { dataKey: wrapped });
  if ((await readVault(db))?.device) await dropUnprotectedDataKey(db);
  return true;
}

/**
 * An online sign-in released this device's secret: the tab takes the data key from the device's
 * wrap, or, when there is none yet, wraps the key it can reach under the secret (making the key if
 * the device has none). Returns whether the tab holds the key: false when the device's wrap does not
 * open with this secret (the data was put here under another organisation's account).
 */
export async function openDataKeyWithDeviceSecret(db: OutreachDatabase, secret: string): Promise<boolean> {
  const secretKey = await importDeviceSecret(secret);
  const vault = await readVault(db);
  if (vault?.device) {
    const bytes = await unwrapDataKey(vault.device, secretKey, DEVICE_PURPOSE);
    if (bytes) await hold(db, bytes);
    return bytes !== null;
  }
  const bytes = await bytesToWrap(db);
  if (!bytes) return false;
  const device = await wrapDataKey(bytes, secretKey, DEVICE_PURPOSE);
  await db.transaction('rw', [db.meta, db.devicePins], async () => {
    const current = await readVault(db);
    if (!current || current.device) return;
    // A PIN that already wraps the key (one from before encryption at rest, opened since) and now
    // the device secret: the unprotected copy is no longer the only way in.
    const pinned = (await db.devicePins.filter((pin) => pin.dataKey !== undefined).count()) > 0;
    await db.meta.put({ ...current, device, unprotected: pinned ? null : current.unprotected });
  });
  return true;
}
