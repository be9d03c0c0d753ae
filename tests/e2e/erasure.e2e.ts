// Erasure on request across three tablets. A coordinator enrols Grace on tablet A; tablets B and C
// sync her. Offline, B changes her phone number and starts enrolling her again (a half-typed draft).
// The coordinator erases her on A. C, still offline and not knowing, changes her phone too. B comes
// back and syncs: nothing of Grace's personal data is left in its IndexedDB, read raw; C comes back
// later and pushes its edit: the server refuses it and nothing comes back. Before erasing, the
// coordinator downloads everything held on her (a subject access request); after, sets a retention
// period. Needs a production build (E2E_DIST, or dist) and a server with migration 012.
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCHEMA_V6 } from '../../src/db/database';
import { SYNC_HEADERS } from '../../src/domain/sync/protocol';
import {
  type LearnerDetails,
  changeLearnerDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openFromNav,
  openLearner,
  planSession,
  searchLearners,
  setUpOrganisation,
  signIn,
  syncNowAndWait,
  syncStatus,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  MULTI_TABLET_TEST_TIMEOUT_MS,
  POLL,
  expectAccessible,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import {
  expectNothingReadable,
  pullEverything,
  readRawStores,
  readableTexts,
  signedInApiClient,
} from '../helpers/e2eData';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE } from '../fixtures/e2eRecords';

const LEARNER: LearnerDetails = {
  ...GRACE,
  email: 'grace.adeyemi@riverside.example',
  goal: { text: 'Video call my daughter in Lagos', type: 'Communication' },
};
const NAME = fullName(LEARNER);
const PHONE_ON_B = '07700 900461';
const PHONE_ON_C = '07700 900462';

/** What identifies Grace, as typed and as stored: none of it may be left anywhere after the erasure. */
const PERSONAL_TEXTS = [
  LEARNER.givenNames,
  LEARNER.familyName,
  '1974-07-02',
  'L218HB',
  'L21 8HB',
  LEARNER.email!,
  'Video call my daughter',
  PHONE_ON_B,
  PHONE_ON_C,
];

const ALL_STORES = Object.keys(SCHEMA_V6);

async function rawTexts(page: Page): Promise<string[]> {
  return readableTexts(await readRawStores(page, ALL_STORES), PERSONAL_TEXTS);
}

