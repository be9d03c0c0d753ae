import { beforeEach, describe, expect, it, vi } from 'vitest';
import { markAttendance } from '../../src/db/attendance';
import { OutreachDatabase } from '../../src/db/database';
import { endKiosk, getKiosk, kioskProgrammeTitle, signInAtKiosk, startKiosk } from '../../src/db/kiosk';
import { enrolLearner } from '../../src/db/learners';
import { outboxBatches } from '../../src/db/outbox';
import { attendanceId, newId } from '../../src/domain/ids';
import { CONSENT_STATEMENTS_V1, PRIVACY_NOTICE_V1 } from '../../src/domain/documents';
import {
  emptySelfEnrolmentForm,
  selfEnrolmentFormSchema,
  selfEnrolmentRecords,
} from '../../src/domain/forms/selfEnrolmentForm';
import { KIOSK_ENROLLED_BY, KIOSK_SIGNED_IN_BY } from '../../src/domain/kiosk';
import { useTestDatabaseAt } from '../fixtures/db';
import { makeProgramme, makeSession } from '../fixtures/records';

// The fixture session runs 10:00 to 12:00 UTC on 30 November; the device's clock is at 10:05.
const SESSION = makeSession({ id: newId() });
const DURING = new Date('2026-11-30T10:05:00.000Z');
const TUTOR = 'a3c1e0d2-5b4f-4e6a-9c8d-7f6e5d4c3b2a';
const LEARNER = newId();

const testDatabase = useTestDatabaseAt(DURING);
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

describe('the kiosk row', () => {
  it('is off until a tutor starts it', async () => {
    expect(await getKiosk(db)).toBeNull();
  });

  it('is stored in the meta table, so a reload or another tab finds it on', async () => {
    await startKiosk(db, { mode: 'self-enrolment', sessionId: SESSION.id, startedBy: TUTOR });
    const expected = {
      key: 'kiosk',
      mode: 'self-enrolment',
      sessionId: SESSION.id,
      startedBy: TUTOR,
      startedAt: DURING.toISOString(),
    };
    expect(await db.meta.get('kiosk')).toEqual(expected);
    // Another connection to the same database: what a reloaded page or a new tab opens.
    const reopened = new OutreachDatabase(db.name);
    try {
      expect(await getKiosk(reopened)).toEqual(expected);
    } finally {
      reopened.close();
    }
  });

  it('is one row: starting again for another session or mode replaces it', async () => {
    await startKiosk(db, { mode: 'self-enrolment', sessionId: SESSION.id, startedBy: TUTOR });
    const other = newId();
    await startKiosk(db, { mode: 'sign-in-sheet', sessionId: other, startedBy: TUTOR });
    expect(await getKiosk(db)).toMatchObject({ mode: 'sign-in-sheet', sessionId: other });
    expect(await db.meta.where('key').equals('kiosk').count()).toBe(1);
  });

  it('stays on this device: starting and leaving it sync nothing', async () => {
    await startKiosk(db, { mode: 'sign-in-sheet', sessionId: SESSION.id, startedBy: TUTOR });
    await endKiosk(db);
    expect(await outboxBatches(db)).toEqual([]);
  });

  it('is gone after leaving, and leaving twice is harmless', async () => {
    await startKiosk(db, { mode: 'sign-in-sheet', sessionId: SESSION.id, startedBy: TUTOR });
    await endKiosk(db);
    expect(await getKiosk(db)).toBeNull();
    await endKiosk(db);
    expect(await getKiosk(db)).toBeNull();
  });
});

describe("the programme a locked tab's kiosk screen names", () => {
  it("is the title of the session's programme, or null once either is gone", async () => {
    const programme = makeProgramme({ id: SESSION.programmeId, title: 'Getting Online Together' });
    await db.programmes.put(programme);
    await db.sessions.put(SESSION);
    expect(await kioskProgrammeTitle(db, SESSION.id)).toBe('Getting Online Together');
    expect(await kioskProgrammeTitle(db, newId())).toBeNull();
    await db.programmes.put({ ...programme, deleted: true });
    expect(await kioskProgrammeTitle(db, SESSION.id)).toBeNull();
  });
});

describe('signing in on the sign-in sheet', () => {
  it('marks the learner present, with the sheet as the marker, in one logged change', async () => {
    expect(await signInAtKiosk(db, SESSION, LEARNER)).toEqual({ kind: 'signed-in', mark: 'P' });
    const row = await db.attendance.get(attendanceId(SESSION.id, LEARNER));
    expect(row).toMatchObject({
      mark: 'P',
      markedBy: KIOSK_SIGNED_IN_BY,
      minutesAttended: 120,
      deleted: false,
    });
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes.map((change) => change.entityType)).toEqual(['attendance']);
  });

  it('marks a learner who arrives after the grace time late', async () => {
    vi.setSystemTime(new Date('2026-11-30T10:40:00.000Z'));
    expect(await signInAtKiosk(db, SESSION, LEARNER)).toEqual({ kind: 'signed-in', mark: 'L' });
    expect((await db.attendance.get(attendanceId(SESSION.id, LEARNER)))?.mark).toBe('L');
  });

  it('leaves a learner already marked present as they are, and writes nothing', async () => {
    await markAttendance(db, { session: SESSION, learnerId: LEARNER, mark: 'P', markedBy: 'Ann Tutor' });
    const before = await outboxBatches(db);
    expect(await signInAtKiosk(db, SESSION, LEARNER)).toEqual({ kind: 'already-signed-in' });
    expect((await db.attendance.get(attendanceId(SESSION.id, LEARNER)))?.markedBy).toBe('Ann Tutor');
    expect(await outboxBatches(db)).toEqual(before);
  });

  it('marks a learner the tutor had marked absent, now that they are here', async () => {
    await markAttendance(db, { session: SESSION, learnerId: LEARNER, mark: 'U', markedBy: 'Ann Tutor' });
    expect(await signInAtKiosk(db, SESSION, LEARNER)).toEqual({ kind: 'signed-in', mark: 'P' });
    expect((await db.attendance.get(attendanceId(SESSION.id, LEARNER)))?.mark).toBe('P');
  });
});

describe('a learner enrolling themselves', () => {
  it('is enrolled and marked present at the session in one transaction, with no draft kept', async () => {
    const values = selfEnrolmentFormSchema.parse({
      ...emptySelfEnrolmentForm(),
      givenNames: 'Grace',
      familyName: 'Adeyemi',
      dateOfBirth: { day: '2', month: '7', year: '1974' },
      postcode: 'L21 8HB',
      privacyNoticeRead: true,
    });
    const records = selfEnrolmentRecords(values, {
      programme: makeProgramme({ id: SESSION.programmeId }),
      privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
      consentStatementsVersionId: CONSENT_STATEMENTS_V1.id,
      deviceId: 'tablet-7',
      now: DURING.toISOString(),
    });
    await enrolLearner(db, records, { walkIn: { session: SESSION, markedBy: KIOSK_ENROLLED_BY } });

    expect(await db.learners.get(records.learner.id)).toMatchObject({ givenNames: 'Grace' });
    expect(await db.enrolments.get(records.enrolment.id)).toMatchObject({ channel: 'self-service' });
    expect(await db.attendance.get(attendanceId(SESSION.id, records.learner.id))).toMatchObject({
      mark: 'P',
      markedBy: KIOSK_ENROLLED_BY,
    });
    expect(await db.drafts.count()).toBe(0);
    expect(await outboxBatches(db)).toHaveLength(1);
  });
});
