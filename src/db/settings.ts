// Settings kept on this device only.
import type { OutreachDatabase, SettingsRow, StorageStateRow } from './database';
import { toStoreError } from './errors';

export async function getTutorName(db: OutreachDatabase): Promise<string> {
  const row = (await db.meta.get('settings')) as SettingsRow | undefined;
  return row?.tutorName ?? '';
}

export async function setTutorName(db: OutreachDatabase, tutorName: string): Promise<void> {
  try {
    await db.meta.put({ key: 'settings', tutorName: tutorName.trim() });
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
