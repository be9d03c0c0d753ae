// Text that tries to inject script or SQL, typed into every free-text field a person can type into
// (set-up, sign-in, venue, programme, session, enrolment, learner details, Settings, People and the
// invitation page), is stored as typed (on the device and on the server, read back through a pull
// or the route that answers it) and shown as text: no dialog opens, no injected element appears, no
// injected script runs, and the server's tables are all still there. Fields that check a format
// (email addresses, phone numbers, the lock time) refuse what does not fit with a message shown as
// text and keep what was typed. The tests share one browser and one organisation, in order. Needs a
// production build (E2E_DIST, or dist).
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  type LearnerDetails,
  acceptInvitation,
  changeLearnerDetails,
  createVenue,
  enrolLearner,
  fillEnrolmentForm,
  fullName,
  heading,
  markButton,
  openFromNav,
  openRegisterFromToday,
  planSession,
  registerRow,
  searchLearners,
  setUpOrganisation,
  statusMessage,
  summaryValue,
  syncBar,
  syncNowAndWait,
  unlockWithPin,
} from '../helpers/appActions';
import { type LaunchedBrowser, launchBrowser, waitForServiceWorkerControl } from '../helpers/browser';
import { pullEverything, readRawDatabase } from '../helpers/e2eData';
import { type RunningServer, startServer } from '../helpers/server';
import { GRACE, KWAME } from '../fixtures/e2eRecords';
import { DATABASE_NAME } from '../../src/db/database';
import type { PulledRecord } from '../../src/domain/sync/protocol';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;

/** Each payload, if it ran, would set window.__injected or open a dialog. */
const SCRIPT_TAG = '<script>window.__injected = 1</script>Hall';
const IMAGE_ONERROR = '<img src="x" onerror="window.__injected = 1; alert(1)">Room';
const SVG_ONLOAD = '"><svg onload="alert(1)">';
const SQL_DROP = "Robert'); DROP TABLE records; --";
const SQL_OR = "' OR '1'='1";
const ATTRIBUTE_BREAK = 'O\'Brien" onmouseover="alert(1)';
/** Email-shaped payloads (no spaces, one @ and a dot after it), which the app's own checks let through. */
const SCRIPT_EMAIL = '<script>window.__injected=1</script>@example.org';
const IMAGE_EMAIL = '<img/src="x"/onerror="window.__injected=1;alert(1)">@example.org';
/** An address the server's stricter check accepts too, so it is stored (lower case, as the server keeps it). */
const SQL_EMAIL = "o'brien+'or'1'--@example.org";

const COORDINATOR: Required<Account> = {
  organisationName: `Halton ${IMAGE_ONERROR}`,
  name: `Priya ${ATTRIBUTE_BREAK}`,
  email: 'priya.natarajan@example.org',
  password: 'a quiet corner of the library',
};

const VENUE_NAME = `Church ${IMAGE_ONERROR}`;
const VENUE_ADDRESS = `${SQL_DROP}\n${SCRIPT_TAG}`;
const PROGRAMME_TITLE = `Getting online ${SCRIPT_TAG}`;
const PROGRAMME_DESCRIPTION = `${SQL_OR} ${SVG_ONLOAD}`;
const TUTOR_NAMES = SVG_ONLOAD;
const LEARNER = {
  ...GRACE,
  givenNames: `Zoë ${IMAGE_ONERROR}`,
  familyName: ATTRIBUTE_BREAK,
  goal: { text: `${SQL_DROP} ${SCRIPT_TAG}`, type: 'Digital skills' },
};

const LEARNER_DETAILS = {
  preferredName: SVG_ONLOAD,
  addressLine1: SQL_DROP,
  addressLine2: IMAGE_ONERROR,
  town: SQL_OR,
  adjustments: `${SCRIPT_TAG} ${SQL_DROP}`,
};

/** Settings' "Your name": no comma, since a new session splits it into tutors' names at commas. */
const TUTOR_NAME = `Sam ${SQL_OR} ${SVG_ONLOAD}`;

/**
 * A walk-in whose enrolment fills every free-text field of the enrolment form (the first learner's
 * contact details were typed in "Change details" instead).
 */