describe('erasure on request: nothing left on any tablet, and no later push brings it back', () => {
  const server = useRestartableServer('erasure');
  let url = '';
  const browsers: LaunchedBrowser[] = [];
  const tablets: Record<'a' | 'b' | 'c', LaunchedBrowser | undefined> = {
    a: undefined,
    b: undefined,
    c: undefined,
  };
  let learnerId = '';

  const tablet = (name: 'a' | 'b' | 'c'): LaunchedBrowser => {
    const launched = tablets[name];
    if (!launched) throw new Error('An earlier step failed');
    return launched;
  };

  const openTablet = async (): Promise<LaunchedBrowser> => {
    const launched = await launchTablet(url);
    browsers.push(launched);
    return launched;
  };

  beforeAll(() => {
    url = server.url();
  });

  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
  });

  it(
    'the coordinator enrols Grace on tablet A; tablets B and C sync her',
    async () => {
      tablets.a = await openTablet();
      const a = tablets.a.page;
      await setUpOrganisation(a, COORDINATOR);
      await createVenue(a, BOOTLE_HUB);
      await createProgramme(a, GETTING_ONLINE);
      await planSession(a, {
        programme: GETTING_ONLINE.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: COORDINATOR.name,
      });
      learnerId = await enrolLearner(a, GETTING_ONLINE.title, LEARNER);
      await syncNowAndWait(a);

      for (const name of ['b', 'c'] as const) {
        tablets[name] = await openTablet();
        await signIn(tablets[name].page, COORDINATOR);
        await waitForUpToDate(tablets[name].page);
        expect(await searchLearners(tablets[name].page, NAME)).toEqual([NAME]);
      }
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'offline, tablet B changes her phone and starts enrolling her again, leaving a draft',
    async () => {
      const { page: b, context: contextB } = tablet('b');
      await tablet('c').context.setOffline(true);
      await contextB.setOffline(true);
      await changeLearnerDetails(b, NAME, { phone: PHONE_ON_B });

      await openFromNav(b, 'Programmes');
      await b.getByRole('link', { name: GETTING_ONLINE.title, exact: true }).click();
      await b.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).click();
      await heading(b, `Enrol a learner on ${GETTING_ONLINE.title}`).waitFor();
      await b.getByLabel('Given names', { exact: true }).fill(LEARNER.givenNames);
      await b.getByLabel('Family name', { exact: true }).fill(LEARNER.familyName);
      await expect.poll(async () => ((await readRawStores(b, ['drafts'])).drafts ?? []).length, POLL).toBe(1);
      await openFromNav(b, 'Today');
      // The test can fail: her name is readable in B's store, and her change waits in the outbox.
      expect(await rawTexts(b)).toEqual(expect.arrayContaining([`learners: ${LEARNER.familyName}`]));
      expect(((await readRawStores(b, ['outbox'])).outbox ?? []).length).toBeGreaterThan(0);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator erases Grace on tablet A, after a confirmation that says it cannot be undone',
    async () => {
      const { page: a } = tablet('a');
      await openLearner(a, NAME);
      // First, what a subject access request gives her: one file of everything held.
      const [download] = await Promise.all([
        a.waitForEvent('download'),
        a
          .getByRole('button', { name: 'Download everything held on this learner (JSON)', exact: true })
          .click(),
      ]);
      expect(download.suggestedFilename()).toMatch(
        new RegExp(`^subject-access-${learnerId}-\\d{4}-\\d{2}-\\d{2}\\.json$`),
      );
      const file = JSON.parse(await readFile((await download.path())!, 'utf8')) as Record<string, unknown>;
      expect(file['Personal details']).toMatchObject({
        givenNames: LEARNER.givenNames,
        email: LEARNER.email,
      });
      expect(JSON.stringify(file['Learning goals'])).toContain('Video call my daughter');
      await a
        .getByRole('status')
        .filter({ hasText: `Saved as ${download.suggestedFilename()}.` })
        .waitFor();

      const section = a.getByRole('region', { name: 'Erase this learner’s personal data', exact: true });
      await section.getByText('This cannot be undone.', { exact: false }).waitFor();
      await section.getByRole('button', { name: 'Erase this learner’s personal data', exact: true }).click();
      const confirm = a.getByRole('group', { name: `Erase the personal data of ${NAME}`, exact: true });
      await expectAccessible(a);
      // Without the word typed, nothing happens.
      await confirm.getByRole('button', { name: 'Erase their personal data for good', exact: true }).click();
      await a.getByRole('alert').filter({ hasText: 'Type ERASE in the box to confirm.' }).waitFor();
      await confirm.getByLabel('To confirm, type “ERASE”', { exact: true }).fill('ERASE');
      await confirm.getByRole('button', { name: 'Erase their personal data for good', exact: true }).click();
      await a
        .getByRole('status')
        .filter({ hasText: 'The personal data of this learner has been erased.' })
        .waitFor();
      // Tablet A removed her at once: the page shows the erased record, no list finds her.
      await heading(a, 'Erased learner').waitFor();
      await a.getByText('This learner’s personal data was erased.', { exact: false }).waitFor();
      await waitForUpToDate(a);
      expect(await searchLearners(a, LEARNER.familyName)).toEqual([]);
      expectNothingReadable(await readRawStores(a, ALL_STORES), PERSONAL_TEXTS);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'tablet B syncs: nothing of her personal data is left in its IndexedDB, outbox and draft included',
    async () => {
      // C, offline and unaware, changes her phone after the erasure.
      await changeLearnerDetails(tablet('c').page, NAME, { phone: PHONE_ON_C });

      const { page: b, context: contextB } = tablet('b');
      await contextB.setOffline(false);
      await syncNowAndWait(b);
      await expect.poll(() => rawTexts(b), POLL).toEqual([]);
      const raw = await readRawStores(b, ['drafts', 'outbox', 'rejectedChanges']);
      expect(raw).toEqual({ drafts: [], outbox: [], rejectedChanges: [] });
      expect(await searchLearners(b, LEARNER.familyName)).toEqual([]);
      expect(await syncStatus(b).innerText()).not.toContain('refused');
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'tablet C comes back and pushes its edit: refused, nothing revived, and C keeps nothing of her',
    async () => {
      const { page: c, context: contextC } = tablet('c');
      await contextC.setOffline(false);
      await syncNowAndWait(c);
      await expect.poll(() => rawTexts(c), POLL).toEqual([]);

      // The server holds the erased record still, with nothing of hers in it or in its history.
      const client = await signedInApiClient(url, COORDINATOR);
      try {
        const records = await pullEverything(client, url);
        const learner = records.find(
          (record) => record.entityType === 'learner' && record.entityId === learnerId,
        );
        expect(learner?.data).toMatchObject({ status: 'erased', phone: '', givenNames: 'Erased' });
        expect(readableTexts({ records }, PERSONAL_TEXTS)).toEqual([]);
        const history = await client.request.get(`${url}/api/learners/${learnerId}/history`, {
          headers: { [SYNC_HEADERS.appVersion]: 'e2e' },
        });
        expect(history.status()).toBe(200);
        const body = await history.text();
        expect(readableTexts({ history: body }, PERSONAL_TEXTS)).toEqual([]);
        // C's edit is there as a refusal, without its value.
        expect(body).toContain('rejected:learner-erased');
      } finally {
        await client.request.dispose();
      }
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator sets a retention period and sees who is due before anonymising anyone',
    async () => {
      const { page: a } = tablet('a');
      await a
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Dashboard', exact: true })
        .click();
      await heading(a, 'Dashboard').waitFor();
      await a.getByRole('link', { name: 'Retention of learners’ data', exact: true }).click();
      await heading(a, 'Retention').waitFor();
      await a.getByText('no learner’s retention period has ended.', { exact: false }).waitFor();
      const unfunded = a.getByLabel('Unfunded', { exact: true });
      await expect.poll(() => unfunded.inputValue(), POLL).toBe('3');
      // A period that is not a whole number of years is refused, with the GOV.UK error summary.
      await unfunded.fill('two');
      await a.getByRole('button', { name: 'Save retention periods', exact: true }).click();
      await a
        .getByRole('link', { name: 'Enter a whole number of years from 1 to 50 for Unfunded', exact: true })
        .waitFor();
      expect(await a.title()).toMatch(/^Error: Retention/);
      await unfunded.fill('2');
      await a.getByRole('button', { name: 'Save retention periods', exact: true }).click();
      await a.getByRole('status').filter({ hasText: 'The retention periods have been saved.' }).waitFor();
      await a.getByText(`Set by ${COORDINATOR.name}`, { exact: false }).waitFor();
      await expectAccessible(a);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});
