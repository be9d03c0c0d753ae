// Skills assessments and the Digital Skills Passport in the production build: a tutor records a
// learner's assessments (the form's error summary keeps what was typed), the learner's record shows
// the progress table and where the learner stands on each passport level, a self-assessment counts
// for nothing, the levels the rules say are earned are awarded, and the certificate opens offline and
// prints without the app round it. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDate } from '../../src/domain/dates';
import { addDays } from '../../src/domain/journey';
import {
  type LearnerDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fillDate,
  fullName,
  heading,
  radio,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  POLL,
  TEST_TIMEOUT_MS,
  expectAccessible,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import {
  FOUNDATION_SKILLS,
  countOfStatements,
  awardPassport,
  errorSummaryLinks,
  fillAssessment,
  markGoalAchieved,
  onePerArea,
  openAssessmentForm,
  passport,
  passportLevel,
  progressRows,
  recordAssessment,
  requirement,
  saveAssessment,
  skillsProgress,
  tabletToday,
} from '../helpers/journeyActions';
import { BOOTLE_HUB, GETTING_ONLINE } from '../fixtures/e2eRecords';

const PROGRAMME = GETTING_ONLINE;

const AMINA: LearnerDetails = {
  givenNames: 'Amina',
  familyName: 'Haddad',
  dateOfBirth: { day: '12', month: '5', year: '1958' },
  postcode: 'L20 7AB',
  employmentStatus: 'Not in paid employment, not looking for work or not available',
  goal: { text: 'Video call my sister in Leeds', type: 'Communication' },
  consentMethod: 'The learner told me and I recorded it',
};
const DERRY: LearnerDetails = {
  givenNames: 'Derry',
  familyName: 'Quinlan',
  dateOfBirth: { day: '30', month: '9', year: '1969' },
  postcode: 'L21 4PQ',
  employmentStatus: 'Not known',
  consentMethod: 'The learner signed a paper form',
};

async function setUpProgramme(page: Page): Promise<void> {
  await createVenue(page, BOOTLE_HUB);
  await createProgramme(page, PROGRAMME);
}

describe('skills assessments and the Digital Skills Passport', () => {
  const server = useRestartableServer('passport');
  const browsers: LaunchedBrowser[] = [];
  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
  });

  it(
    'counts nothing from a self-assessment, however well the learner rates themself',
    async () => {
      const tablet = await launchTablet(server.url());
      browsers.push(tablet);
      const { page } = tablet;
      const today = await tabletToday(page);
      await setUpProgramme(page);
      const name = fullName(DERRY);
      await enrolLearner(page, PROGRAMME.title, DERRY);

      await recordAssessment(page, name, {
        type: 'Progress review',
        assessor: 'Learner self-assessment',
        assessedOn: today,
        results: FOUNDATION_SKILLS.map((statement) => [statement, 'Can do independently']),
        literacy: 'Level 2 or above',
        numeracy: 'Level 2 or above',
      });

      // The table shows what the learner said, and that it does not count.
      const rows = await progressRows(page);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.assessment).toBe(
        `${formatDate(today)} Progress review Self-assessment: does not count towards the passport EDS framework 2018`,
      );
      expect(rows[0]!.cells).toEqual([
        countOfStatements(9),
        countOfStatements(0),
        'Level 2 or above',
        'Level 2 or above',
        'Not assessed',
      ]);

      // The passport reads only tutor-observed and qualification results: nothing is met.
      expect(await requirement(page, 'Bronze', 'All nine foundation skills done independently')).toBe(
        '✗ Not yet All nine foundation skills done independently 0 of 9 foundation skills done independently',
      );
      expect(
        await requirement(page, 'Silver', 'Literacy at entry 2 or above, or one sub-level above the first'),
      ).toMatch(/^✗ Not yet .* Literacy not yet assessed by a tutor$/);
      expect(await passport(page).getByRole('button').count()).toBe(0);
      expect(await passport(page).getByRole('link', { name: 'Print passport' }).count()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'records tutor-observed assessments, shows the progress, awards bronze and silver, and prints them offline',
    async () => {
      const tablet = await launchTablet(server.url());
      browsers.push(tablet);
      const { page, context } = tablet;
      const today = await tabletToday(page);
      await setUpProgramme(page);
      const name = fullName(AMINA);
      const learnerId = await enrolLearner(page, PROGRAMME.title, AMINA);

      // Nothing assessed yet: the section says so and still offers the form.
      await skillsProgress(page).getByText('No skills assessments recorded yet.', { exact: true }).waitFor();
      await openAssessmentForm(page);
      await expectAccessible(page);

      // A missing date: the error summary takes focus, links to the day, and nothing typed is lost.
      const evidence = 'Turned the tablet on and found the home screen unaided; needed help joining Wi-Fi.';
      await fillAssessment(page, {
        type: 'Initial assessment',
        assessor: 'Tutor observed',
        assessedOn: addDays(today, -14),
        results: FOUNDATION_SKILLS.map((statement, index) => [
          statement,
          index < 5 ? 'Can do independently' : 'Can do with help',
        ]),
        literacy: 'Entry 1',
        numeracy: 'Entry 1',
        evidence,
      });
      await fillDate(page, 'Date assessed', '');
      await page.getByRole('button', { name: 'Save assessment', exact: true }).click();
      expect(await errorSummaryLinks(page)).toEqual(['Enter the date of the assessment']);
      expect(await page.title()).toMatch(/^Error: /);
      expect(await page.getByLabel('Evidence (optional)', { exact: true }).inputValue()).toBe(evidence);
      expect(await radio(page, FOUNDATION_SKILLS[0]!, 'Can do independently').isChecked()).toBe(true);
      expect(await radio(page, FOUNDATION_SKILLS[8]!, 'Can do with help').isChecked()).toBe(true);
      expect(await radio(page, 'Type of assessment', 'Initial assessment').isChecked()).toBe(true);
      await page
        .getByRole('alert')
        .getByRole('link', { name: 'Enter the date of the assessment', exact: true })
        .click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('assessedOn-day');
      await expectAccessible(page);

      await fillDate(page, 'Date assessed', addDays(today, -14));
      await saveAssessment(page, name, 'Initial assessment');

      // A week later every foundation skill is done independently, and one "for life" skill per area.
      await recordAssessment(page, name, {
        type: 'Progress review',
        assessor: 'Tutor observed',
        assessedOn: addDays(today, -7),
        results: [...FOUNDATION_SKILLS, ...onePerArea('life')].map((statement) => [
          statement,
          'Can do independently',
        ]),
        literacy: 'Entry 2',
        numeracy: 'Entry 2',
        communication: 'Entry 3',
      });

      const expectProgressTable = async () => {
        expect(await progressRows(page)).toEqual([
          {
            assessment: `${formatDate(addDays(today, -14))} Initial assessment Tutor observed EDS framework 2018`,
            cells: [countOfStatements(5), countOfStatements(4), 'Entry 1', 'Entry 1', 'Not assessed'],
          },
          {
            assessment: `${formatDate(addDays(today, -7))} Progress review Tutor observed EDS framework 2018`,
            cells: [countOfStatements(14), countOfStatements(0), 'Entry 2', 'Entry 2', 'Entry 3'],
          },
        ]);
      };
      await expectProgressTable();

      // Bronze: the nine foundation skills are met, the communication goal (set, not achieved) is not.
      expect(await requirement(page, 'Bronze', 'All nine foundation skills done independently')).toBe(
        '✓ Met All nine foundation skills done independently 9 of 9 foundation skills done independently',
      );
      expect(await requirement(page, 'Bronze', 'A communication learning goal achieved')).toBe(
        '✗ Not yet A communication learning goal achieved No communication goal achieved yet',
      );
      expect(await passport(page).getByRole('button', { name: 'Award bronze passport' }).count()).toBe(0);
      // Silver: every area "for life", and literacy and numeracy up from entry 1 to entry 2.
      expect(
        await requirement(page, 'Silver', 'Literacy at entry 2 or above, or one sub-level above the first'),
      ).toMatch(/^✓ Met .* Literacy: entry 1 at first, now entry 2$/);
      expect(await passportLevel(page, 'Gold').getByRole('button').count()).toBe(0);
      await expectAccessible(page);

      // Kept in IndexedDB: the same after a reload.
      await page.reload();
      await heading(page, name).waitFor();
      await skillsProgress(page).getByRole('table').waitFor();
      await expectProgressTable();

      // The communication goal set at enrolment, marked achieved (Learning goals): bronze is earned.
      await markGoalAchieved(page, AMINA.goal!.text, today);
      await expect
        .poll(() => requirement(page, 'Bronze', 'A communication learning goal achieved'), POLL)
        .toMatch(/^✓ Met A communication learning goal achieved Goal achieved on /);
      for (const level of ['Bronze', 'Silver'] as const) {
        await awardPassport(page, level);
        await expect
          .poll(() => passportLevel(page, level).innerText(), POLL)
          .toMatch(
            new RegExp(`Awarded on ${formatDate(today)} by .+, under version 1 of the passport rules\\.`),
          );
        expect(await passportLevel(page, level).getByRole('button').count()).toBe(0);
      }
      expect(await passportLevel(page, 'Gold').getByRole('button').count()).toBe(0);
      const print = passport(page).getByRole('link', { name: 'Print passport', exact: true });
      expect(await print.getAttribute('href')).toBe(`/learners/${learnerId}/passport`);

      // Offline, the certificate still opens: the service worker serves the app, IndexedDB the award.
      await goOffline(context, server.current());
      const opened = await page.goto(`${server.url()}/learners/${learnerId}/passport`);
      expect(opened?.fromServiceWorker()).toBe(true);
      const certificate = page.getByRole('article', { name: 'Digital Skills Passport' });
      await certificate.waitFor();
      const text = await certificate.innerText();
      expect(text).toContain(name);
      expect(text).toContain('has been awarded the bronze and silver levels.');
      expect(await certificate.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
        'Bronze',
        'Silver',
      ]);
      expect(text).toContain(`Awarded on ${formatDate(today)}`);
      expect(text).toContain(
        'In each of the five areas, at least one "for life" statement done independently',
      );
      expect(text).toContain('Literacy: entry 1 at first, now entry 2');
      await page.getByRole('button', { name: 'Print', exact: true }).waitFor();
      await expectAccessible(page);

      // Printed, the page is just the certificate: no header, navigation, sync bar or buttons.
      const back = page.getByRole('link', { name: `Back to ${name}`, exact: true });
      expect(await back.isVisible()).toBe(true);
      // The sync bar comes up a moment after the page (it waits for the browser to be idle).
      await page.getByRole('region', { name: 'Sync', exact: true }).waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header').isVisible()).toBe(false);
      expect(await page.getByRole('navigation', { name: 'Main' }).isVisible()).toBe(false);
      expect(await page.getByRole('region', { name: 'Sync', exact: true }).isVisible()).toBe(false);
      expect(await page.getByRole('button', { name: 'Print', exact: true }).isVisible()).toBe(false);
      expect(await back.isVisible()).toBe(false);
      expect(await certificate.isVisible()).toBe(true);
      await page.emulateMedia({ media: 'screen' });
      expect(await page.locator('header').isVisible()).toBe(true);
    },
    TEST_TIMEOUT_MS,
  );
});
