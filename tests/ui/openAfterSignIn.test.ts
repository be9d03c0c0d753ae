// What an online sign-in does before the tab opens, against the real server in-process: register
// the device if needed, fetch its secret, take the data key with it. Offline it says so; a device
// marked lost, or holding another organisation's records, does not open.
import { randomUUID } from 'node:crypto';
import { expect, it, vi } from 'vitest';
import { createSyncApi } from '../../src/api/syncApi';
import { openValue, sealValue } from '../../src/crypto/dataKey';
import type { VaultRow } from '../../src/db/database';
import { choosePin, recordOnlineSignIn } from '../../src/db/deviceLock';
import { getSyncState, updateSyncState } from '../../src/db/syncState';
import { forgetDataKey, holdsDataKey, openDataKeys, requireDataKeys } from '../../src/db/vault';
import type { SignedInUser } from '../../src/domain/sync/status';
import { takeDataKeyAtSignIn } from '../../src/ui/lock/openAfterSignIn';
import { injectTransport, markDeviceLost, runDirectly, useServerAndDevices } from '../sync/harness';
import { COORDINATOR, TEST_PASSWORD, addOrganisation } from '../server/testApp';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

const { server: currentServer, device } = useServerAndDevices();

/** A device of the harness, with an API client that also asks for the device's secret. */
function openTablet() {
  const { db, network } = device();
  const api = createSyncApi({
    appVersion: '0.1.0-test',
    transport: injectTransport(currentServer().app, network),
  });
  return { db, network, api };
}

type Tablet = ReturnType<typeof openTablet>;

async function signInOnline(
  tablet: Tablet,
  email: string = COORDINATOR.email,
  password: string = COORDINATOR.password,
) {
  const result = await tablet.api.signIn(email, password);
  if (!result.ok) throw new Error(result.failure.message);
  await recordOnlineSignIn(tablet.db, result.value);
  return result.value;
}

async function setUpOnline(tablet: Tablet): Promise<SignedInUser> {
  const result = await tablet.api.setUp({ ...COORDINATOR });
  if (!result.ok) throw new Error(result.failure.message);
  await recordOnlineSignIn(tablet.db, result.value);
  return result.value;
}

const take = (tablet: Tablet, user: SignedInUser) =>
  takeDataKeyAtSignIn(tablet.db, tablet.api, user.organisationId, runDirectly);

/** A new tablet, set up online and opened; then the coordinator chooses a PIN and the tab locks. */
async function setUpThenLock(): Promise<Tablet> {
  const tablet = openTablet();
  const user = await setUpOnline(tablet);
  expect(await take(tablet, user)).toEqual({ kind: 'opened' });
  await choosePin(tablet.db, user, '2580');
  forgetDataKey(tablet.db);
  return tablet;
}

it('registers the device, wraps its key under the secret, and opens it again at the next sign-in', async () => {
  const tablet = openTablet();
  const user = await setUpOnline(tablet);
  expect(await take(tablet, user)).toEqual({ kind: 'opened' });
  const { serverDeviceId, deviceOrganisationId } = await getSyncState(tablet.db);
  expect(serverDeviceId).toEqual(expect.any(String));
  expect(deviceOrganisationId).toBe(user.organisationId);
  expect(((await tablet.db.meta.get('vault')) as VaultRow).device).not.toBeNull();

  const sealed = await sealValue(await requireDataKeys(tablet.db), 'learner/1', 'Flat 2');
  await choosePin(tablet.db, user, '2580');
  forgetDataKey(tablet.db);
  expect(await openDataKeys(tablet.db)).toBeNull();

  tablet.network.requests.length = 0;
  const again = await signInOnline(tablet);
  expect(await take(tablet, again)).toEqual({ kind: 'opened' });
  expect(await openValue(await requireDataKeys(tablet.db), 'learner/1', sealed)).toBe('Flat 2');
  // Registered already: only the secret was asked for.
  expect(tablet.network.requests).toEqual([
    'POST /api/auth/sign-in',
    `GET /api/devices/${serverDeviceId}/secret`,
  ]);
});

it('says there is no connection, and opens when tried again online', async () => {
  const tablet = openTablet();
  const user = await setUpOnline(tablet);
  tablet.network.offline = true;
  const offline = await take(tablet, user);
  expect(offline).toMatchObject({ kind: 'no-secret', failure: { kind: 'offline' } });
  expect(holdsDataKey(tablet.db)).toBe(false);
  tablet.network.offline = false;
  expect(await take(tablet, user)).toEqual({ kind: 'opened' });
});

it('registers again, once, when the server no longer knows the registration', async () => {
  const tablet = openTablet();
  const user = await setUpOnline(tablet);
  await updateSyncState(tablet.db, {
    serverDeviceId: randomUUID(),
    deviceOrganisationId: user.organisationId,
  });
  expect(await take(tablet, user)).toEqual({ kind: 'opened' });
  const registrations = tablet.network.requests.filter((request) => request === 'POST /api/devices');
  expect(registrations).toHaveLength(1);
});

it('does not open a device marked lost', async () => {
  const tablet = await setUpThenLock();
  await markDeviceLost(currentServer(), tablet.db);

  expect(await take(tablet, await signInOnline(tablet))).toEqual({ kind: 'device-lost' });
  expect(holdsDataKey(tablet.db)).toBe(false);
});

it('does not open records another organisation put on the device', async () => {
  const server = currentServer();
  const tablet = await setUpThenLock();

  const other = await addOrganisation(server.app, server.database, {
    organisationName: 'Other Council',
    name: 'Olu Other',
    email: 'olu@other.example',
  });
  const stranger = await signInOnline(tablet, other.user.email, TEST_PASSWORD);
  expect(await take(tablet, stranger)).toEqual({ kind: 'other-organisation' });
  expect(holdsDataKey(tablet.db)).toBe(false);
  // The device registered afresh for the other organisation, whose secret is not the one it needs.
  expect((await getSyncState(tablet.db)).deviceOrganisationId).toBe(other.user.organisationId);
});
