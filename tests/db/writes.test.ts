import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANGE_LOG_ENTRY_VERSION, type OutboxBatch } from '../../src/domain/changeLog';
import { clockNodeFromDeviceId, parseHlc } from '../../src/domain/hlc';
import { newId } from '../../src/domain/ids';
import type { OutreachDatabase } from '../../src/db/database';
import { STORAGE_FULL_MESSAGE, StoreError } from '../../src/db/errors';
import { deviceId as readDeviceId, outboxBatches } from '../../src/db/outbox';
import { generateServerSealingKeyPair } from '../../src/crypto/outboxSeal';
import { rememberServerSealingKey } from '../../src/db/outboxSealing';
import { getSession, saveSession } from '../../src/db/sessions';
import { holdsDataKey } from '../../src/db/vault';
import { saveVenue } from '../../src/db/venues';
import { ensureWriterState, writeChanges } from '../../src/db/writes';
import { allChanges, readWriter, sessionFields, useTestDatabaseAt, venueFields } from '../fixtures/db';
import { makeVenue } from '../fixtures/records';

const T0 = new Date('2026-11-23T10:00:00.000Z');

const testDatabase = useTestDatabaseAt(T0);
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

/** Everything a failed write must leave as it was. */
async function snapshot() {
  return {
    venues: await db.venues.toArray(),
    outbox: await db.outbox.toArray(),
    writer: await readWriter(db),
  };
}

describe('writeChanges: one action, one transaction, one outbox batch', () => {
  it('writes the record and exactly one batch that logs every field of a new record', async () => {
    const id = await saveVenue(db, venueFields());

    const stored = await db.venues.get(id);
    const writer = await readWriter(db);
    expect(stored).toEqual({
      ...venueFields(),
      id,
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      deviceId: writer?.deviceId,
      deleted: false,
    });
    const batches = await outboxBatches(db);
    expect(batches).toEqual([
      {
        firstMutationId: 1,
        lastMutationId: 1,
        hlc: expect.any(String),
        madeAt: T0.toISOString(),
        changes: [{ mutationId: 1, entityType: 'venue', entityId: id, op: 'put', fields: stored }],
        entryVersion: CHANGE_LOG_ENTRY_VERSION,
      },
    ]);
    expect(writer?.lastMutationId).toBe(1);
  });

  it('writes a big action (more records than one part) whole: every record, one batch, in order', async () => {
    const venues = Array.from({ length: 2500 }, (_, index) =>
      makeVenue({ id: newId(), name: `Venue ${index}` }),
    );
    await writeChanges(db, ['venues'], async (writer) => writer.putNew('venue', venues));

    expect((await db.venues.toArray()).map((venue) => venue.id).sort()).toEqual(
      venues.map((venue) => venue.id).sort(),
    );
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes.map((change) => [change.mutationId, change.entityId])).toEqual(
      venues.map((venue, index) => [index + 1, venue.id]),
    );
    expect((await readWriter(db))?.lastMutationId).toBe(2500);
  });

  it('puts every record of one action in the same batch', async () => {
    const ids = [newId(), newId(), newId()];
    await writeChanges(db, ['venues', 'programmes'], async (writer, deviceId) => {
      await writer.put('venue', makeVenue({ id: ids[0], deviceId }));
      await writer.putNew('venue', [
        makeVenue({ id: ids[1], deviceId }),
        makeVenue({ id: ids[2], deviceId }),
      ]);
    });

    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.changes.map((change) => [change.mutationId, change.entityId])).toEqual([
      [1, ids[0]],
      [2, ids[1]],
      [3, ids[2]],
    ]);
    expect(await db.venues.count()).toBe(3);
  });

  it('stores neither the record nor the batch when the batch cannot be added', async () => {
    // A batch already holding mutation id 1 makes the outbox add fail after the record's put.
    const planted: OutboxBatch = {
      firstMutationId: 1,
      lastMutationId: 1,
      hlc: '2026-11-23T09:00:00.000Z-0000-0000000000000000',
      madeAt: '2026-11-23T09:00:00.000Z',
      changes: [],
      entryVersion: CHANGE_LOG_ENTRY_VERSION,
    };
    await db.outbox.add(planted);

    await expect(saveVenue(db, venueFields())).rejects.toThrow();

    expect(await db.venues.count()).toBe(0);
    expect(await db.outbox.toArray()).toEqual([planted]);
    // The device's id may exist (it is made before the write); no mutation id was used.
    expect((await readWriter(db))?.lastMutationId ?? 0).toBe(0);
  });
});

