// Conflicts to review, end to end: two tablets of one organisation change the same learner's phone
// offline; when both have synced, the later change holds and the coordinator finds the other value on
// "Conflicts to review", restores it after a confirmation, and both tablets show it after their next
// sync. Offline, the page says plainly that it needs a connection. Needs a production build (E2E_DIST,
// or dist).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  changeLearnerDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openLearner,
  setUpOrganisation,
  signIn,
  statusMessage,
  summaryValue,
  syncNowAndWait,
  unlockWithPin,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  MULTI_TABLET_TEST_TIMEOUT_MS,
  POLL,
  expectAccessible,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { pullEverything } from '../helpers/e2eData';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE } from '../fixtures/e2eRecords';

const NAME = fullName(GRACE);
const PHONE_FROM_A = '07700 900111';
const PHONE_FROM_B = '07700 900222';
/** What the Restore and Keep buttons say to a screen reader for this conflict. */
const TARGET = `Phone, ${NAME}`;

async function phoneOnScreen(page: Page): Promise<string> {
  await openLearner(page, NAME);
  return (await summaryValue(page, 'Phone').innerText()).trim();
}

/** Opens /conflicts by its address (the Dashboard links to it): a reload, so the tablet asks for its PIN. */
async function openConflicts(page: Page): Promise<void> {
  await page.goto(new URL('/conflicts', page.url()).toString());
  await unlockWithPin(page);
  await heading(page, 'Conflicts to review').waitFor();
}

describe('conflicts to review', () => {
  const server = useRestartableServer('conflicts');
  let url = '';
  const browsers: LaunchedBrowser[] = [];
  let tabletA: LaunchedBrowser | undefined;
  let tabletB: LaunchedBrowser | undefined;
  let learnerId = '';

  const tablets = () => {
    if (!tabletA || !tabletB) throw new Error('An earlier step failed');
    return { a: tabletA.page, b: tabletB.page, contextA: tabletA.context, contextB: tabletB.context };
  };

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
    'two tablets change the same phone offline and sync: the later change holds',
    async () => {
      tabletA = await openTablet();
      const a = tabletA.page;
      await setUpOrganisation(a, COORDINATOR);
      await createVenue(a, BOOTLE_HUB);
      await createProgramme(a, GETTING_ONLINE);
      learnerId = await enrolLearner(a, GETTING_ONLINE.title, GRACE);
      await syncNowAndWait(a);
      tabletB = await openTablet();
      const b = tabletB.page;
      await signIn(b, COORDINATOR);
      await waitForUpToDate(b);

      await goOffline(tabletA.context, server.current());
      await tabletB.context.setOffline(true);
      await changeLearnerDetails(a, NAME, { phone: PHONE_FROM_A });
      // B changes it afterwards, so B's change is the later by the sync clock.
      await changeLearnerDetails(b, NAME, { phone: PHONE_FROM_B });

      await server.restart();
      await tabletA.context.setOffline(false);
      await tabletB.context.setOffline(false);
      await syncNowAndWait(a);
      await syncNowAndWait(b);
      await syncNowAndWait(a);
      for (const page of [a, b]) {
        await expect.poll(() => phoneOnScreen(page), POLL).toBe(PHONE_FROM_B);
      }
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'offline, the page says it needs a connection',
    async () => {
      const { b, contextB } = tablets();
      await contextB.setOffline(true);
      await openConflicts(b);
      await b.getByRole('alert').filter({ hasText: 'Could not get the conflicts' }).waitFor();
      expect(await b.getByRole('alert').innerText()).toContain('There is no connection to the server.');
      await contextB.setOffline(false);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator restores the other value, and both tablets show it after they sync',
    async () => {
      const { a, b, contextA } = tablets();
      await openConflicts(a);
      await statusMessage(a, '1 conflict to review').waitFor();
      const record = a.getByRole('listitem').filter({ has: heading2(a, `Learner details: ${NAME}`) });
      const sentence = (
        await record
          .getByRole('paragraph')
          .filter({ hasText: /^Phone:/ })
          .innerText()
      ).replace(/\s+/g, ' ');
      expect(sentence).toMatch(
        new RegExp(
          `^Phone: now ${PHONE_FROM_B} \\(${COORDINATOR.name} on device [0-9a-f]{8}, .+\\); the other value ${PHONE_FROM_A} \\(${COORDINATOR.name} on device [0-9a-f]{8}, .+\\)\\.$`,
        ),
      );
      expect(await record.getByRole('link', { name: `Open ${NAME}’s record` }).getAttribute('href')).toBe(
        `/learners/${learnerId}`,
      );
      await expectAccessible(a);

      await a.getByRole('button', { name: `Restore the other value (${TARGET})`, exact: true }).click();
      const confirm = a.getByRole('group', { name: `Confirm restoring the other value (${TARGET})` });
      await confirm.getByRole('button', { name: 'Yes, restore the other value', exact: true }).click();
      await statusMessage(
        a,
        `${NAME}’s phone: ${PHONE_FROM_A} was restored. Other tablets get it when they next sync.`,
      ).waitFor();
      await statusMessage(a, 'No conflicts to review.').waitFor();

      const learner = (await pullEverything(contextA, url, 'learner')).find(
        (record) => record.entityId === learnerId,
      );
      expect(learner?.data['phone']).toBe(PHONE_FROM_A);
      for (const page of [a, b]) {
        await syncNowAndWait(page);
        await expect.poll(() => phoneOnScreen(page), POLL).toBe(PHONE_FROM_A);
      }
      // Decided: opened again, the page lists nothing.
      await openConflicts(b);
      await statusMessage(b, 'No conflicts to review.').waitFor();
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});

function heading2(page: Page, name: string) {
  return page.getByRole('heading', { level: 2, name, exact: true });
}
