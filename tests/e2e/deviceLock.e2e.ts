// The tablet's lock, against the real server and the production build: a coordinator sets up online
// and chooses a PIN; offline, a reload shows the unlock screen and none of the records, and the PIN
// opens it; "Lock now" locks every tab, a new tab starts locked, and the idle time from Settings
// locks the app (with Playwright's clock); five wrong PINs lock the tablet until an online sign-in,
// which asks for a new PIN; a tutor invited onto the same tablet has a PIN of their own, and "Not
// you?" switches between them. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  choosePin,
  createProgramme,
  createVenue,
  acceptInvitation,
  enrolLearner,
  fullName,
  heading,
  lockNow,
  openFromNav,
  openLearner,
  statusMessage,
  submitSignIn,
  syncBar,
  syncNowAndWait,
  unlockWithPin,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  TEST_TIMEOUT_MS,
  expectAccessible,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { readRawStores } from '../helpers/e2eData';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE } from '../fixtures/e2eRecords';

const TUTOR = {
  name: 'Tomasz Nowak',
  email: 'tomasz.nowak@example.org',
  password: 'seven quiet herons waiting',
};
const PIN = '2580';
const NEW_PIN = '739164';
const TUTOR_PIN = '4711';

/** What must never be on screen while the app is locked: the records on the tablet. */
const RECORD_WORDS = [BOOTLE_HUB.name, 'Bootle', GETTING_ONLINE.title, GRACE.givenNames, GRACE.familyName];

const LOCKED_OUT =
  'Too many wrong PINs. Connect to the internet and sign in with your password to unlock this tablet.';

/** Nothing of the records in the page's text or title, and no way round the lock in the header. */
async function expectNothingOfTheRecords(page: Page): Promise<void> {
  const text = `${await page.locator('body').innerText()}\n${await page.title()}`;
  for (const word of RECORD_WORDS) expect(text, `"${word}" is on the lock screen`).not.toContain(word);
  expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Lock now' }).count()).toBe(0);
}

/** The PIN field of the lock screens. */
function pinField(page: Page) {
  return page.getByLabel('PIN', { exact: true });
}

async function typeWrongPin(page: Page, pin: string): Promise<void> {
  await pinField(page).fill(pin);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
}

/** The error summary's link for the PIN field, with exactly this message. */
function summaryLink(page: Page, message: string) {
  return page.locator('.error-summary').getByRole('link', { name: message, exact: true });
}

/** The device's PIN rows, read raw from IndexedDB. */
async function rawPinRows(page: Page): Promise<Record<string, unknown>[]> {
  const rows = (await readRawStores(page, ['devicePins'])).devicePins;
  if (!rows) throw new Error('The database has no devicePins store');
  return rows as Record<string, unknown>[];
}

