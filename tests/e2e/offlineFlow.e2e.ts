// A tutor's whole session with no network from the first reload on: the service worker serves the
// app, every record lands in IndexedDB, and all of it is still there when the browser is reopened
// with the same profile. Needs `npm run build` first.
import { afterAll, describe, expect, it } from 'vitest';
import {
  addWalkIn,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  markAuthorisedAbsence,
  markButton,
  openFromNav,
  openRegisterFromToday,
  planSession,
  registerRow,
  searchLearners,
  statusMessage,
  summaryValue,
} from '../helpers/appActions';
import type { LearnerDetails } from '../helpers/appActions';
import { BOOTLE_HUB, GETTING_ONLINE, GRACE, KWAME as KWAME_WALK_IN } from '../fixtures/e2eRecords';
import {
  goOffline,
  grantPersistentStorage,
  launchBrowser,
  waitForServiceWorkerControl,
} from '../helpers/browser';
import type { LaunchedBrowser } from '../helpers/browser';
import { startServer } from '../helpers/server';
import type { RunningServer } from '../helpers/server';
import type { Page } from 'playwright-core';

/** Long enough for a slow CI machine, short enough that a broken step fails with a clear locator. */
const STEP_TIMEOUT_MS = 15_000;
const POLL = { timeout: STEP_TIMEOUT_MS };

const VENUE = BOOTLE_HUB;
const PROGRAMME = GETTING_ONLINE;
const VENUE_POSTCODE_SHOWN = 'L20 3NJ';

const SIOBHAN: LearnerDetails = {
  givenNames: 'Siobhán',
  familyName: "O'Neill",
  dateOfBirth: { day: '27', month: '3', year: '1960' },
  postcode: 'l4 0th',
  email: 'siobhan.oneill@example.org',
  employmentStatus: 'Not in paid employment, not looking for work or not available',
  consents: ['Contact me about other courses'],
  contactChannels: ['Email'],
  consentMethod: 'The learner told me and I recorded it',
};
const TOMASZ: LearnerDetails = {
  givenNames: 'Tomasz',
  familyName: 'Nowak',
  dateOfBirth: { day: '14', month: '11', year: '1985' },
  postcode: 'L5 9XY',
  employmentStatus: 'In paid employment',
  sex: 'Male',
  goal: { text: 'Video call my grandchildren', type: 'Communication' },
  consentMethod: 'The learner ticked the boxes on this tablet',
};

/**
 * Record changes one enrolment puts in the outbox (src/db/learners.ts enrolLearner): the learner,
 * the enrolment, the employment status, 4 consents (the privacy notice and the 3 purposes, ticked
 * or not), equality monitoring when anything in it is answered, and one per goal.
 */
function changesOfEnrolment(learner: LearnerDetails): number {
  return 3 + 4 + (learner.sex ? 1 : 0) + (learner.goal ? 1 : 0);
}

/** Every change the flow makes: venue, programme, session, 3 enrolments, 3 marks, a walk-in and its mark. */
const EXPECTED_UNSYNCED_CHANGES =
  1 +
  1 +
  1 +
  changesOfEnrolment(SIOBHAN) +
  changesOfEnrolment(TOMASZ) +
  changesOfEnrolment(GRACE) +
  3 +
  changesOfEnrolment(KWAME_WALK_IN) +
  1;

/** What the app's formatLongDate shows for the device's today, e.g. "Tuesday 24 November 2026". */
function longDateToday(page: Page): Promise<string> {
  return page.evaluate(() =>
    new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })
      .formatToParts(new Date())
      .filter((part) => part.type !== 'literal')
      .map((part) => part.value)
      .join(' '),
  );
}

function venueListItem(page: Page) {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: VENUE.name, exact: true }) });
}

async function pressedState(page: Page, mark: 'Present' | 'Late' | 'Absent', name: string) {
  return markButton(page, mark, name).getAttribute('aria-pressed');
}

