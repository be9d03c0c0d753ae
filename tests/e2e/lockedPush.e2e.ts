// A locked tablet still pushes, against the real server and the production build with its service
// worker: a coordinator sets up and plans a session online; offline, she enrols a learner with a
// distinctive email, marks them present and changes their phone, and the outbox, read raw, holds
// all of it sealed to the server; she presses "Lock now". When the server is back and the browser
// online, the locked tab pushes by itself: the server has the changes, the outbox is empty, the
// tab pulled nothing and still shows only the lock screen; the PIN opens it, it pulls at once (not
// at its next timer) and shows the new phone.
// Then, locked again with a change waiting and no page of the app open, a Background Sync event
// makes the service worker (which never holds the data key) push it. Needs a production build
// (E2E_DIST, or dist).
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attendanceId } from '../../src/domain/ids';
import type { OutboxBatch } from '../../src/domain/changeLog';
import { BACKGROUND_SYNC_TAG } from '../../src/sync/scheduler';
import {
  type LearnerDetails,
  TEST_PIN,
  changeLearnerDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  lockNow,
  markButton,
  openLearner,
  openRegisterFromToday,
  planSession,
  setUpOrganisation,
  statusMessage,
  summaryValue,
  syncNowAndWait,
  syncStatus,
  unlockWithPin,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  POLL,
  TEST_TIMEOUT_MS,
  goOffline,
  launchTablet,
  serviceWorkerRegistrationId,
  useRestartableServer,
} from '../helpers/browser';
import { expectNothingReadable, pullEverything, readRawStores, signedInApiClient } from '../helpers/e2eData';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE } from '../fixtures/e2eRecords';

const PROGRAMME = GETTING_ONLINE;
const LEARNER: LearnerDetails = {
  givenNames: 'Philippa',
  familyName: 'Thistlewood',
  dateOfBirth: { day: '23', month: '4', year: '1961' },
  postcode: 'wa7 1bd',
  email: 'philippa.thistlewood@quoxmail.example',
  employmentStatus: 'Not in paid employment, looking for work and available to start',
  consentMethod: 'The learner signed a paper form',
};
const NAME = fullName(LEARNER);
/** Typed offline before "Lock now"; pushed by the locked tab. */
const PHONE_PUSHED_LOCKED = '07700 900581';
/** Typed offline before the second lock; pushed by the service worker alone. */
const PHONE_PUSHED_BY_WORKER = '07700 900736';

/** Words of what was typed offline: none may be readable in the outbox, nor go readable on the wire. */
function secretsOf(phone: string): string[] {
  return [LEARNER.email!, 'quoxmail', phone, phone.replace(/\s/g, ''), phone.slice(-6)];
}

type RawChange = { entityType: string; fieldNames?: string[]; sealed?: unknown; fields?: unknown };

/** The device's outbox, read raw from IndexedDB (without Dexie). */
async function rawOutbox(page: Page): Promise<OutboxBatch[]> {
  return ((await readRawStores(page, ['outbox'])).outbox ?? []) as OutboxBatch[];
}

/**
 * The outbox holds changes and every one is sealed: its values are nowhere readable, only `sealed`
 * and the names of the fields it sets. Returns the changes.
 */
async function expectSealedOutbox(page: Page, secrets: readonly string[]): Promise<RawChange[]> {
  const outbox = await rawOutbox(page);
  const changes = outbox.flatMap((batch) => batch.changes as RawChange[]);
  expect(changes.length, 'changes waiting in the outbox').toBeGreaterThan(0);
  for (const change of changes) {
    expect(change.sealed, `${change.entityType} change sealed`).toMatchObject({
      keyId: expect.any(String),
      iv: expect.any(String),
      data: expect.any(String),
    });
    expect(change.fields, `${change.entityType} change has no readable values`).toBeUndefined();
  }
  expectNothingReadable({ outbox }, secrets);
  return changes;
}