describe('the tablet lock', () => {
  const server = useRestartableServer('device-lock');
  let url = '';
  let tablet: LaunchedBrowser | undefined;

  const tabletPage = (): Page => {
    if (!tablet) throw new Error('An earlier step failed');
    return tablet.page;
  };

  beforeAll(() => {
    url = server.url();
  });

  afterAll(async () => {
    await tablet?.close();
  });

  it(
    'asks for a PIN after set-up; offline, a reload shows only the unlock screen, and the PIN opens it',
    async () => {
      tablet = await launchTablet(url);
      const { page, context } = tablet;
      // No one signed in: the app is open as it always was, with nothing to lock.
      expect(await page.getByRole('button', { name: 'Lock now' }).count()).toBe(0);

      await syncBar(page).getByRole('link', { name: 'Set up your organisation', exact: true }).click();
      await heading(page, 'Set up your organisation').waitFor();
      await page.getByLabel("Your organisation's name", { exact: true }).fill(COORDINATOR.organisationName);
      await page.getByLabel('Your full name', { exact: true }).fill(COORDINATOR.name);
      await page.getByLabel('Email address', { exact: true }).fill(COORDINATOR.email);
      await page.getByLabel('Create a password', { exact: true }).fill(COORDINATOR.password);
      await page.getByRole('button', { name: 'Set up organisation', exact: true }).click();

      // Choosing the PIN: the form's own checks first, GOV.UK style.
      await heading(page, 'Choose a PIN for this tablet').waitFor();
      await page.getByText(`You are signed in as ${COORDINATOR.name}.`, { exact: false }).waitFor();
      expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
      await summaryLink(page, 'Enter a PIN').waitFor();
      await summaryLink(page, 'Enter the PIN again').waitFor();
      expect(await page.title()).toMatch(/^Error: Choose a PIN for this tablet/);
      await expectAccessible(page);
      await pinField(page).fill('1234');
      await page.getByLabel('Enter the PIN again', { exact: true }).fill('1234');
      await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
      await summaryLink(page, 'Choose a PIN that is not easy to guess, like 1234 or 1111').waitFor();
      await pinField(page).fill(PIN);
      await page.getByLabel('Enter the PIN again', { exact: true }).fill('2589');
      await page.getByRole('button', { name: 'Save PIN', exact: true }).click();
      await summaryLink(page, 'The PINs are different. Enter the same PIN twice').waitFor();
      const pinInput = pinField(page);
      expect(await pinInput.getAttribute('type')).toBe('password');
      expect(await pinInput.getAttribute('inputmode')).toBe('numeric');
      expect(await pinInput.getAttribute('autocomplete')).toBe('off');
      await choosePin(page, PIN);
      await heading(page, 'Sync').waitFor();
      await statusMessage(page, `${COORDINATOR.organisationName} is set up and you are signed in.`).waitFor();
      await page.getByRole('button', { name: 'Lock now', exact: true }).waitFor();
      // The PIN is nowhere on the device: a salt and a verifier only.
      const [row] = await rawPinRows(page);
      expect(row).toMatchObject({
        name: COORDINATOR.name,
        iterations: 600_000,
        failedAttempts: 0,
        lockedOutAt: null,
      });
      expect(JSON.stringify(row)).not.toContain(PIN);

      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, GETTING_ONLINE);
      await enrolLearner(page, GETTING_ONLINE.title, GRACE);
      await syncNowAndWait(page);

      // Offline, from a reload: the unlock screen, the name of who is signed in, and no records.
      await goOffline(context, server.current());
      await page.reload();
      await heading(page, 'Enter your PIN').waitFor();
      await page.getByText(`${COORDINATOR.name} is signed in on this tablet.`, { exact: false }).waitFor();
      await expectNothingOfTheRecords(page);
      expect(await pinField(page).getAttribute('inputmode')).toBe('numeric');
      expect(await pinField(page).getAttribute('autocomplete')).toBe('off');
      await expectAccessible(page);
      // Any page asked for shows the same lock.
      await page.goto(`${url}/learners`);
      await heading(page, 'Enter your PIN').waitFor();
      await expectNothingOfTheRecords(page);

      await typeWrongPin(page, '1111');
      await summaryLink(page, 'The PIN is not right. You have 4 more tries').waitFor();
      await expectNothingOfTheRecords(page);
      await unlockWithPin(page, PIN);
      // The page that was asked for, with the records: offline, by the PIN alone.
      await heading(page, 'Learners').waitFor();
      await openLearner(page, fullName(GRACE));
      expect((await rawPinRows(page))[0]).toMatchObject({ failedAttempts: 0 });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    '"Lock now" locks every open tab, a new tab starts locked, and the app locks after the idle time set in Settings',
    async () => {
      const page = tabletPage();
      const { context } = tablet!;

      // A second tab of the same app starts locked, and opens with the PIN.
      const second = await context.newPage();
      await second.goto(url);
      await heading(second, 'Enter your PIN').waitFor();
      await expectNothingOfTheRecords(second);
      await unlockWithPin(second, PIN);
      await heading(second, 'Today').waitFor();

      // "Lock now" in one tab locks both.
      await lockNow(page);
      await heading(second, 'Enter your PIN').waitFor();
      await expectNothingOfTheRecords(second);
      await second.close();
      await unlockWithPin(page, PIN);

      // Settings: "Lock after", 5 minutes until changed, 1 to 60.
      await openFromNav(page, 'Settings');
      const lockAfter = page.getByLabel('Lock after', { exact: true });
      expect(await lockAfter.inputValue()).toBe('5');
      await lockAfter.fill('0');
      await page.getByRole('button', { name: 'Save lock time', exact: true }).click();
      await summaryLink(page, 'Lock after must be between 1 and 60 minutes').waitFor();
      await lockAfter.fill('1');
      await page.getByRole('button', { name: 'Save lock time', exact: true }).click();
      await statusMessage(page, 'The app will lock after 1 minute without use.').waitFor();

      // The clock, from a reload on: 40 seconds pass, someone moves the pointer, 40 more pass, and
      // the app is still open; 30 more seconds without use, and it locks.
      await page.clock.install();
      await page.reload();
      await unlockWithPin(page, PIN);
      await heading(page, 'Settings').waitFor();
      await page.clock.fastForward('00:40');
      await page.mouse.move(100, 200);
      await page.mouse.move(120, 220);
      await page.clock.fastForward('00:40');
      expect(await heading(page, 'Enter your PIN').count()).toBe(0);
      await heading(page, 'Settings').waitFor();
      await page.clock.fastForward('00:30');
      await heading(page, 'Enter your PIN').waitFor();
      await expectNothingOfTheRecords(page);
      await unlockWithPin(page, PIN);
      await heading(page, 'Settings').waitFor();
      // Kept for the next steps' lock screens to stay put: a long lock time.
      await page.getByLabel('Lock after', { exact: true }).fill('60');
      await page.getByRole('button', { name: 'Save lock time', exact: true }).click();
      await statusMessage(page, 'The app will lock after 60 minutes without use.').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'five wrong PINs lock the tablet until an online sign-in, across a reload; signing in asks for a new PIN',
    async () => {
      const page = tabletPage();
      const { context } = tablet!;
      await lockNow(page);
      for (const left of ['4 more tries', '3 more tries', '2 more tries', '1 more try']) {
        await typeWrongPin(page, '0852');
        await summaryLink(page, `The PIN is not right. You have ${left}`).waitFor();
      }
      await typeWrongPin(page, '0852');
      await heading(page, 'This tablet is locked').waitFor();
      await page.getByText(LOCKED_OUT, { exact: true }).waitFor();
      await expectNothingOfTheRecords(page);
      await expectAccessible(page);
      // No PIN is asked for any more, so none can be tried, the right one included.
      expect(await pinField(page).count()).toBe(0);
      expect(await rawPinRows(page)).toEqual([
        expect.objectContaining({ failedAttempts: 5, lockedOutAt: expect.any(String) }),
      ]);

      // A reload, and another page, are still locked out.
      await page.reload();
      await heading(page, 'This tablet is locked').waitFor();
      await page.goto(`${url}/learners/`);
      await heading(page, 'This tablet is locked').waitFor();
      await expectNothingOfTheRecords(page);
      expect(await pinField(page).count()).toBe(0);

      // Signing in needs the server: offline, it says so and the tablet stays locked.
      await page.getByRole('link', { name: 'Sign in with your password', exact: true }).click();
      await heading(page, 'Sign in').waitFor();
      await page.getByLabel('Email address', { exact: true }).fill(COORDINATOR.email);
      await page.getByLabel('Password', { exact: true }).fill(COORDINATOR.password);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.getByRole('alert').filter({ hasText: 'There is no connection to the server.' }).waitFor();
      expect(await rawPinRows(page)).toEqual([expect.objectContaining({ failedAttempts: 5 })]);

      // Back online: the password opens the tablet, and a new PIN is chosen.
      await server.restart();
      await context.setOffline(false);
      await submitSignIn(page, COORDINATOR, { pin: NEW_PIN });
      await waitForLockNow(page);
      expect(await rawPinRows(page)).toEqual([
        expect.objectContaining({ name: COORDINATOR.name, failedAttempts: 0, lockedOutAt: null }),
      ]);
      await openFromNav(page, 'Venues');
      await page.getByRole('link', { name: BOOTLE_HUB.name, exact: true }).waitFor();

      // The old PIN is gone with the lockout; the new one works.
      await lockNow(page);
      await typeWrongPin(page, PIN);
      await summaryLink(page, 'The PIN is not right. You have 4 more tries').waitFor();
      await unlockWithPin(page, NEW_PIN);
      await heading(page, 'Venues').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'a tutor invited onto the same tablet has a PIN of their own; "Not you?" switches to the coordinator',
    async () => {
      const page = tabletPage();
      const { context } = tablet!;
      const invited = await context.request.post(`${url}/api/invitations`, {
        data: { email: TUTOR.email, role: 'tutor' },
      });
      expect(invited.status()).toBe(201);
      const { code } = (await invited.json()) as { code: string };

      // The invitation opens on the locked tablet (a new page load), and signs the tutor in instead.
      await acceptInvitation(page, `${url}/invite/${code}`, TUTOR, { pin: TUTOR_PIN });
      await lockNow(page);
      await page.getByText(`${TUTOR.name} is signed in on this tablet.`, { exact: false }).waitFor();
      // The coordinator's PIN is not the tutor's.
      await typeWrongPin(page, NEW_PIN);
      await summaryLink(page, 'The PIN is not right. You have 4 more tries').waitFor();

      // "Not you?": the coordinator signs in, with the PIN she already has here.
      await page.getByRole('link', { name: 'Not you? Sign in as someone else', exact: true }).click();
      await submitSignIn(page, COORDINATOR, { hasPin: true });
      await waitForLockNow(page);
      await lockNow(page);
      await page.getByText(`${COORDINATOR.name} is signed in on this tablet.`, { exact: false }).waitFor();
      await typeWrongPin(page, TUTOR_PIN);
      await summaryLink(page, 'The PIN is not right. You have 4 more tries').waitFor();
      await unlockWithPin(page, NEW_PIN);
      await heading(page, 'Sync').waitFor();

      const rows = await rawPinRows(page);
      expect(rows.map((row) => row['name']).sort()).toEqual([COORDINATOR.name, TUTOR.name].sort());
      expect(new Set(rows.map((row) => row['salt'])).size).toBe(2);

      // Signing out does not open the tablet: it locks at once, to her PIN, and so after a reload.
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await heading(page, 'Enter your PIN').waitFor();
      await page.getByText(`${COORDINATOR.name} last signed in on this tablet.`, { exact: false }).waitFor();
      await expectNothingOfTheRecords(page);
      await page.reload();
      await heading(page, 'Enter your PIN').waitFor();
      await page.getByText(`${COORDINATOR.name} last signed in on this tablet.`, { exact: false }).waitFor();
      await unlockWithPin(page, NEW_PIN);
      await heading(page, 'Sync').waitFor();
      await page.getByText('Not signed in', { exact: true }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );
});

/** The app is open for someone with a PIN: the header offers "Lock now". */
async function waitForLockNow(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Lock now', exact: true }).waitFor();
}
