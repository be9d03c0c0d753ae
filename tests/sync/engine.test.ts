// The client engine against the real server app in-process (PGlite in memory): two or three device
// databases on fake-indexeddb sign in, push, pull and converge, through faults injected on purpose.
import { describe, expect, it, vi } from 'vitest';
import { enrolLearner, searchLearners } from '../../src/db/learners';
import { outboxBatches, summariseOutbox } from '../../src/db/outbox';
import { saveProgramme } from '../../src/db/programmes';
import { localChecksums } from '../../src/db/pulls';
import { getSyncState, listRejectedChanges, updateSyncState } from '../../src/db/syncState';
import { getVenue, listVenues, saveVenue } from '../../src/db/venues';
import { enrolmentRecords, programmeFields, venueFields } from '../fixtures/db';
import type { ApiFailure, SyncApi } from '../../src/api/syncApi';
import { syncOnce } from '../../src/sync/syncOnce';
import { type TestDevice, runDirectly, useServerAndDevices } from './harness';

// Each test starts its own server on PGlite (a fresh organisation), which takes a few seconds.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const { server: currentServer, device } = useServerAndDevices();

async function expectSynced(target: TestDevice, options: Parameters<TestDevice['sync']>[0] = {}) {
  const outcome = await target.sync(options);
  if (outcome.kind !== 'synced') throw new Error(`expected a sync, got ${JSON.stringify(outcome)}`);
  return outcome.summary;
}

/** The device's API, with its push number `failing` answered by `failure` (the others reach the server). */
function failingPush(target: TestDevice, failing: number, failure: ApiFailure) {
  let pushes = 0;
  const api: SyncApi = {
    ...target.api,
    push: (...args) =>
      ++pushes === failing ? Promise.resolve({ ok: false, failure }) : target.api.push(...args),
  };
  return { api, pushes: () => pushes };
}

