import type { OutreachDatabase } from './database';
import { getStorageState, recordPersistRequest } from './settings';
// The browser's storage: how much is used, how much is granted, and whether it is persistent
// (not evicted when the device runs short of space).

export type StorageReport = {
  usageBytes: number | null;
  quotaBytes: number | null;
  persisted: boolean | null;
};

export async function readStorageReport(): Promise<StorageReport> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage) return { usageBytes: null, quotaBytes: null, persisted: null };
  const [estimate, persisted] = await Promise.all([
    storage.estimate ? storage.estimate() : Promise.resolve(undefined),
    storage.persisted ? storage.persisted() : Promise.resolve(null),
  ]);
  return { usageBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null, persisted };
}

/** Asks the browser to keep this app's data; resolves to what it granted. */
export async function requestPersistentStorage(): Promise<boolean | null> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage?.persist) return null;
  return storage.persist();
}

/**
 * Once the first record is saved, asks for persistent storage (once per device) and remembers the
 * answer. Called after the save has committed, never inside a transaction.
 */
export async function requestPersistenceOnce(db: OutreachDatabase): Promise<boolean | null> {
  const state = await getStorageState(db);
  if (state.persistRequestedAt) return state.persisted;
  const persisted = await requestPersistentStorage();
  await recordPersistRequest(db, persisted === true);
  return persisted;
}
