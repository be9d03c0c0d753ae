// Handing a tablet back: with a change that has not reached the server, "Erase this device and sign
// out" is refused, says how many changes wait, and nothing is lost, across a reload. The change is
// saved to an encrypted file, the coordinator's override erases every store of the tablet's
// IndexedDB (read raw, without the app), and the office device opens the file and syncs the change;
// with nothing waiting, the office device is then erased without an override. Needs a production
// build (E2E_DIST, or dist).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createVenue,
  heading,
  openFromNav,
  setUpOrganisation,
  signIn,
  syncBar,
  syncNowAndWait,
  syncStatus,
  unlockWithPin,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  TEST_TIMEOUT_MS,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { pullEverything, readRawDatabase } from '../helpers/e2eData';
import { COORDINATOR } from '../fixtures/e2eRecords';

const PASSPHRASE = 'seven green umbrellas dancing';

async function openSyncDetails(page: Page): Promise<void> {
  await syncBar(page)
    .getByRole('link', { name: /^(Sync details|See refused changes)$/ })
    .click();
  await heading(page, 'Sync').waitFor();
}

describe('handing a tablet back', () => {
  const server = useRestartableServer('hand-back');
  let tablet: LaunchedBrowser | undefined;
  let office: LaunchedBrowser | undefined;

  afterAll(async () => {
    await tablet?.close();
    await office?.close();
  });

  it(
    'refuses to erase unsynced work; the work goes by encrypted file to the office, which syncs it',
    async () => {
      tablet = await launchTablet(server.url());
      const { page, context } = tablet;
      await setUpOrganisation(page, COORDINATOR);
      await createVenue(page, { name: 'Birkenhead Central Library', postcode: 'ch41 2dl' });
      await syncNowAndWait(page);

      // Offline: one more venue, then an attempt to hand the tablet back.
      await goOffline(context, server.current());
      await createVenue(page, { name: 'Wallasey Village Hall', postcode: 'ch45 3jb' });
      await openSyncDetails(page);
      await page.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      const refusal = page.getByRole('alert').filter({ hasText: 'Nothing was erased' });
      await refusal.waitFor();
      expect(await refusal.innerText()).toMatch(
        /cannot be erased yet: \d+ changes? ha(s|ve) not reached the server yet\. Connect to the internet and sync first\./,
      );
      // The signed-in coordinator is offered the override, and has not used it.
      await page.getByLabel('To erase this work anyway, type “erase unsynced work”').waitFor();

      await page.reload();
      // A reload starts locked: the coordinator's PIN opens it, offline.
      await unlockWithPin(page);
      await openFromNav(page, 'Venues');
      await page.getByRole('link', { name: 'Wallasey Village Hall' }).waitFor();
      const kept = (await readRawDatabase(page)).counts;
      expect(kept['venues']).toBe(2);
      expect(kept['outbox']).toBeGreaterThan(0);

      // Still offline: save the change to an encrypted file, then erase with the coordinator's override.
      await openSyncDetails(page);
      await page.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      await refusal.waitFor();
      await page.getByLabel('Passphrase for the file', { exact: true }).fill(PASSPHRASE);
      await page.getByLabel('Type the passphrase again', { exact: true }).fill(PASSPHRASE);
      const downloading = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Save encrypted file', exact: true }).click();
      const download = await downloading;
      const filePath = path.join(server.dataDir, download.suggestedFilename());
      await download.saveAs(filePath);
      expect(download.suggestedFilename()).toMatch(
        /^outreach-unsynced-work-\d{4}-\d{2}-\d{2}\.sealed\.json$/,
      );
      expect(readFileSync(filePath, 'utf8')).not.toContain('Wallasey');
      await page
        .getByRole('status')
        .filter({ hasText: /^Saved 1 change waiting to sync to / })
        .waitFor();

      await page
        .getByLabel('To erase this work anyway, type “erase unsynced work”')
        .fill('erase unsynced work');
      // Erasing reloads the page: wait for that load before reading the database under it.
      const reloaded = page.waitForEvent('load');
      await page.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      await reloaded;
      await syncStatus(page)
        .filter({ hasText: /data was erased when it was handed back/ })
        .waitFor();
      const erased = (await readRawDatabase(page)).counts;
      for (const store of ['venues', 'programmes', 'sessions', 'learners', 'outbox', 'drafts', 'users']) {
        expect(erased[store], store).toBe(0);
      }
      await page.reload();
      await syncStatus(page)
        .filter({ hasText: /data was erased when it was handed back/ })
        .waitFor();

      // The office, online: the coordinator adds the file's change on their own device and syncs it.
      await server.restart();
      office = await launchTablet(server.url());
      const desk = office.page;
      await signIn(desk, COORDINATOR);
      await waitForUpToDate(desk);
      await desk.getByLabel('File of saved changes', { exact: true }).setInputFiles(filePath);
      await desk.getByLabel('The file’s passphrase', { exact: true }).fill('not the passphrase at all');
      await desk.getByRole('button', { name: 'Open and add the changes', exact: true }).click();
      await desk.getByText('The file could not be opened: the passphrase is not right').waitFor();
      await desk.getByLabel('The file’s passphrase', { exact: true }).fill(PASSPHRASE);
      await desk.getByRole('button', { name: 'Open and add the changes', exact: true }).click();
      await desk
        .getByRole('status')
        .filter({ hasText: 'Added 1 change waiting to sync from the file to this device.' })
        .waitFor();
      await waitForUpToDate(desk);
      await openFromNav(desk, 'Venues');
      await desk.getByRole('link', { name: 'Wallasey Village Hall' }).waitFor();

      // Nothing waits on the office device now: handing it back erases it without any override.
      await openSyncDetails(desk);
      const deskReloaded = desk.waitForEvent('load');
      await desk.getByRole('button', { name: 'Erase this device and sign out', exact: true }).click();
      await deskReloaded;
      await syncStatus(desk)
        .filter({ hasText: /data was erased when it was handed back/ })
        .waitFor();
      expect((await readRawDatabase(desk)).counts['venues']).toBe(0);

      // Both venues are on the server.
      const signedIn = await office.context.request.post(`${server.url()}/api/auth/sign-in`, {
        data: { email: COORDINATOR.email, password: COORDINATOR.password },
      });
      expect(signedIn.status()).toBe(200);
      const names = (await pullEverything(office.context, server.url(), 'venue')).map((record) =>
        String(record.data['name']),
      );
      expect(names.sort()).toEqual(['Birkenhead Central Library', 'Wallasey Village Hall']);
    },
    TEST_TIMEOUT_MS,
  );
});
