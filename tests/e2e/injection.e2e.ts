// Text that tries to inject script or SQL, typed into the free-text fields of the venue, programme,
// session, enrolment and learner-details forms, is stored as typed (on the device and on the server, read back through
// a pull) and shown as text: no dialog opens, no injected element appears, no injected script runs,
// and the server's tables are all still there. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  changeLearnerDetails,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openFromNav,
  planSession,
  setUpOrganisation,
  syncNowAndWait,
} from '../helpers/appActions';
import { type LaunchedBrowser, launchBrowser, waitForServiceWorkerControl } from '../helpers/browser';
import { pullEverything } from '../helpers/e2eData';
import { type RunningServer, startServer } from '../helpers/server';
import { GRACE } from '../fixtures/e2eRecords';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 240_000;

const COORDINATOR: Required<Account> = {
  organisationName: 'Halton Digital Inclusion',
  name: 'Priya Natarajan',
  email: 'priya.natarajan@example.org',
  password: 'a quiet corner of the library',
};

/** Each payload, if it ran, would set window.__injected or open a dialog. */
const SCRIPT_TAG = '<script>window.__injected = 1</script>Hall';
const IMAGE_ONERROR = '<img src="x" onerror="window.__injected = 1; alert(1)">Room';
const SVG_ONLOAD = '"><svg onload="alert(1)">';
const SQL_DROP = "Robert'); DROP TABLE records; --";
const SQL_OR = "' OR '1'='1";
const ATTRIBUTE_BREAK = 'O\'Brien" onmouseover="alert(1)';

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

async function expectNothingRan(page: Page, dialogs: string[]): Promise<void> {
  expect(dialogs).toEqual([]);
  expect(await page.evaluate(() => (window as { __injected?: unknown }).__injected)).toBeUndefined();
  expect(await page.locator('main img[src="x"], main svg[onload], main script').count()).toBe(0);
}

describe('script and SQL typed into text fields', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it(
    'are stored as typed on the device and the server, and shown as text',
    async () => {
      browser = await launchBrowser();
      const { page, context } = browser;
      context.setDefaultTimeout(STEP_TIMEOUT_MS);
      const dialogs: string[] = [];
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.goto(server!.url);
      await waitForServiceWorkerControl(page, STEP_TIMEOUT_MS);
      await setUpOrganisation(page, COORDINATOR);

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

      // The server holds exactly what was typed, and its tables survived the SQL.
      await syncNowAndWait(page);
      const records = await pullEverything(context, server!.url);
      const data = (type: string) =>
        records.filter((record) => record.entityType === type).map((r) => r.data);
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
});
