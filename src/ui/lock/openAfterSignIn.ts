// What an online sign-in (sign-in, set-up, an accepted invitation) does before the tab opens: make
// sure the server knows this device, ask for the device's secret, and take the data key from the
// device's wrap with it (src/db/vault.ts). The tab opens only once it holds the key.
import type { ApiFailure, DeviceKeyApi, SyncApi } from '../../api/syncApi';
import type { OutreachDatabase } from '../../db/database';
import { db as appDb } from '../../db/instance';
import { getSyncState, updateSyncState } from '../../db/syncState';
import { openDataKeyWithDeviceSecret } from '../../db/vault';
import type { SignedInUser } from '../../domain/sync/status';
import { type LockRunner, SYNC_LOCK_NAME, defaultLockRunner, registerThisDevice } from '../../sync/syncOnce';
import { syncApi } from '../sync/appSync';
import { getUnlockedUserId, lockAllTabs, lockTab, unlockTab } from './tabLock';

export type SignInKeyApi = Pick<SyncApi, 'registerDevice'> & DeviceKeyApi;

/** How taking the data key at an online sign-in went. */
export type SignInKey =
  | { kind: 'opened' }
  /** No secret came: no connection, or the server failed. Trying again may work. */
  | { kind: 'no-secret'; failure: ApiFailure }
  /** The server refuses this device: a coordinator marked it lost. */
  | { kind: 'device-lost' }
  /** The device's wrap does not open with this organisation's secret: the records are another's. */
  | { kind: 'other-organisation' };

/**
 * The device's server id: the one the sync engine registered, or a new registration made by the
 * engine's own registerThisDevice, under the same Web Lock so the two never
 * both register.
 */
async function ensureRegistered(
  db: OutreachDatabase,
  api: SignInKeyApi,
  organisationId: string,
  runExclusive: LockRunner,
): Promise<{ ok: true; value: string } | { ok: false; failure: ApiFailure }> {
  return runExclusive(SYNC_LOCK_NAME, async () => {
    const state = await getSyncState(db);
    if (state.serverDeviceId) return { ok: true, value: state.serverDeviceId };
    return registerThisDevice(db, api, organisationId);
  });
}

/**
 * After the device has recorded the online sign-in (recordOnlineSignIn): registers the device if it
 * has to, fetches its secret and opens the data key with it. A registration the server does not know
 * any more (a reset server) is made again, once.
 */
export async function takeDataKeyAtSignIn(
  db: OutreachDatabase,
  api: SignInKeyApi,
  organisationId: string,
  runExclusive: LockRunner = defaultLockRunner,
): Promise<SignInKey> {
  for (let attempt = 0; ; attempt += 1) {
    const registered = await ensureRegistered(db, api, organisationId, runExclusive);
    if (!registered.ok) return { kind: 'no-secret', failure: registered.failure };
    const secret = await api.deviceSecret(registered.value);
    if (secret.ok) {
      return (await openDataKeyWithDeviceSecret(db, secret.value))
        ? { kind: 'opened' }
        : { kind: 'other-organisation' };
    }
    const { failure } = secret;
    if (failure.reason === 'device-lost') return { kind: 'device-lost' };
    if (failure.reason !== 'device-not-found' || attempt > 0) return { kind: 'no-secret', failure };
    await updateSyncState(db, { serverDeviceId: null, deviceOrganisationId: null });
  }
}

/**
 * The UI's side: this tab, locked first unless it is already open for this person (so a key taken
 * for someone else is never wrapped under their PIN), opens for them once it holds the key. When the
 * records are another organisation's, every tab locks.
 */
export async function openAfterSignIn(user: SignedInUser): Promise<SignInKey> {
  if (getUnlockedUserId() !== user.id) lockTab();
  const taken = await takeDataKeyAtSignIn(appDb, syncApi, user.organisationId);
  if (taken.kind === 'opened') unlockTab(user.id);
  else if (taken.kind === 'other-organisation') lockAllTabs();
  return taken;
}
