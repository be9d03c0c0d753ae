// A device a coordinator marks lost: at its next sync it pushes what it holds, then erases every
// table and says so; the server's device list shows the erasure. The engine against the real server.
import { expect, it, vi } from 'vitest';
import { saveDraft } from '../../src/db/drafts';
import { summariseOutbox } from '../../src/db/outbox';
import { getSyncState } from '../../src/db/syncState';
import { saveVenue } from '../../src/db/venues';
import { venueFields } from '../fixtures/db';
import { withSession } from '../server/testApp';
import { markDeviceLost, useServerAndDevices } from './harness';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const { server: currentServer, device } = useServerAndDevices();

it('pushes what it holds, then erases everything, when it was reported lost', async () => {
  const tablet = device();
  const server = currentServer();
  await tablet.setUp();
  await saveVenue(tablet.db, venueFields({ name: 'Bootle Library' }));
  expect((await tablet.sync()).kind).toBe('synced');

  // Offline on the bus: one more change, and a half-typed form.
  tablet.network.offline = true;
  await saveVenue(tablet.db, venueFields({ name: 'Southport Library' }));
  await saveDraft(tablet.db, 'enrol-draft', { givenNames: 'Ada' });
  expect((await tablet.sync()).kind).toBe('failed');

  const { token, serverDeviceId } = await markDeviceLost(server, tablet.db);

  tablet.network.offline = false;
  expect(await tablet.sync()).toEqual({ kind: 'erased' });

  const venues = await server.database.query<{ name: string }>(
    "SELECT data->>'name' AS name FROM records WHERE entity_type = 'venue' ORDER BY 1",
  );
  expect(venues.rows.map((row) => row.name)).toEqual(['Bootle Library', 'Southport Library']);

  expect(await tablet.db.venues.count()).toBe(0);
  expect(await tablet.db.drafts.count()).toBe(0);
  expect((await summariseOutbox(tablet.db)).pendingChanges).toBe(0);
  expect(await tablet.db.organisations.count()).toBe(0);
  const state = await getSyncState(tablet.db);
  expect(state).toMatchObject({ user: null, status: 'signed-out', serverDeviceId: null, cursor: 0 });
  expect(state.erased).toMatchObject({ reason: 'reported-lost' });
  // The shipped privacy notice is back for the next enrolment; it holds no one's data.
  expect(await tablet.db.documentVersions.count()).toBeGreaterThan(0);

  const devices = await server.app.inject({ method: 'GET', url: '/api/devices', ...withSession(token) });
  expect(devices.json().devices).toEqual([
    expect.objectContaining({ id: serverDeviceId, lostAt: expect.any(String), erasedAt: expect.any(String) }),
  ]);
  // Signed out now: further syncs ask the server nothing.
  expect(await tablet.sync()).toEqual({ kind: 'signed-out' });
});