/** What the server holds for the learner and their mark, as another signed-in client reads it. */
async function onServer(
  api: { request: APIRequestContext },
  url: string,
  learnerId: string,
  sessionId: string,
): Promise<{ phone: unknown; email: unknown; mark: unknown }> {
  const records = await pullEverything(api, url);
  const learner = records.find((record) => record.entityType === 'learner' && record.entityId === learnerId);
  const mark = records.find(
    (record) => record.entityType === 'attendance' && record.entityId === attendanceId(sessionId, learnerId),
  );
  return {
    phone: learner?.data['phone'],
    email: learner?.data['email'],
    mark: mark?.deleted ? 'deleted' : mark?.data['mark'],
  };
}

/** The sync requests a page itself sends (not its service worker's), with what each push carried. */
function recordSyncRequests(page: Page): { pushes: string[]; pulls: number; pushesAnswered: number[] } {
  const seen = { pushes: [] as string[], pulls: 0, pushesAnswered: [] as number[] };
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname === '/api/sync/push') seen.pushes.push(request.postData() ?? '');
    if (pathname === '/api/sync/pull') seen.pulls += 1;
  });
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/api/sync/push') seen.pushesAnswered.push(response.status());
  });
  return seen;
}

/** The lock screen, and nothing of the learner on it. */
async function expectLocked(page: Page): Promise<void> {
  await heading(page, 'Enter your PIN').waitFor();
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  const text = await page.locator('body').innerText();
  for (const word of [LEARNER.givenNames, LEARNER.familyName, PROGRAMME.title, PHONE_PUSHED_LOCKED]) {
    expect(text, `"${word}" on the lock screen`).not.toContain(word);
  }
}

/** The pages of the app open in the browser (not about:blank). */
function appPages(context: BrowserContext, url: string): Page[] {
  return context.pages().filter((page) => page.url().startsWith(new URL(url).origin));
}

