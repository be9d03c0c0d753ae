import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { outboxBatches } from '../../src/db/outbox';
import {
  type SessionFields,
  getSession,
  saveSession,
  sessionsAfter,
  sessionsBefore,
  sessionsOn,
} from '../../src/db/sessions';
import { writeChanges } from '../../src/db/writes';
import { discardTestDatabase, openTestDatabase, readWriter, sessionFields } from '../fixtures/db';

let db: OutreachDatabase;

beforeEach(() => {
  db = openTestDatabase();
});

afterEach(async () => {
  await discardTestDatabase(db);
});

/** A session on a local date, starting at a UTC instant, lasting two hours; notes name it for assertions. */
function sessionAt(date: string, scheduledStart: string, notes: string): SessionFields {
  const end = new Date(Date.parse(scheduledStart) + 2 * 60 * 60 * 1000).toISOString();
  return sessionFields({ date, scheduledStart, scheduledEnd: end, notes });
}

async function deleteSession(id: string): Promise<void> {
  await writeChanges(db, ['sessions'], async (writer) => {
    const before = await db.sessions.get(id);
    await writer.put('session', { ...before!, deleted: true }, before);
  });
}

const notesOf = (sessions: { notes: string }[]) => sessions.map((session) => session.notes);

describe('saveSession', () => {
  it('creates a session and logs it', async () => {
    const id = await saveSession(db, sessionFields());

    const session = await getSession(db, id);
    expect(session).toMatchObject({
      ...sessionFields(),
      id,
      deleted: false,
      deviceId: (await readWriter(db))?.deviceId,
    });
    expect((await outboxBatches(db))[0]?.changes).toEqual([
      { mutationId: 1, entityType: 'session', entityId: id, op: 'put', fields: session },
    ]);
  });

  it('updates a session, logging only what changed', async () => {
    const id = await saveSession(db, sessionFields());

    await saveSession(
      db,
      sessionFields({ status: 'cancelled', cancelledReason: 'Venue closed: heating failure' }),
      id,
    );

    expect(await db.sessions.count()).toBe(1);
    expect(await getSession(db, id)).toMatchObject({
      status: 'cancelled',
      cancelledReason: 'Venue closed: heating failure',
    });
    const change = (await outboxBatches(db))[1]?.changes[0];
    expect(change?.entityId).toBe(id);
    expect(
      Object.keys(change?.fields ?? {})
        .filter((key) => key !== 'updatedAt')
        .sort(),
    ).toEqual(['cancelledReason', 'status']);
  });
});

describe('sessions by local date', () => {
  beforeEach(async () => {
    await saveSession(db, sessionAt('2026-11-29', '2026-11-29T10:00:00.000Z', 'sun'));
    await saveSession(db, sessionAt('2026-11-30', '2026-11-30T14:00:00.000Z', 'mon-afternoon'));
    await saveSession(db, sessionAt('2026-11-30', '2026-11-30T09:30:00.000Z', 'mon-morning'));
    await saveSession(db, sessionAt('2026-12-01', '2026-12-01T10:00:00.000Z', 'tue'));
    await saveSession(db, sessionAt('2026-12-02', '2026-12-02T10:00:00.000Z', 'wed'));
    await saveSession(db, sessionAt('2026-11-27', '2026-11-27T10:00:00.000Z', 'fri-before'));
    const cancelled = await saveSession(
      db,
      sessionAt('2026-11-30', '2026-11-30T11:00:00.000Z', 'mon-deleted'),
    );
    await deleteSession(cancelled);
  });

  it('sessionsOn gives the sessions of one day in start order, without deleted ones', async () => {
    expect(notesOf(await sessionsOn(db, '2026-11-30'))).toEqual(['mon-morning', 'mon-afternoon']);
    expect(await sessionsOn(db, '2026-11-28')).toEqual([]);
  });

  it('sessionsAfter gives later days only, soonest first, up to the limit', async () => {
    expect(notesOf(await sessionsAfter(db, '2026-11-30'))).toEqual(['tue', 'wed']);
    expect(notesOf(await sessionsAfter(db, '2026-11-28'))).toEqual([
      'sun',
      'mon-morning',
      'mon-afternoon',
      'tue',
      'wed',
    ]);
    expect(notesOf(await sessionsAfter(db, '2026-11-28', 2))).toEqual(['sun', 'mon-morning']);
  });

  it('sessionsBefore gives earlier days only, latest first, up to the limit', async () => {
    expect(notesOf(await sessionsBefore(db, '2026-11-30'))).toEqual(['sun', 'fri-before']);
    expect(notesOf(await sessionsBefore(db, '2026-12-02'))).toEqual([
      'tue',
      'mon-afternoon',
      'mon-morning',
      'sun',
      'fri-before',
    ]);
    expect(notesOf(await sessionsBefore(db, '2026-12-02', 2))).toEqual(['tue', 'mon-afternoon']);
  });

  it('go by the local calendar date, not the UTC date of the start', async () => {
    // 00:30 on 1 June in London (BST) is 23:30 on 31 May in UTC.
    await saveSession(db, sessionAt('2026-06-01', '2026-05-31T23:30:00.000Z', 'just-after-midnight'));

    expect(notesOf(await sessionsOn(db, '2026-06-01'))).toEqual(['just-after-midnight']);
    expect(await sessionsOn(db, '2026-05-31')).toEqual([]);
    expect(notesOf(await sessionsAfter(db, '2026-05-31', 1))).toEqual(['just-after-midnight']);
    expect(notesOf(await sessionsBefore(db, '2026-06-02', 1))).toEqual(['just-after-midnight']);
    expect(await sessionsBefore(db, '2026-06-01')).toEqual([]);
  });
});
