// A device marked lost pushes then erases, against the real server and the production build: a
// tablet signs in and syncs, then, offline, enrols a learner and leaves a half-filled enrolment; a
// coordinator on another tablet opens Devices and reports it lost (after confirming; with no
// connection the failure is said plainly). When the tablet is back online it sends the enrolment,
// then erases everything on it: its IndexedDB, read raw, holds no one's data, a reload still says
// why, and the coordinator's Devices page shows the erasure. Handed to a tutor, the erased tablet
// starts again. Needs a production build (E2E_DIST, or dist).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  acceptInvitation,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openFromNav,
  searchLearners,
  setUpOrganisation,
  signIn,
  syncBar,
  syncNowAndWait,
  syncStatus,
  unlockWithPin,
  waitForUpToDate,
} from '../helpers/appActions';
import { type LaunchedBrowser, expectAccessible, useServerAndTablets } from '../helpers/browser';
import { pullEverything, readRawDatabase } from '../helpers/e2eData';
import { REPO_ROOT } from '../helpers/server';
import { BOOTLE_HUB, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

/** Generous for a busy 2-core machine running two browsers and a server; never a sleep. */
const STEP_TIMEOUT_MS = 30_000;
const POLL = { timeout: STEP_TIMEOUT_MS, interval: 250 };
const TEST_TIMEOUT_MS = 300_000;

const APP_VERSION = (
  JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

const COORDINATOR: Required<Account> = {
  organisationName: 'Sefton Digital Inclusion',
  name: 'Aisha Khan',
  email: 'aisha.khan@example.org',
  password: 'correct horse battery staple',
};

const TUTOR = { name: 'Sam Okafor', email: 'sam.okafor@example.org', password: 'tea kettle orange lantern' };

/** The tablet's card on the coordinator's Devices page: the coordinator signed in on it too. */
const TABLET_CARD = `${COORDINATOR.name}’s device`;
const LEARNER = GRACE;
const NAME = fullName(LEARNER);

const CONFIRMATION =
  'The next time it connects, it sends any changes it holds, then erases everything on it. Anyone using it will need to sign in again.';
const ERASED =
  /^\s*This device was reported lost, so its data was erased on .+\. Sign in to use it again\.\s*$/;

/** Object stores that hold no one's data: the texts shipped with the app, and the device's own state. */
const STORES_WITHOUT_PERSONAL_DATA = ['documentVersions', 'meta'];

/** WCAG 2.2 A and AA as axe-core checks them, on the screen as it is now. */
/** The main navigation's links, by name. */
function navLink(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Main navigation → Devices (only a coordinator has the link), once the list has loaded. */
async function openDevices(page: Page): Promise<void> {
  await navLink(page, 'Devices').click();
  await heading(page, 'Devices').waitFor();
  await deviceCard(page, 'This device').waitFor();
}

/** A device's card on the Devices page, found by its heading. */
function deviceCard(page: Page, name: string): Locator {
  return page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The value beside a term in a card's summary list. */
async function cardValue(card: Locator, term: string): Promise<string> {
  const value = card
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${term.replace(/[()]/g, '\\$&')}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
  return (await value.innerText()).trim();
}

describe('a device marked lost pushes then erases', () => {
  const servedTablets = useServerAndTablets(STEP_TIMEOUT_MS);
  const { launchTablet } = servedTablets;
  let url = '';
  let coordinatorTablet: LaunchedBrowser | undefined;
  let lostTablet: LaunchedBrowser | undefined;
  let learnerId = '';

  const tablets = () => {
    if (!coordinatorTablet || !lostTablet) throw new Error('An earlier step failed');
    return { c: coordinatorTablet, t: lostTablet };
  };

  beforeAll(() => {
    url = servedTablets.url();
  });

  it(
    'a tablet signs in and syncs; offline, it enrols a learner and leaves a half-filled enrolment',
    async () => {
      coordinatorTablet = await launchTablet();
      const c = coordinatorTablet.page;
      await setUpOrganisation(c, COORDINATOR);
      await createVenue(c, BOOTLE_HUB);
      await createProgramme(c, GETTING_ONLINE);
      await syncNowAndWait(c);

      lostTablet = await launchTablet();
      const t = lostTablet.page;
      await signIn(t, COORDINATOR);
      await waitForUpToDate(t);
      await openFromNav(t, 'Venues');
      await t.getByRole('link', { name: BOOTLE_HUB.name, exact: true }).waitFor();

      // Only the tablet loses its connection: the coordinator's tablet still reaches the server.
      await lostTablet.context.setOffline(true);
      learnerId = await enrolLearner(t, GETTING_ONLINE.title, LEARNER);
      await openFromNav(t, 'Programmes');
      await t.getByRole('link', { name: GETTING_ONLINE.title, exact: true }).click();
      await t.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).click();
      await heading(t, `Enrol a learner on ${GETTING_ONLINE.title}`).waitFor();
      await t.getByLabel('Given names', { exact: true }).fill(KWAME.givenNames);
      await t.getByLabel('Family name', { exact: true }).fill(KWAME.familyName);
      // The half-filled form is saved as a draft as it is typed.
      await expect.poll(async () => (await readRawDatabase(t)).counts['drafts'], POLL).toBeGreaterThan(0);
      await syncStatus(t)
        .filter({ hasText: /\d+ changes? waiting to sync\./ })
        .waitFor();

      // What the erasure must remove is on the tablet now.
      const before = await readRawDatabase(t);
      expect(before.counts).toMatchObject({ learners: 1, venues: 1, programmes: 1 });
      expect(before.counts['outbox']).toBeGreaterThan(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator opens Devices and reports the tablet lost, after confirming; offline, it says so',
    async () => {
      const { c: coordinator } = tablets();
      const c = coordinator.page;
      await openDevices(c);
      await expectAccessible(c);

      const mine = deviceCard(c, 'This device');
      expect(await cardValue(mine, 'Status')).toBe('In use');
      // The tablet the coordinator holds cannot be reported lost from itself.
      expect(await mine.getByRole('button', { name: /^Report as lost/ }).count()).toBe(0);
      await mine.getByText('You are using this device. To report it as lost, use another one.').waitFor();

      const tablet = deviceCard(c, TABLET_CARD);
      expect(await cardValue(tablet, 'Registered by')).toBe(COORDINATOR.name);
      expect(await cardValue(tablet, 'Status')).toBe('In use');
      expect(await cardValue(tablet, 'App version')).toBe(APP_VERSION);
      // It has sent nothing yet (its changes were all made offline), so it has reported nothing.
      expect(await cardValue(tablet, 'Changes it had to send at its last contact')).toBe('Not reported yet');
      // The coordinator's own tablet reported its first records when it sent them.
      expect(await cardValue(mine, 'Changes it had to send at its last contact')).toMatch(
        /^\d+, the oldest made on .+$/,
      );

      const report = tablet.getByRole('button', { name: /^Report as lost/ });
      const confirm = tablet.getByRole('group', { name: `Confirm reporting ${TABLET_CARD} as lost` });
      // Cancelling changes nothing.
      await report.click();
      await confirm.getByText(CONFIRMATION, { exact: true }).waitFor();
      await expectAccessible(c);
      await confirm.getByRole('button', { name: 'Cancel', exact: true }).click();
      await confirm.waitFor({ state: 'detached' });
      expect(await cardValue(tablet, 'Status')).toBe('In use');

      // Without a connection the report cannot be made, and the card says so.
      await coordinator.context.setOffline(true);
      await report.click();
      await confirm.getByRole('button', { name: 'Yes, report it as lost', exact: true }).click();
      await tablet
        .getByRole('alert')
        .filter({
          hasText:
            'Not reported as lost. There is no connection to the server. Connect to the internet and try again.',
        })
        .waitFor();
      expect(await cardValue(tablet, 'Status')).toBe('In use');

      await coordinator.context.setOffline(false);
      await report.click();
      await confirm.getByRole('button', { name: 'Yes, report it as lost', exact: true }).click();
      await tablet
        .getByRole('status')
        .filter({ hasText: `${TABLET_CARD} is reported lost. ${CONFIRMATION.split(' Anyone')[0]}` })
        .waitFor();
      await expect
        .poll(() => cardValue(tablet, 'Status'), POLL)
        .toMatch(/^Reported lost on .+ — waiting for it to connect$/);
      expect(await report.count()).toBe(0);
      expect(await tablet.getByRole('alert').count()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'back online, the tablet sends the enrolment, then erases everything on it',
    async () => {
      const { c: coordinator, t: tablet } = tablets();
      const t = tablet.page;
      await tablet.context.setOffline(false);
      // Coming back online starts a sync by itself; the tablet was left on the half-filled form.
      await syncStatus(t).filter({ hasText: ERASED }).waitFor();
      // The app reloads on the erasure, so the form on screen keeps nothing of what was erased.
      await heading(t, 'Today').waitFor();
      expect(new URL(t.url()).pathname).toBe('/');
      await syncBar(t).getByRole('link', { name: 'Sign in to sync', exact: true }).waitFor();
      expect(await navLink(t, 'Devices').count()).toBe(0);

      // The server holds what the tablet made offline.
      const records = await pullEverything(coordinator.context, url);
      const learner = records.find(
        (record) => record.entityType === 'learner' && record.entityId === learnerId,
      );
      expect(learner?.data).toMatchObject({ givenNames: LEARNER.givenNames, familyName: LEARNER.familyName });

      // The tablet holds no one's data: every store but the shipped texts and its own state is empty.
      const after = await readRawDatabase(t);
      for (const [store, count] of Object.entries(after.counts)) {
        if (!STORES_WITHOUT_PERSONAL_DATA.includes(store))
          expect({ store, count }).toEqual({ store, count: 0 });
      }
      expect(after.counts).toMatchObject({ learners: 0, venues: 0, outbox: 0, drafts: 0 });
      const sync = after.meta.find((row) => row['key'] === 'sync');
      expect(sync).toMatchObject({ user: null, serverDeviceId: null, erased: { reason: 'reported-lost' } });
      // No tutor's name, no organisation: only the device's own state is left.
      expect(
        after.meta
          .map((row) => row['key'])
          .filter((key) => key !== 'sync' && key !== 'storage' && key !== 'writer'),
      ).toEqual([]);
      expect(JSON.stringify(after.meta)).not.toContain(COORDINATOR.email);
      // The browser's sign-in ended with the erasure: whoever holds the tablet cannot call the API.
      const me = await t.context().request.get(`${url}/api/auth/me`);
      expect(me.status()).toBe(401);

      // A reload still says why, and lists no one.
      await t.reload();
      await syncStatus(t).filter({ hasText: ERASED }).waitFor();
      await openFromNav(t, 'Learners');
      await t
        .getByRole('status')
        .filter({ hasText: /^\s*0 learners on this device\s*$/ })
        .waitFor();
      expect(await searchLearners(t, LEARNER.familyName)).toEqual([]);
      await t.goto(`${url}/devices`);
      await heading(t, 'Devices').waitFor();
      await t.getByText('No coordinator is signed in on this tablet.', { exact: false }).waitFor();
      await expectAccessible(t);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator’s Devices page shows the erasure, and the coordinator’s tablet receives the learner',
    async () => {
      const { c: coordinator } = tablets();
      const c = coordinator.page;
      await openDevices(c);
      const tablet = deviceCard(c, TABLET_CARD);
      await expect
        .poll(() => cardValue(tablet, 'Status'), POLL)
        .toMatch(/^Reported lost; data erased on .+$/);
      // It reported what it was sending when it last made contact.
      expect(await cardValue(tablet, 'Changes it had to send at its last contact')).toMatch(
        /^\d+, the oldest made on .+$/,
      );
      expect(await tablet.getByRole('button', { name: /^Report as lost/ }).count()).toBe(0);
      await expectAccessible(c);

      await syncNowAndWait(c);
      expect(await searchLearners(c, NAME)).toEqual([NAME]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'handed to a tutor, the erased tablet starts again: no Devices, and Getting started leaves venues and programmes to a coordinator',
    async () => {
      const { c: coordinator, t: tablet } = tablets();
      const c = coordinator.page;
      const t = tablet.page;
      await navLink(c, 'People').click();
      await heading(c, 'People').waitFor();
      await c.getByLabel('Their email address', { exact: true }).fill(TUTOR.email);
      await c
        .getByRole('group', { name: 'What will they do?', exact: true })
        .getByRole('radio', { name: /^Tutor/ })
        .check();
      await c.getByRole('button', { name: 'Create invitation', exact: true }).click();
      const link = await c
        .getByRole('region', { name: `Invitation made for ${TUTOR.email}`, exact: true })
        .getByLabel('Invitation link', { exact: true })
        .inputValue();

      await acceptInvitation(t, link, TUTOR);
      await waitForUpToDate(t);

      // The tutor has venues and programmes to read, and no session yet: Getting started shows.
      const start = t.getByRole('region', { name: 'Getting started', exact: true });
      await start.getByText('A coordinator sets up the venues', { exact: false }).waitFor();
      await start.getByText('A coordinator sets up the programmes', { exact: false }).waitFor();
      expect(await start.getByRole('link', { name: 'Add a venue' }).count()).toBe(0);
      expect(await start.getByRole('link', { name: 'Add a programme' }).count()).toBe(0);
      await start.getByRole('link', { name: 'Plan your first session', exact: true }).waitFor();
      await expectAccessible(t);

      expect(await navLink(t, 'Devices').count()).toBe(0);
      await t.goto(`${url}/devices`);
      // A new page load starts locked: the tutor's PIN opens it.
      await unlockWithPin(t);
      await heading(t, 'Devices').waitFor();
      await t
        .getByText('Only a coordinator can see the organisation’s devices and report one as lost.', {
          exact: true,
        })
        .waitFor();
      await t
        .getByText('If a tablet or phone you use for the register is lost or stolen', { exact: false })
        .waitFor();
      expect(await t.getByRole('button', { name: /^Report as lost/ }).count()).toBe(0);

      // A coordinator, with no session planned yet either, is still offered the links.
      await openFromNav(c, 'Today');
      const theirs = c.getByRole('region', { name: 'Getting started', exact: true });
      await theirs.getByRole('link', { name: 'Add a venue', exact: true }).waitFor();
      await theirs.getByRole('link', { name: 'Add a programme', exact: true }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );
});
