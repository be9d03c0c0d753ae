// Handing a tablet back: with a change that has not reached the server, "Erase this device and sign
// out" is refused, says how many changes wait, and nothing is lost, across a reload; once synced,
// the same button erases every store of the device's IndexedDB (read raw, without the app) and the
// change is on the server. Needs a production build (E2E_DIST, or dist).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_NAME } from '../../src/db/database';
import { RECORD_SCHEMA_VERSION, SYNC_HEADERS, SYNC_PROTOCOL_VERSION } from '../../src/domain/sync/protocol';
import {
  type Account,
  createVenue,
  heading,
  openFromNav,
  setUpOrganisation,
  syncBar,
  syncNowAndWait,
  syncStatus,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  goOffline,
  launchBrowser,
  waitForServiceWorkerControl,
} from '../helpers/browser';
import { type RunningServer, startServer } from '../helpers/server';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;

const COORDINATOR: Required<Account> = {
  organisationName: 'Wirral Digital Inclusion',
  name: 'Dafydd Ellis',
  email: 'dafydd.ellis@example.org',
  password: 'a kettle on the library counter',
};

/** Row counts of every object store of the app's database, read with IndexedDB itself. */
async function rawStoreCounts(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async (name: string) => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('open failed'));
    });
    const counts: Record<string, number> = {};
    for (const store of [...database.objectStoreNames]) {
      counts[store] = await new Promise<number>((resolve, reject) => {
        const request = database.transaction(store, 'readonly').objectStore(store).count();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error ?? new Error('count failed'));
      });
    }
    database.close();
    return counts;
  }, DATABASE_NAME);
}

async function openSyncDetails(page: Page): Promise<void> {
  await syncBar(page)
    .getByRole('link', { name: /^(Sync details|See refused changes)$/ })
    .click();
  await heading(page, 'Sync').waitFor();
}

describe('handing a tablet back', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'outreach-hand-back-'));
  let server: RunningServer | undefined;
  let port = 0;
  let tablet: LaunchedBrowser | undefined;

  beforeAll(async () => {
    server = await startServer({ dataDir });
    port = server.port;
  });

  afterAll(async () => {
    await tablet?.close();
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(
    'refuses to erase an unsynced change, keeps it, and erases everything once it has synced',
    async () => {
      tablet = await launchBrowser();
      const { page, context } = tablet;
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.goto(server!.url);
      await waitForServiceWorkerControl(page, STEP_TIMEOUT_MS);
      await setUpOrganisation(page, COORDINATOR);
      await createVenue(page, { name: 'Birkenhead Central Library', postcode: 'ch41 2dl' });
      await syncNowAndWait(page);

      // Offline: one more venue, then an attempt to hand the tablet back.
      await goOffline(context, server!);
      await createVenue(page, { name: 'Wallasey Village Hall', postcode: 'ch45 3jb' });
      await openSyncDetails(page);
      await page.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'Nothing was erased' });
      await refusal.waitFor();
      expect(await refusal.innerText()).toMatch(
        /cannot be erased yet: \d+ changes? ha(s|ve) not reached the server yet\. Connect to the internet and sync first\./,
      );
      // The signed-in coordinator is offered the override, and has not used it.
      await refusal.getByLabel('To erase this work anyway, type “erase unsynced work”').waitFor();

      await page.reload();
      await openFromNav(page, 'Venues');
      await page.getByRole('link', { name: 'Wallasey Village Hall' }).waitFor();
      const kept = await rawStoreCounts(page);
      expect(kept['venues']).toBe(2);
      expect(kept['outbox']).toBeGreaterThan(0);

      // Back online: sync, then the same button erases.
      server = await startServer({ port, dataDir });
      await context.setOffline(false);
      await syncNowAndWait(page);
      await openSyncDetails(page);
      await page.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      await syncStatus(page)
        .filter({ hasText: /data was erased when it was handed back/ })
        .waitFor();
      const erased = await rawStoreCounts(page);
      for (const store of ['venues', 'programmes', 'sessions', 'learners', 'outbox', 'drafts', 'users']) {
        expect(erased[store], store).toBe(0);
      }
      await page.reload();
      await syncStatus(page)
        .filter({ hasText: /data was erased when it was handed back/ })
        .waitFor();
      await openFromNav(page, 'Venues');
      expect(await page.getByRole('link', { name: 'Wallasey Village Hall' }).count()).toBe(0);

      // The change made offline reached the server before the erasure.
      const signedIn = await context.request.post(`${server.url}/api/auth/sign-in`, {
        data: { email: COORDINATOR.email, password: COORDINATOR.password },
      });
      expect(signedIn.status()).toBe(200);
      const venues = await context.request.get(`${server.url}/api/sync/pull?cursor=0&entityType=venue`, {
        headers: {
          [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
          [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
          [SYNC_HEADERS.appVersion]: 'e2e',
        },
      });
      const names = ((await venues.json()) as { records: { data: { name: string } }[] }).records.map(
        (record) => record.data.name,
      );
      expect(names.sort()).toEqual(['Birkenhead Central Library', 'Wallasey Village Hall']);
    },
    TEST_TIMEOUT_MS,
  );
});
