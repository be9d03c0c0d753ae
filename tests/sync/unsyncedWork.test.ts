// Unsynced work carried by a sealed file: a tablet that cannot sync saves its outbox and refused
// changes; a coordinator's device opens the file, takes the work over and syncs it, and the server
// merges each field by its original stamp (a newer edit made elsewhere still wins).
import { expect, it, vi } from 'vitest';
import { openWithPassphrase, sealWithPassphrase } from '../../src/crypto/sealedFile';
import { summariseOutbox } from '../../src/db/outbox';
import { listRejectedChanges } from '../../src/db/syncState';
import { collectUnsyncedWork, takeOverUnsyncedWork } from '../../src/db/unsyncedWork';
import { getVenue, saveVenue } from '../../src/db/venues';
import { describeUnsyncedWork, unsyncedWorkSchema } from '../../src/domain/unsyncedWork';
import { venueFields } from '../fixtures/db';
import { useServerAndDevices } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const { server: currentServer, device } = useServerAndDevices();

it('moves a tablet\u2019s unsynced changes to another device through a sealed file, stamps and all', async () => {
  const tablet = device();
  await tablet.setUp();
  const venueId = await saveVenue(tablet.db, venueFields({ name: 'Bootle Library' }));
  expect((await tablet.sync()).kind).toBe('synced');

  // Offline: the tablet renames the venue and adds another; it will never sync again.
  tablet.network.offline = true;
  await saveVenue(tablet.db, { ...venueFields({ name: 'Bootle Central Library' }) }, venueId);
  await saveVenue(tablet.db, venueFields({ name: 'Southport Library', postcode: 'PR81DJ' }));
  await tablet.db.rejectedChanges.add({
    mutationId: 1,
    entityType: 'venue',
    entityId: venueId,
    op: 'put',
    fields: { name: 'Refused earlier' },
    reason: 'invalid-record',
    message: 'venue.postcode: not valid',
    madeAt: null,
    rejectedAt: '2026-11-23T10:00:00.000Z',
  });

  const work = await collectUnsyncedWork(tablet.db, '2026-11-24T09:00:00.000Z');
  expect(describeUnsyncedWork(work)).toBe('2 changes waiting to sync and 1 refused change');
  const fileText = JSON.stringify(await sealWithPassphrase(JSON.stringify(work), 'a long passphrase here'));

  // Later, the office renames the same venue: its newer stamp must win over the tablet's.
  const office = device();
  await office.signIn();
  expect((await office.sync()).kind).toBe('synced');
  await saveVenue(office.db, venueFields({ name: 'Bootle Library (Hub)' }), venueId);
  expect((await office.sync()).kind).toBe('synced');

  const opened = await openWithPassphrase(fileText, 'a long passphrase here');
  if (!opened.ok) throw new Error(opened.reason);
  const taken = unsyncedWorkSchema.parse(JSON.parse(opened.plaintext));
  expect(await takeOverUnsyncedWork(office.db, taken)).toEqual({ changes: 2, refused: 1 });
  expect((await summariseOutbox(office.db)).pendingChanges).toBe(2);
  expect((await listRejectedChanges(office.db)).map((change) => change.mutationId)).toEqual([-1]);
  expect((await office.sync()).kind).toBe('synced');

  const names = await currentServer().database.query<{ name: string }>(
    "SELECT data->>'name' AS name FROM records WHERE entity_type = 'venue' ORDER BY 1",
  );
  // The tablet's rename was older than the office's: the office's stays; the new venue arrived.
  expect(names.rows.map((row) => row.name)).toEqual(['Bootle Library (Hub)', 'Southport Library']);
  expect((await getVenue(office.db, venueId))?.name).toBe('Bootle Library (Hub)');
  expect((await summariseOutbox(office.db)).pendingChanges).toBe(0);
});
