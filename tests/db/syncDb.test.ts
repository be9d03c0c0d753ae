// The device side of sync on fake-indexeddb: acknowledging pushed changes, keeping refused ones,
// applying pulled pages with their cursor atomically, rebasing over the outbox, tombstones, the
// clock, and checksums equal to what the server's function gives for the same records.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import { enrolLearner, getLearner, searchLearners } from '../../src/db/learners';
import { outboxBatches, summariseOutbox } from '../../src/db/outbox';
import { saveProgramme } from '../../src/db/programmes';
import { applyPulledPage, clockAfterReceiving, localChecksums, replaceTable } from '../../src/db/pulls';
import {
  acknowledgeThrough,
  dismissRejectedChange,
  getSyncState,
  listRejectedChanges,
  oldestPendingChanges,
  recordSignedIn,
  recordSignedOut,
  updateSyncState,
  watchOutbox,
} from '../../src/db/syncState';
import { getVenue, listVenues, saveVenue } from '../../src/db/venues';
import { formatHlc, parseHlc } from '../../src/domain/hlc';
import { createTableChecksum } from '../../src/domain/sync/checksum';
import type { PulledRecord, SyncedEntityType } from '../../src/domain/sync/protocol';
import {
  enrolmentRecords,
  programmeFields,
  readWriter,
  venueFields,
  useTestDatabaseAt,
} from '../fixtures/db';
import { makeLearner, makeVenue } from '../fixtures/records';

const T0 = new Date('2026-11-23T10:00:00.000Z');
const STAMP = '2026-11-23T09:00:00.000Z-0000-aaaaaaaaaaaaaaaa';

const testDatabase = useTestDatabaseAt(T0);
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

function pulled(
  entityType: SyncedEntityType,
  data: Record<string, unknown>,
  changeSeq: number,
  options: { deleted?: boolean; stamp?: string } = {},
): PulledRecord {
  const stamp = options.stamp ?? STAMP;
  return {
    entityType,
    entityId: String(data['id']),
    data: options.deleted ? { ...data, deleted: true } : data,
    hlc: stamp,
    deleted: options.deleted ?? false,
    changeSeq,
  };
}

/** Three actions: a venue (1 change), a programme (1 change), an enrolment (several changes). */
async function threeActions() {
  await saveVenue(db, venueFields());
  const programmeId = await saveProgramme(db, programmeFields());
  const programme = { id: programmeId, fundingStream: programmeFields().fundingStream };
  await enrolLearner(db, enrolmentRecords(programme));
  return outboxBatches(db);
}

describe('acknowledgeThrough', () => {
  it('drops acknowledged batches, keeps the unacknowledged part of a batch, and never reuses ids', async () => {
    const batches = await threeActions();
    expect(batches).toHaveLength(3);
    const enrolment = batches[2]!;
    expect(enrolment.changes.length).toBeGreaterThan(2);
    const lastIssued = (await readWriter(db))!.lastMutationId;

    // Acknowledged up to the second change of the enrolment's batch.
    const through = enrolment.firstMutationId + 1;
    await acknowledgeThrough(db, through, []);

    const left = await outboxBatches(db);
    expect(left).toHaveLength(1);
    expect(left[0]!.firstMutationId).toBe(through + 1);
    expect(left[0]!.lastMutationId).toBe(lastIssued);
    expect(left[0]!.changes.map((change) => change.mutationId)).toEqual(
      enrolment.changes.slice(2).map((change) => change.mutationId),
    );
    expect((await summariseOutbox(db)).pendingChanges).toBe(lastIssued - through);

    // The writer keeps counting from where it was: the next change gets the next id, not a reused one.
    await acknowledgeThrough(db, lastIssued, []);
    expect(await outboxBatches(db)).toEqual([]);
    await saveVenue(db, venueFields({ name: 'After' }));
    const [next] = await outboxBatches(db);
    expect(next!.firstMutationId).toBe(lastIssued + 1);
  });

  it('keeps every rejected change with its reason and record until the tutor dismisses it', async () => {
    const batches = await threeActions();
    const venueChange = batches[0]!.changes[0]!;
    await acknowledgeThrough(db, batches[1]!.lastMutationId, [
      { mutationId: venueChange.mutationId, reason: 'invalid-record', message: 'venue.name: Too short' },
    ]);
    const rejected = await listRejectedChanges(db);
    expect(rejected).toEqual([
      expect.objectContaining({
        mutationId: venueChange.mutationId,
        entityType: 'venue',
        entityId: venueChange.entityId,
        op: 'put',
        fields: venueChange.fields,
        reason: 'invalid-record',
        message: 'venue.name: Too short',
        madeAt: batches[0]!.madeAt,
        rejectedAt: T0.toISOString(),
      }),
    ]);
    // A replayed answer for changes already acknowledged changes nothing.
    await acknowledgeThrough(db, batches[1]!.lastMutationId, [
      { mutationId: venueChange.mutationId, reason: 'invalid-record', message: 'again' },
    ]);
    expect(await listRejectedChanges(db)).toHaveLength(1);
    await dismissRejectedChange(db, venueChange.mutationId);
    expect(await listRejectedChanges(db)).toEqual([]);
  });

  it('gives the oldest pending changes with their batch stamp, at most the limit asked', async () => {
    const batches = await threeActions();
    const changes = await oldestPendingChanges(db, 3);
    expect(changes.map((change) => change.mutationId)).toEqual([1, 2, 3]);
    expect(changes[2]!.hlc).toBe(batches[2]!.hlc);
    expect(changes[0]!.hlc).toBe(batches[0]!.hlc);
  });
});

