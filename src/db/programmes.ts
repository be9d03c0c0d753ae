import type { Programme } from '../domain/records';
import type { OutreachDatabase } from './database';
import { newRecordBase, writeChanges } from './writes';

export type ProgrammeFields = Omit<Programme, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

export async function saveProgramme(
  db: OutreachDatabase,
  fields: ProgrammeFields,
  id?: string,
): Promise<string> {
  return writeChanges(db, ['programmes'], async (writer, deviceId) => {
    const now = new Date().toISOString();
    const before = id ? await db.programmes.get(id) : undefined;
    const programme: Programme = before
      ? { ...before, ...fields, updatedAt: now }
      : { ...newRecordBase(deviceId, now, id), ...fields };
    await writer.put('programme', programme, before);
    return programme.id;
  });
}

export async function listProgrammes(db: OutreachDatabase): Promise<Programme[]> {
  const programmes = await db.programmes.orderBy('title').toArray();
  return programmes.filter((programme) => !programme.deleted);
}

export async function getProgramme(db: OutreachDatabase, id: string): Promise<Programme | undefined> {
  return db.programmes.get(id);
}
