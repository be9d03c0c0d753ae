// Sync health on the coordinator's Devices page, against the real server and the production build:
// a second tablet signs in and sends its changes, reporting its app version and the storage it has
// left; then it goes quiet. Ten days later (its last contact moved back in the server's own database
// while the server is stopped) the Devices page flags it, first in the list, until the coordinator
// chooses a longer threshold. Needs a production build (E2E_DIST, or dist).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/server/db/database';
import {
  createVenue,
  heading,
  openFromNav,
  setUpOrganisation,
  signIn,
  syncNowAndWait,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  expectAccessible,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { REPO_ROOT } from '../helpers/server';
import { BOOTLE_HUB, COORDINATOR } from '../fixtures/e2eRecords';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;
const APP_VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;
const QUIET_TABLET = `${COORDINATOR.name}’s device`;

function deviceCard(page: Page, name: string): Locator {
  return page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

async function cardValue(card: Locator, term: string): Promise<string> {
  const value = card
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${term.replace(/[()]/g, '\\$&')}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
  return (await value.innerText()).trim();
}

async function openDevices(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Devices', exact: true })
    .click();
  await heading(page, 'Devices').waitFor();
  await deviceCard(page, 'This device').waitFor();
}

describe('sync health: a tablet that has gone quiet is flagged', () => {
  const server = useRestartableServer('sync-health');
  let coordinator: LaunchedBrowser | undefined;
  let quiet: LaunchedBrowser | undefined;

  afterAll(async () => {
    await Promise.allSettled([coordinator?.close(), quiet?.close()]);
  });

  it(
    'a second tablet sends its changes and reports its version and storage left; nothing is flagged',
    async () => {
      coordinator = await launchTablet(server.url(), STEP_TIMEOUT_MS);
      const c = coordinator.page;
      await setUpOrganisation(c, COORDINATOR);
      await syncNowAndWait(c);

      quiet = await launchTablet(server.url(), STEP_TIMEOUT_MS);
      const q = quiet.page;
      await signIn(q, COORDINATOR);
      await waitForUpToDate(q);
      await createVenue(q, BOOTLE_HUB);
      await syncNowAndWait(q);

      await openDevices(c);
      const card = deviceCard(c, QUIET_TABLET);
      expect(await cardValue(card, 'App version')).toBe(APP_VERSION);
      expect(await cardValue(card, 'Storage space left (last reported)')).toMatch(
        /^\d+(\.\d)? (KB|MB|GB|TB)$/,
      );
      expect(await cardValue(card, 'Last contact')).not.toBe('Never');
      expect(await c.getByText(/not been in touch for more than/).count()).toBe(0);
      expect(await card.getByText(/^Not in touch for/).count()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'ten days on, the Devices page flags the quiet tablet first, until a longer threshold is chosen',
    async () => {
      if (!coordinator || !quiet) throw new Error('An earlier step failed');
      await quiet.close();
      quiet = undefined;

      // Time passes for the server's record of the tablet: its last contact goes back ten days.
      await server.current().stop();
      const database = await openDatabase({ dataDir: server.dataDir });
      try {
        const moved = await database.query(
          `UPDATE devices SET last_seen_at = now() - interval '10 days'
           WHERE id IN (SELECT id FROM devices ORDER BY registered_at DESC LIMIT 1) RETURNING id`,
        );
        expect(moved.rows).toHaveLength(1);
      } finally {
        await database.close();
      }
      await server.restart();

      const c = coordinator.page;
      // Opening Devices again asks the server again (a reload would lock the app: it asks for the PIN).
      await openFromNav(c, 'Settings');
      await openDevices(c);
      const notice = c.getByRole('status').filter({ hasText: 'not been in touch for more than 7 days' });
      await notice
        .getByRole('heading', { name: '1 device has not been in touch for more than 7 days' })
        .waitFor();
      const card = deviceCard(c, QUIET_TABLET);
      await card.getByText('Not in touch for 10 days', { exact: true }).waitFor();
      expect(await cardValue(card, 'Last contact')).toMatch(/\(10 days ago\)$/);
      // Flagged devices come straight after this one.
      const headings = await c.getByRole('main').getByRole('heading', { level: 3 }).allInnerTexts();
      expect(headings).toEqual(['This device', QUIET_TABLET]);
      await expectAccessible(c);

      await c.getByLabel('Flag devices not in touch for more than').selectOption({ label: '14 days' });
      await notice.waitFor({ state: 'detached' });
      expect(await card.getByText(/^Not in touch for/).count()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
