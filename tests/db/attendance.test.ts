import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { attendanceId, newId } from '../../src/domain/ids';
import type { Session } from '../../src/domain/records';
import {
  type MarkInput,
  attendanceForSession,
  attendanceOfLearner,
  clearAttendance,
  markAttendance,
} from '../../src/db/attendance';
import type { OutreachDatabase } from '../../src/db/database';
import { outboxBatches } from '../../src/db/outbox';
import { discardTestDatabase, openTestDatabase, readWriter } from '../fixtures/db';
import { makeSession } from '../fixtures/records';

// The session runs 10:00 to 12:00 UTC on 30 November; marks are made at 10:05 unless a test moves the clock.
const SESSION = makeSession({
  id: newId(),
  scheduledStart: '2026-11-30T10:00:00.000Z',
  scheduledEnd: '2026-11-30T12:00:00.000Z',
});
const DURING = new Date('2026-11-30T10:05:00.000Z');
const LEARNER = newId();

let db: OutreachDatabase;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(DURING);
  db = openTestDatabase();
});

afterEach(async () => {
  vi.useRealTimers();
  await discardTestDatabase(db);
});

function mark(overrides: Partial<MarkInput> = {}): MarkInput {
  return { session: SESSION, learnerId: LEARNER, mark: 'P', markedBy: 'Ann Tutor', ...overrides };
}

describe('markAttendance', () => {
  it('writes one row under the id derived from session and learner, and logs it', async () => {
    await markAttendance(db, mark());

    const id = attendanceId(SESSION.id, LEARNER);
    const row = await db.attendance.get(id);
    expect(row).toEqual({
      id,
      createdAt: DURING.toISOString(),
      updatedAt: DURING.toISOString(),
      deviceId: (await readWriter(db))?.deviceId,
      deleted: false,
      sessionId: SESSION.id,
      learnerId: LEARNER,
      mark: 'P',
      absenceReason: null,
      minutesAttended: 120,
      markedBy: 'Ann Tutor',
      markedAt: DURING.toISOString(),
      markedLate: false,
    });
    expect((await outboxBatches(db))[0]?.changes).toEqual([
      { mutationId: 1, entityType: 'attendance', entityId: id, op: 'put', fields: row },
    ]);
  });

  it('updates the same row when the learner is marked again', async () => {
    await markAttendance(db, mark({ mark: 'P' }));
    const later = new Date(DURING.getTime() + 10 * 60 * 1000);
    vi.setSystemTime(later);

    await markAttendance(db, mark({ mark: 'U', markedBy: 'Bob Tutor' }));

    const rows = await db.attendance.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: attendanceId(SESSION.id, LEARNER),
      mark: 'U',
      minutesAttended: 0,
      markedBy: 'Bob Tutor',
      createdAt: DURING.toISOString(),
      markedAt: later.toISOString(),
    });
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.changes[0]?.fields).toEqual({
      updatedAt: later.toISOString(),
      mark: 'U',
      minutesAttended: 0,
      markedBy: 'Bob Tutor',
      markedAt: later.toISOString(),
    });
  });

  it('gives attending marks the session’s minutes and absences none', async () => {
    const minutesFor = async (code: MarkInput['mark'], session: MarkInput['session'] = SESSION) => {
      const learnerId = newId();
      await markAttendance(
        db,
        mark({ learnerId, mark: code, session, absenceReason: code === 'AA' ? 'illness' : null }),
      );
      return (await db.attendance.get(attendanceId(session.id, learnerId)))?.minutesAttended;
    };
    expect(await minutesFor('P')).toBe(120);
    expect(await minutesFor('L')).toBe(120);
    expect(await minutesFor('U')).toBe(0);
    expect(await minutesFor('AA')).toBe(0);
    const shortened = {
      ...SESSION,
      actualStart: '2026-11-30T10:15:00.000Z',
      actualEnd: '2026-11-30T11:45:00.000Z',
    };
    expect(await minutesFor('P', shortened)).toBe(90);
  });

  it('refuses an authorised absence without a reason, and writes nothing', async () => {
    await expect(markAttendance(db, mark({ mark: 'AA' }))).rejects.toThrow(
      'An authorised absence needs a reason',
    );
    await expect(markAttendance(db, mark({ mark: 'AA', absenceReason: null }))).rejects.toThrow();

    expect(await db.attendance.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    expect(await readWriter(db)).toBeUndefined();
  });

  it('keeps the reason of an authorised absence and drops it for any other mark', async () => {
    await markAttendance(db, mark({ mark: 'AA', absenceReason: 'medical-appointment' }));
    const id = attendanceId(SESSION.id, LEARNER);
    expect(await db.attendance.get(id)).toMatchObject({ mark: 'AA', absenceReason: 'medical-appointment' });

    await markAttendance(db, mark({ mark: 'P', absenceReason: 'medical-appointment' }));
    expect(await db.attendance.get(id)).toMatchObject({ mark: 'P', absenceReason: null });
  });

  it('flags a mark made more than 24 hours after the session’s end as late', async () => {
    const [onTime, late] = [newId(), newId()];
    vi.setSystemTime(new Date('2026-12-01T11:59:00.000Z'));
    await markAttendance(db, mark({ learnerId: onTime }));
    vi.setSystemTime(new Date('2026-12-01T12:01:00.000Z'));
    await markAttendance(db, mark({ learnerId: late }));

    expect((await db.attendance.get(attendanceId(SESSION.id, onTime)))?.markedLate).toBe(false);
    expect((await db.attendance.get(attendanceId(SESSION.id, late)))?.markedLate).toBe(true);
  });
});