describe('first sign-in', () => {
  it('pushes the records made before it, and a second tablet receives them', async () => {
    const first = device();
    // Offline use, never signed in: everything waits in the outbox, and sync asks the server nothing.
    await saveVenue(first.db, venueFields({ name: 'Bootle Library' }));
    const programmeId = await saveProgramme(first.db, programmeFields());
    await enrolLearner(
      first.db,
      enrolmentRecords({ id: programmeId, fundingStream: programmeFields().fundingStream }),
    );
    const pending = (await summariseOutbox(first.db)).pendingChanges;
    expect(pending).toBeGreaterThan(3);
    expect(await first.sync()).toEqual({ kind: 'signed-out' });
    expect(first.network.requests).toEqual([]);
    expect((await getSyncState(first.db)).status).toBe('signed-out');

    await first.setUp();
    expect((await getSyncState(first.db)).status).toBe('never-synced');
    const summary = await expectSynced(first);
    expect(summary.pushed).toBe(pending);
    expect(summary.rejected).toBe(0);
    expect(await outboxBatches(first.db)).toEqual([]);
    const state = await getSyncState(first.db);
    expect(state.status).toBe('up-to-date');
    expect(state.serverDeviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(state.lastSuccessAt).not.toBeNull();
    expect(state.cursor).toBeGreaterThan(0);

    const second = device();
    await second.signIn();
    await expectSynced(second);
    expect((await listVenues(second.db)).map((venue) => venue.name)).toEqual(['Bootle Library']);
    expect((await searchLearners(second.db, 'siobhán')).map((learner) => learner.familyName)).toEqual([
      "O'Neill",
    ]);
    const [mine, theirs] = await Promise.all([localChecksums(first.db), localChecksums(second.db)]);
    expect(theirs.learner).toEqual(mine.learner);
    expect(theirs.enrolment).toEqual(mine.enrolment);
    expect(theirs.venue).toEqual(mine.venue);
  });
});

describe('faults', () => {
  it('sends a push again after its answer was lost, and the server applies it once', async () => {
    const tablet = device();
    await tablet.setUp();
    await saveVenue(tablet.db, venueFields({ name: 'Once only' }));
    await saveVenue(tablet.db, venueFields({ name: 'Twice over' }));
    tablet.network.loseAnswerTo = '/api/sync/push';
    const lost = await tablet.sync();
    expect(lost.kind).toBe('failed');
    expect(lost.kind === 'failed' && lost.failure.kind).toBe('offline');
    expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(2);
    const state = await getSyncState(tablet.db);
    expect(state.status).toBe('failed');
    expect(state.lastFailure?.reason).toBe('offline');

    const retried = await expectSynced(tablet);
    expect(retried.pushed).toBe(2);
    expect(await outboxBatches(tablet.db)).toEqual([]);

    const other = device();
    await other.signIn();
    await expectSynced(other);
    expect((await listVenues(other.db)).map((venue) => venue.name).sort()).toEqual([
      'Once only',
      'Twice over',
    ]);
  });

  it('drops from the outbox what the server acknowledged when a later push of the same run fails', async () => {
    const tablet = device();
    await tablet.setUp();
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven']) {
      await saveVenue(tablet.db, venueFields({ name }));
    }
    // Pushes of 3: the first two reach the server, the connection drops before the third.
    const { api } = failingPush(tablet, 3, {
      kind: 'offline',
      status: null,
      reason: null,
      message: 'No connection to the server.',
      details: {},
    });
    const outcome = await syncOnce(tablet.db, api, { runExclusive: runDirectly, pushChunk: 3 });
    expect(outcome.kind === 'failed' && outcome.failure.kind).toBe('offline');
    expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(1);
    const finished = await expectSynced(tablet);
    expect(finished.pushed).toBe(1);
    const other = device();
    await other.signIn();
    await expectSynced(other);
    expect((await listVenues(other.db)).length).toBe(7);
  });

  it('sends the next push before the answer to the one before, and uses the answers in order', async () => {
    const tablet = device();
    await tablet.setUp();
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven']) {
      await saveVenue(tablet.db, venueFields({ name }));
    }
    const events: string[] = [];
    let pushes = 0;
    // The second answer waits for the third send (at most 2 s), so the order below does not
    // depend on how fast the store reads sealing keys before a send.
    let thirdSent = (): void => undefined;
    const third = new Promise<void>((resolve) => (thirdSent = resolve));
    const api: SyncApi = {
      ...tablet.api,
      push: async (...args) => {
        const push = ++pushes;
        events.push(`send ${push}`);
        if (push === 3) thirdSent();
        const answer = await tablet.api.push(...args);
        if (push === 2) await Promise.race([third, new Promise((wait) => setTimeout(wait, 2000))]);
        events.push(`answer ${push}`);
        return answer;
      },
    };
    const outcome = await syncOnce(tablet.db, api, { runExclusive: runDirectly, pushChunk: 3 });
    expect(outcome.kind === 'synced' && outcome.summary.pushed).toBe(7);
    expect(events.indexOf('send 2')).toBeLessThan(events.indexOf('answer 1'));
    expect(events.indexOf('send 3')).toBeLessThan(events.indexOf('answer 2'));
    // Never more than two at once: the third goes only once the first is answered.
    expect(events.indexOf('send 3')).toBeGreaterThan(events.indexOf('answer 1'));
    expect(await outboxBatches(tablet.db)).toEqual([]);
  });

  it('sends a push refused as a gap once more after the push before it was taken', async () => {
    const tablet = device();
    await tablet.setUp();
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five']) {
      await saveVenue(tablet.db, venueFields({ name }));
    }
    // Another server process started the second push before the first was applied: it says gap.
    const { api, pushes } = failingPush(tablet, 2, {
      kind: 'mutation-gap',
      status: 409,
      reason: 'mutation-gap',
      message: 'The server is missing some of this device’s changes.',
      details: { expectedMutationId: 1 },
    });
    const outcome = await syncOnce(tablet.db, api, { runExclusive: runDirectly, pushChunk: 3 });
    expect(outcome.kind === 'synced' && outcome.summary.pushed).toBe(5);
    expect(pushes()).toBe(3);
    expect(await outboxBatches(tablet.db)).toEqual([]);
  });

  it('keeps every change when the first of two pushes in flight fails, whatever the second answers', async () => {
    const tablet = device();
    await tablet.setUp();
    for (const name of ['One', 'Two', 'Three', 'Four', 'Five', 'Six']) {
      await saveVenue(tablet.db, venueFields({ name }));
    }
    // The first push's answer is lost after the server applied it; the second is applied after it.
    tablet.network.loseAnswerTo = '/api/sync/push';
    const outcome = await syncOnce(tablet.db, tablet.api, { runExclusive: runDirectly, pushChunk: 3 });
    expect(outcome.kind === 'failed' && outcome.failure.kind).toBe('offline');
    expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(6);
    // Sent again: the server answers both from what it stored, and nothing is applied twice.
    const finished = await expectSynced(tablet);
    expect(finished.pushed).toBe(6);
    expect(finished.rejected).toBe(0);
    const other = device();
    await other.signIn();
    await expectSynced(other);
    expect((await listVenues(other.db)).map((venue) => venue.name).sort()).toEqual([
      'Five',
      'Four',
      'One',
      'Six',
      'Three',
      'Two',
    ]);
  });

  it('keeps a change the server refused, shows why, pushes the ones after it, and converges', async () => {
    const tablet = device();
    await tablet.setUp();
    const badId = await saveVenue(tablet.db, venueFields({ name: '   ' }));
    await saveVenue(tablet.db, venueFields({ name: 'Good venue' }));
    const summary = await expectSynced(tablet);
    expect(summary.rejected).toBe(1);
    const rejected = await listRejectedChanges(tablet.db);
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ entityType: 'venue', entityId: badId, reason: 'invalid-record' });
    expect(rejected[0]!.message).toMatch(/venue\.name/);
    expect(await outboxBatches(tablet.db)).toEqual([]);
    // The device's venues now match the server's: the refused record is only in the refused list.
    expect(summary.repaired).toEqual(['venue']);
    expect(await getVenue(tablet.db, badId)).toBeUndefined();
    expect((await listVenues(tablet.db)).map((venue) => venue.name)).toEqual(['Good venue']);
    expect((await getSyncState(tablet.db)).status).toBe('up-to-date');
  });

  it('pulls across page boundaries, and a page cut off by the network leaves the cursor on the last whole page', async () => {
    const writer = device();
    await writer.setUp();
    for (let index = 0; index < 25; index += 1) {
      await saveVenue(writer.db, venueFields({ name: `Venue ${String(index).padStart(2, '0')}` }));
    }
    await expectSynced(writer);
    const serverCursor = (await getSyncState(writer.db)).cursor;

    const reader = device();
    await reader.signIn();
    // The second page's answer is lost: the first page and its cursor are kept, nothing more.
    let pulls = 0;
    const api = reader.api;
    const flaky = {
      ...api,
      pull: async (...args: Parameters<typeof api.pull>) => {
        pulls += 1;
        if (pulls === 2) reader.network.offline = true;
        return api.pull(...args);
      },
    };
    const { syncOnce } = await import('../../src/sync/syncOnce');
    const cut = await syncOnce(reader.db, flaky, {
      runExclusive: (_name, task) => task(),
      pageSize: 10,
    });
    expect(cut.kind).toBe('failed');
    // Page one (ten records: the organisation's own records come first, then venues) is kept.
    const venuesAfterCut = await reader.db.venues.count();
    expect(venuesAfterCut).toBeGreaterThan(0);
    expect(venuesAfterCut).toBeLessThan(25);
    const cursorAfterCut = (await getSyncState(reader.db)).cursor;
    expect(cursorAfterCut).toBeGreaterThan(0);
    expect(cursorAfterCut).toBeLessThan(serverCursor);

    reader.network.offline = false;
    reader.network.requests.length = 0;
    const summary = await expectSynced(reader, { pageSize: 10 });
    // The rest, and only the rest: a fresh tablet pulls ten more than the resumed one.
    const fresh = device();
    await fresh.signIn();
    const all = await expectSynced(fresh, { pageSize: 10 });
    expect(summary.pulled).toBe(all.pulled - 10);
    expect(all.pulled).toBeGreaterThan(20);
    expect(await reader.db.venues.count()).toBe(25);
    expect((await getSyncState(reader.db)).cursor).toBe(serverCursor);
    expect((await localChecksums(reader.db)).venue).toEqual((await localChecksums(writer.db)).venue);
  });

  it('repairs a table whose checksum differs after a local row was corrupted', async () => {
    const writer = device();
    await writer.setUp();
    const id = await saveVenue(writer.db, venueFields({ name: 'Bootle Library' }));
    await saveVenue(writer.db, venueFields({ name: 'Crosby Library' }));
    await expectSynced(writer);

    const reader = device();
    await reader.signIn();
    await expectSynced(reader);
    await reader.db.venues.update(id, { name: 'Corrupted' });
    const summary = await expectSynced(reader);
    expect(summary.repaired).toEqual(['venue']);
    expect((await getVenue(reader.db, id))?.name).toBe('Bootle Library');
    // Nothing differs now: the next run repairs nothing.
    expect((await expectSynced(reader)).repaired).toEqual([]);
  });

  it('signs the device out when the server no longer knows its session, keeping its changes', async () => {
    const tablet = device();
    await tablet.setUp();
    await expectSynced(tablet);
    await tablet.api.signOut();
    await saveVenue(tablet.db, venueFields({ name: 'Made after' }));
    const outcome = await tablet.sync();
    expect(outcome.kind === 'failed' && outcome.failure.kind).toBe('not-signed-in');
    const state = await getSyncState(tablet.db);
    expect(state.status).toBe('signed-out');
    expect(state.user).toBeNull();
    expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(1);
    // Signing in again sends it.
    await tablet.signIn();
    expect((await expectSynced(tablet)).pushed).toBe(1);
  });
});