describe('signing in', () => {
  const user = (organisationId: string) => ({
    id: '00000000-0000-4000-8000-0000000000c1',
    name: 'Sam Tutor',
    email: 'sam@example.org',
    role: 'tutor',
    organisationId,
    organisationName: null,
  });

  it('keeps the registration and cursor for the same organisation, and starts afresh for another', async () => {
    await recordSignedIn(db, user('org-a'));
    expect((await getSyncState(db)).status).toBe('never-synced');
    await updateSyncState(db, { serverDeviceId: 'server-device', deviceOrganisationId: 'org-a', cursor: 9 });
    await recordSignedOut(db);
    expect(await getSyncState(db)).toMatchObject({ status: 'signed-out', user: null, cursor: 9 });

    await recordSignedIn(db, user('org-a'));
    expect(await getSyncState(db)).toMatchObject({ serverDeviceId: 'server-device', cursor: 9 });
    await recordSignedIn(db, user('org-b'));
    expect(await getSyncState(db)).toMatchObject({ serverDeviceId: null, cursor: 0, user: user('org-b') });
  });
});

describe('watchOutbox', () => {
  it('calls back when a save adds a change, not for a pull', async () => {
    let calls = 0;
    const unsubscribe = watchOutbox(db, () => (calls += 1));
    // The first answer (nothing written yet) is the baseline, not a save.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(0);
    await saveVenue(db, venueFields());
    await vi.waitFor(() => expect(calls).toBe(1));
    await applyPulledPage(db, {
      records: [pulled('venue', makeVenue(), 1)],
      cursor: 1,
      hasMore: false,
      scope: '',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(calls).toBe(1);
    unsubscribe();
  });
});

describe('applyPulledPage', () => {
  it('writes the records and the cursor together, learners with their search keys', async () => {
    const learner = makeLearner({ id: '00000000-0000-4000-8000-000000000002', familyName: 'Okafor' });
    const venue = makeVenue({ id: '00000000-0000-4000-8000-000000000001' });
    await applyPulledPage(db, {
      records: [pulled('venue', venue, 1), pulled('learner', learner, 2)],
      cursor: 2,
      hasMore: false,
      scope: '',
    });
    expect(await getVenue(db, venue.id)).toEqual(venue);
    expect(await getLearner(db, learner.id)).toEqual(learner);
    expect((await searchLearners(db, 'okafor')).map((found) => found.id)).toEqual([learner.id]);
    expect((await getSyncState(db)).cursor).toBe(2);
  });

  it('keeps neither the records nor the cursor when the page cannot be written', async () => {
    const venue = makeVenue({ id: '00000000-0000-4000-8000-000000000001' });
    const broken = { ...pulled('venue', makeVenue(), 2), entityType: 'no-such-type' as SyncedEntityType };
    await expect(
      applyPulledPage(db, {
        records: [pulled('venue', venue, 1), broken],
        cursor: 2,
        hasMore: false,
        scope: '',
      }),
    ).rejects.toThrow();
    expect(await getVenue(db, venue.id)).toBeUndefined();
    expect((await getSyncState(db)).cursor).toBe(0);
  });

  it('keeps the outbox values on top of pulled data for records with changes still waiting', async () => {
    const id = await saveVenue(db, venueFields({ name: 'Name typed here' }));
    const local = (await getVenue(db, id))!;
    await saveVenue(db, { ...venueFields({ name: 'Name typed here' }), address: 'Typed address' }, id);
    const fromServer = { ...local, name: 'Name from server', address: 'Server address', publicWifi: true };
    await applyPulledPage(db, {
      records: [pulled('venue', fromServer, 5)],
      cursor: 5,
      hasMore: false,
      scope: '',
    });
    const shown = (await getVenue(db, id))!;
    expect(shown.name).toBe('Name typed here');
    expect(shown.address).toBe('Typed address');
    // A field with nothing waiting takes the server's value.
    expect(shown.publicWifi).toBe(true);
  });

  it('keeps tombstones as deleted rows, which the lists leave out', async () => {
    const venue = makeVenue({ id: '00000000-0000-4000-8000-000000000001', name: 'Gone' });
    const kept = makeVenue({ id: '00000000-0000-4000-8000-000000000003', name: 'Kept' });
    await applyPulledPage(db, {
      records: [pulled('venue', venue, 1, { deleted: true }), pulled('venue', kept, 2)],
      cursor: 2,
      hasMore: false,
      scope: '',
    });
    expect((await getVenue(db, venue.id))?.deleted).toBe(true);
    expect((await listVenues(db)).map((found) => found.name)).toEqual(['Kept']);
    // A learner tombstone may carry only a few fields: it is still stored.
    await applyPulledPage(db, {
      records: [pulled('learner', { id: '00000000-0000-4000-8000-000000000004' }, 3, { deleted: true })],
      cursor: 3,
      hasMore: false,
      scope: '',
    });
    expect((await db.learners.get('00000000-0000-4000-8000-000000000004'))?.deleted).toBe(true);
  });

  it('stores server-owned records in their own tables', async () => {
    const organisationId = '00000000-0000-4000-8000-0000000000aa';
    await applyPulledPage(db, {
      records: [
        pulled('organisation', { id: organisationId, name: 'Bootle Partnership' }, 1),
        pulled('user', { id: '00000000-0000-4000-8000-0000000000bb', name: 'Sam', organisationId }, 2),
      ],
      cursor: 2,
      hasMore: false,
      scope: '',
    });
    expect(await db.organisations.get(organisationId)).toMatchObject({ name: 'Bootle Partnership' });
    expect(await db.users.count()).toBe(1);
  });

  it('moves the clock past a pulled stamp, even one ahead of this device, so later edits sort after it', async () => {
    const ahead = formatHlc({ millis: T0.getTime() + 60 * 60 * 1000, counter: 7, node: 'bbbbbbbbbbbbbbbb' });
    await saveVenue(db, venueFields());
    await applyPulledPage(db, {
      records: [pulled('venue', makeVenue(), 1, { stamp: ahead })],
      cursor: 1,
      hasMore: false,
      scope: '',
    });
    await saveVenue(db, venueFields({ name: 'Later' }));
    const batches = await outboxBatches(db);
    expect(batches.at(-1)!.hlc > ahead).toBe(true);
    expect(parseHlc(batches.at(-1)!.hlc).node).toBe((await readWriter(db))!.clock.node);
  });

  it('ignores an unreadable stamp and never moves the clock back', () => {
    const local = { millis: T0.getTime(), counter: 3, node: 'cccccccccccccccc' };
    expect(clockAfterReceiving(local, 'not a stamp')).toBe(local);
    expect(clockAfterReceiving(local, STAMP)).toBe(local);
  });
});

describe('checksums and repair', () => {
  const venues = [
    makeVenue({ id: '00000000-0000-4000-8000-00000000000b', name: 'B' }),
    makeVenue({ id: '00000000-0000-4000-8000-00000000000a', name: 'A' }),
  ];
  const learners = [makeLearner({ id: '00000000-0000-4000-8000-00000000000c' })];

  /** What the server's checksum function gives for the same records (ascending id order). */
  function serverChecksum(records: Record<string, unknown>[]) {
    const checksum = createTableChecksum();
    for (const record of [...records].sort((a, b) => (String(a['id']) < String(b['id']) ? -1 : 1))) {
      checksum.add(String(record['id']), record);
    }
    return checksum.result();
  }

  it('equal the server function over the same records, without learner search keys', async () => {
    await applyPulledPage(db, {
      records: [
        ...venues.map((venue, index) => pulled('venue', venue, index + 1)),
        pulled('learner', learners[0]!, 3),
      ],
      cursor: 3,
      hasMore: false,
      scope: '',
    });
    const local = await localChecksums(db);
    expect(local.venue).toEqual(serverChecksum(venues));
    expect(local.learner).toEqual(serverChecksum(learners));
    expect(local.programme).toEqual({ count: 0, sha256: serverChecksum([]).sha256 });
  });

  it('cover every row of a table read in several pages, in id order', async () => {
    // 4,500 venues: the device reads 2,000 at a time; pulled in a shuffled order.
    const many = Array.from({ length: 4500 }, (_, index) =>
      makeVenue({ id: `00000000-0000-4000-8000-${String((index * 7919) % 4500).padStart(12, '0')}` }),
    );
    await applyPulledPage(db, {
      records: many.map((venue, index) => pulled('venue', venue, index + 1)),
      cursor: many.length,
      hasMore: false,
      scope: '',
    });
    const local = await localChecksums(db, ['venue']);
    expect(local.venue).toEqual(serverChecksum(many));
    expect(local.venue?.count).toBe(4500);
  });

  it('differ after a row is corrupted, and replaceTable puts the server rows back', async () => {
    await applyPulledPage(db, {
      records: venues.map((venue, index) => pulled('venue', venue, index + 1)),
      cursor: 2,
      hasMore: false,
      scope: '',
    });
    await db.venues.update(venues[0]!.id, { name: 'Corrupted' });
    await db.venues.put(makeVenue({ id: '00000000-0000-4000-8000-0000000000ff' }));
    expect((await localChecksums(db, ['venue'])).venue).not.toEqual(serverChecksum(venues));

    await replaceTable(
      db,
      'venue',
      venues.map((venue, index) => pulled('venue', venue, index + 1)),
    );
    expect((await localChecksums(db, ['venue'])).venue).toEqual(serverChecksum(venues));
    expect((await getSyncState(db)).cursor).toBe(2);
  });
});
