// The learner journey end to end, the headline: tablet A sets up an Essential Digital Skills
// programme and syncs, then, offline, takes one learner from enrolment through two skills
// assessments and two goals to the bronze, silver and gold Digital Skills Passport and a job, and
// keeps it all across a reload. Back online it syncs with nothing refused; tablet B, a fresh profile
// signed in as the same coordinator, shows the same passport, progress, outcome and timeline and
// prints the certificate with gold, and the server holds the records. Needs a production build
// (E2E_DIST, or dist).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate, localIsoDate } from '../../src/domain/dates';
import { passportAwardId } from '../../src/domain/ids';
import { addDays } from '../../src/domain/journey';
import { PASSPORT_RULE_VERSION } from '../../src/domain/passport';
import {
  type LearnerDetails,
  type ProgrammeDetails,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openLearner,
  planSession,
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
  MULTI_TABLET_TEST_TIMEOUT_MS,
  POLL,
  expectAccessible,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { expectNothingReadable, pullEverything, readRawStores } from '../helpers/e2eData';
import {
  FOUNDATION_SKILLS,
  countOfStatements,
  type JourneyOnScreen,
  PASSPORT_LEVELS,
  addGoal,
  awardButton,
  awardButtonsShown,
  awardPassport,
  goalItem,
  journeyOnScreen,
  markGoalAchieved,
  onePerArea,
  passport,
  passportLevel,
  progressRows,
  recordAssessment,
  recordOutcome,
  requirements,
  skillsProgress,
  squeeze,
  tabletToday,
} from '../helpers/journeyActions';
import { BOOTLE_HUB, COORDINATOR } from '../fixtures/e2eRecords';

const PROGRAMME: ProgrammeDetails = {
  title: 'Essential Digital Skills for Life and Work',
  type: 'Essential Digital Skills qualification',
  level: 'Entry 3',
  fundingStream: 'EDS qualification entitlement',
  plannedHours: '30',
  defaultVenue: BOOTLE_HUB.name,
};

const COMMUNICATION_GOAL = 'Video call my grandson in Gdańsk';
const JOB_GOAL = 'Apply for a job online';
const LEARNER: LearnerDetails = {
  givenNames: 'Bronisława',
  familyName: 'Kowalczyk',
  dateOfBirth: { day: '23', month: '11', year: '1966' },
  postcode: 'L20 4QT',
  employmentStatus: 'Not in paid employment, looking for work and available to start',
  goal: { text: COMMUNICATION_GOAL, type: 'Communication' },
  consentMethod: 'The learner signed a paper form',
};
const NAME = fullName(LEARNER);

const INITIAL_EVIDENCE = 'Needed help to turn the tablet on and to find the Wi-Fi settings.';
const PROGRESS_EVIDENCE = 'Booked a GP appointment and sent a CV by email on her own.';
const OUTCOME = 'Paid work, 16 hours a week or more';
const OUTCOME_NOTES = 'Customer adviser, 22 hours a week, at the Stanley Road call centre';

/** Each date the test types, counted from the tablet's today. */
function journeyDates(today: string) {
  return {
    today,
    enrolled: addDays(today, -28),
    jobGoalSet: addDays(today, -14),
    progressReview: addDays(today, -7),
  };
}

/** The learner's goals, in the order the record lists them. */
const GOALS = [COMMUNICATION_GOAL, JOB_GOAL];

/** Texts sealed at rest: none may be readable in these stores, read raw. */
const SEALED_TEXTS = [
  INITIAL_EVIDENCE,
  PROGRESS_EVIDENCE,
  OUTCOME_NOTES,
  'EMP1',
  COMMUNICATION_GOAL,
  JOB_GOAL,
];
/** Where those texts are kept, or could leak to: an award's basis names the goals it counted. */
const SEALED_STORES = ['skillsAssessments', 'outcomes', 'learningGoals', 'passportAwards', 'outbox'] as const;

describe('the learner journey: offline on one tablet to a gold passport and a job, seen on another', () => {
  const server = useRestartableServer('learner-journey');
  let url = '';
  const browsers: LaunchedBrowser[] = [];
  let tabletA: LaunchedBrowser | undefined;
  let tabletB: LaunchedBrowser | undefined;
  let learnerId = '';
  let dates = journeyDates(localIsoDate());
  /** The learner's record on A as it was before the reload, to compare with after and with B. */
  let shownOnA: JourneyOnScreen | undefined;

  const a = (): LaunchedBrowser => {
    if (!tabletA) throw new Error('An earlier step failed: tablet A did not start');
    return tabletA;
  };
  const b = (): LaunchedBrowser => {
    if (!tabletB) throw new Error('An earlier step failed: tablet B did not start');
    return tabletB;
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
    'A sets up the organisation, an EDS programme and a session today, syncs, and goes offline',
    async () => {
      tabletA = await openTablet();
      const { page, context } = tabletA;
      // Today as the tablet's clock has it: the dates typed and shown are counted from it.
      dates = journeyDates(await tabletToday(page));
      await setUpOrganisation(page, COORDINATOR);
      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, PROGRAMME);
      await planSession(page, {
        programme: PROGRAMME.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: COORDINATOR.name,
      });
      // The sync also brings the server's sealing key, which the tablet seals outgoing changes to.
      expect(await syncNowAndWait(page)).toMatch(/^Up to date\. Last synced /);
      await goOffline(context, server.current());
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'offline, A enrols the learner, assesses her twice, sets and achieves two goals, awards bronze, silver and gold, and records a job',
    async () => {
      const { page } = a();
      learnerId = await enrolLearner(page, PROGRAMME.title, { ...LEARNER, startDate: dates.enrolled });
      await goalItem(page, COMMUNICATION_GOAL).waitFor();
      await skillsProgress(page).getByText('No skills assessments recorded yet.', { exact: true }).waitFor();

      // The first session: a few foundation skills with help, literacy entry 1, numeracy entry 2.
      await recordAssessment(page, NAME, {
        type: 'Initial assessment',
        assessedOn: dates.enrolled,
        results: FOUNDATION_SKILLS.slice(0, 4).map((statement) => [statement, 'Can do with help']),
        literacy: 'Entry 1',
        numeracy: 'Entry 2',
        evidence: INITIAL_EVIDENCE,
      });
      expect(await awardButtonsShown(page)).toEqual([]);

      // Three weeks on: every foundation skill, and in each area one "for life" and one "for work"
      // statement, done independently; literacy up to entry 3, numeracy to level 1.
      await recordAssessment(page, NAME, {
        type: 'Progress review',
        assessedOn: dates.progressReview,
        results: [...FOUNDATION_SKILLS, ...onePerArea('life'), ...onePerArea('work')].map((statement) => [
          statement,
          'Can do independently',
        ]),
        literacy: 'Entry 3',
        numeracy: 'Level 1',
        evidence: PROGRESS_EVIDENCE,
      });
      expect(await progressRows(page)).toEqual([
        {
          assessment: `${formatDate(dates.enrolled)} Initial assessment Tutor observed EDS framework 2018`,
          cells: [countOfStatements(0), countOfStatements(4), 'Entry 1', 'Entry 2', 'Not assessed'],
        },
        {
          assessment: `${formatDate(dates.progressReview)} Progress review Tutor observed EDS framework 2018`,
          cells: [countOfStatements(19), countOfStatements(0), 'Entry 3', 'Level 1', 'Not assessed'],
        },
      ]);

      // Silver is earned by the assessments alone; bronze waits for the communication goal, and
      // gold, whose skills and levels are all met, for a work goal.
      await expect.poll(() => awardButtonsShown(page), POLL).toEqual(['Silver']);
      expect(await requirements(page, 'Bronze')).toEqual([
        '✓ Met All nine foundation skills done independently 9 of 9 foundation skills done independently',
        '✗ Not yet A communication learning goal achieved No communication goal achieved yet',
      ]);
      expect(await requirements(page, 'Gold')).toEqual([
        '✓ Met In each of the five areas, at least one "for work" statement done independently, or an EDS qualification at level 1 achieved All five areas "for work"',
        '✓ Met Literacy at entry 3 or above Literacy: entry 1 at first, now entry 3',
        '✓ Met Numeracy at entry 3 or above Numeracy: entry 2 at first, now level 1',
        '✗ Not yet A work (CV or job application) learning goal achieved No work (CV or job application) goal achieved yet',
      ]);

      // A work goal set two weeks ago: set, not achieved, it earns nothing yet.
      await addGoal(page, JOB_GOAL, 'Work: a CV or an online job application', dates.jobGoalSet);
      expect(await awardButtonsShown(page)).toEqual(['Silver']);

      await markGoalAchieved(page, COMMUNICATION_GOAL, dates.today);
      await expect.poll(() => awardButtonsShown(page), POLL).toEqual(['Bronze', 'Silver']);
      await markGoalAchieved(page, JOB_GOAL, dates.today);
      await expect.poll(() => awardButtonsShown(page), POLL).toEqual(['Bronze', 'Silver', 'Gold']);
      // Every gold requirement is met before gold is awarded.
      const gold = await requirements(page, 'Gold');
      expect(gold).toHaveLength(4);
      for (const requirement of gold) expect(requirement).toMatch(/^✓ Met /);
      await expectAccessible(page);

      for (const level of PASSPORT_LEVELS) {
        await awardPassport(page, level);
        await expect
          .poll(async () => squeeze(await passportLevel(page, level).innerText()), POLL)
          .toMatch(
            new RegExp(
              `^${level} Awarded Awarded on ${formatDate(dates.today)} by ${COORDINATOR.name}, under version 1 of the passport rules\\.$`,
            ),
          );
        expect(await awardButton(page, level).count()).toBe(0);
      }
      expect(await awardButtonsShown(page)).toEqual([]);

      // She starts work today: after she enrolled, so the outcome is accepted.
      await recordOutcome(page, NAME, {
        outcome: OUTCOME,
        startDate: dates.today,
        collected: 'Another time',
        evidence: 'Employer confirmation',
        notes: OUTCOME_NOTES,
      });

      const shown = await journeyOnScreen(page, GOALS);
      expect(shown.goals).toEqual([
        `${COMMUNICATION_GOAL} Communication Set on ${formatDate(dates.enrolled)} Not reviewed yet Achieved on ${formatDate(dates.today)} Mark reviewed today`,
        `${JOB_GOAL} Work: a CV or an online job application Set on ${formatDate(dates.jobGoalSet)} Not reviewed yet Achieved on ${formatDate(dates.today)} Mark reviewed today`,
      ]);
      expect(shown.outcomes).toEqual([
        `${OUTCOME} Started ${formatDate(dates.today)} Collected on ${formatDate(dates.today)}: another time Evidence: Employer confirmation Notes: ${OUTCOME_NOTES}`,
      ]);
      // The timeline in date order; on one day, enrolment, assessment, goal, award, then outcome.
      const on = (date: string, text: string) => `${formatDate(date)}: ${text}`;
      expect(shown.timeline.slice(0, 5)).toEqual([
        on(dates.enrolled, `Enrolled on ${PROGRAMME.title}`),
        on(dates.enrolled, 'Initial assessment'),
        on(dates.enrolled, `Goal set: ${COMMUNICATION_GOAL}`),
        on(dates.jobGoalSet, `Goal set: ${JOB_GOAL}`),
        on(dates.progressReview, 'Progress review'),
      ]);
      expect(shown.timeline.slice(5, 7).sort()).toEqual(
        [
          on(dates.today, `Goal achieved: ${COMMUNICATION_GOAL}`),
          on(dates.today, `Goal achieved: ${JOB_GOAL}`),
        ].sort(),
      );
      expect(shown.timeline.slice(7, 10).sort()).toEqual(
        PASSPORT_LEVELS.map((level) => on(dates.today, `${level} Digital Skills Passport awarded`)).sort(),
      );
      expect(shown.timeline.slice(10)).toEqual([on(dates.today, `Outcome: ${OUTCOME}`)]);
      await expectAccessible(page);
      shownOnA = shown;

      // What the tablet holds about her circumstances stays sealed at rest.
      expectNothingReadable(await readRawStores(page, SEALED_STORES), SEALED_TEXTS);
      await syncStatus(page)
        .filter({ hasText: /changes waiting to sync\./ })
        .waitFor();
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'reloaded while still offline, A keeps all of it (the service worker and IndexedDB)',
    async () => {
      const { page } = a();
      const reloaded = await page.reload({ waitUntil: 'load' });
      expect(reloaded?.fromServiceWorker()).toBe(true);
      // Someone with a PIN is signed in: a reload locks the tablet.
      await unlockWithPin(page);
      await heading(page, NAME).waitFor();
      await goalItem(page, JOB_GOAL).waitFor();
      await expect.poll(() => journeyOnScreen(page, GOALS), POLL).toEqual(shownOnA);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'back online, A syncs everything and the server refuses nothing',
    async () => {
      const { page, context } = a();
      await server.restart();
      await context.setOffline(false);
      expect(await syncNowAndWait(page)).toMatch(/^Up to date\. Last synced /);
      expect(await syncStatus(page).innerText()).not.toContain('refused');
      await syncBar(page).getByRole('link', { name: 'Sync details', exact: true }).click();
      await heading(page, 'Sync').waitFor();
      await page
        .getByText('None. Every change sent from this tablet was accepted.', { exact: true })
        .waitFor();
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    'B, signed in as the same coordinator, shows the passport, progress, outcome and timeline, as the server holds them',
    async () => {
      tabletB = await openTablet();
      const { page, context } = tabletB;
      await signIn(page, COORDINATOR);
      await waitForUpToDate(page);
      await openLearner(page, NAME);
      expect(new URL(page.url()).pathname).toBe(`/learners/${learnerId}`);
      await expect.poll(() => journeyOnScreen(page, GOALS), POLL).toEqual(shownOnA);
      for (const level of PASSPORT_LEVELS) {
        expect(await passportLevel(page, level).getByRole('heading').innerText()).toMatch(
          new RegExp(`^${level}\\s+Awarded$`),
        );
      }
      await expectAccessible(page);
      expectNothingReadable(await readRawStores(page, SEALED_STORES), SEALED_TEXTS);

      const records = (await pullEverything(context, url)).filter(
        (record) => record.data['learnerId'] === learnerId,
      );
      const ofType = (entityType: string) => records.filter((record) => record.entityType === entityType);

      const awards = ofType('passportAward');
      expect(awards.map((award) => award.entityId).sort()).toEqual(
        ['bronze', 'silver', 'gold'].map((level) => passportAwardId(learnerId, level, 1)).sort(),
      );
      for (const award of awards) {
        expect(award).toMatchObject({
          deleted: false,
          data: { ruleVersion: PASSPORT_RULE_VERSION, awardedOn: dates.today, awardedBy: COORDINATOR.name },
        });
        expect(award.entityId).toBe(passportAwardId(learnerId, String(award.data['level']), 1));
      }

      const outcomes = ofType('outcome');
      expect(outcomes).toHaveLength(1);
      expect(outcomes[0]).toMatchObject({
        deleted: false,
        data: {
          code: 'EMP1',
          startDate: dates.today,
          evidence: 'employer-confirmation',
          notes: OUTCOME_NOTES,
        },
      });

      const assessments = ofType('skillsAssessment').map((record) => record.data);
      expect(assessments).toHaveLength(2);
      expect(
        assessments
          .map((data) => [data['assessedOn'], data['type'], data['literacyLevel'], data['numeracyLevel']])
          .sort(),
      ).toEqual([
        [dates.enrolled, 'initial', 'entry-1', 'entry-2'],
        [dates.progressReview, 'progress', 'entry-3', 'level-1'],
      ]);

      const goals = ofType('learningGoal').map((record) => record.data);
      expect(goals.map((goal) => [goal['category'], goal['text'], goal['achievedOn']]).sort()).toEqual([
        ['communication', COMMUNICATION_GOAL, dates.today],
        ['employability', JOB_GOAL, dates.today],
      ]);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );

  it(
    "B's printable passport shows bronze, silver and gold",
    async () => {
      const { page } = b();
      await passport(page).getByRole('link', { name: 'Print passport', exact: true }).click();
      expect(new URL(page.url()).pathname).toBe(`/learners/${learnerId}/passport`);
      const certificate = page.getByRole('article', { name: 'Digital Skills Passport' });
      await certificate.waitFor();
      expect(await certificate.getByRole('heading', { level: 2 }).allInnerTexts()).toEqual([
        'Bronze',
        'Silver',
        'Gold',
      ]);
      const text = squeeze(await certificate.innerText());
      expect(text).toContain(`Awarded by ${COORDINATOR.organisationName}`);
      expect(text).toContain(
        `This certifies that ${NAME} has been awarded the bronze, silver and gold levels.`,
      );
      expect(text).toContain(
        `Awarded on ${formatDate(dates.today)} by ${COORDINATOR.name}. Passport rules, version 1.`,
      );
      expect(text).toContain('Literacy: entry 1 at first, now entry 3');
      expect(text).toContain(
        `A work (CV or job application) learning goal achieved: Goal achieved on ${formatDate(dates.today)}`,
      );
      await page.getByRole('button', { name: 'Print', exact: true }).waitFor();
      await expectAccessible(page);
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});
