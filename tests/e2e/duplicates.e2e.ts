// Two tablets of one organisation enrol the same learner offline, each on its own course, and mark
// them present; back online, both sync and the coordinator finds the pair under "Possible
// duplicates", keeps tablet A's record and merges tablet B's into it. After its next sync tablet B
// lists one learner with both enrolments and both marks, and the merged record's page links to the
// kept one. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ProgrammeDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  markButton,
  openFromNav,
  openLearner,
  openRegisterFromToday,
  planSession,
  searchLearners,
  setUpOrganisation,
  signIn,
  statusMessage,
  syncNowAndWait,
  syncStatus,
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
const JOB_SEARCH: ProgrammeDetails = {
  title: 'Job Search Online',
  type: 'Employability',
  level: 'Entry 3',
  fundingStream: 'Adult Skills Fund tailored learning',
  plannedHours: '6',
  defaultVenue: BOOTLE_HUB.name,
};

/** Marks the only learner on the programme's register today present. */
async function markPresent(page: Page, programmeTitle: string): Promise<void> {
  await openRegisterFromToday(page, programmeTitle);
  await statusMessage(page, '0 of 1 marked').waitFor();
  await markButton(page, 'Present', NAME).click();
  await page.getByRole('button', { name: `Present: ${NAME}`, exact: true, pressed: true }).waitFor();
  await statusMessage(page, '1 of 1 marked').waitFor();
}

/** The rows of the learner page's attendance table (its header row left out). */
async function attendanceRows(page: Page): Promise<string[]> {
  const rows = await page
    .getByRole('table', { name: 'Attendance, newest first' })
    .getByRole('row')
    .allInnerTexts();
  return rows.slice(1);
}

describe('duplicate learners: two tablets enrol one person offline, a coordinator merges them', () => {
  const server = useRestartableServer('duplicates');
  let url = '';
  const browsers: LaunchedBrowser[] = [];
  let tabletA: LaunchedBrowser | undefined;
  let tabletB: LaunchedBrowser | undefined;
  let keptId = '';
  let mergedId = '';

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
    'A sets up two courses with a session each today and syncs; B signs in and receives them',
    async () => {
      tabletA = await openTablet();
      const a = tabletA.page;
      await setUpOrganisation(a, COORDINATOR);
      await createVenue(a, BOOTLE_HUB);
      for (const [programme, startTime, endTime] of [
        [GETTING_ONLINE, '10:00', '12:00'],
        [JOB_SEARCH, '13:00', '15:00'],
      ] as const) {
        await createProgramme(a, programme);
        await planSession(a, { programme: programme.title, startTime, endTime, tutors: COORDINATOR.name });
      }
      await syncNowAndWait(a);

      tabletB = await openTablet();
      await signIn(tabletB.page, COORDINATOR);
      await waitForUpToDate(tabletB.page);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'offline, each tablet enrols the learner on its course and marks them present',
    async () => {
      const { a, b, contextA, contextB } = tablets();
      await goOffline(contextA, server.current());
      await contextB.setOffline(true);

      keptId = await enrolLearner(a, GETTING_ONLINE.title, GRACE);
      await markPresent(a, GETTING_ONLINE.title);
      mergedId = await enrolLearner(b, JOB_SEARCH.title, GRACE);
      await markPresent(b, JOB_SEARCH.title);
      expect(keptId).not.toBe(mergedId);

      await server.restart();
      await contextA.setOffline(false);
      await contextB.setOffline(false);
      await syncNowAndWait(a);
      await syncNowAndWait(b);
      await syncNowAndWait(a);
      // Two records of one person on each tablet, for now.
      expect(await searchLearners(b, NAME)).toEqual([NAME, NAME]);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator finds the pair under Possible duplicates and keeps tablet A’s record',
    async () => {
      const { a } = tablets();
      await openFromNav(a, 'Learners');
      await a.getByRole('link', { name: 'Possible duplicates', exact: true }).click();
      await heading(a, 'Possible duplicates').waitFor();
      await a.getByRole('heading', { level: 2, name: `${NAME} and ${NAME}`, exact: true }).waitFor();
      await a.getByText('Same name and the same date of birth', { exact: true }).waitFor();
      await a.getByText('Same name and the same postcode', { exact: true }).waitFor();
      await expectAccessible(a);

      // The record tablet A made is the one whose "Open record" link leads to it.
      const keep = a
        .getByRole('region', { name: new RegExp(`^Record [12]: ${NAME}$`) })
        .filter({ has: a.locator(`a[href="/learners/${keptId}"]`) });
      await keep.getByRole('button', { name: /^Keep this one and merge the other into it/ }).click();
      const confirm = a.getByRole('group', { name: /^Confirm keeping Record [12]: / });
      await confirm.getByText(/will be merged into record [12]/).waitFor();
      await confirm.getByRole('button', { name: 'Yes, merge the records', exact: true }).click();

      await a
        .getByRole('status')
        .filter({ hasText: `${NAME}’s record was merged into ${NAME}’s. Other tablets get the change` })
        .waitFor();
      await a.getByText('No possible duplicates found.', { exact: true }).waitFor();
      await waitForUpToDate(a);
      expect(await searchLearners(a, NAME)).toEqual([NAME]);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'after its next sync, tablet B shows one learner with both enrolments and both marks',
    async () => {
      const { b, contextB } = tablets();
      await syncNowAndWait(b);
      expect(await syncStatus(b).innerText()).not.toContain('refused');
      expect(await searchLearners(b, NAME)).toEqual([NAME]);
      await openLearner(b, NAME);
      expect(new URL(b.url()).pathname).toBe(`/learners/${keptId}`);
      await expect.poll(async () => (await attendanceRows(b)).length, POLL).toBe(2);
      const rows = await attendanceRows(b);
      expect(rows.some((row) => row.includes(GETTING_ONLINE.title))).toBe(true);
      expect(rows.some((row) => row.includes(JOB_SEARCH.title))).toBe(true);
      // Both enrolments, under the heading "Enrolments".
      const enrolments = b
        .getByRole('heading', { level: 2, name: 'Enrolments', exact: true })
        .locator('xpath=following-sibling::ul[1]/li/strong');
      expect((await enrolments.allInnerTexts()).sort()).toEqual(
        [GETTING_ONLINE.title, JOB_SEARCH.title].sort(),
      );

      // The merged record's page says where it went and links there.
      await b.goto(`${url}/learners/${mergedId}`);
      await unlockWithPin(b);
      await heading(b, NAME).waitFor();
      await b.getByText(`This record was merged into ${NAME}’s record`, { exact: false }).waitFor();
      await b.getByRole('link', { name: `Open ${NAME}’s record`, exact: true }).click();
      await b.waitForURL(`${url}/learners/${keptId}`);
      await expect.poll(async () => (await attendanceRows(b)).length, POLL).toBe(2);

      // The server agrees: one live learner, both marks theirs.
      const records = await pullEverything(contextB, url);
      const merged = records.find(
        (record) => record.entityType === 'learner' && record.entityId === mergedId,
      );
      expect(merged?.data).toMatchObject({ mergedInto: keptId });
      const marks = records.filter((record) => record.entityType === 'attendance' && !record.deleted);
      expect(marks.map((record) => record.data['learnerId'])).toEqual([keptId, keptId]);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});
