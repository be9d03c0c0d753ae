// The register: one mark per learner and session, with an id derived from both so that two
// tablets marking the same learner write the same row.
import { defaultMinutesFor, isMarkedLate, sessionMinutes } from '../domain/attendance';
import { attendanceId } from '../domain/ids';
import type { AbsenceReason, Attendance, AttendanceMark, Session } from '../domain/records';
import type { OutreachDatabase } from './database';
import { newRecordBase, writeChanges } from './writes';

export type MarkInput = {
  session: Pick<Session, 'id' | 'scheduledStart' | 'scheduledEnd' | 'actualStart' | 'actualEnd'>;
  learnerId: string;
  mark: AttendanceMark;
  absenceReason?: AbsenceReason | null;
  markedBy: string;
};

function markRecord(
  id: string,
  input: MarkInput,
  before: Attendance | undefined,
  deviceId: string,
  now: string,
): Attendance {
  const base = before ?? newRecordBase(deviceId, now, id);
  return {
    ...base,
    updatedAt: now,
    deleted: false,
    sessionId: input.session.id,
    learnerId: input.learnerId,
    mark: input.mark,
    absenceReason: input.mark === 'AA' ? (input.absenceReason ?? null) : null,
    minutesAttended: defaultMinutesFor(input.mark, sessionMinutes(input.session)),
    markedBy: input.markedBy,
    markedAt: now,
    markedLate: isMarkedLate(input.session.scheduledEnd, now),
  };
}

/** Sets one learner's mark: one transaction, one outbox batch. */
export async function markAttendance(db: OutreachDatabase, input: MarkInput): Promise<void> {
  if (input.mark === 'AA' && !input.absenceReason) {
    throw new Error('An authorised absence needs a reason');
  }
  await writeChanges(db, ['attendance'], async (writer, deviceId) => {
    const id = attendanceId(input.session.id, input.learnerId);
    const before = await db.attendance.get(id);
    await writer.put('attendance', markRecord(id, input, before, deviceId, new Date().toISOString()), before);
  });
}

/** Clears a mark (a tap on the mark already set): a tombstone, so the clearing syncs too. */
export async function clearAttendance(
  db: OutreachDatabase,
  sessionId: string,
  learnerId: string,
): Promise<void> {
  await writeChanges(db, ['attendance'], async (writer) => {
    const before = await db.attendance.get(attendanceId(sessionId, learnerId));
    if (!before || before.deleted) return;
    await writer.put('attendance', { ...before, deleted: true, updatedAt: new Date().toISOString() }, before);
  });
}

export async function attendanceForSession(db: OutreachDatabase, sessionId: string): Promise<Attendance[]> {
  const marks = await db.attendance.where('sessionId').equals(sessionId).toArray();
  return marks.filter((mark) => !mark.deleted);
}

export async function attendanceOfLearner(db: OutreachDatabase, learnerId: string): Promise<Attendance[]> {
  const marks = await db.attendance.where('learnerId').equals(learnerId).toArray();
  return marks.filter((mark) => !mark.deleted);
}
