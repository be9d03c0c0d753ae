// Encryption at rest, against the real server and the production build: a coordinator sets up and
// chooses a PIN; offline, she enrols a learner with distinctive contact details, equality and health
// answers and a goal, and starts a second enrolment (a draft). Read raw from IndexedDB, none of
// those words are in any store, while names, date of birth and postcode are; after a reload the PIN
// opens the app and the learner's page shows them again; after "Lock now" the stores still hold
// nothing readable. Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { SEALED_FIELDS } from '../../src/domain/personalFields';
import {
  type LearnerDetails,
  createProgramme,
  createVenue,
  fillEnrolmentForm,
  fullName,
  heading,
  lockNow,
  openFromNav,
  openLearner,
  setUpOrganisation,
  statusMessage,
  summaryValue,
  syncNowAndWait,
  unlockWithPin,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  POLL,
  TEST_TIMEOUT_MS,
  goOffline,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { expectNothingReadable, readRawStores } from '../helpers/e2eData';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE } from '../fixtures/e2eRecords';
const PIN = '461937';

const LEARNER: LearnerDetails = {
  givenNames: 'Ottoline',
  familyName: 'Quarrington-Vale',
  dateOfBirth: { day: '14', month: '2', year: '1957' },
  postcode: 'l20 3nj',
  email: 'ottoline.qv@zephyrmail.example',
  employmentStatus: 'Not in paid employment, looking for work and available to start',
  consentMethod: 'The learner signed a paper form',
  sex: 'Female',
  goal: { text: 'Send photographs to Auntie Marguerite', type: 'Communication' },
};
/** What the learner's enrolment adds beyond LEARNER: each must be sealed on the device. */
const CONTACT = {
  addressLine1: 'Flat 9 Quillwort Terrace',
  town: 'Zennorbridge',
  phone: '07700 900417',
  adjustments: 'Trackball mouse and a magnifier',
  emergencyContactName: 'Perpetua Vandersloot',
  emergencyContactPhone: '07700 900853',
  ethnicityOther: 'Cornish and Breton heritage',
};
/** Typed into a second enrolment and left as a draft. */
const DRAFT = {
  givenNames: 'Hieronymus',
  email: 'hieronymus.draft@zephyrmail.example',
  town: 'Porthgwidden',
};

/** None of these may be in IndexedDB as typed (or as the app might normalise them). */
const SECRETS = [
  LEARNER.email!,
  'zephyrmail',
  CONTACT.addressLine1,
  'Quillwort',
  CONTACT.town,
  CONTACT.phone,
  CONTACT.phone.replace(/\s/g, ''),
  '900417',
  CONTACT.adjustments,
  'Trackball',
  CONTACT.emergencyContactName,
  'Vandersloot',
  CONTACT.emergencyContactPhone.replace(/\s/g, ''),
  '900853',
  CONTACT.ethnicityOther,
  'Breton',
  LEARNER.goal!.text,
  'Marguerite',
  DRAFT.town,
  'hieronymus.draft',
];

/** The stores the issue names, and the rest that could hold a copy. */
const STORES = [
  'learners',
  'equalityMonitoring',
  'learningGoals',
  'drafts',
  'outbox',
  'rejectedChanges',
  'meta',
  'enrolments',
  'consents',
  'employmentStatuses',
  'sessions',
  'devicePins',
];

type Raw = Record<string, unknown[]>;

/** Fields that must be sealed but are stored readable, as "store.field" (none, when all is sealed). */
function unsealedFields(raw: Raw): string[] {
  const found: string[] = [];
  const check = (store: string, fields: readonly string[] | undefined) => {
    for (const row of (raw[store] ?? []) as Record<string, unknown>[]) {
      for (const field of fields ?? []) {
        const value = row[field];
        if (
          value !== undefined &&
          value !== null &&
          value !== '' &&
          !(Array.isArray(value) && value.length === 0)
        ) {
          found.push(`${store}.${field}`);
        }
      }
    }
  };
  check('learners', SEALED_FIELDS.learner);
  check('equalityMonitoring', SEALED_FIELDS.equalityMonitoring);
  check('learningGoals', SEALED_FIELDS.learningGoal);
  return [...new Set(found)];
}

