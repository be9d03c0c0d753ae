import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { enrolLearner } from '../../src/db/learners';
import { deviceId, outboxBatches, summariseOutbox } from '../../src/db/outbox';
import { getProgramme, saveProgramme } from '../../src/db/programmes';
import { saveVenue } from '../../src/db/venues';
import { enrolmentRecords, programmeFields, venueFields, useTestDatabaseAt } from '../fixtures/db';

const T0 = new Date('2026-11-23T10:00:00.000Z');

const testDatabase = useTestDatabaseAt(T0);
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

describe('summariseOutbox', () => {
  it('is empty on a new device', async () => {
    expect(await summariseOutbox(db)).toEqual({ pendingChanges: 0, oldestMadeAt: null, lastMutationId: 0 });
    expect(await deviceId(db)).toBeNull();
  });

  it('counts every record change across batches, and drops as acknowledged batches are deleted', async () => {
    await saveVenue(db, venueFields()); // 1 change
    vi.setSystemTime(new Date(T0.getTime() + 60_000));
    const programmeId = await saveProgramme(db, programmeFields()); // 1 change
    vi.setSystemTime(new Date(T0.getTime() + 120_000));
    await enrolLearner(db, enrolmentRecords((await getProgramme(db, programmeId))!)); // 10 changes

    const batches = await outboxBatches(db);
    const changeCount = batches.reduce((sum, batch) => sum + batch.changes.length, 0);
    expect(changeCount).toBe(12);
    expect(await summariseOutbox(db)).toEqual({
      pendingChanges: changeCount,
      oldestMadeAt: T0.toISOString(),
      lastMutationId: 12,
    });

    // Sync deletes the oldest batch once the server acknowledges its mutation ids.
    await db.outbox.delete(batches[0]!.firstMutationId);
    expect(await summariseOutbox(db)).toEqual({
      pendingChanges: changeCount - batches[0]!.changes.length,
      oldestMadeAt: new Date(T0.getTime() + 60_000).toISOString(),
      lastMutationId: 12,
    });

    await db.outbox.delete(batches[1]!.firstMutationId);
    expect((await summariseOutbox(db)).pendingChanges).toBe(10);

    await db.outbox.delete(batches[2]!.firstMutationId);
    expect(await summariseOutbox(db)).toEqual({ pendingChanges: 0, oldestMadeAt: null, lastMutationId: 12 });
  });

  it('lists batches oldest first', async () => {
    for (const name of ['A', 'B', 'C']) await saveVenue(db, venueFields({ name }));
    expect((await outboxBatches(db)).map((batch) => batch.changes[0]?.fields?.['name'])).toEqual([
      'A',
      'B',
      'C',
    ]);
  });
});
