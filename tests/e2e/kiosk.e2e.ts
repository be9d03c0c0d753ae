// Kiosk mode, against the real server and the production build: a tutor starts "Learner
// self-enrolment" from a session's register; a learner enrols themselves (checked, thanked, the form
// blank again; the records saved and synced); an unfinished form is cleared after two idle minutes
// (Playwright's clock) and never comes back after a reload, and the tablet's own idle lock (set
// shorter) does not interrupt; going back, typing another address, reloading and a new tab show only
// the kiosk and no other learner; leaving needs the PIN; the sign-in sheet marks a learner present.
// Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { arrivalMark } from '../../src/domain/attendance';
import {
  type Account,
  TEST_PIN,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openFromNav,
  planSession,
  setUpOrganisation,
  statusMessage,
  syncBar,
} from '../helpers/appActions';
import { type LaunchedBrowser, expectAccessible, useServerAndTablets } from '../helpers/browser';
import { readRawStores } from '../helpers/e2eData';
import { BOOTLE_HUB, GETTING_ONLINE, GRACE } from '../fixtures/e2eRecords';

/** Generous for a busy 2-core machine; never a sleep. */
const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;

const TUTOR: Required<Account> = {
  organisationName: 'Halton Digital Inclusion',
  name: 'Priya Sharma',
  email: 'priya.sharma@example.org',
  password: 'a kettle on the community hall stove',
};

const ENROL_HEADING = `Enrol on ${GETTING_ONLINE.title}`;
const PAUSED_HEADING = `This tablet is in use for ${GETTING_ONLINE.title}`;
const SIGN_IN_HEADING = `Sign in for ${GETTING_ONLINE.title}`;
/** What the sign-in sheet shows of Grace Adeyemi. */
const GRACE_ON_SHEET = 'Grace A.';
/** The learner who enrols themselves on the kiosk. */
const AMIRA = { givenNames: 'Amira', familyName: 'Haddad' };
/** What a learner's screen must never show: another learner, the tutor, the records' places. */
const OTHERS_WORDS = [GRACE.givenNames, GRACE.familyName, TUTOR.name, BOOTLE_HUB.name];

/**
 * Only the kiosk is on screen: its learner form or its "ask your tutor" screen, no header links, no
 * sync bar, no "Lock now", and nothing of anyone else in the page's text or title.
 */