async function fillTheRest(page: Page): Promise<void> {
  await page.getByLabel('Address line 1', { exact: true }).fill(CONTACT.addressLine1);
  await page.getByLabel('Town or city', { exact: true }).fill(CONTACT.town);
  await page.getByLabel('Phone number (optional)', { exact: true }).fill(CONTACT.phone);
  await page.getByLabel('Adjustments (optional)', { exact: true }).fill(CONTACT.adjustments);
  await page
    .getByLabel('Emergency contact name (optional)', { exact: true })
    .fill(CONTACT.emergencyContactName);
  await page
    .getByLabel('Emergency contact phone number (optional)', { exact: true })
    .fill(CONTACT.emergencyContactPhone);
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
  await page
    .getByLabel("Ethnic group in the learner's own words (optional)", { exact: true })
    .fill(CONTACT.ethnicityOther);
  await page
    .getByRole('checkbox', {
      name: 'The learner chooses to answer questions about health and disability',
      exact: true,
    })
    .check();
  await page
    .getByRole('group', {
      name: 'Does the learner have a learning difficulty, disability or health problem?',
      exact: true,
    })
    .getByRole('radio', { name: 'Yes', exact: true })
    .check();
  await page
    .getByRole('group', { name: 'Which of these apply? (optional)', exact: true })
    .getByRole('checkbox', { name: 'Visual impairment', exact: true })
    .check();
}

describe('encryption at rest', () => {
  const server = useRestartableServer('encryption');
  let tablet: LaunchedBrowser | undefined;

  afterAll(async () => {
    await tablet?.close();
  });

  it(
    'keeps contact details, equality and health answers, goals and drafts unreadable in IndexedDB, and opens them with the PIN',
    async () => {
      tablet = await launchTablet(server.url());
      const { page, context } = tablet;
      await setUpOrganisation(page, COORDINATOR, { pin: PIN });
      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, GETTING_ONLINE);
      await syncNowAndWait(page);

      // Offline, so the enrolment waits in the outbox.
      await goOffline(context, server.current());
      await openFromNav(page, 'Programmes');
      await page.getByRole('link', { name: GETTING_ONLINE.title, exact: true }).click();
      await heading(page, GETTING_ONLINE.title).waitFor();
      await page.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).click();
      await heading(page, `Enrol a learner on ${GETTING_ONLINE.title}`).waitFor();
      await fillEnrolmentForm(page, LEARNER);
      await fillTheRest(page);
      await page.getByRole('button', { name: 'Enrol learner', exact: true }).click();
      await heading(page, fullName(LEARNER)).waitFor();
      await statusMessage(page, `${fullName(LEARNER)} is enrolled on ${GETTING_ONLINE.title}.`).waitFor();
      expect((await summaryValue(page, 'Email').innerText()).trim()).toBe(LEARNER.email);

      // A second enrolment, begun and left: its draft is kept.
      await openFromNav(page, 'Programmes');
      await page.getByRole('link', { name: GETTING_ONLINE.title, exact: true }).click();
      await page.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).click();
      await heading(page, `Enrol a learner on ${GETTING_ONLINE.title}`).waitFor();
      await page.getByLabel('Given names', { exact: true }).fill(DRAFT.givenNames);
      await page.getByLabel('Email address (optional)', { exact: true }).fill(DRAFT.email);
      await page.getByLabel('Town or city', { exact: true }).fill(DRAFT.town);
      await expect
        .poll(async () => ((await readRawStores(page, ['drafts'])).drafts ?? []).length, POLL)
        .toBeGreaterThan(0);
      await openFromNav(page, 'Today');

      const raw = await readRawStores(page, STORES);
      // The stores hold what this test made: a learner, their answers and goal, a draft, the outbox.
      for (const store of ['learners', 'equalityMonitoring', 'learningGoals', 'drafts', 'outbox']) {
        expect(raw[store]?.length, `${store} rows`).toBeGreaterThan(0);
      }
      expectNothingReadable(raw, SECRETS);
      expect(unsealedFields(raw)).toEqual([]);
      // Names, date of birth and the normalised postcode stay readable.
      const learnersText = JSON.stringify(raw.learners);
      for (const readable of [LEARNER.givenNames, LEARNER.familyName, '1957-02-14', 'L203NJ']) {
        expect(learnersText, readable).toContain(readable);
      }
      // The data key is only wrapped: no unprotected copy once a PIN was chosen.
      const vault = (raw.meta as Record<string, unknown>[]).find((row) => row['key'] === 'vault');
      expect(vault).toMatchObject({ unprotected: null, device: { iv: expect.any(String) } });

      // A reload, still offline: the PIN opens the app and the learner's details with it.
      await page.reload();
      await heading(page, 'Enter your PIN').waitFor();
      await unlockWithPin(page, PIN);
      await openLearner(page, fullName(LEARNER));
      expect((await summaryValue(page, 'Email').innerText()).trim()).toBe(LEARNER.email);
      expect(await summaryValue(page, 'Address').innerText()).toContain(CONTACT.addressLine1);
      expect((await summaryValue(page, 'Emergency contact').innerText()).trim()).toBe(
        `${CONTACT.emergencyContactName}, ${CONTACT.emergencyContactPhone}`,
      );

      // "Lock now": nothing readable on screen, nor in the stores.
      await lockNow(page);
      expect(await page.locator('body').innerText()).not.toContain(LEARNER.email);
      const locked = await readRawStores(page, STORES);
      expectNothingReadable(locked, SECRETS);
      expect(unsealedFields(locked)).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );
});