/** The register as the flow leaves it: three enrolled learners marked, and the walk-in present. */
async function expectRegisterComplete(page: Page): Promise<void> {
  await statusMessage(page, '4 of 4 marked').waitFor();
  const siobhan = fullName(SIOBHAN);
  const tomasz = fullName(TOMASZ);
  const grace = fullName(GRACE);
  const kwame = fullName(KWAME_WALK_IN);
  for (const name of [siobhan, tomasz, grace, kwame]) await registerRow(page, name).waitFor();

  expect(await pressedState(page, 'Present', siobhan)).toBe('true');
  expect(await pressedState(page, 'Late', siobhan)).toBe('false');
  expect(await pressedState(page, 'Absent', siobhan)).toBe('false');

  expect(await pressedState(page, 'Late', tomasz)).toBe('true');
  expect(await pressedState(page, 'Present', tomasz)).toBe('false');

  for (const mark of ['Present', 'Late', 'Absent'] as const) {
    expect(await pressedState(page, mark, grace)).toBe('false');
  }
  expect(await registerRow(page, grace).innerText()).toContain('Authorised absence: illness');

  expect(await pressedState(page, 'Present', kwame)).toBe('true');
}

describe('offline from the first visit on', () => {
  const servers: RunningServer[] = [];
  const browsers: LaunchedBrowser[] = [];

  afterAll(async () => {
    // A backstop: each test closes its own browser and server in a finally.
    await Promise.allSettled(browsers.map((browser) => browser.close()));
    await Promise.allSettled(servers.map((server) => server.stop()));
  });

  it('loads, enrols and takes the register offline, and keeps it all when the browser is reopened', async () => {
    const server = await startServer();
    servers.push(server);
    let browser: LaunchedBrowser | undefined = await launchBrowser();
    browsers.push(browser);
    try {
      const { context } = browser;
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      let page = browser.page;

      // 1. First visit online, as the tutor accepting "keep this app's data" would.
      await grantPersistentStorage(context, server.url);
      await page.goto(server.url);
      await waitForServiceWorkerControl(page);
      await heading(page, 'Today').waitFor();

      // 2. Offline: the server is gone and the browser has no network; the worker serves the app.
      await goOffline(context, server);
      const reloaded = await page.reload({ waitUntil: 'load' });
      expect(reloaded?.fromServiceWorker()).toBe(true);
      await heading(page, 'Today').waitFor();
      // The local database answers too: an empty device is offered its first steps.
      await page.getByRole('heading', { level: 2, name: 'Getting started', exact: true }).waitFor();
      expect(await page.evaluate(() => navigator.onLine)).toBe(false);

      // 3. A venue (postcode typed loosely, shown tidied), a programme, a session today.
      await createVenue(page, VENUE);
      expect(await venueListItem(page).innerText()).toContain(VENUE_POSTCODE_SHOWN);
      await page.getByRole('link', { name: VENUE.name, exact: true }).click();
      await heading(page, `Edit ${VENUE.name}`).waitFor();
      await expect
        .poll(() => page.getByLabel('Postcode', { exact: true }).inputValue(), POLL)
        .toBe(VENUE_POSTCODE_SHOWN);

      const programmeId = await createProgramme(page, PROGRAMME);
      expect(programmeId).not.toBe('');
      await page.getByText('No one is enrolled yet.', { exact: true }).waitFor();

      // The date is left as the form fills it (today) and the venue as the programme's default.
      await planSession(page, {
        programme: PROGRAMME.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: 'Aisha Khan',
      });
      const today = await longDateToday(page);
      const facts = await page.getByRole('main').innerText();
      expect(facts).toContain(`${today}, 10:00 to 12:00`);
      expect(facts).toContain(VENUE.name);
      expect(facts).toContain('Tutors: Aisha Khan');
      await page.getByText('No one is enrolled on this programme yet.', { exact: true }).waitFor();

      // 4. Three learners enrolled from the programme's page.
      for (const learner of [SIOBHAN, TOMASZ, GRACE]) {
        const learnerId = await enrolLearner(page, PROGRAMME.title, learner);
        expect(learnerId).not.toBe('');
      }
      await openFromNav(page, 'Programmes');
      await page.getByRole('link', { name: PROGRAMME.title, exact: true }).click();
      await page.getByText('3 learners are enrolled.', { exact: true }).waitFor();

      // 5. The register, from Today's list of today's sessions.
      await openFromNav(page, 'Today');
      await page.getByRole('link', { name: new RegExp(`^${PROGRAMME.title}\\s*10:00 to 12:00$`) }).waitFor();
      await openRegisterFromToday(page, PROGRAMME.title);
      await statusMessage(page, '0 of 3 marked').waitFor();
      const siobhan = fullName(SIOBHAN);
      const tomasz = fullName(TOMASZ);
      const grace = fullName(GRACE);

      await markButton(page, 'Present', siobhan).click();
      await page.getByRole('button', { name: `Present: ${siobhan}`, exact: true, pressed: true }).waitFor();
      await markButton(page, 'Late', tomasz).click();
      await page.getByRole('button', { name: `Late: ${tomasz}`, exact: true, pressed: true }).waitFor();
      await markAuthorisedAbsence(page, grace, 'Illness');
      await statusMessage(page, '3 of 3 marked').waitFor();
      expect(await registerRow(page, grace).innerText()).toContain('Authorised absence: illness');

      // 6. A walk-in, enrolled and marked present in one step.
      await addWalkIn(page, PROGRAMME.title, KWAME_WALK_IN);
      await expectRegisterComplete(page);

      // 7. Settings: every change waits for sync, and the storage is kept.
      await openFromNav(page, 'Settings');
      await expect
        .poll(() => summaryValue(page, 'Unsynced changes').innerText(), POLL)
        .toBe(String(EXPECTED_UNSYNCED_CHANGES));
      expect(await page.evaluate(() => navigator.storage.persisted())).toBe(true);
      expect(await summaryValue(page, 'Persistent storage').innerText()).toMatch(/^Granted/);
      expect(await summaryValue(page, 'Asked the browser to keep data').innerText()).toMatch(
        /: the browser said yes$/,
      );
      const appVersion = (await summaryValue(page, 'App version').innerText()).trim();
      expect(appVersion).toMatch(/^\S+$/);
      expect(appVersion).not.toBe('undefined');

      // 8. Close the browser; reopen the same profile, still offline (the server stays stopped).
      const profile = browser.userDataDir;
      await browser.close({ keepProfile: true });
      browsers.splice(browsers.indexOf(browser), 1);
      browser = undefined;
      browser = await launchBrowser(profile);
      browsers.push(browser);
      browser.context.setDefaultTimeout(STEP_TIMEOUT_MS);
      await browser.context.setOffline(true);
      page = browser.page;
      const reopened = await page.goto(server.url);
      expect(reopened?.fromServiceWorker()).toBe(true);
      await heading(page, 'Today').waitFor();

      // Today still lists the session, its register complete.
      const card = page.getByRole('listitem').filter({
        has: page.getByRole('link', { name: new RegExp(`^${PROGRAMME.title}\\s*10:00 to 12:00$`) }),
      });
      expect(await card.innerText()).toContain('4 of 4 marked');

      await openFromNav(page, 'Venues');
      expect(await venueListItem(page).innerText()).toContain(VENUE_POSTCODE_SHOWN);

      await openFromNav(page, 'Programmes');
      await page.getByRole('link', { name: PROGRAMME.title, exact: true }).click();
      await heading(page, PROGRAMME.title).waitFor();
      await page.getByText('4 learners are enrolled.', { exact: true }).waitFor();
      const defaultVenue = page.getByLabel('Default venue (optional)', { exact: true });
      await expect
        .poll(
          () => defaultVenue.evaluate((select: HTMLSelectElement) => select.selectedOptions[0]?.text),
          POLL,
        )
        .toBe(VENUE.name);

      await openRegisterFromToday(page, PROGRAMME.title);
      expect(await page.getByRole('main').innerText()).toContain(`${today}, 10:00 to 12:00`);
      await expectRegisterComplete(page);

      // Learners: found by name (apostrophe and accent folded), postcode and date of birth.
      await openFromNav(page, 'Learners');
      await page
        .getByRole('status')
        .filter({ hasText: /^4 learners on this device$/ })
        .waitFor();
      expect(await searchLearners(page, 'mensah')).toEqual([fullName(KWAME_WALK_IN)]);
      expect(await searchLearners(page, "O'Neill")).toEqual([siobhan]);
      expect(await searchLearners(page, 'siob')).toEqual([siobhan]);
      expect(await searchLearners(page, 'L4 0TH')).toEqual([siobhan]);
      expect(await searchLearners(page, '27/3/1960')).toEqual([siobhan]);
      await page.getByRole('link', { name: siobhan, exact: true }).click();
      await heading(page, siobhan).waitFor();
      expect(await summaryValue(page, 'Date of birth').innerText()).toMatch(/^27 March 1960 \(age \d+\)$/);
      expect(await summaryValue(page, 'Postcode').innerText()).toBe('L4 0TH');
      expect(await summaryValue(page, 'Email').innerText()).toBe(SIOBHAN.email);
      expect(await summaryValue(page, 'Contact about other courses').innerText()).toBe('Yes, by email');
      expect(await summaryValue(page, 'Contact for surveys and research').innerText()).toBe('No');
      const attendance = page.getByRole('table');
      expect(await attendance.getByRole('row').count()).toBe(2);
      expect(await attendance.innerText()).toMatch(new RegExp(`${PROGRAMME.title}\\s+Present`));

      await openFromNav(page, 'Settings');
      await expect
        .poll(() => summaryValue(page, 'Unsynced changes').innerText(), POLL)
        .toBe(String(EXPECTED_UNSYNCED_CHANGES));
      // Chromium answers persisted() from the live permission, and the CDP grant left with the old
      // browser: whatever it says now, Settings must say the same.
      const persistedAfterReopen = await page.evaluate(() => navigator.storage.persisted());
      expect(await summaryValue(page, 'Persistent storage').innerText()).toMatch(
        persistedAfterReopen ? /^Granted/ : /^Not granted/,
      );
      expect((await summaryValue(page, 'App version').innerText()).trim()).toBe(appVersion);
    } finally {
      await browser?.close();
      await server.stop();
    }
  });

  it('shows the persistent storage the browser actually gave when nothing granted it', async () => {
    const server = await startServer();
    servers.push(server);
    const browser = await launchBrowser();
    browsers.push(browser);
    try {
      const { page, context } = browser;
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      await page.goto(server.url);
      await heading(page, 'Today').waitFor();

      // The first saved record makes the app ask for persistent storage, once.
      await createVenue(page, VENUE);
      await openFromNav(page, 'Settings');
      const asked = summaryValue(page, 'Asked the browser to keep data');
      await expect.poll(() => asked.innerText(), POLL).toMatch(/: the browser said (yes|no)$/);

      // Opened again now that the answer is in, so the screen reads the browser's current state.
      await openFromNav(page, 'Today');
      await openFromNav(page, 'Settings');
      const persisted = await page.evaluate(() => navigator.storage.persisted());
      const shown = await summaryValue(page, 'Persistent storage').innerText();
      expect(shown).toMatch(persisted ? /^Granted/ : /^Not granted/);
      expect(await asked.innerText()).toMatch(persisted ? /the browser said yes$/ : /the browser said no$/);
      // Only when the browser said no is the tutor offered to ask again.
      expect(
        await page.getByRole('button', { name: 'Ask the browser to keep data', exact: true }).count(),
      ).toBe(persisted ? 0 : 1);
      expect(await summaryValue(page, 'Unsynced changes').innerText()).toBe('1');
    } finally {
      await browser.close();
      await server.stop();
    }
  });
});
