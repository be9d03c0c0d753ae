// Kiosk mode as the device keeps it: one `kiosk` meta row while a tutor has handed the tablet to
// learners. Stored (not in memory) so that a reload, a typed address or a new tab all find it on, and
// every tab shows only the kiosk until someone with a PIN here ends it.
import { attendanceId } from '../domain/ids';
import { KIOSK_SIGNED_IN_BY, type KioskMode, signInMark } from '../domain/kiosk';
import type { Session } from '../domain/records';
import { markAttendance } from './attendance';
import { getProgramme } from './programmes';
import type { KioskRow, OutreachDatabase } from './database';
import { toStoreError } from './errors';

export type KioskStart = { mode: KioskMode; sessionId: string; startedBy: string };

/** The kiosk in force on this device, or null when it is off. */
export async function getKiosk(db: OutreachDatabase): Promise<KioskRow | null> {
  const row = (await db.meta.get('kiosk')) as KioskRow | undefined;
  return row ?? null;
}

/** Turns the kiosk on for a session (replacing one already on): every tab changes to it at once. */
export async function startKiosk(
  db: OutreachDatabase,
  start: KioskStart,
  at: string = new Date().toISOString(),
): Promise<KioskRow> {
  const row: KioskRow = {
    key: 'kiosk',
    mode: start.mode,
    sessionId: start.sessionId,
    startedBy: start.startedBy,
    startedAt: at,
  };
  try {
    await db.meta.put(row);
  } catch (error) {
    throw toStoreError(error);
  }
  return row;
}

/** Turns the kiosk off (the caller has checked a PIN). Safe to repeat. */
export async function endKiosk(db: OutreachDatabase): Promise<void> {
  try {
    await db.meta.delete('kiosk');
  } catch (error) {
    throw toStoreError(error);
  }
}

/**
 * The title of the kiosk session's programme, for the screen a tab that is not unlocked shows. It
 * reads only fields a session keeps readable at rest (its programme), so it needs no data key: a
 * locked tab holds none. null when the session or its programme is no longer on this tablet.
 */
export async function kioskProgrammeTitle(db: OutreachDatabase, sessionId: string): Promise<string | null> {
  const session = await db.sessions.get(sessionId);
  if (!session || session.deleted) return null;
  const programme = await getProgramme(db, session.programmeId);
  return programme && !programme.deleted ? programme.title : null;
}

export type KioskSignIn = { kind: 'signed-in'; mark: 'P' | 'L' } | { kind: 'already-signed-in' };

/**
 * A learner signs themselves in on the sign-in sheet: present (or late, after the grace time), one
 * transaction with its outbox batch. Someone already marked as attending is left as they are.
 */
export async function signInAtKiosk(
  db: OutreachDatabase,
  session: Session,
  learnerId: string,
  at: string = new Date().toISOString(),
): Promise<KioskSignIn> {
  const current = await db.attendance.get(attendanceId(session.id, learnerId));
  const mark = signInMark(session, current && !current.deleted ? current.mark : undefined, at);
  if (mark === null) return { kind: 'already-signed-in' };
  await markAttendance(db, { session, learnerId, mark, markedBy: KIOSK_SIGNED_IN_BY });
  return { kind: 'signed-in', mark };
}