async function expectOnlyTheKiosk(page: Page, screen: 'learner' | 'paused'): Promise<void> {
  await heading(page, screen === 'learner' ? ENROL_HEADING : PAUSED_HEADING).waitFor();
  const text = `${await page.locator('body').innerText()}\n${await page.title()}`;
  for (const word of OTHERS_WORDS) expect(text, `"${word}" is on the kiosk`).not.toContain(word);
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  expect(await syncBar(page).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Lock now' }).count()).toBe(0);
}

function givenNamesField(page: Page) {
  return page.getByLabel('Given names', { exact: true });
}

/** On the "ask your tutor" screen: the tutor's PIN → "Continue"; the learner form comes back. */
async function continueWithPin(page: Page, pin: string = TEST_PIN): Promise<void> {
  await heading(page, PAUSED_HEADING).waitFor();
  await page.getByLabel("Tutor's PIN", { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Continue', exact: true }).click();
  await heading(page, ENROL_HEADING).waitFor();
}

/** Types as a learner does, key by key (a touch and key presses: what the idle timer counts). */
async function typeInto(page: Page, label: string, text: string): Promise<void> {
  const field = page.getByLabel(label, { exact: true });
  await field.click();
  await field.pressSequentially(text);
}

/** Every row of an IndexedDB table, read raw (as a next person with the browser's tools would). */
async function rawRows(page: Page, table: string): Promise<Record<string, unknown>[]> {
  return ((await readRawStores(page, [table]))[table] ?? []) as Record<string, unknown>[];
}

describe('kiosk mode: learners use the tablet, and nothing else on it', () => {
  const servedTablets = useServerAndTablets(STEP_TIMEOUT_MS);
  let url = '';
  let tablet: LaunchedBrowser | undefined;
  let sessionId = '';
  let graceId = '';

  const tabletPage = (): Page => {
    if (!tablet) throw new Error('An earlier step failed');
    return tablet.page;
  };

  beforeAll(() => {
    url = servedTablets.url();
  });

  it(
    'a tutor starts self-enrolment; a learner enrols, is thanked, and the form is blank again; the records sync',
    async () => {
      tablet = await servedTablets.launchTablet();
      const page = tablet.page;
      await setUpOrganisation(page, TUTOR);
      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, GETTING_ONLINE);
      graceId = await enrolLearner(page, GETTING_ONLINE.title, GRACE);
      // The tablet's own lock at its shortest, 1 minute: shorter than the kiosk's idle time, so the
      // next test shows it never interrupts a learner.
      await openFromNav(page, 'Settings');
      await page.getByLabel('Lock after', { exact: true }).fill('1');
      await page.getByRole('button', { name: 'Save lock time', exact: true }).click();
      await statusMessage(page, 'The app will lock after 1 minute without use.').waitFor();
      sessionId = await planSession(page, {
        programme: GETTING_ONLINE.title,
        startTime: '00:00',
        endTime: '23:59',
        tutors: TUTOR.name,
      });

      // The register offers both kiosk modes to a tutor with a PIN and the app open.
      const start = page.getByRole('region', { name: 'Hand the tablet to learners', exact: true });
      await start.getByRole('button', { name: 'Sign-in sheet', exact: true }).waitFor();
      await start.getByRole('button', { name: 'Learner self-enrolment', exact: true }).click();
      await expectOnlyTheKiosk(page, 'learner');
      expect(await rawRows(page, 'meta')).toContainEqual(
        expect.objectContaining({ key: 'kiosk', mode: 'self-enrolment', sessionId }),
      );
      await expectAccessible(page);

      // Back, in the same tab: the page before is not shown, only the kiosk.
      await page.goBack();
      await expectOnlyTheKiosk(page, 'learner');
      await page.goForward();
      await expectOnlyTheKiosk(page, 'learner');

      // A failed "Continue" says what is missing, GOV.UK style, and keeps what was typed.
      await givenNamesField(page).fill(AMIRA.givenNames);
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      const summary = page.locator('.error-summary');
      await summary.getByRole('link', { name: 'Enter your family name', exact: true }).waitFor();
      await summary.getByRole('link', { name: 'Enter your date of birth', exact: true }).waitFor();
      await summary
        .getByRole('link', { name: 'Tick the box to say you have read the privacy notice', exact: true })
        .waitFor();
      expect(await page.title()).toMatch(/^Error: /);
      expect(await givenNamesField(page).inputValue()).toBe(AMIRA.givenNames);
      // Nothing is pre-ticked, and nothing of the duplicate check is offered.
      for (const consent of await page
        .getByRole('group', { name: 'What do you agree to? (optional)', exact: true })
        .getByRole('checkbox')
        .all()) {
        expect(await consent.isChecked()).toBe(false);
      }
      await expectAccessible(page);

      await page.getByLabel('Family name', { exact: true }).fill(AMIRA.familyName);
      const birth = page.getByRole('group', { name: 'Date of birth', exact: true });
      await birth.getByLabel('Day', { exact: true }).fill('14');
      await birth.getByLabel('Month', { exact: true }).fill('2');
      await birth.getByLabel('Year', { exact: true }).fill('1981');
      await page.getByLabel('Postcode', { exact: true }).fill('wa7 1aa');
      await page
        .getByRole('group', { name: 'What is your sex? (optional)', exact: true })
        .getByRole('radio', { name: 'Prefer not to say', exact: true })
        .check();
      await page
        .getByRole('checkbox', {
          name: 'I have read the privacy notice, or someone has read it to me',
          exact: true,
        })
        .check();
      await page.getByRole('checkbox', { name: 'Contact me about other courses', exact: true }).check();
      await page
        .getByRole('group', { name: 'How can we contact you?', exact: true })
        .getByRole('checkbox', { name: 'Post', exact: true })
        .check();
      await page.getByRole('button', { name: 'Continue', exact: true }).click();

      await heading(page, 'Check your answers').waitFor();
      await page.getByText(`${AMIRA.givenNames} ${AMIRA.familyName}`, { exact: true }).waitFor();
      await page.getByText('14 February 1981', { exact: true }).waitFor();
      await page.getByText('WA7 1AA', { exact: true }).waitFor();
      await expectAccessible(page);
      // "Change" goes back with every answer kept.
      await page.getByRole('button', { name: 'Change postcode', exact: true }).click();
      await heading(page, ENROL_HEADING).waitFor();
      expect(await page.getByLabel('Postcode', { exact: true }).inputValue()).toBe('wa7 1aa');
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await page.getByRole('button', { name: 'Enrol on this course', exact: true }).click();

      await heading(page, 'Thank you, you are enrolled').waitFor();
      await page.getByRole('button', { name: 'Start again for the next person', exact: true }).click();
      await heading(page, ENROL_HEADING).waitFor();
      expect(await givenNamesField(page).inputValue()).toBe('');
      expect(await page.getByLabel('Family name', { exact: true }).inputValue()).toBe('');
      await expectOnlyTheKiosk(page, 'learner');

      // Saved: a second learner, enrolled through the self-service channel and marked present here;
      // no draft of their answers anywhere on the device.
      const learners = await rawRows(page, 'learners');
      expect(learners).toHaveLength(2);
      const amira = learners.find((row) => row['id'] !== graceId);
      const enrolments = await rawRows(page, 'enrolments');
      expect(enrolments).toContainEqual(
        expect.objectContaining({ learnerId: amira?.['id'], channel: 'self-service' }),
      );
      expect(await rawRows(page, 'attendance')).toEqual([
        expect.objectContaining({ sessionId, learnerId: amira?.['id'], mark: 'P', deleted: false }),
      ]);
      expect(await rawRows(page, 'drafts')).toEqual([]);
      // And synced in the background while the kiosk is on: nothing waits in the outbox.
      await expect
        .poll(async () => (await rawRows(page, 'outbox')).length, { timeout: STEP_TIMEOUT_MS, interval: 500 })
        .toBe(0);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'an unfinished form is cleared after two idle minutes, the tablet does not lock, and a reload restores nothing',
    async () => {
      const page = tabletPage();
      await page.clock.install();
      await page.reload();
      await expectOnlyTheKiosk(page, 'paused');
      await continueWithPin(page);

      // (The clock moves on by little more than 2 minutes in all: the server refuses changes from a
      // tablet whose clock is more than 5 minutes ahead.)
      await typeInto(page, 'Given names', 'Unfinished');
      await typeInto(page, 'Family name', 'Form');
      // Past the tablet's own lock time (1 minute): the learner's form stays, nothing locks.
      await page.clock.fastForward('01:30');
      expect(await givenNamesField(page).inputValue()).toBe('Unfinished');
      expect(await heading(page, 'Enter your PIN').count()).toBe(0);
      expect(await heading(page, PAUSED_HEADING).count()).toBe(0);
      // Two minutes without a touch: cleared for the next person, still the kiosk.
      await page.clock.fastForward('00:31');
      await expect.poll(() => givenNamesField(page).inputValue()).toBe('');
      expect(await page.getByLabel('Family name', { exact: true }).inputValue()).toBe('');
      await expectOnlyTheKiosk(page, 'learner');

      // Half-typed, then reloaded: the next person never sees it, in the form or on the device.
      await typeInto(page, 'Given names', 'Halfway');
      await page.reload();
      await expectOnlyTheKiosk(page, 'paused');
      await continueWithPin(page);
      expect(await givenNamesField(page).inputValue()).toBe('');
      expect(await rawRows(page, 'drafts')).toEqual([]);
      expect(JSON.stringify(await rawRows(page, 'meta'))).not.toContain('Halfway');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'escape attempts (an address typed, a reload, a new tab) show only the kiosk, and its PIN screen names no one',
    async () => {
      const page = tabletPage();
      const { context } = tablet!;

      // In the page, without loading it again (as a link or a script would): still the learner form.
      await page.evaluate(() => {
        window.history.pushState({}, '', '/learners');
        window.dispatchEvent(new PopStateEvent('popstate'));
      });
      await expectOnlyTheKiosk(page, 'learner');

      // Typed in the address bar: each loads the app afresh, locked, and only the kiosk's PIN screen shows.
      for (const path of [
        '/learners',
        `/learners/${graceId}`,
        '/people',
        '/settings',
        '/sync',
        '/sign-in',
        '/',
      ]) {
        await page.goto(`${url}${path}`);
        await expectOnlyTheKiosk(page, 'paused');
      }
      await expectAccessible(page);

      // A wrong PIN carries on nowhere, and counts like any wrong PIN.
      await page.getByLabel("Tutor's PIN", { exact: true }).fill('1357');
      await page.getByRole('button', { name: 'Continue', exact: true }).click();
      await page
        .locator('.error-summary')
        .getByRole('link', { name: 'The PIN is not right. You have 4 more tries', exact: true })
        .waitFor();
      await expectOnlyTheKiosk(page, 'paused');
      await continueWithPin(page);

      await page.reload();
      await expectOnlyTheKiosk(page, 'paused');
      await continueWithPin(page);

      // A new tab, at a learner's own address: the kiosk's PIN screen, and only that.
      const second = await context.newPage();
      await second.goto(`${url}/learners/${graceId}`);
      await expectOnlyTheKiosk(second, 'paused');
      await second.close();
      await expectOnlyTheKiosk(page, 'learner');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'leaving needs the PIN: a wrong one stays in the kiosk, the right one opens the register',
    async () => {
      const page = tabletPage();
      await page.getByRole('button', { name: 'Tutor: leave', exact: true }).click();
      const leave = page.getByRole('region', { name: 'Leave learner mode', exact: true });
      await leave.getByLabel("Tutor's PIN", { exact: true }).fill('9630');
      await leave.getByRole('button', { name: 'Leave learner mode', exact: true }).click();
      await leave.getByText('The PIN is not right. You have 4 more tries', { exact: false }).waitFor();
      await expectOnlyTheKiosk(page, 'learner');
      expect(await rawRows(page, 'meta')).toContainEqual(expect.objectContaining({ key: 'kiosk' }));

      await leave.getByLabel("Tutor's PIN", { exact: true }).fill(TEST_PIN);
      await leave.getByRole('button', { name: 'Leave learner mode', exact: true }).click();
      await heading(page, GETTING_ONLINE.title).waitFor();
      await page.getByRole('heading', { level: 2, name: 'Register', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/sessions/${sessionId}`);
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      // The learner who enrolled on the kiosk is on the register, marked present.
      const amira = `${AMIRA.givenNames} ${AMIRA.familyName}`;
      await page.getByRole('button', { name: `Present: ${amira}`, exact: true, pressed: true }).waitFor();
      expect((await rawRows(page, 'meta')).filter((row) => row['key'] === 'kiosk')).toEqual([]);
      expect(await rawRows(page, 'devicePins')).toEqual([expect.objectContaining({ failedAttempts: 0 })]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the sign-in sheet shows first names and initials; a learner taps theirs, confirms, and is marked',
    async () => {
      const page = tabletPage();
      const start = page.getByRole('region', { name: 'Hand the tablet to learners', exact: true });
      await start.getByRole('button', { name: 'Sign-in sheet', exact: true }).click();
      await heading(page, SIGN_IN_HEADING).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).waitFor({ state: 'detached' });
      const text = await page.locator('body').innerText();
      expect(text).not.toContain(GRACE.familyName);
      expect(text).not.toContain(TUTOR.name);
      await page.getByText('Ask your tutor.', { exact: false }).waitFor();
      await expectAccessible(page);

      await page.getByRole('button', { name: GRACE_ON_SHEET, exact: true }).click();
      await heading(page, `Are you ${GRACE_ON_SHEET}?`).waitFor();
      await page.getByRole('button', { name: 'No, go back', exact: true }).click();
      await heading(page, SIGN_IN_HEADING).waitFor();
      expect(await rawRows(page, 'attendance')).toHaveLength(1);

      await page.getByRole('button', { name: GRACE_ON_SHEET, exact: true }).click();
      await page.getByRole('button', { name: 'Yes, sign me in', exact: true }).click();
      await heading(page, `Thank you, ${GRACE_ON_SHEET}`).waitFor();
      // The thank-you goes back to the list by itself, for the next learner.
      await page.clock.fastForward('00:06');
      await heading(page, SIGN_IN_HEADING).waitFor();

      const [session] = (await rawRows(page, 'sessions')).filter((row) => row['id'] === sessionId);
      const mark = (await rawRows(page, 'attendance')).find((row) => row['learnerId'] === graceId);
      expect(mark).toMatchObject({ sessionId, deleted: false });
      // Present, or late if the grace time after the session's start has passed (the register's rule).
      expect(mark?.['mark']).toBe(
        arrivalMark(
          { scheduledStart: String(session?.['scheduledStart']), actualStart: null },
          String(mark?.['markedAt']),
        ),
      );

      await page.getByRole('button', { name: 'Tutor: leave', exact: true }).click();
      const leave = page.getByRole('region', { name: 'Leave learner mode', exact: true });
      await leave.getByLabel("Tutor's PIN", { exact: true }).fill(TEST_PIN);
      await leave.getByRole('button', { name: 'Leave learner mode', exact: true }).click();
      await heading(page, GETTING_ONLINE.title).waitFor();
      const shown = mark?.['mark'] === 'L' ? 'Late' : 'Present';
      await page
        .getByRole('button', { name: `${shown}: ${fullName(GRACE)}`, exact: true, pressed: true })
        .waitFor();
    },
    TEST_TIMEOUT_MS,
  );
});