describe('registering anew', () => {
  it('continues the device\u2019s mutation numbering, so changes made before it are pushed without a gap', async () => {
    const tablet = device();
    await tablet.setUp();
    await saveVenue(tablet.db, venueFields({ name: 'First venue' }));
    await expectSynced(tablet);
    // The registration is lost (say the tablet signs in to a new server registration) while more
    // changes wait in its outbox, numbered after the ones already acknowledged.
    await saveVenue(tablet.db, venueFields({ name: 'Second venue' }));
    await updateSyncState(tablet.db, { serverDeviceId: null });
    const summary = await expectSynced(tablet);
    expect(summary.pushed).toBe(1);
    expect((await listVenues(tablet.db)).map((venue) => venue.name).sort()).toEqual([
      'First venue',
      'Second venue',
    ]);
    expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(0);
    const devices = await currentServer().database.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM devices ORDER BY registered_at',
    );
    expect(devices.rows.map((row) => row.last_mutation_id)).toEqual([1, 2]);
  });
});

describe('two tablets editing one record', () => {
  it('keep both changes to different fields, and the device shows its own waiting edit over a pull', async () => {
    const first = device();
    await first.setUp();
    const id = await saveVenue(first.db, venueFields({ name: 'Bootle Library', address: '' }));
    await expectSynced(first);
    const second = device();
    await second.signIn();
    await expectSynced(second);

    const venueOn = async (target: TestDevice) => (await getVenue(target.db, id))!;
    await saveVenue(
      first.db,
      { ...venueFields(), ...pick(await venueOn(first)), name: 'Bootle Central Library' },
      id,
    );
    await saveVenue(
      second.db,
      { ...venueFields(), ...pick(await venueOn(second)), address: '1 Stanley Road' },
      id,
    );
    await expectSynced(first);
    await expectSynced(second);
    await expectSynced(first);
    for (const target of [first, second]) {
      const venue = await venueOn(target);
      expect(venue.name).toBe('Bootle Central Library');
      expect(venue.address).toBe('1 Stanley Road');
    }
  });
});

/** The editable fields of a stored venue. */
function pick(venue: Awaited<ReturnType<typeof getVenue>> & object) {
  const { id: _id, createdAt: _c, updatedAt: _u, deviceId: _d, deleted: _x, ...fields } = venue;
  return fields;
}