describe('mutation ids', () => {
  it('are dense across batches and per change: 1..n, no gaps', async () => {
    await saveVenue(db, venueFields({ name: 'A' }));
    await writeChanges(db, ['venues'], async (writer, deviceId) => {
      await writer.putNew('venue', [
        makeVenue({ id: newId(), deviceId, name: 'B' }),
        makeVenue({ id: newId(), deviceId, name: 'C' }),
        makeVenue({ id: newId(), deviceId, name: 'D' }),
      ]);
    });
    await saveVenue(db, venueFields({ name: 'E' }));
    await writeChanges(db, ['venues'], async (writer, deviceId) => {
      await writer.put('venue', makeVenue({ id: newId(), deviceId, name: 'F' }));
      await writer.put('venue', makeVenue({ id: newId(), deviceId, name: 'G' }));
    });

    const batches = await outboxBatches(db);
    expect(batches.map((batch) => [batch.firstMutationId, batch.lastMutationId])).toEqual([
      [1, 1],
      [2, 4],
      [5, 5],
      [6, 7],
    ]);
    for (const batch of batches) {
      expect(batch.changes.map((change) => change.mutationId)).toEqual(
        Array.from(
          { length: batch.lastMutationId - batch.firstMutationId + 1 },
          (_, i) => batch.firstMutationId + i,
        ),
      );
    }
    expect((await allChanges(db)).map((change) => change.mutationId)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect((await readWriter(db))?.lastMutationId).toBe(7);
  });

  it('are never reused after acknowledged batches are deleted', async () => {
    await saveVenue(db, venueFields({ name: 'A' }));
    await saveVenue(db, venueFields({ name: 'B' }));
    await db.outbox.clear();

    await saveVenue(db, venueFields({ name: 'C' }));

    const batches = await outboxBatches(db);
    expect(batches.map((batch) => batch.firstMutationId)).toEqual([3]);
    expect(batches[0]?.changes[0]?.mutationId).toBe(3);
  });
});

describe('the batch clock', () => {
  it('strictly increases, within one millisecond too, and carries this device as its node', async () => {
    for (let i = 0; i < 5; i++) await saveVenue(db, venueFields({ name: `Venue ${i}` }));
    vi.setSystemTime(new Date(T0.getTime() + 1));
    for (let i = 5; i < 8; i++) await saveVenue(db, venueFields({ name: `Venue ${i}` }));

    const stamps = (await outboxBatches(db)).map((batch) => batch.hlc);
    expect(stamps).toHaveLength(8);
    for (let i = 1; i < stamps.length; i++) expect(stamps[i]! > stamps[i - 1]!).toBe(true);
    const writer = await readWriter(db);
    expect(stamps.map((stamp) => parseHlc(stamp).node)).toEqual(
      Array(8).fill(clockNodeFromDeviceId(writer!.deviceId)),
    );
    expect(parseHlc(stamps[0]!).millis).toBe(T0.getTime());
    expect(parseHlc(stamps[5]!)).toMatchObject({ millis: T0.getTime() + 1, counter: 0 });
  });

  it('keeps increasing when the device clock is put back', async () => {
    await saveVenue(db, venueFields({ name: 'Before' }));
    vi.setSystemTime(new Date(T0.getTime() - 60 * 60 * 1000));
    await saveVenue(db, venueFields({ name: 'After' }));

    const [first, second] = (await outboxBatches(db)).map((batch) => batch.hlc);
    expect(second! > first!).toBe(true);
  });
});

describe('updates', () => {
  it('log only the changed fields, plus updatedAt', async () => {
    const id = await saveVenue(db, venueFields());
    const later = new Date(T0.getTime() + 60_000);
    vi.setSystemTime(later);

    await saveVenue(db, venueFields({ name: 'Bootle Library (upstairs)', publicWifi: false }), id);

    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(2);
    expect(batches[1]?.changes).toEqual([
      {
        mutationId: 2,
        entityType: 'venue',
        entityId: id,
        op: 'put',
        fields: { name: 'Bootle Library (upstairs)', publicWifi: false, updatedAt: later.toISOString() },
      },
    ]);
    expect(await db.venues.get(id)).toMatchObject({
      name: 'Bootle Library (upstairs)',
      publicWifi: false,
      createdAt: T0.toISOString(),
      updatedAt: later.toISOString(),
    });
  });

  it('log nothing, and write nothing, when nothing really changed', async () => {
    const id = await saveVenue(db, venueFields());
    const before = await snapshot();
    vi.setSystemTime(new Date(T0.getTime() + 60_000));

    await saveVenue(db, venueFields(), id);

    expect(await snapshot()).toEqual(before);
  });
});

describe('atomicity: a failing action changes nothing', () => {
  async function seedOneVenue() {
    await saveVenue(db, venueFields({ name: 'Already here' }));
    return snapshot();
  }

  it('when a second put fails', async () => {
    const before = await seedOneVenue();

    await expect(
      writeChanges(db, ['venues'], async (writer, deviceId) => {
        await writer.put('venue', makeVenue({ id: newId(), deviceId, name: 'First of two' }));
        // No primary key: IndexedDB refuses the put.
        await writer.put('venue', { ...makeVenue({ deviceId }), id: undefined as unknown as string });
      }),
    ).rejects.toThrow();

    expect(await snapshot()).toEqual(before);
  });

  it('when a put fails in a later part of a big write (sealed and handed on a thousand at a time)', async () => {
    const before = await seedOneVenue();

    await expect(
      writeChanges(db, ['venues'], async (writer, deviceId) => {
        const venues = Array.from({ length: 2500 }, (_, index) =>
          makeVenue({ id: newId(), deviceId, name: `Venue ${index}` }),
        );
        // The last part holds a record IndexedDB refuses: the parts before it are undone too.
        venues[2400] = { ...venues[2400]!, id: undefined as unknown as string };
        await writer.putNew('venue', venues);
      }),
    ).rejects.toThrow();

    expect(await snapshot()).toEqual(before);
  });

  it('when the action throws after its puts', async () => {
    const before = await seedOneVenue();
    const failure = new Error('the form went away');

    await expect(
      writeChanges(db, ['venues'], async (writer, deviceId) => {
        await writer.put('venue', makeVenue({ id: newId(), deviceId, name: 'Written, then undone' }));
        await writer.put('venue', { ...before.venues[0]!, name: 'Renamed, then undone' }, before.venues[0]);
        throw failure;
      }),
    ).rejects.toBe(failure);

    expect(await snapshot()).toEqual(before);
  });

  it('when the very first action fails: no mutation id is used', async () => {
    await expect(
      writeChanges(db, ['venues'], async (writer, deviceId) => {
        await writer.put('venue', makeVenue({ id: newId(), deviceId }));
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');

    const after = await snapshot();
    expect({ venues: after.venues, outbox: after.outbox }).toEqual({ venues: [], outbox: [] });
    expect(after.writer?.lastMutationId ?? 0).toBe(0);
  });
});

describe('the device id', () => {
  it('is made on the first write and kept for every later one', async () => {
    expect(await readDeviceId(db)).toBeNull();

    const first = await saveVenue(db, venueFields({ name: 'A' }));
    const writer = await readWriter(db);
    expect(writer?.deviceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);

    const second = await saveVenue(db, venueFields({ name: 'B' }));
    expect((await readWriter(db))?.deviceId).toBe(writer?.deviceId);
    expect(await readDeviceId(db)).toBe(writer?.deviceId);
    expect((await db.venues.get(first))?.deviceId).toBe(writer?.deviceId);
    expect((await db.venues.get(second))?.deviceId).toBe(writer?.deviceId);
    expect((await ensureWriterState(db)).deviceId).toBe(writer?.deviceId);
  });

  it('is the one passed to the action', async () => {
    const seen: string[] = [];
    await writeChanges(db, ['venues'], async (_writer, deviceId) => void seen.push(deviceId));
    await writeChanges(db, ['venues'], async (_writer, deviceId) => void seen.push(deviceId));

    expect(seen).toEqual([(await readWriter(db))?.deviceId, (await readWriter(db))?.deviceId]);
  });
});

describe('a full disk', () => {
  it('becomes a StoreError "storage-full" and leaves the store as it was', async () => {
    await saveVenue(db, venueFields({ name: 'Already here' }));
    const before = await snapshot();
    const quota = new DOMException('full', 'QuotaExceededError');

    const failure = await writeChanges(db, ['venues'], async (writer, deviceId) => {
      await writer.put('venue', makeVenue({ id: newId(), deviceId }));
      throw quota;
    }).catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(StoreError);
    expect(failure).toMatchObject({ code: 'storage-full', message: STORAGE_FULL_MESSAGE });
    expect(isQuotaCause(failure)).toBe(true);
    expect(await snapshot()).toEqual(before);
  });
});

function isQuotaCause(error: unknown): boolean {
  if (!(error instanceof StoreError)) return false;
  const cause = error.cause as { name?: string; inner?: { name?: string } } | undefined;
  return cause?.name === 'QuotaExceededError' || cause?.inner?.name === 'QuotaExceededError';
}

describe('changes at the same moment (another tab, another tap)', () => {
  it('never lose one another: each is planned from the row the one before wrote', async () => {
    const id = await saveVenue(db, venueFields({ name: 'Hall' }));
    const appendToName = (word: string) =>
      writeChanges(db, ['venues'], async (writer) => {
        const before = (await db.venues.get(id))!;
        await writer.put('venue', { ...before, name: `${before.name} ${word}` }, before);
      });

    await Promise.all(['A', 'B', 'C'].map(appendToName));

    expect((await db.venues.get(id))?.name.split(' ').sort()).toEqual(['A', 'B', 'C', 'Hall']);
    const batches = await outboxBatches(db);
    expect(batches.map((batch) => batch.firstMutationId)).toEqual([1, 2, 3, 4]);
    expect(batches.slice(1).map((batch) => batch.changes[0]?.fields?.['name'])).toEqual([
      'Hall A',
      'Hall A B',
      'Hall A B C',
    ]);
  });
});

describe('keys the first write needs', () => {
  it('are fetched on the way: the write is stored once, sealed at rest and to the server', async () => {
    const pair = await generateServerSealingKeyPair();
    await rememberServerSealingKey(db, { keyId: pair.keyId, publicKey: pair.publicKey });
    expect(holdsDataKey(db)).toBe(false);

    const sessionId = await saveSession(
      db,
      sessionFields({ programmeId: newId(), venueId: newId(), notes: 'Bring the hearing loop' }),
    );

    expect(holdsDataKey(db)).toBe(true);
    const row = await db.sessions.get(sessionId);
    expect(JSON.stringify(row)).not.toContain('hearing loop');
    const batches = await outboxBatches(db);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.firstMutationId).toBe(1);
    expect(JSON.stringify(batches[0])).not.toContain('hearing loop');
    expect((await readWriter(db))?.lastMutationId).toBe(1);
    expect((await getSession(db, sessionId))?.notes).toBe('Bring the hearing loop');
  });
});
