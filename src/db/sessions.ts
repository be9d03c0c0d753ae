import type { Session } from '../domain/records';
import type { OutreachDatabase } from './database';
import { openStoredRows } from './sealedRows';
import { newRecordBase, writeChanges } from './writes';

export type SessionFields = Omit<Session, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

export async function saveSession(db: OutreachDatabase, fields: SessionFields, id?: string): Promise<string> {
  return writeChanges(db, ['sessions'], async (writer, deviceId) => {
    const now = new Date().toISOString();
    const before = id ? await db.sessions.get(id) : undefined;
    const session: Session = before
      ? { ...before, ...fields, updatedAt: now }
      : { ...newRecordBase(deviceId, now, id), ...fields };
    await writer.put('session', session, before);
    return session.id;
  });
}

/** Sessions as read, their notes opened (they are sealed at rest). */
function opened(db: OutreachDatabase, sessions: Session[]): Promise<Session[]> {
  return openStoredRows(db, 'session', sessions);
}

export async function getSession(db: OutreachDatabase, id: string): Promise<Session | undefined> {
  const session = await db.sessions.get(id);
  return session ? (await opened(db, [session]))[0] : undefined;
}

/** Sessions on a local calendar date, in start order. */
export async function sessionsOn(db: OutreachDatabase, date: string): Promise<Session[]> {
  const sessions = await db.sessions.where('date').equals(date).sortBy('scheduledStart');
  return opened(
    db,
    sessions.filter((session) => !session.deleted),
  );
}

/** Sessions after a local calendar date, soonest first, at most `limit`. */
export async function sessionsAfter(db: OutreachDatabase, date: string, limit = 50): Promise<Session[]> {
  const sessions = await db.sessions.where('date').above(date).sortBy('scheduledStart');
  return opened(db, sessions.filter((session) => !session.deleted).slice(0, limit));
}

/** Sessions before a local calendar date, latest first, at most `limit`. */
export async function sessionsBefore(db: OutreachDatabase, date: string, limit = 20): Promise<Session[]> {
  const sessions = await db.sessions.where('date').below(date).reverse().sortBy('scheduledStart');
  return opened(db, sessions.filter((session) => !session.deleted).slice(0, limit));
}

/** Sessions of one programme, earliest first (the programme page lists them). */
export async function sessionsOfProgramme(db: OutreachDatabase, programmeId: string): Promise<Session[]> {
  const sessions = await db.sessions.where('programmeId').equals(programmeId).sortBy('scheduledStart');
  return opened(
    db,
    sessions.filter((session) => !session.deleted),
  );
}