const WALK_IN: LearnerDetails = {
  ...KWAME,
  givenNames: `Kwame ${SQL_OR}`,
  familyName: `Mensah ${SVG_ONLOAD}`,
  email: IMAGE_EMAIL,
  goal: { text: SCRIPT_TAG, type: 'Digital skills' },
};
const WALK_IN_EXTRAS = {
  preferredName: `Kojo ${SCRIPT_TAG}`,
  addressLine1: IMAGE_ONERROR,
  addressLine2: SQL_OR,
  town: SVG_ONLOAD,
  phone: '0151 496 0000',
  adjustments: `${ATTRIBUTE_BREAK} ${SQL_DROP}`,
  emergencyContactName: `${SQL_DROP} ${IMAGE_ONERROR}`,
  emergencyContactPhone: '07700 900982',
  ethnicityOther: `${SCRIPT_TAG} ${SQL_OR}`,
  goal2: `${SVG_ONLOAD} ${SQL_OR}`,
  goal3: ATTRIBUTE_BREAK,
};
const CHANGED_ADJUSTMENTS = `${IMAGE_ONERROR} ${SQL_OR}`;

const SESSION_NOTES = `${SQL_DROP}\n${IMAGE_ONERROR}`;
const CANCELLED_REASON = `${SCRIPT_TAG} ${SQL_OR}`;

const INVITED = { name: `Sam ${SQL_DROP} ${SCRIPT_TAG}`, password: 'tea kettle orange lantern' };

const WRONG_EMAIL_OR_PASSWORD = 'The email address or password is not right.';
const EMAIL_FORMAT = 'Enter an email address in the correct format, like name@example.com';
const PHONE_FORMAT = 'Enter a telephone number, like 01632 960 001 or 07700 900 982';

async function expectNothingRan(page: Page, dialogs: string[]): Promise<void> {
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as { __injected?: unknown }).__injected)).toBeUndefined();
  expect(
    await page
      .locator('img[src="x"], svg[onload], [onerror], [onload], [onmouseover], script:not([src])')
      .count(),
  ).toBe(0);
}

/**
 * Every row of one object store of the app's IndexedDB, read raw as readRawDatabase reads the
 * counts and meta rows (without Dexie). Only for names, venue, programme and session fields: other
 * personal fields (contact details, equality answers, notes) are sealed at rest, so their raw shape is
 * not this test's business; the page and the server are asked for them instead.
 */
async function readRawRows(page: Page, store: string): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    async ({ name, storeName }) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const request = database.transaction(storeName, 'readonly').objectStore(storeName).getAll();
        return await new Promise<Record<string, unknown>[]>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result as Record<string, unknown>[]);
          request.onerror = () => reject(request.error);
        });
      } finally {
        database.close();
      }
    },
    { name: DATABASE_NAME, storeName: store },
  );
}

/** A meta row of the app's IndexedDB by key ('sync', 'settings'), read raw. */
async function readRawMeta(page: Page, key: string): Promise<Record<string, unknown> | undefined> {
  return (await readRawDatabase(page)).meta.find((row) => row['key'] === key);
}

/** A field's inline error (its visually hidden "Error:" prefix aside) saying `message`. */
function fieldError(page: Page, field: string, message: string): Locator {
  return page.locator(`#${field}-error`).filter({ hasText: message });
}

/** The data of each pulled record of one type. */
function dataOf(records: PulledRecord[], type: string): Record<string, unknown>[] {
  return records.filter((record) => record.entityType === type).map((record) => record.data);
}

/** GET a JSON route of the server as the person signed in in the browser. */
async function getJson<T>(context: BrowserContext, url: string): Promise<T> {
  const response = await context.request.get(url);
  expect(response.status(), await response.text()).toBe(200);
  return (await response.json()) as T;
}

type PeopleAnswer = {
  users: { name: string; email: string }[];
  invitations: { email: string; invitedByName: string }[];
};