describe('a locked device still pushes', () => {
  const server = useRestartableServer('locked-push');
  let url = '';
  let tablet: LaunchedBrowser | undefined;
  let reader: { request: APIRequestContext } | undefined;
  let learnerId = '';
  let sessionId = '';

  const theTablet = () => {
    if (!tablet) throw new Error('An earlier step failed');
    return tablet;
  };

  /** A client of its own, signed in as the coordinator (not the tablet), to read the server. */
  const serverReader = async () => {
    reader ??= await signedInApiClient(url, COORDINATOR);
    return reader;
  };

  beforeAll(() => {
    url = server.url();
  });

  afterAll(async () => {
    await reader?.request.dispose();
    await tablet?.close();
  });

  it(
    'offline, a coordinator enrols a learner, marks them present and changes their phone; the outbox holds it sealed; she locks the app',
    async () => {
      tablet = await launchTablet(url);
      const { page, context } = tablet;
      await setUpOrganisation(page, COORDINATOR, { pin: TEST_PIN });
      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, PROGRAMME);
      sessionId = await planSession(page, {
        programme: PROGRAMME.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: COORDINATOR.name,
      });
      await syncNowAndWait(page);

      await goOffline(context, server.current());
      learnerId = await enrolLearner(page, PROGRAMME.title, LEARNER);
      await openRegisterFromToday(page, PROGRAMME.title);
      await statusMessage(page, '0 of 1 marked').waitFor();
      await markButton(page, 'Present', NAME).click();
      await page.getByRole('button', { name: `Present: ${NAME}`, exact: true, pressed: true }).waitFor();
      await changeLearnerDetails(page, NAME, { phone: PHONE_PUSHED_LOCKED });
      expect((await summaryValue(page, 'Phone').innerText()).trim()).toBe(PHONE_PUSHED_LOCKED);
      await syncStatus(page)
        .filter({ hasText: /\d+ changes waiting to sync\./ })
        .waitFor();

      const changes = await expectSealedOutbox(page, secretsOf(PHONE_PUSHED_LOCKED));
      // The enrolment, the mark and the new phone are all waiting.
      expect(changes.map((change) => change.entityType)).toEqual(
        expect.arrayContaining(['learner', 'enrolment', 'attendance']),
      );
      expect(
        changes.some((change) => change.entityType === 'learner' && change.fieldNames?.includes('phone')),
      ).toBe(true);

      await lockNow(page);
      await expectLocked(page);
      // Locked: the outbox is as it was, still sealed.
      await expectSealedOutbox(page, secretsOf(PHONE_PUSHED_LOCKED));
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'back online, the locked tab pushes the waiting changes, sealed, without pulling; unlocked, it pulls at once and shows the new phone',
    async () => {
      const { page, context } = theTablet();
      const sent = recordSyncRequests(page);
      await server.restart();
      const api = await serverReader();
      // Nothing has pushed the changes yet: the learner is not on the server.
      expect(await onServer(api, url, learnerId, sessionId)).toEqual({
        phone: undefined,
        email: undefined,
        mark: undefined,
      });

      // The browser's "online" starts the locked tab's sync: no one presses anything.
      await context.setOffline(false);
      await expect
        .poll(() => onServer(api, url, learnerId, sessionId), POLL)
        .toEqual({ phone: PHONE_PUSHED_LOCKED, email: LEARNER.email, mark: 'P' });
      await expect.poll(async () => (await rawOutbox(page)).length, POLL).toBe(0);

      // The tab itself pushed (not only its service worker), every value sealed on the wire; it pulled
      // nothing, since it could not seal what it received; it is still locked.
      expect(sent.pushes.length, 'pushes the locked tab sent').toBeGreaterThan(0);
      expect(sent.pushesAnswered).toContain(200);
      for (const body of sent.pushes) {
        expect(body).toContain('"sealed"');
        expect(secretsOf(PHONE_PUSHED_LOCKED).filter((secret) => body.includes(secret))).toEqual([]);
      }
      expect(sent.pulls, 'pulls the locked tab sent').toBe(0);
      await expectLocked(page);

      await unlockWithPin(page, TEST_PIN);
      // Unlocked, the tab catches up on the pull it skipped at once, not at its next timer.
      await expect.poll(() => sent.pulls, POLL).toBeGreaterThan(0);
      await waitForUpToDate(page);
      await openLearner(page, NAME);
      expect((await summaryValue(page, 'Phone').innerText()).trim()).toBe(PHONE_PUSHED_LOCKED);
      expect((await summaryValue(page, 'Email').innerText()).trim()).toBe(LEARNER.email);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'locked with a change waiting and no page of the app open, the service worker pushes it on a Background Sync event',
    async () => {
      const { page, context } = theTablet();
      await goOffline(context, server.current());
      await changeLearnerDetails(page, NAME, { phone: PHONE_PUSHED_BY_WORKER });
      await openRegisterFromToday(page, PROGRAMME.title);
      await markButton(page, 'Late', NAME).click();
      await page.getByRole('button', { name: `Late: ${NAME}`, exact: true, pressed: true }).waitFor();
      await expectSealedOutbox(page, secretsOf(PHONE_PUSHED_BY_WORKER));
      await lockNow(page);

      // A page outside the app holds the DevTools session; every page of the app is closed, so only
      // the service worker is left to sync, and it holds no data key.
      const blank = await context.newPage();
      const devtools = await context.newCDPSession(blank);
      const registrationId = await serviceWorkerRegistrationId(devtools, url);
      for (const open of appPages(context, url)) await open.close();
      expect(appPages(context, url)).toEqual([]);

      await server.restart();
      const api = await serverReader();
      expect(await onServer(api, url, learnerId, sessionId)).toMatchObject({
        phone: PHONE_PUSHED_LOCKED,
        mark: 'P',
      });
      await context.setOffline(false);
      await devtools.send('ServiceWorker.dispatchSyncEvent', {
        origin: new URL(url).origin,
        registrationId,
        tag: BACKGROUND_SYNC_TAG,
        lastChance: false,
      });
      await expect
        .poll(() => onServer(api, url, learnerId, sessionId), POLL)
        .toEqual({ phone: PHONE_PUSHED_BY_WORKER, email: LEARNER.email, mark: 'L' });

      // The app opened offline (so its own sync cannot push): the worker emptied the outbox, and the
      // app is locked, as the worker left it.
      await context.setOffline(true);
      const reopened = await context.newPage();
      await reopened.goto(url);
      await expectLocked(reopened);
      await expect.poll(async () => (await rawOutbox(reopened)).length, POLL).toBe(0);
      await unlockWithPin(reopened, TEST_PIN);
      await openLearner(reopened, NAME);
      expect((await summaryValue(reopened, 'Phone').innerText()).trim()).toBe(PHONE_PUSHED_BY_WORKER);
    },
    TEST_TIMEOUT_MS,
  );
});