describe('clearAttendance', () => {
  it('writes a tombstone and logs it', async () => {
    await markAttendance(db, mark());
    const later = new Date(DURING.getTime() + 60_000);
    vi.setSystemTime(later);

    await clearAttendance(db, SESSION.id, LEARNER);

    const id = attendanceId(SESSION.id, LEARNER);
    expect(await db.attendance.get(id)).toMatchObject({
      id,
      deleted: true,
      mark: 'P',
      updatedAt: later.toISOString(),
    });
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.changes).toEqual([
      {
        mutationId: 2,
        entityType: 'attendance',
        entityId: id,
        op: 'put',
        fields: { deleted: true, updatedAt: later.toISOString() },
      },
    ]);
  });

  it('logs nothing when there is no mark to clear', async () => {
    await clearAttendance(db, SESSION.id, LEARNER);
    expect(await db.outbox.count()).toBe(0);

    await markAttendance(db, mark());
    await clearAttendance(db, SESSION.id, LEARNER);
    await clearAttendance(db, SESSION.id, LEARNER);
    expect(await db.outbox.count()).toBe(2);
  });

  it('lets the learner be marked again on the same row', async () => {
    await markAttendance(db, mark({ mark: 'P' }));
    await clearAttendance(db, SESSION.id, LEARNER);
    await markAttendance(db, mark({ mark: 'L' }));

    expect(await db.attendance.toArray()).toEqual([
      expect.objectContaining({ id: attendanceId(SESSION.id, LEARNER), deleted: false, mark: 'L' }),
    ]);
    expect((await outboxBatches(db))[2]?.changes[0]?.fields).toMatchObject({ deleted: false, mark: 'L' });
  });
});

describe('reading the register', () => {
  it('attendanceForSession and attendanceOfLearner leave out tombstones and other sessions', async () => {
    const other: Session = makeSession({ id: newId() });
    const [ann, ben, cat] = [newId(), newId(), newId()];
    await markAttendance(db, mark({ learnerId: ann, mark: 'P' }));
    await markAttendance(db, mark({ learnerId: ben, mark: 'U' }));
    await markAttendance(db, mark({ learnerId: cat, mark: 'L' }));
    await markAttendance(db, mark({ learnerId: ann, mark: 'P', session: other }));
    await clearAttendance(db, SESSION.id, ben);

    const register = await attendanceForSession(db, SESSION.id);
    expect(register.map((row) => [row.learnerId, row.mark]).sort()).toEqual(
      [
        [ann, 'P'],
        [cat, 'L'],
      ].sort(),
    );
    expect((await attendanceOfLearner(db, ann)).map((row) => row.sessionId).sort()).toEqual(
      [SESSION.id, other.id].sort(),
    );
    expect(await attendanceOfLearner(db, ben)).toEqual([]);
  });
});
