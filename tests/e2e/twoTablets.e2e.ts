// Two tablets of one organisation against the real server, its embedded database kept across a
// restart, each tablet with its own browser profile and service worker: they edit one learner
// offline (different fields) and mark the same learner present, then sync and agree with each other
// and with the server. A third tablet enrols before anyone signs in on it, and the service worker
// syncs by itself on a Background Sync event with no page of the app open. Needs a production build
// (E2E_DIST, or dist).
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceId } from '../../src/domain/ids';
import { BACKGROUND_SYNC_TAG } from '../../src/sync/scheduler';
import {
  type ProgrammeDetails,
  changeLearnerDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  markButton,
  openLearner,
  openRegisterFromToday,
  planSession,
  registerRow,
  searchLearners,
  setUpOrganisation,
  signIn,
  statusMessage,
  summaryValue,
  syncNowAndWait,
  syncStatus,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  MULTI_TABLET_TEST_TIMEOUT_MS,
  POLL,
  goOffline,
  launchTablet,
  serviceWorkerRegistrationId,
  useRestartableServer,
} from '../helpers/browser';
import { pullEverything } from '../helpers/e2eData';
import { COORDINATOR, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

const PROGRAMME = GETTING_ONLINE;
const LEARNER = GRACE;
const C_LEARNER = KWAME;
const NAME = fullName(LEARNER);
/** Tablet A's change and tablet B's, made offline on different fields of one learner. */
const PHONE_FROM_A = '07700 900123';
const TOWN_FROM_B = 'Litherland';
/** Tablet A's change waiting for Background Sync. */
const EMAIL_FROM_A = 'grace.adeyemi@example.org';

const C_PROGRAMME: ProgrammeDetails = {
  title: 'Staying Safe Online',
  type: 'Tailored learning',
  level: 'Entry 3',
  fundingStream: 'Adult Skills Fund tailored learning',
  plannedHours: '6',
};

async function serverLearner(context: BrowserContext, url: string, learnerId: string) {
  const records = await pullEverything(context, url);
  return records.find((record) => record.entityType === 'learner' && record.entityId === learnerId)?.data;
}

/** What a learner's record shows, read from the screen. */
async function learnerOnScreen(page: Page): Promise<{ phone: string; address: string; marks: number }> {
  return {
    phone: (await summaryValue(page, 'Phone').innerText()).trim(),
    address: (await summaryValue(page, 'Address').innerText()).trim(),
    // The attendance table: a header row and one row per mark.
    marks: (await page.getByRole('table').getByRole('row').count()) - 1,
  };
}

/** The register shows the learner once, marked present, and counts one mark. */
async function expectMarkedPresentOnce(page: Page): Promise<void> {
  await openRegisterFromToday(page, PROGRAMME.title);
  await statusMessage(page, '1 of 1 marked').waitFor();
  expect(await registerRow(page, NAME).count()).toBe(1);
  await page.getByRole('button', { name: `Present: ${NAME}`, exact: true, pressed: true }).waitFor();
  expect(await markButton(page, 'Late', NAME).getAttribute('aria-pressed')).toBe('false');
}

/** Marks the learner present on the register and waits for the register to show it. */
async function markPresent(page: Page): Promise<void> {
  await openRegisterFromToday(page, PROGRAMME.title);
  await statusMessage(page, '0 of 1 marked').waitFor();
  await markButton(page, 'Present', NAME).click();
  await page.getByRole('button', { name: `Present: ${NAME}`, exact: true, pressed: true }).waitFor();
  await statusMessage(page, '1 of 1 marked').waitFor();
}

describe('two tablets, one learner, offline edits', () => {
  const server = useRestartableServer('two-tablets');
  let url = '';
  const browsers: LaunchedBrowser[] = [];
  let tabletA: LaunchedBrowser | undefined;
  let tabletB: LaunchedBrowser | undefined;
  let learnerId = '';
  let sessionId = '';

  const tablets = () => {
    if (!tabletA || !tabletB) throw new Error('An earlier step failed');
    return { a: tabletA.page, b: tabletB.page, contextA: tabletA.context, contextB: tabletB.context };
  };

  /** A tablet of its own, closed after the tests. */
  const openTablet = async (): Promise<LaunchedBrowser> => {
    const tablet = await launchTablet(url);
    browsers.push(tablet);
    return tablet;
  };

  beforeAll(() => {
    url = server.url();
  });

  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
  });

  it(
    'A sets up the organisation and its first records and syncs; B signs in and receives them',
    async () => {
      tabletA = await openTablet();
      const a = tabletA.page;
      await setUpOrganisation(a, COORDINATOR);
      await createVenue(a, { name: 'Bootle Community Hub', postcode: 'l203nj' });
      await createProgramme(a, PROGRAMME);
      sessionId = await planSession(a, {
        programme: PROGRAMME.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: COORDINATOR.name,
      });
      learnerId = await enrolLearner(a, PROGRAMME.title, LEARNER);
      const synced = await syncNowAndWait(a);
      expect(synced).toMatch(/^Up to date\. Last synced /);

      tabletB = await openTablet();
      const b = tabletB.page;
      await signIn(b, COORDINATOR);
      await waitForUpToDate(b);
      expect(await searchLearners(b, NAME)).toEqual([NAME]);
      await openRegisterFromToday(b, PROGRAMME.title);
      expect(new URL(b.url()).pathname).toBe(`/sessions/${sessionId}`);
      await registerRow(b, NAME).waitFor();
      await statusMessage(b, '0 of 1 marked').waitFor();
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'offline, A changes the phone and B the town, and both mark the learner present',
    async () => {
      const { a, b, contextA, contextB } = tablets();
      await goOffline(contextA, server.current());
      await contextB.setOffline(true);

      await changeLearnerDetails(a, NAME, { phone: PHONE_FROM_A });
      await changeLearnerDetails(b, NAME, { town: TOWN_FROM_B });
      expect((await learnerOnScreen(a)).phone).toBe(PHONE_FROM_A);
      expect((await learnerOnScreen(b)).address).toBe(TOWN_FROM_B);
      await markPresent(a);
      await markPresent(b);
      // Each tablet keeps its changes until it can reach the server.
      for (const page of [a, b]) {
        await syncStatus(page)
          .filter({ hasText: /changes waiting to sync\./ })
          .waitFor();
      }
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'back online, both sync and agree with each other and with the server',
    async () => {
      const { a, b, contextA, contextB } = tablets();
      await server.restart();
      await contextA.setOffline(false);
      await contextB.setOffline(false);
      await syncNowAndWait(a);
      await syncNowAndWait(b);
      // A pushed before B did: one more sync brings it B's town.
      await syncNowAndWait(a);

      for (const page of [a, b]) {
        expect(await syncStatus(page).innerText()).not.toContain('refused');
        await openLearner(page, NAME);
        await expect
          .poll(() => learnerOnScreen(page), POLL)
          .toEqual({ phone: PHONE_FROM_A, address: TOWN_FROM_B, marks: 1 });
        await expectMarkedPresentOnce(page);
      }

      const records = await pullEverything(contextA, url);
      const marks = records.filter(
        (record) =>
          record.entityType === 'attendance' &&
          record.data['sessionId'] === sessionId &&
          record.data['learnerId'] === learnerId,
      );
      expect(marks).toHaveLength(1);
      expect(marks[0]).toMatchObject({
        entityId: attendanceId(sessionId, learnerId),
        deleted: false,
        data: { mark: 'P' },
      });
      const learner = records.find(
        (record) => record.entityType === 'learner' && record.entityId === learnerId,
      );
      expect(learner?.data).toMatchObject({ phone: PHONE_FROM_A, town: TOWN_FROM_B });
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'a third tablet enrols before anyone has signed in on it; its learner reaches the server and B',
    async () => {
      const { b } = tablets();
      const tabletC = await openTablet();
      const c = tabletC.page;
      await tabletC.context.setOffline(true);
      await createProgramme(c, C_PROGRAMME);
      await enrolLearner(c, C_PROGRAMME.title, C_LEARNER);
      await syncStatus(c)
        .filter({ hasText: /^\s*Not signed in\. \d+ changes waiting to sync\. They are kept safely here\./ })
        .waitFor();

      await tabletC.context.setOffline(false);
      await signIn(c, COORDINATOR);
      await waitForUpToDate(c);

      const records = await pullEverything(tabletC.context, url);
      const learners = records.filter(
        (record) => record.entityType === 'learner' && record.data['familyName'] === C_LEARNER.familyName,
      );
      expect(learners.map((record) => record.data['givenNames'])).toEqual([C_LEARNER.givenNames]);
      expect(
        records.some(
          (record) => record.entityType === 'programme' && record.data['title'] === C_PROGRAMME.title,
        ),
      ).toBe(true);

      await syncNowAndWait(b);
      expect(await searchLearners(b, fullName(C_LEARNER))).toEqual([fullName(C_LEARNER)]);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'the service worker pushes a change waiting from offline on a Background Sync event, with no page open',
    async () => {
      const { a, contextA } = tablets();
      // Kept open to the end: the registration id and the dispatch go through this session.
      const devtools = await contextA.newCDPSession(a);
      const registrationId = await serviceWorkerRegistrationId(devtools, url);

      await goOffline(contextA, server.current());
      await changeLearnerDetails(a, NAME, { email: EMAIL_FROM_A });
      await syncStatus(a)
        .filter({ hasText: /1 change waiting to sync\./ })
        .waitFor();
      // No page of the app is left to run the scheduler: only the service worker can sync now.
      await a.goto('about:blank');

      await server.restart();
      // Nothing has pushed the change yet (the test's own requests are not the tablet's, so they pass).
      expect((await serverLearner(contextA, url, learnerId))?.['email']).toBe('');
      await contextA.setOffline(false);

      await devtools.send('ServiceWorker.dispatchSyncEvent', {
        origin: new URL(url).origin,
        registrationId,
        tag: BACKGROUND_SYNC_TAG,
        lastChance: false,
      });
      await expect
        .poll(async () => (await serverLearner(contextA, url, learnerId))?.['email'], POLL)
        .toBe(EMAIL_FROM_A);
      // The rest of the learner is as the tablets left it.
      expect(await serverLearner(contextA, url, learnerId)).toMatchObject({
        phone: PHONE_FROM_A,
        town: TOWN_FROM_B,
      });
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});
