// The app's one sync scheduler and HTTP client: started once from main.tsx, shared by the screens
// (sign-in starts a sync, "Sync now" asks for one). Status lives in IndexedDB, not here.
import { createSyncApi } from '../../api/syncApi';
import { db } from '../../db/instance';
import { watchOutbox } from '../../db/syncState';
import { BACKGROUND_SYNC_TAG, type SyncScheduler, startSync } from '../../sync/scheduler';
import { type SyncOutcome, refreshServerSealingKey } from '../../sync/syncOnce';
import { sealLegacyRows, sealWaitingChanges } from '../../db/sealLegacy';
import { holdsDataKey, subscribeDataKey } from '../../db/vault';

export const syncApi = createSyncApi({ appVersion: __APP_VERSION__ });

let scheduler: SyncScheduler | null = null;

type RegistrationWithSync = ServiceWorkerRegistration & {
  sync?: { register(tag: string): Promise<void> };
};

/** Asks the service worker to sync once a connection returns, even if every tab is closed. */
async function requestBackgroundSync(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  const registration = (await navigator.serviceWorker.getRegistration()) as RegistrationWithSync | undefined;
  await registration?.sync?.register(BACKGROUND_SYNC_TAG);
}

/** The server wants a newer app: look for the new service worker, so the update prompt shows. */
function checkForAppUpdate(): void {
  if (!('serviceWorker' in navigator)) return;
  void navigator.serviceWorker
    .getRegistration()
    .then((registration) => registration?.update())
    .catch((error: unknown) => console.error('Could not look for an app update', error));
}

let sealingLegacy: Promise<unknown> | null = null;

/** Seals what an older version stored readable, once this tab holds the data key (one pass at a time). */
function sealLegacyData(): void {
  sealingLegacy ??= sealLegacyRows(db)
    .catch((error: unknown) => console.error('Could not seal data stored before encryption', error))
    .finally(() => {
      sealingLegacy = null;
    });
}

/**
 * Starts the scheduler (once). Signed out, it makes no requests until someone signs in, except to
 * fetch the server's public key, so even the first changes on a new tablet wait sealed.
 */
export function startAppSync(): SyncScheduler {
  if (!scheduler) {
    void refreshServerSealingKey(db, syncApi)
      .then(() => sealWaitingChanges(db))
      .catch((error: unknown) => console.error('Could not fetch the server key', error));
    sealLegacyData();
    subscribeDataKey(sealLegacyData);
  }
  scheduler ??= startSync(db, syncApi, {
    requestBackgroundSync,
    onUpdateRequired: checkForAppUpdate,
    onLocalChange: (listener) => watchOutbox(db, listener),
    onUnlock: (listener) =>
      subscribeDataKey(() => {
        if (holdsDataKey(db)) listener();
      }),
    // Erased because reported lost: reload, so no form still on screen keeps what was erased.
    onOutcome: (outcome) => {
      if (outcome.kind === 'erased') window.location.assign('/');
    },
  });
  return scheduler;
}

/** "Sync now", and the sync straight after signing in. */
export function syncNow(): Promise<SyncOutcome> {
  return startAppSync().syncNow();
}
