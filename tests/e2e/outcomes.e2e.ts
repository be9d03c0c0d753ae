// The learner journey after enrolment, offline on one tablet: learning goals set, reviewed and
// achieved; an outcome recorded and an impossible one refused beside its field; the timeline in date
// order; all of it kept across a reload. Then the follow-up list: a learner last seen over three
// months ago is overdue until an outcome is recorded. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datePartsFromIso, formatDate, localIsoDate } from '../../src/domain/dates';
import { addDays } from '../../src/domain/journey';
import {
  createProgramme,
  createVenue,
  dateAsTyped,
  enrolLearner,
  fillDate,
  fullName,
  heading,
  markButton,
  openFromNav,
  planSession,
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
import { readRawDatabase } from '../helpers/e2eData';
import {
  type OutcomeDetails,
  addGoal,
  errorSummaryLinks,
  fillOutcome,
  goalItem,
  goalsSection,
  journeyOnScreen,
  openMarkAchieved,
  openOutcomeForm,
  saveDateAchieved,
  saveOutcome,
  tabletToday,
} from '../helpers/journeyActions';
import { BOOTLE_HUB, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

const PROGRAMME = GETTING_ONLINE;
const GOAL_TODAY = 'Send an email with a photo attached';
const GOAL_EARLIER = 'Fill in a job application online';
const INTERVIEW_NOTES = 'Interview for a customer adviser job at the library';

/** Each date the test types, from the tablet's today: the enrolment first, the outcome in between. */
function journeyDates(today: string) {
  return {
    today,
    enrolled: addDays(today, -120),
    beforeEnrolment: addDays(today, -150),
    goalSet: addDays(today, -60),
    beforeGoalSet: addDays(today, -90),
    outcomeStart: addDays(today, -30),
    lastSession: addDays(today, -100),
  };
}

describe('goals, outcomes, the timeline and follow-ups, offline', () => {
  const server = useRestartableServer('outcomes');
  let tablet: LaunchedBrowser | undefined;
  let dates = journeyDates(localIsoDate());

  const page = (): Page => {
    if (!tablet) throw new Error('The tablet did not start');
    return tablet.page;
  };

  beforeAll(async () => {
    tablet = await launchTablet(server.url());
    // Today as the tablet's clock has it: the dates typed and shown are counted from it.
    dates = journeyDates(await tabletToday(tablet.page));
    await goOffline(tablet.context, server.current());
    await createVenue(tablet.page, BOOTLE_HUB);
    await createProgramme(tablet.page, PROGRAMME);
  }, TEST_TIMEOUT_MS);

  afterAll(async () => {
    await tablet?.close();
  });

  it(
    'sets, reviews and achieves goals, records an outcome, refuses an impossible one, and keeps them all',
    async () => {
      const p = page();
      const name = fullName(GRACE);
      const learnerId = await enrolLearner(p, PROGRAMME.title, { ...GRACE, startDate: dates.enrolled });

      // Two goals: one set today (the form's date), one set two months ago.
      await goalsSection(p).getByText('No goals recorded yet.', { exact: true }).waitFor();
      await addGoal(p, GOAL_TODAY, 'Digital skills');
      await addGoal(p, GOAL_EARLIER, 'Work: a CV or an online job application', dates.goalSet);

      await p.getByRole('button', { name: `Mark reviewed today: ${GOAL_TODAY}`, exact: true }).click();
      await goalItem(p, GOAL_TODAY)
        .getByText(`Reviewed on ${formatDate(dates.today)}`, { exact: true })
        .waitFor();

      // Achieved before it was set: refused beside the date, the date as typed still there.
      const achieved = await openMarkAchieved(p, GOAL_EARLIER);
      await fillDate(achieved, 'Date achieved', dates.beforeGoalSet);
      await achieved.getByRole('button', { name: 'Save date achieved', exact: true }).click();
      const goalRefusal = 'The date achieved must be on or after the date the goal was set';
      await achieved.getByRole('alert').getByRole('link', { name: goalRefusal, exact: true }).waitFor();
      expect(await dateAsTyped(achieved, 'Date achieved')).toEqual(datePartsFromIso(dates.beforeGoalSet));
      expect(await goalItem(p, GOAL_EARLIER).innerText()).toContain('Not achieved yet');
      await expectAccessible(p);

      await fillDate(achieved, 'Date achieved', dates.today);
      await saveDateAchieved(p, GOAL_EARLIER, dates.today);

      // An outcome that starts before the learner enrolled: refused, linked to the start date.
      await openOutcomeForm(p, name);
      expect(new URL(p.url()).pathname).toBe(`/learners/${learnerId}/outcomes/new`);
      const interview: OutcomeDetails = {
        outcome: 'Job interview',
        startDate: dates.beforeEnrolment,
        collected: 'Within 4 weeks of leaving',
        evidence: 'Learner told us (self-declaration)',
        notes: INTERVIEW_NOTES,
      };
      await fillOutcome(p, interview);
      await p.getByRole('button', { name: 'Save outcome', exact: true }).click();

      const refusal = `Start date must be the same as or after ${formatDate(dates.enrolled)}, when the learner first enrolled`;
      expect(await errorSummaryLinks(p)).toEqual([refusal]);
      await expectAccessible(p);
      await p.getByRole('alert').getByRole('link', { name: refusal, exact: true }).click();
      const startDay = p
        .getByRole('group', { name: 'Start date', exact: true })
        .getByLabel('Day', { exact: true });
      await expect
        .poll(() => startDay.evaluate((input) => input === document.activeElement), POLL)
        .toBe(true);
      expect(await p.getByLabel('Notes (optional)', { exact: true }).inputValue()).toBe(INTERVIEW_NOTES);
      expect(await p.getByLabel('Outcome', { exact: true }).inputValue()).toBe('INT');
      expect((await readRawDatabase(p)).counts.outcomes).toBe(0);

      // Corrected, it saves and the learner's page says so.
      await fillDate(p, 'Start date', dates.outcomeStart);
      await saveOutcome(p, name, interview.outcome);
      expect((await readRawDatabase(p)).counts.outcomes).toBe(1);

      const shown = await journeyOnScreen(p, [GOAL_TODAY, GOAL_EARLIER]);
      expect(shown.goals).toEqual([
        `${GOAL_TODAY} Digital skills Set on ${formatDate(dates.today)} Reviewed on ${formatDate(dates.today)} Not achieved yet Mark achieved`,
        `${GOAL_EARLIER} Work: a CV or an online job application Set on ${formatDate(dates.goalSet)} Not reviewed yet Achieved on ${formatDate(dates.today)} Mark reviewed today`,
      ]);
      expect(shown.outcomes).toHaveLength(1);
      expect(shown.outcomes[0]).toContain('Job interview');
      expect(shown.outcomes[0]).toContain(`Started ${formatDate(dates.outcomeStart)}`);
      expect(shown.outcomes[0]).toContain(`Collected on ${formatDate(dates.today)}`);
      expect(shown.outcomes[0]).toContain(INTERVIEW_NOTES);

      // The timeline, oldest first: the enrolment, the goal set months ago, the outcome, then today's.
      expect(shown.timeline.slice(0, 3)).toEqual([
        `${formatDate(dates.enrolled)}: Enrolled on ${PROGRAMME.title}`,
        `${formatDate(dates.goalSet)}: Goal set: ${GOAL_EARLIER}`,
        `${formatDate(dates.outcomeStart)}: Outcome: Job interview`,
      ]);
      expect([...shown.timeline.slice(3)].sort()).toEqual(
        [
          `${formatDate(dates.today)}: Goal set: ${GOAL_TODAY}`,
          `${formatDate(dates.today)}: Goal reviewed: ${GOAL_TODAY}`,
          `${formatDate(dates.today)}: Goal achieved: ${GOAL_EARLIER}`,
        ].sort(),
      );
      await expectAccessible(p);

      // Reloaded with no network: the service worker serves the app and the device keeps it all.
      const reloaded = await p.reload({ waitUntil: 'load' });
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await heading(p, name).waitFor();
      await goalItem(p, GOAL_EARLIER).waitFor();
      await expect.poll(() => journeyOnScreen(p, [GOAL_TODAY, GOAL_EARLIER]), POLL).toEqual(shown);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'lists a learner last seen over three months ago as overdue until an outcome is recorded',
    async () => {
      const p = page();
      const name = fullName(KWAME);
      await enrolLearner(p, PROGRAMME.title, { ...KWAME, startDate: dates.enrolled });
      // A session a hundred days ago, planned now, and Kwame marked present on its register.
      await planSession(p, {
        programme: PROGRAMME.title,
        date: dates.lastSession,
        startTime: '10:00',
        endTime: '12:00',
        tutors: 'Aisha Khan',
      });
      await markButton(p, 'Present', name).click();
      await p.getByRole('button', { name: `Present: ${name}`, exact: true, pressed: true }).waitFor();

      await openFromNav(p, 'Follow-ups');
      const item = p
        .getByRole('main')
        .getByRole('listitem')
        .filter({ has: p.getByRole('link', { name, exact: true }) });
      await item.waitFor();
      // Grace was never marked present, so she is owed no follow-up.
      expect(await p.getByRole('main').getByRole('listitem').count()).toBe(1);
      const shown = await item.innerText();
      expect(shown.split('\n')[0]?.trim()).toBe(name);
      expect(shown).toMatch(/3-month check\s*Overdue/);
      expect(shown).toContain(`Last attended ${formatDate(dates.lastSession)}`);
      await expectAccessible(p);

      await item.getByRole('link', { name: `Record an outcome for ${name}`, exact: true }).click();
      await heading(p, `Record an outcome for ${name}`).waitFor();
      await fillOutcome(p, {
        outcome: 'Not in paid work, looking for work',
        startDate: dates.today,
        collected: 'Another time',
        evidence: 'Learner told us (self-declaration)',
      });
      // "Date collected" is left as the form fills it: today.
      expect(await dateAsTyped(p, 'Date collected')).toEqual(datePartsFromIso(dates.today));
      await saveOutcome(p, name, 'Not in paid work, looking for work');

      await openFromNav(p, 'Follow-ups');
      await p
        .getByText('No follow-ups are due. Learners appear here a week before a check is due.', {
          exact: true,
        })
        .waitFor();
      await expectAccessible(p);
    },
    TEST_TIMEOUT_MS,
  );
});
