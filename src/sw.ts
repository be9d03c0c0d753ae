// The service worker: precaches the build so the app opens offline, answers every page with the app
// shell (never /api), waits for the tutor's "reload" before taking over, and runs a sync when the
// browser fires Background Sync (the `outreach-sync` tag), even with every tab closed.
/// <reference lib="webworker" />
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';

declare const self: ServiceWorkerGlobalScope;

/** Background Sync's event (not in TypeScript's webworker library yet). */
type SyncEvent = ExtendableEvent & { readonly tag: string; readonly lastChance: boolean };

// The update prompt (workbox-window's messageSkipWaiting) asks the waiting worker to take over.
self.addEventListener('message', (event) => {
  if (event.data && (event.data as { type?: unknown }).type === 'SKIP_WAITING') void self.skipWaiting();
});

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// The sync API must never be answered from the cache.
registerRoute(new NavigationRoute(createHandlerBoundToURL('/index.html'), { denylist: [/^\/api\//] }));

self.addEventListener('sync', (event: Event) => {
  const syncEvent = event as SyncEvent;
  syncEvent.waitUntil(syncInBackground(syncEvent.tag));
});

/**
 * One sync run with its own database connection; a failed run rejects so the browser retries it.
 * The sync engine, the database and their schemas are evaluated here, on the first sync, not when
 * the worker starts: it starts for every page load, offline too, and the page waits for it.
 */
async function syncInBackground(tag: string): Promise<void> {
  const [{ BACKGROUND_SYNC_TAG }, { createSyncApi }, { OutreachDatabase }, { syncOnce }] = await Promise.all([
    import('./sync/scheduler'),
    import('./api/syncApi'),
    import('./db/database'),
    import('./sync/syncOnce'),
  ]);
  if (tag !== BACKGROUND_SYNC_TAG) return;
  const db = new OutreachDatabase();
  try {
    const outcome = await syncOnce(db, createSyncApi({ appVersion: __APP_VERSION__ }));
    if (
      outcome.kind === 'failed' &&
      (outcome.failure.kind === 'offline' || outcome.failure.kind === 'server-error')
    ) {
      throw new Error(outcome.failure.message);
    }
  } finally {
    db.close();
  }
}
