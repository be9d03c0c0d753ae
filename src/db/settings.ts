// Settings kept on this device only.
import { isAllowedLockAfterMinutes, lockAfterMinutesFrom } from '../domain/deviceLock';
import type { OutreachDatabase, SettingsRow, StorageStateRow } from './database';
import { toStoreError } from './errors';

export async function getTutorName(db: OutreachDatabase): Promise<string> {
  const row = (await db.meta.get('settings')) as SettingsRow | undefined;
  return row?.tutorName ?? '';
}

export async function setTutorName(db: OutreachDatabase, tutorName: string): Promise<void> {
  await updateSettings(db, { tutorName: tutorName.trim() });
}

/** Minutes without use before the app locks (Settings' "Lock after"). */
export async function getLockAfterMinutes(db: OutreachDatabase): Promise<number> {
  const row = (await db.meta.get('settings')) as SettingsRow | undefined;
  return lockAfterMinutesFrom(row?.lockAfterMinutes);
}

export async function setLockAfterMinutes(db: OutreachDatabase, minutes: number): Promise<void> {
  if (!isAllowedLockAfterMinutes(minutes)) throw new RangeError(`Not an allowed lock time: ${minutes}`);
  await updateSettings(db, { lockAfterMinutes: minutes });
}

/** Changes some settings, keeping the others: read, merge and write in one transaction. */
async function updateSettings(db: OutreachDatabase, patch: Partial<Omit<SettingsRow, 'key'>>): Promise<void> {
  try {
    await db.transaction('rw', db.meta, async () => {
      const row = (await db.meta.get('settings')) as SettingsRow | undefined;
      await db.meta.put({ tutorName: '', ...row, ...patch, key: 'settings' });
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

export async function getStorageState(db: OutreachDatabase): Promise<StorageStateRow> {
  const row = (await db.meta.get('storage')) as StorageStateRow | undefined;
  return row ?? { key: 'storage', persistRequestedAt: null, persisted: null };
}

export async function recordPersistRequest(db: OutreachDatabase, persisted: boolean): Promise<void> {
  await db.meta.put({ key: 'storage', persistRequestedAt: new Date().toISOString(), persisted });
}