describe('script and SQL typed into text fields', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;
  const dialogs: string[] = [];

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
    browser.context.setDefaultTimeout(STEP_TIMEOUT_MS);
    browser.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  const tablet = () => {
    if (!server || !browser) throw new Error('The server or the browser did not start');
    return { page: browser.page, context: browser.context, url: server.url };
  };

  it(
    'in set-up are stored as typed and shown as text; a refused set-up or sign-in says why as text',
    async () => {
      const { page, context, url } = tablet();
      await page.goto(url);
      await waitForServiceWorkerControl(page, STEP_TIMEOUT_MS);

      // The server refuses an address its check does not accept; the form keeps what was typed.
      await syncBar(page).getByRole('link', { name: 'Set up your organisation', exact: true }).click();
      await heading(page, 'Set up your organisation').waitFor();
      const organisationName = page.getByLabel("Your organisation's name", { exact: true });
      await organisationName.fill(COORDINATOR.organisationName);
      await page.getByLabel('Your full name', { exact: true }).fill(COORDINATOR.name);
      await page.getByLabel('Email address', { exact: true }).fill(SCRIPT_EMAIL);
      await page.getByLabel('Create a password', { exact: true }).fill(COORDINATOR.password);
      const refusedSetUp = page.waitForResponse((response) => response.url().endsWith('/api/setup'));
      await page.getByRole('button', { name: 'Set up organisation', exact: true }).click();
      expect((await refusedSetUp).status()).toBe(400);
      await page
        .getByRole('alert')
        .filter({ hasText: 'Not saved' })
        .getByText(`${EMAIL_FORMAT}.`, { exact: true })
        .waitFor();
      expect(await organisationName.inputValue()).toBe(COORDINATOR.organisationName);
      expect(await page.getByLabel('Email address', { exact: true }).inputValue()).toBe(SCRIPT_EMAIL);
      await expectNothingRan(page, dialogs);

      await setUpOrganisation(page, COORDINATOR);
      expect(await summaryValue(page, 'Signed in as').innerText()).toBe(
        `${COORDINATOR.name} (${COORDINATOR.email})`,
      );
      expect(await summaryValue(page, 'Organisation').innerText()).toBe(COORDINATOR.organisationName);
      await expectNothingRan(page, dialogs);
      expect((await readRawMeta(page, 'sync'))?.['user']).toEqual(
        expect.objectContaining({ name: COORDINATOR.name, organisationName: COORDINATOR.organisationName }),
      );
      const me = await getJson<{ user: Record<string, unknown> }>(context, `${url}/api/auth/me`);
      expect(me.user).toEqual(
        expect.objectContaining({ name: COORDINATOR.name, organisationName: COORDINATOR.organisationName }),
      );
      await syncNowAndWait(page);
      const records = await pullEverything(context, url);
      expect(dataOf(records, 'organisation')).toEqual([
        expect.objectContaining({ name: COORDINATOR.organisationName }),
      ]);
      expect(dataOf(records, 'user')).toEqual([expect.objectContaining({ name: COORDINATOR.name })]);
      expect(await readRawRows(page, 'organisations')).toEqual([
        expect.objectContaining({ name: COORDINATOR.organisationName }),
      ]);
      expect(await readRawRows(page, 'users')).toEqual([expect.objectContaining({ name: COORDINATOR.name })]);

      // Sign-in with script or SQL for an address and the right password: refused (not an error of
      // the server's), said as text against the field, and the person signed in stays signed in.
      await page.goto(`${url}/sign-in`);
      await heading(page, 'Sign in').waitFor();
      const email = page.getByLabel('Email address', { exact: true });
      for (const typed of [`${COORDINATOR.email}'--`, "x'OR'1'='1'--@example.org", IMAGE_EMAIL]) {
        await email.fill(typed);
        await page.getByLabel('Password', { exact: true }).fill(COORDINATOR.password);
        const refused = page.waitForResponse((response) => response.url().endsWith('/api/auth/sign-in'));
        await page.getByRole('button', { name: 'Sign in', exact: true }).click();
        expect((await refused).status()).toBe(401);
        await fieldError(page, 'email', WRONG_EMAIL_OR_PASSWORD).waitFor();
        expect(await email.inputValue()).toBe(typed);
        await expectNothingRan(page, dialogs);
      }
      await page.goto(url);
      await unlockWithPin(page);
      await heading(page, 'Today').waitFor();
      expect((await readRawMeta(page, 'sync'))?.['user']).toEqual(
        expect.objectContaining({ name: COORDINATOR.name }),
      );
      expect((await getJson<{ user: Record<string, unknown> }>(context, `${url}/api/auth/me`)).user).toEqual(
        expect.objectContaining({ name: COORDINATOR.name }),
      );
      await expectNothingRan(page, dialogs);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'in the venue, programme, session, enrolment and learner-details forms are stored as typed and shown as text',
    async () => {
      const { page, context, url } = tablet();

      await createVenue(page, { name: VENUE_NAME, postcode: 'wa7 1pb', address: VENUE_ADDRESS });
      await expectNothingRan(page, dialogs);

      await openFromNav(page, 'Programmes');
      await page.getByRole('link', { name: 'Add a programme', exact: true }).click();
      await heading(page, 'Add a programme').waitFor();
      await page.getByLabel('Title', { exact: true }).fill(PROGRAMME_TITLE);
      await page.getByLabel('Description (optional)', { exact: true }).fill(PROGRAMME_DESCRIPTION);
      await page
        .getByRole('group', { name: 'Type of programme', exact: true })
        .getByLabel('Tailored learning', { exact: true })
        .check();
      await page
        .getByRole('group', { name: 'Level', exact: true })
        .getByLabel('Entry 3', { exact: true })
        .check();
      await page
        .getByLabel('Funding stream', { exact: true })
        .selectOption({ label: 'Adult Skills Fund tailored learning' });
      await page.getByLabel('Planned guided learning hours', { exact: true }).fill('6');
      await page.getByLabel('Default venue (optional)', { exact: true }).selectOption({ label: VENUE_NAME });
      await page.getByRole('button', { name: 'Save programme', exact: true }).click();
      await heading(page, PROGRAMME_TITLE).waitFor();
      // The programme's page is its form again: the description comes back as typed.
      expect(await page.getByLabel('Description (optional)', { exact: true }).inputValue()).toBe(
        PROGRAMME_DESCRIPTION,
      );
      await expectNothingRan(page, dialogs);

      await planSession(page, {
        programme: PROGRAMME_TITLE,
        startTime: '10:00',
        endTime: '12:00',
        tutors: TUTOR_NAMES,
      });
      await page.getByText(`Tutors: ${TUTOR_NAMES}`, { exact: true }).waitFor();
      await expectNothingRan(page, dialogs);

      await enrolLearner(page, PROGRAMME_TITLE, LEARNER);
      await heading(page, fullName(LEARNER)).waitFor();
      await expectNothingRan(page, dialogs);
      await changeLearnerDetails(page, fullName(LEARNER), LEARNER_DETAILS);
      await page.getByText(LEARNER_DETAILS.adjustments, { exact: true }).waitFor();
      await expectNothingRan(page, dialogs);

      await openFromNav(page, 'Venues');
      await page.getByRole('link', { name: VENUE_NAME, exact: true }).waitFor();
      await expectNothingRan(page, dialogs);

      // Names, venue, programme and session fields are on the device as typed.
      expect(await readRawRows(page, 'venues')).toEqual([
        expect.objectContaining({ name: VENUE_NAME, address: VENUE_ADDRESS }),
      ]);
      expect(await readRawRows(page, 'programmes')).toEqual([
        expect.objectContaining({ title: PROGRAMME_TITLE, description: PROGRAMME_DESCRIPTION }),
      ]);
      expect(await readRawRows(page, 'sessions')).toEqual([
        expect.objectContaining({ tutorNames: [TUTOR_NAMES] }),
      ]);
      expect(await readRawRows(page, 'learners')).toEqual([
        expect.objectContaining({ givenNames: LEARNER.givenNames, familyName: LEARNER.familyName }),
      ]);

      // The server holds exactly what was typed, and its tables survived the SQL.
      await syncNowAndWait(page);
      const records = await pullEverything(context, url);
      const data = (type: string) => dataOf(records, type);
      expect(data('venue')).toEqual([expect.objectContaining({ name: VENUE_NAME, address: VENUE_ADDRESS })]);
      expect(data('programme')).toEqual([
        expect.objectContaining({ title: PROGRAMME_TITLE, description: PROGRAMME_DESCRIPTION }),
      ]);
      expect(data('session')).toEqual([expect.objectContaining({ tutorNames: [TUTOR_NAMES] })]);
      expect(data('learner')).toEqual([
        expect.objectContaining({
          givenNames: LEARNER.givenNames,
          familyName: LEARNER.familyName,
          preferredName: LEARNER_DETAILS.preferredName,
          addressLines: [LEARNER_DETAILS.addressLine1, LEARNER_DETAILS.addressLine2],
          town: LEARNER_DETAILS.town,
          adjustments: LEARNER_DETAILS.adjustments,
        }),
      ]);
      expect(data('learningGoal')).toEqual([expect.objectContaining({ text: LEARNER.goal.text })]);
      expect(data('organisation')).toHaveLength(1);
      await expectNothingRan(page, dialogs);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "in Settings and the learner search are kept as typed, shown as text, and sign the register's marks",
    async () => {
      const { page, context, url } = tablet();

      await openFromNav(page, 'Settings');
      await page.getByLabel('Your name', { exact: true }).fill(TUTOR_NAME);
      await page.getByRole('button', { name: 'Save name', exact: true }).click();
      await statusMessage(page, 'Your name is saved.').waitFor();
      // "Lock after" takes whole minutes only: the rest is refused as text and nothing is saved.
      const lockAfter = page.getByLabel('Lock after', { exact: true });
      await lockAfter.fill(SQL_OR);
      await page.getByRole('button', { name: 'Save lock time', exact: true }).click();
      await fieldError(
        page,
        'lockAfterMinutes',
        'Lock after must be a whole number of minutes, like 5',
      ).waitFor();
      expect(await lockAfter.inputValue()).toBe(SQL_OR);
      await expectNothingRan(page, dialogs);
      const settings = await readRawMeta(page, 'settings');
      expect(settings?.['tutorName']).toBe(TUTOR_NAME);
      expect(settings?.['lockAfterMinutes'] ?? 5).toBe(5);

      // Shown back as typed: in Settings, and as the tutor a new session starts with.
      await openFromNav(page, 'Today');
      await openFromNav(page, 'Settings');
      expect(await page.getByLabel('Your name', { exact: true }).inputValue()).toBe(TUTOR_NAME);
      await openFromNav(page, 'Today');
      await page.getByRole('link', { name: 'Plan a session', exact: true }).click();
      await heading(page, 'Plan a session').waitFor();
      await expect.poll(() => page.getByLabel('Tutors', { exact: true }).inputValue()).toBe(TUTOR_NAME);
      await expectNothingRan(page, dialogs);

      // The register shows the learner's preferred name as text; a mark is made in the tutor's name.
      await openRegisterFromToday(page, PROGRAMME_TITLE);
      await registerRow(page, fullName(LEARNER))
        .getByText(`Likes to be called ${LEARNER_DETAILS.preferredName}`, { exact: true })
        .waitFor();
      const present = markButton(page, 'Present', fullName(LEARNER));
      await present.click();
      await expect.poll(() => present.getAttribute('aria-pressed')).toBe('true');
      await expectNothingRan(page, dialogs);

      // The search box: what is typed finds no one, stays as typed, and comes back from the address.
      const search = page.getByRole('searchbox', {
        name: 'Search by name, postcode or date of birth',
        exact: true,
      });
      expect(await searchLearners(page, SCRIPT_TAG)).toEqual([]);
      expect(await search.inputValue()).toBe(SCRIPT_TAG);
      expect(new URL(page.url()).searchParams.get('q')).toBe(SCRIPT_TAG);
      await expectNothingRan(page, dialogs);
      await page.reload();
      await unlockWithPin(page);
      await heading(page, 'Learners').waitFor();
      await statusMessage(page, 'No learners found').waitFor();
      expect(await search.inputValue()).toBe(SCRIPT_TAG);
      await expectNothingRan(page, dialogs);

      await syncNowAndWait(page);
      expect(dataOf(await pullEverything(context, url, 'attendance'), 'attendance')).toEqual([
        expect.objectContaining({ mark: 'P', markedBy: TUTOR_NAME }),
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    "in the rest of the enrolment form are stored as typed, shown as text, and in the learner's history",
    async () => {
      const { page, context, url } = tablet();
      const name = fullName(WALK_IN);

      await openRegisterFromToday(page, PROGRAMME_TITLE);
      await page.getByRole('link', { name: 'Add a walk-in learner', exact: true }).click();
      await heading(page, `Enrol a learner on ${PROGRAMME_TITLE}`).waitFor();
      await fillEnrolmentForm(page, WALK_IN);
      const fill = (label: string, value: string) => page.getByLabel(label, { exact: true }).fill(value);
      await fill('Preferred name (optional)', WALK_IN_EXTRAS.preferredName);
      await fill('Address line 1', WALK_IN_EXTRAS.addressLine1);
      await fill('Address line 2 (optional)', WALK_IN_EXTRAS.addressLine2);
      await fill('Town or city', WALK_IN_EXTRAS.town);
      await fill('Adjustments (optional)', WALK_IN_EXTRAS.adjustments);
      await fill('Emergency contact name (optional)', WALK_IN_EXTRAS.emergencyContactName);
      await fill('Goal 2', WALK_IN_EXTRAS.goal2);
      await page.getByLabel('Type of goal 2', { exact: true }).selectOption({ label: 'Personal' });
      await fill('Goal 3', WALK_IN_EXTRAS.goal3);
      await page.getByLabel('Type of goal 3', { exact: true }).selectOption({ label: 'Communication' });
      await page
        .getByRole('checkbox', {
          name: 'The learner chooses to answer the question about their ethnic group',
          exact: true,
        })
        .check();
      await page
        .getByRole('group', { name: 'Ethnic group', exact: true })
        .getByRole('radio', { name: 'White: Any other White background', exact: true })
        .check();
      await fill("Ethnic group in the learner's own words (optional)", WALK_IN_EXTRAS.ethnicityOther);

      // Phone numbers must look like phone numbers: script and SQL there are refused, as text.
      const phone = page.getByLabel('Phone number (optional)', { exact: true });
      const emergencyPhone = page.getByLabel('Emergency contact phone number (optional)', { exact: true });
      await phone.fill(SQL_OR);
      await emergencyPhone.fill(SCRIPT_TAG);
      const enrol = page.getByRole('button', { name: 'Enrol and mark present', exact: true });
      await enrol.click();
      await fieldError(page, 'phone', PHONE_FORMAT).waitFor();
      await fieldError(page, 'emergencyContactPhone', PHONE_FORMAT).waitFor();
      expect(await phone.inputValue()).toBe(SQL_OR);
      expect(await emergencyPhone.inputValue()).toBe(SCRIPT_TAG);
      await expectNothingRan(page, dialogs);
      await phone.fill(WALK_IN_EXTRAS.phone);
      await emergencyPhone.fill(WALK_IN_EXTRAS.emergencyContactPhone);
      await enrol.click();
      await heading(page, PROGRAMME_TITLE).waitFor();
      await statusMessage(page, `${name} is enrolled and marked present.`).waitFor();
      await registerRow(page, name)
        .getByText(`Likes to be called ${WALK_IN_EXTRAS.preferredName}`, { exact: true })
        .waitFor();
      await expectNothingRan(page, dialogs);

      // The learner's record shows each answer as text.
      await page.getByRole('link', { name, exact: true }).click();
      await heading(page, name).waitFor();
      const shown = async (term: string) => (await summaryValue(page, term).innerText()).trim();
      expect(await shown('Preferred name')).toBe(WALK_IN_EXTRAS.preferredName);
      const address = summaryValue(page, 'Address');
      for (const line of [WALK_IN_EXTRAS.addressLine1, WALK_IN_EXTRAS.addressLine2, WALK_IN_EXTRAS.town]) {
        await address.getByText(line, { exact: true }).waitFor();
      }
      expect(await shown('Phone')).toBe(WALK_IN_EXTRAS.phone);
      expect(await shown('Email')).toBe(WALK_IN.email);
      expect(await shown('Adjustments')).toBe(WALK_IN_EXTRAS.adjustments);
      expect(await shown('Emergency contact')).toBe(
        `${WALK_IN_EXTRAS.emergencyContactName}, ${WALK_IN_EXTRAS.emergencyContactPhone}`,
      );
      await expectNothingRan(page, dialogs);
      expect(await readRawRows(page, 'learners')).toContainEqual(
        expect.objectContaining({ givenNames: WALK_IN.givenNames, familyName: WALK_IN.familyName }),
      );

      // A change, so the history has a "from … to …" line to show.
      await page.getByRole('link', { name: 'Change details', exact: true }).click();
      await heading(page, `Change ${name}’s details`).waitFor();
      const adjustments = page.getByLabel('Adjustments (optional)', { exact: true });
      await expect.poll(() => adjustments.inputValue()).toBe(WALK_IN_EXTRAS.adjustments);
      await adjustments.fill(CHANGED_ADJUSTMENTS);
      await page.getByRole('button', { name: 'Save details', exact: true }).click();
      await heading(page, name).waitFor();
      await statusMessage(page, `${name}’s details have been saved.`).waitFor();
      expect(await shown('Adjustments')).toBe(CHANGED_ADJUSTMENTS);
      await expectNothingRan(page, dialogs);

      await syncNowAndWait(page);
      const records = await pullEverything(context, url);
      const learner = records.find(
        (record) => record.entityType === 'learner' && record.data['givenNames'] === WALK_IN.givenNames,
      );
      expect(learner?.data).toEqual(
        expect.objectContaining({
          familyName: WALK_IN.familyName,
          preferredName: WALK_IN_EXTRAS.preferredName,
          addressLines: [WALK_IN_EXTRAS.addressLine1, WALK_IN_EXTRAS.addressLine2],
          town: WALK_IN_EXTRAS.town,
          phone: WALK_IN_EXTRAS.phone,
          email: WALK_IN.email,
          adjustments: CHANGED_ADJUSTMENTS,
          emergencyContactName: WALK_IN_EXTRAS.emergencyContactName,
          emergencyContactPhone: WALK_IN_EXTRAS.emergencyContactPhone,
        }),
      );
      const ofWalkIn = (type: string) =>
        dataOf(records, type).filter((row) => row['learnerId'] === learner?.entityId);
      expect(ofWalkIn('learningGoal').map((goal) => goal['text'])).toEqual(
        expect.arrayContaining([WALK_IN.goal?.text, WALK_IN_EXTRAS.goal2, WALK_IN_EXTRAS.goal3]),
      );
      expect(ofWalkIn('learningGoal')).toHaveLength(3);
      expect(ofWalkIn('equalityMonitoring')).toEqual([
        expect.objectContaining({ ethnicityOther: WALK_IN_EXTRAS.ethnicityOther }),
      ]);
      expect(ofWalkIn('enrolment')).toEqual([expect.objectContaining({ enrolledBy: TUTOR_NAME })]);
      expect(ofWalkIn('attendance')).toEqual([expect.objectContaining({ mark: 'P', markedBy: TUTOR_NAME })]);

      // The coordinator's history shows what the server holds, every value as text.
      await page.getByRole('button', { name: 'Show history', exact: true }).click();
      const changes = page.getByRole('list').filter({ hasText: 'Learner details' });
      await changes
        .getByText(`From ${WALK_IN_EXTRAS.adjustments} to ${CHANGED_ADJUSTMENTS}`, { exact: true })
        .waitFor();
      // A new record's line lists its values: "From nothing to given names: …; adjustments: …".
      const createdLine = (what: RegExp) =>
        changes.getByRole('listitem').filter({ hasText: what }).filter({ hasText: 'From nothing to ' });
      const created = await createdLine(/^Learner details/).innerText();
      expect(created).toContain(`by ${COORDINATOR.name} on Device `);
      expect(created).toContain(`emergency contact name: ${WALK_IN_EXTRAS.emergencyContactName}`);
      expect(await createdLine(/^Equality monitoring/).innerText()).toContain(
        `ethnic group (other): ${WALK_IN_EXTRAS.ethnicityOther}`,
      );
      expect((await createdLine(/^Learning goal/).allInnerTexts()).join('\n')).toContain(
        `text: ${WALK_IN_EXTRAS.goal2}`,
      );
      await expectNothingRan(page, dialogs);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'in the session notes and the reason for cancelling are stored as typed and shown as text',
    async () => {
      const { page, context, url } = tablet();

      await openRegisterFromToday(page, PROGRAMME_TITLE);
      await page.getByRole('link', { name: 'Edit session', exact: true }).click();
      await heading(page, 'Edit session').waitFor();
      // The form fills from the record once it has loaded: wait for that before typing.
      await expect.poll(() => page.getByLabel('Tutors', { exact: true }).inputValue()).toBe(TUTOR_NAMES);
      await page.getByLabel('Notes (optional)', { exact: true }).fill(SESSION_NOTES);
      await page
        .getByRole('group', { name: 'Status', exact: true })
        .getByRole('radio', { name: 'Cancelled', exact: true })
        .check();
      await page.getByLabel('Reason for cancelling', { exact: true }).fill(CANCELLED_REASON);
      await page.getByRole('button', { name: 'Save session', exact: true }).click();
      await heading(page, PROGRAMME_TITLE).waitFor();
      await page
        .getByText(`This session was cancelled. Reason: ${CANCELLED_REASON}.`, { exact: true })
        .waitFor();
      await expectNothingRan(page, dialogs);

      // The notes are shown only in the form: they come back as typed.
      await page.getByRole('link', { name: 'Edit session', exact: true }).click();
      await heading(page, 'Edit session').waitFor();
      const notes = page.getByLabel('Notes (optional)', { exact: true });
      await expect.poll(() => notes.inputValue()).toBe(SESSION_NOTES);
      expect(await page.getByLabel('Reason for cancelling', { exact: true }).inputValue()).toBe(
        CANCELLED_REASON,
      );
      await expectNothingRan(page, dialogs);
      // The notes and the reason are sealed at rest on the device, so only the page (which reads them
      // through the app) and the server are asked for them; the session's other fields are raw.
      expect(await readRawRows(page, 'sessions')).toEqual([
        expect.objectContaining({ status: 'cancelled', tutorNames: [TUTOR_NAMES] }),
      ]);

      await openFromNav(page, 'Today');
      await syncNowAndWait(page);
      expect(dataOf(await pullEverything(context, url, 'session'), 'session')).toEqual([
        expect.objectContaining({ notes: SESSION_NOTES, cancelledReason: CANCELLED_REASON }),
      ]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'in an invitation and the name of the person accepting it are stored as typed and shown as text',
    async () => {
      const { page, context, url } = tablet();
      const openPeople = async (): Promise<void> => {
        await page
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'People', exact: true })
          .click();
        await heading(page, 'People').waitFor();
        await page.getByRole('heading', { level: 2, name: 'Accounts', exact: true }).waitFor();
      };
      const personHeading = (name: string) =>
        page.getByRole('main').getByRole('heading', { level: 3, name, exact: true });

      await openPeople();
      await page
        .getByText(
          `Everyone who can sign in to ${COORDINATOR.organisationName}. Changes here need a connection to the server.`,
          { exact: true },
        )
        .waitFor();
      await personHeading(`${COORDINATOR.name} (you)`).waitFor();
      await expectNothingRan(page, dialogs);

      // An address the server does not accept is refused, said as text against the field.
      const email = page.getByLabel('Their email address', { exact: true });
      await email.fill(SCRIPT_EMAIL);
      await page
        .getByRole('group', { name: 'What will they do?', exact: true })
        .getByRole('radio', { name: /^Coordinator/ })
        .check();
      const create = page.getByRole('button', { name: 'Create invitation', exact: true });
      const refused = page.waitForResponse((response) => response.url().endsWith('/api/invitations'));
      await create.click();
      expect((await refused).status()).toBe(400);
      await fieldError(page, 'email', EMAIL_FORMAT).waitFor();
      expect(await email.inputValue()).toBe(SCRIPT_EMAIL);
      await expectNothingRan(page, dialogs);

      await email.fill(SQL_EMAIL);
      await create.click();
      const made = page.getByRole('region', { name: `Invitation made for ${SQL_EMAIL}`, exact: true });
      await made
        .getByText(`Give this link or code to ${SQL_EMAIL}. It works once, for 7 days.`, { exact: true })
        .waitFor();
      const link = await made.getByLabel('Invitation link', { exact: true }).inputValue();
      const waiting = page
        .getByRole('main')
        .getByRole('listitem')
        .filter({ has: page.getByText(SQL_EMAIL, { exact: true }) });
      expect(await waiting.innerText()).toContain(`Invited by ${COORDINATOR.name}.`);
      await expectNothingRan(page, dialogs);
      const invited = await getJson<PeopleAnswer>(context, `${url}/api/users`);
      expect(invited.invitations).toEqual([
        expect.objectContaining({ email: SQL_EMAIL, invitedByName: COORDINATOR.name }),
      ]);

      // The invitation page shows the organisation, the address and who is signed in, as text.
      await page.goto(link);
      await heading(page, `Join ${COORDINATOR.organisationName}`).waitFor();
      await page
        .getByText(`You have been invited to join ${COORDINATOR.organisationName} as a coordinator.`)
        .waitFor();
      await page.getByRole('main').getByText(SQL_EMAIL, { exact: true }).waitFor();
      await page.getByText(`${COORDINATOR.name} is signed in on this tablet.`).waitFor();
      await expectNothingRan(page, dialogs);

      await acceptInvitation(page, link, INVITED);
      await expectNothingRan(page, dialogs);
      await syncBar(page).getByRole('link', { name: 'Sync details', exact: true }).click();
      await heading(page, 'Sync').waitFor();
      expect(await summaryValue(page, 'Signed in as').innerText()).toBe(`${INVITED.name} (${SQL_EMAIL})`);
      expect((await readRawMeta(page, 'sync'))?.['user']).toEqual(
        expect.objectContaining({ name: INVITED.name, email: SQL_EMAIL }),
      );
      await openPeople();
      await personHeading(`${INVITED.name} (you)`).waitFor();
      await personHeading(COORDINATOR.name).waitFor();
      await expectNothingRan(page, dialogs);

      const people = await getJson<PeopleAnswer>(context, `${url}/api/users`);
      expect(people.users).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: COORDINATOR.name, email: COORDINATOR.email }),
          expect.objectContaining({ name: INVITED.name, email: SQL_EMAIL }),
        ]),
      );
      expect(people.invitations).toEqual([]);

      // Everything is still on the server: none of the SQL reached a table.
      await syncNowAndWait(page);
      const records = await pullEverything(context, url);
      expect(
        dataOf(records, 'user')
          .map((user) => user['name'])
          .sort(),
      ).toEqual([COORDINATOR.name, INVITED.name].sort());
      expect((await readRawRows(page, 'users')).map((user) => user['name']).sort()).toEqual(
        [COORDINATOR.name, INVITED.name].sort(),
      );
      const counts = Object.fromEntries(
        ['organisation', 'venue', 'programme', 'session', 'learner', 'attendance'].map((type) => [
          type,
          dataOf(records, type).length,
        ]),
      );
      expect(counts).toEqual({
        organisation: 1,
        venue: 1,
        programme: 1,
        session: 1,
        learner: 2,
        attendance: 2,
      });
      await expectNothingRan(page, dialogs);
    },
    TEST_TIMEOUT_MS,
  );
});
