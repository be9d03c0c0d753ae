// The enrolment form in the production build: drafts that survive a reload, a browser restart and
// going offline; GOV.UK error handling that keeps every answer; the duplicate warning; and a full
// disk (forced through Chromium's quota override) reported without losing the draft.
// Needs `npm run build` first (or E2E_DIST pointing at another build).
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORAGE_FULL_MESSAGE } from '../../src/db/errors';
import { goOffline, launchBrowser, waitForServiceWorkerControl } from '../helpers/browser';
import type { LaunchedBrowser } from '../helpers/browser';
import { startServer } from '../helpers/server';
import type { RunningServer } from '../helpers/server';

const DATABASE = 'outreach-register';
const PROGRAMME_TITLE = 'Getting online';
const EMPLOYED = 'In paid employment';
const LOOKING_FOR_WORK = 'Not in paid employment, looking for work and available to start';
const TABLET_CONSENT = 'The learner ticked the boxes on this tablet';
const TOLD_ME_CONSENT = 'The learner told me and I recorded it';
/**
 * Chromium's IndexedDB does not ask the quota manager on every commit: it approves writes from the
 * space it was told was free at its last check, an allowance that shrinks to nothing over 30 seconds
 * (BucketContext::kBucketSpaceCacheTimeLimit). So a lowered quota bites IndexedDB only once that
 * allowance runs out, up to 30 seconds later (Cache Storage fails at once). After a refused check
 * the allowance is zero, so every later write asks again and fails until the quota is lifted.
 */
const QUOTA_CACHE_LIMIT_MS = 30_000;

describe('the enrolment form', () => {
  let server: RunningServer | undefined;

  beforeAll(async () => {
    server = await startServer();
  });

  afterAll(async () => {
    await server?.stop();
  });

  function running(): RunningServer {
    if (!server) throw new Error('the server did not start');
    return server;
  }

  describe('drafts', () => {
    it('restores a half-typed enrolment after a reload, and "Start again" clears it for good', async () => {
      await withBrowser(async ({ page }) => {
        const programmeId = await setUpProgramme(page, running().url);
        const form = await openEnrolment(page, running().url, programmeId);

        await typeHalfAnEnrolment(form);
        const draft = await waitForDraft(page, programmeId, HALF_AN_ENROLMENT_TYPED);

        await page.reload();
        await form.waitUntilReady();
        await expectHalfAnEnrolment(form);
        const restored = page.getByText(/^We restored the answers you had started on /);
        expect(await restored.textContent()).toBe(
          `We restored the answers you had started on ${await inWords(page, draft.savedAt)}.`,
        );

        await page.getByRole('button', { name: 'Start again' }).click();
        await expectBlankForm(form);
        expect(await restored.count()).toBe(0);
        // Focus moves to the first field, ready to type the next learner.
        expect(await isFocused(form.givenNames)).toBe(true);
        await waitUntil('the draft is discarded', async () => {
          const stored = await readDraft(page, programmeId);
          return stored === null || stored.savedAt !== draft.savedAt;
        });

        await page.reload();
        await form.waitUntilReady();
        await expectBlankForm(form);
        expect(await restored.count()).toBe(0);
      });
    });

    it('is gone once the learner is enrolled', async () => {
      await withBrowser(async ({ page }) => {
        const programmeId = await setUpProgramme(page, running().url);
        const form = await openEnrolment(page, running().url, programmeId);

        await typeHalfAnEnrolment(form);
        await waitForDraft(page, programmeId, HALF_AN_ENROLMENT_TYPED);
        await form.consentMethod(TOLD_ME_CONSENT).check();
        await form.privacyNoticeShown.check();
        await form.submit();
        await expectLearnerPage(page, "Mary Anne O'Brien");
        expect(await readDraft(page, programmeId)).toBeNull();

        await openEnrolment(page, running().url, programmeId);
        await expectBlankForm(form);
        expect(await page.getByText(/We restored the answers/).count()).toBe(0);
        expect(await page.getByRole('button', { name: 'Start again' }).count()).toBe(0);
      });
    });

    it('survives going offline and a browser restart', async () => {
      // Its own server: going offline stops it.
      const offlineServer = await startServer();
      let browser: LaunchedBrowser | undefined = await launchBrowser();
      try {
        const { page, context, userDataDir } = browser;
        const programmeId = await setUpProgramme(page, offlineServer.url);
        const form = await openEnrolment(page, offlineServer.url, programmeId);
        await typeHalfAnEnrolment(form);
        await waitForDraft(page, programmeId, HALF_AN_ENROLMENT_TYPED);

        await goOffline(context, offlineServer);
        await browser.close({ keepProfile: true });
        browser = undefined;

        browser = await launchBrowser(userDataDir);
        await browser.context.setOffline(true);
        const reopened = enrolmentForm(browser.page);
        await openEnrolment(browser.page, offlineServer.url, programmeId);
        await expectHalfAnEnrolment(reopened);
        await browser.page.getByText(/^We restored the answers you had started on /).waitFor();
      } finally {
        await browser?.close();
        await offlineServer.stop();
      }
    });
  });

  describe('errors', () => {
    it('lists each problem in the error summary, keeps what was typed, and saves once fixed', async () => {
      await withBrowser(async ({ page }) => {
        const programmeId = await setUpProgramme(page, running().url);
        const form = await openEnrolment(page, running().url, programmeId);
        const nextYear = String(new Date().getFullYear() + 1);

        await form.givenNames.fill('Bea');
        await form.dateOfBirth('Day').fill('1');
        await form.dateOfBirth('Month').fill('1');
        await form.dateOfBirth('Year').fill(nextYear);
        await form.postcode.fill('XYZ 123');
        await form.phone.fill('12');
        await form.email.fill('ann@');
        await form.submit();

        await waitUntil('the title starts with "Error: "', async () =>
          (await page.title()).startsWith('Error: '),
        );
        const summary = page.locator('.error-summary');
        await summary.getByRole('heading', { name: 'There is a problem' }).waitFor();
        await waitUntil('the error summary has focus', () =>
          summary.evaluate((element) => element === document.activeElement),
        );

        // Each problem: its message, the element whose aria-describedby carries it, and what its
        // link in the summary focuses. In the order the fields come on the page.
        const problems: { message: string; describedBy: Locator; focuses: Locator }[] = [
          {
            message: "Enter the learner's family name",
            describedBy: form.familyName,
            focuses: form.familyName,
          },
          {
            message: 'Enter a date of birth in the past',
            describedBy: form.dateOfBirthGroup,
            focuses: form.dateOfBirth('Day'),
          },
          {
            message: 'Enter a real postcode, like L20 3NJ',
            describedBy: form.postcode,
            focuses: form.postcode,
          },
          {
            message: 'Enter a telephone number, like 01632 960 001 or 07700 900 982',
            describedBy: form.phone,
            focuses: form.phone,
          },
          {
            message: 'Enter an email address in the correct format, like name@example.com',
            describedBy: form.email,
            focuses: form.email,
          },
          {
            message: "Select the learner's employment status",
            describedBy: form.employmentStatusGroup,
            focuses: form.employmentStatus(EMPLOYED),
          },
          {
            message: 'Confirm the learner has been shown the privacy notice',
            describedBy: form.privacyNoticeShown,
            focuses: form.privacyNoticeShown,
          },
          {
            message: 'Select how the learner gave their answers',
            describedBy: form.consentMethodGroup,
            focuses: form.consentMethod(TABLET_CONSENT),
          },
        ];
        const links = summary.getByRole('link');
        expect(await links.allTextContents()).toEqual(problems.map((problem) => problem.message));
        expect(await linkTargetsAreInPageOrder(links)).toBe(true);

        for (const { message, describedBy, focuses } of problems) {
          const inline = await inlineErrorOf(describedBy);
          expect(inline.text, `the inline message for "${message}"`).toBe(`Error: ${message}`);
          expect(inline.besideField, `"${message}" sits with its field`).toBe(true);

          await summary.getByRole('link', { name: message, exact: true }).click();
          expect(await isFocused(focuses), `the link "${message}" focuses its field`).toBe(true);
        }

        // Nothing typed is lost, the invalid answers included.
        expect(await form.givenNames.inputValue()).toBe('Bea');
        expect(await form.familyName.inputValue()).toBe('');
        expect(await form.dateOfBirth('Day').inputValue()).toBe('1');
        expect(await form.dateOfBirth('Month').inputValue()).toBe('1');
        expect(await form.dateOfBirth('Year').inputValue()).toBe(nextYear);
        expect(await form.postcode.inputValue()).toBe('XYZ 123');
        expect(await form.phone.inputValue()).toBe('12');
        expect(await form.email.inputValue()).toBe('ann@');
        expect(page.url()).toBe(`${running().url}/programmes/${programmeId}/enrol`);

        await form.familyName.fill('Jones');
        await form.dateOfBirth('Year').fill('1985');
        await form.postcode.fill('L20 3NJ');
        await form.phone.fill('07700 900982');
        await form.email.fill('bea@example.com');
        await form.employmentStatus(EMPLOYED).check();
        await form.privacyNoticeShown.check();
        await form.consentMethod(TABLET_CONSENT).check();
        await form.submit();

        await expectLearnerPage(page, 'Bea Jones');
        await page
          .getByRole('status')
          .filter({ hasText: `Bea Jones is enrolled on ${PROGRAMME_TITLE}.` })
          .waitFor();
        expect(await page.title()).not.toMatch(/^Error: /);
      });
    });

    it('warns that the learner may already be on the device, keeps the answers and links to them', async () => {
      await withBrowser(async ({ page }) => {
        const programmeId = await setUpProgramme(page, running().url);
        const form = await openEnrolment(page, running().url, programmeId);
        await fillValidEnrolment(form, { givenNames: 'Ann', familyName: 'Smith', postcode: 'L20 3NJ' });
        await form.submit();
        await expectLearnerPage(page, 'Ann Smith');
        const firstRecord = page.url();
        expect(firstRecord).toMatch(/\/learners\/[^/]+$/);

        await openEnrolment(page, running().url, programmeId);
        await fillValidEnrolment(form, { givenNames: 'Ann', familyName: 'Smith', postcode: 'L1 8JQ' });
        await form.email.fill('ann.smith@example.com');
        await form.submit();

        const warning = page.getByRole('alert', { name: 'This learner may already be on this device' });
        await warning.waitFor();
        await waitUntil('the warning has focus', () =>
          warning.evaluate((element) => element === document.activeElement),
        );
        const openRecord = warning.getByRole('link', { name: "Open Ann Smith's record", exact: true });
        await openRecord.waitFor();
        await warning.getByRole('button', { name: 'They are a different person – enrol as new' }).waitFor();
        expect(await warning.textContent()).toContain('same name and date of birth');

        // Nothing was saved, and every answer is still in its field.
        expect(page.url()).toBe(`${running().url}/programmes/${programmeId}/enrol`);
        expect(await countRecords(page, 'learners')).toBe(1);
        expect(await form.givenNames.inputValue()).toBe('Ann');
        expect(await form.familyName.inputValue()).toBe('Smith');
        expect(await form.dateOfBirth('Day').inputValue()).toBe('27');
        expect(await form.dateOfBirth('Month').inputValue()).toBe('3');
        expect(await form.dateOfBirth('Year').inputValue()).toBe('1960');
        expect(await form.postcode.inputValue()).toBe('L1 8JQ');
        expect(await form.email.inputValue()).toBe('ann.smith@example.com');
        expect(await form.employmentStatus(LOOKING_FOR_WORK).isChecked()).toBe(true);
        expect(await form.privacyNoticeShown.isChecked()).toBe(true);
        expect(await form.consentMethod(TOLD_ME_CONSENT).isChecked()).toBe(true);

        await openRecord.click();
        await page.waitForURL(firstRecord);
        await expectLearnerPage(page, 'Ann Smith');
      });
    });
  });

  describe('a full disk', () => {
    it(
      'reports a quota error, keeps the draft and every answer, and saves once there is room',
      async () => {
        await withBrowser(async ({ page, context }) => {
          const origin = running().url;
          const programmeId = await setUpProgramme(page, origin);
          const form = await openEnrolment(page, origin, programmeId);
          await form.givenNames.fill('Cara');
          await form.familyName.fill("D'Arcy");
          await form.dateOfBirth('Day').fill('14');
          await form.dateOfBirth('Month').fill('2');
          await form.dateOfBirth('Year').fill('1990');
          await form.postcode.fill('L20 3NJ');
          await waitForDraft(page, programmeId, ["D'Arcy", 'L20 3NJ']);

          const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
          expect(usage).toBeGreaterThan(0);
          const cdp = await context.newCDPSession(page);
          try {
            // No room for one more byte: the device has just filled up. (navigator.storage.estimate()
            // does not show an override, so CDP's own report confirms it.)
            await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage });
            const { quota, overrideActive } = await cdp.send('Storage.getUsageAndQuota', { origin });
            expect({ quota, overrideActive }).toEqual({ quota: usage, overrideActive: true });

            // Keep typing until a draft save meets the new quota (Chromium may first spend the
            // space it had already approved; see QUOTA_CACHE_LIMIT_MS).
            const draftFailure = page.getByRole('alert').filter({
              hasText: 'Your answers could not be saved on this device:',
            });
            const typed = await typeUntil(form.adjustments, 'Large print handouts, please. ', () =>
              draftFailure.isVisible(),
            );
            expect(await draftFailure.textContent()).toBe(
              `Your answers could not be saved on this device: ${STORAGE_FULL_MESSAGE}`,
            );
            await page
              .getByText('Your answers are not saved on this device yet. Do not close this page.')
              .waitFor();
            expect(await page.getByText('Answers are saved on this device as you type').count()).toBe(0);

            // The draft saved before the disk filled is still there, sealed as it was.
            const kept = await readDraft(page, programmeId);
            expect(kept).not.toBeNull();
            expectSealed(kept!, ["D'Arcy", 'L20 3NJ']);

            // A valid form cannot be saved either: the page says so and keeps everything.
            await form.employmentStatus(LOOKING_FOR_WORK).check();
            await form.privacyNoticeShown.check();
            await form.consentMethod(TOLD_ME_CONSENT).check();
            await form.submit();
            const notSaved = page.getByRole('alert').filter({
              has: page.getByRole('heading', { name: 'Not saved' }),
            });
            await notSaved.waitFor();
            expect(await notSaved.locator('p').textContent()).toBe(STORAGE_FULL_MESSAGE);
            expect(page.url()).toBe(`${origin}/programmes/${programmeId}/enrol`);
            expect(await countRecords(page, 'learners')).toBe(0);
            expect(await form.givenNames.inputValue()).toBe('Cara');
            expect(await form.familyName.inputValue()).toBe("D'Arcy");
            expect(await form.dateOfBirth('Day').inputValue()).toBe('14');
            expect(await form.dateOfBirth('Month').inputValue()).toBe('2');
            expect(await form.dateOfBirth('Year').inputValue()).toBe('1990');
            expect(await form.postcode.inputValue()).toBe('L20 3NJ');
            expect(await form.adjustments.inputValue()).toBe(typed);
            expect(await form.employmentStatus(LOOKING_FOR_WORK).isChecked()).toBe(true);
            expect(await form.privacyNoticeShown.isChecked()).toBe(true);
            expect(await form.consentMethod(TOLD_ME_CONSENT).isChecked()).toBe(true);
            expect((await readDraft(page, programmeId))?.values).toEqual(kept?.values);

            // Space is freed: the same form saves.
            await cdp.send('Storage.overrideQuotaForOrigin', { origin });
            await form.submit();
            await expectLearnerPage(page, "Cara D'Arcy");
            expect(await countRecords(page, 'learners')).toBe(1);
            expect(await readDraft(page, programmeId)).toBeNull();
          } finally {
            await cdp.send('Storage.overrideQuotaForOrigin', { origin }).catch(() => undefined);
            await cdp.detach().catch(() => undefined);
          }
        });
      },
      120_000 + QUOTA_CACHE_LIMIT_MS,
    );
  });
});

// --- The browser --------------------------------------------------------------------------------

async function withBrowser(test: (browser: LaunchedBrowser) => Promise<void>): Promise<void> {
  const browser = await launchBrowser();
  try {
    await test(browser);
  } finally {
    await browser.close();
  }
}

async function waitUntil(what: string, check: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function isFocused(locator: Locator): Promise<boolean> {
  return locator.evaluate((element) => element === document.activeElement);
}

// --- Setting up through the UI --------------------------------------------------------------------

/** Adds a venue and a programme meeting there, as a tutor would; returns the programme's id. */
async function setUpProgramme(page: Page, origin: string): Promise<string> {
  await page.goto(`${origin}/venues/new`);
  await waitForServiceWorkerControl(page);
  await page.getByLabel('Name of the venue', { exact: true }).fill('Bootle Library');
  await page.getByLabel('Postcode', { exact: true }).fill('L20 3NJ');
  await page.getByRole('button', { name: 'Save venue' }).click();
  await page.waitForURL(`${origin}/venues`);

  await page.goto(`${origin}/programmes/new`);
  await page.getByLabel('Title', { exact: true }).fill(PROGRAMME_TITLE);
  const choose = (group: string, option: string) =>
    page
      .getByRole('group', { name: group, exact: true })
      .getByRole('radio', { name: option, exact: true })
      .check();
  await choose('Type of programme', 'Tailored learning');
  await choose('Level', 'Entry');
  await page
    .getByLabel('Funding stream', { exact: true })
    .selectOption({ label: 'Adult Skills Fund tailored learning' });
  await page.getByLabel('Planned guided learning hours', { exact: true }).fill('12');
  await page
    .getByLabel('Default venue (optional)', { exact: true })
    .selectOption({ label: 'Bootle Library' });
  await choose('How is it delivered?', 'Face to face');
  await choose('Status', 'Open for enrolment');
  await page.getByRole('button', { name: 'Save programme' }).click();
  await page.waitForURL(/\/programmes\/(?!new$)[^/]+$/);
  const programmeId = new URL(page.url()).pathname.split('/').pop() ?? '';
  expect(programmeId).not.toBe('new');
  await page.getByRole('heading', { level: 1, name: PROGRAMME_TITLE }).waitFor();
  return programmeId;
}

// --- The form, found by role and label -------------------------------------------------------------

type EnrolmentFormPage = ReturnType<typeof enrolmentForm>;

function enrolmentForm(page: Page) {
  const group = (name: string) => page.getByRole('group', { name, exact: true });
  const dateOfBirthGroup = group('Date of birth');
  const employmentStatusGroup = group('Employment status');
  const consentMethodGroup = group('How did the learner give their answers?');
  const privacyNoticeShown = page.getByRole('checkbox', {
    name: 'I have shown the learner this privacy notice',
    exact: true,
  });
  return {
    givenNames: page.getByLabel('Given names', { exact: true }),
    familyName: page.getByLabel('Family name', { exact: true }),
    dateOfBirthGroup,
    dateOfBirth: (part: 'Day' | 'Month' | 'Year') => dateOfBirthGroup.getByLabel(part, { exact: true }),
    postcode: page.getByLabel('Postcode', { exact: true }),
    phone: page.getByLabel('Phone number (optional)', { exact: true }),
    email: page.getByLabel('Email address (optional)', { exact: true }),
    needsInterpreter: page.getByRole('checkbox', { name: 'The learner needs an interpreter', exact: true }),
    adjustments: page.getByLabel('Adjustments (optional)', { exact: true }),
    employmentStatusGroup,
    employmentStatus: (label: string) =>
      employmentStatusGroup.getByRole('radio', { name: label, exact: true }),
    privacyNoticeShown,
    consentMethodGroup,
    consentMethod: (label: string) => consentMethodGroup.getByRole('radio', { name: label, exact: true }),
    /** The form is on the page with its privacy notice (loaded from IndexedDB). */
    waitUntilReady: async () => {
      await page.getByRole('heading', { level: 1, name: `Enrol a learner on ${PROGRAMME_TITLE}` }).waitFor();
      await page.getByText('Show the learner this notice, or read it with them.').waitFor();
    },
    submit: () => page.getByRole('button', { name: 'Enrol learner', exact: true }).click(),
  };
}

async function openEnrolment(page: Page, origin: string, programmeId: string): Promise<EnrolmentFormPage> {
  await page.goto(`${origin}/programmes/${programmeId}/enrol`);
  const form = enrolmentForm(page);
  await form.waitUntilReady();
  return form;
}

/** Personal details with an apostrophe, a postcode, one tick and one radio: a draft worth keeping. */
async function typeHalfAnEnrolment(form: EnrolmentFormPage): Promise<void> {
  await form.givenNames.fill('Mary Anne');
  await form.familyName.fill("O'Brien");
  await form.dateOfBirth('Day').fill('5');
  await form.dateOfBirth('Month').fill('11');
  await form.dateOfBirth('Year').fill('1972');
  await form.postcode.fill('L20 3NJ');
  await form.needsInterpreter.check();
  await form.employmentStatus(LOOKING_FOR_WORK).check();
}

/** Text typed by typeHalfAnEnrolment that must not be readable in the stored draft. */
const HALF_AN_ENROLMENT_TYPED = ['Mary Anne', "O'Brien", 'L20 3NJ'];

async function expectHalfAnEnrolment(form: EnrolmentFormPage): Promise<void> {
  expect(await form.givenNames.inputValue()).toBe('Mary Anne');
  expect(await form.familyName.inputValue()).toBe("O'Brien");
  expect(await form.dateOfBirth('Day').inputValue()).toBe('5');
  expect(await form.dateOfBirth('Month').inputValue()).toBe('11');
  expect(await form.dateOfBirth('Year').inputValue()).toBe('1972');
  expect(await form.postcode.inputValue()).toBe('L20 3NJ');
  expect(await form.needsInterpreter.isChecked()).toBe(true);
  expect(await form.employmentStatus(LOOKING_FOR_WORK).isChecked()).toBe(true);
}

async function expectBlankForm(form: EnrolmentFormPage): Promise<void> {
  expect(await form.givenNames.inputValue()).toBe('');
  expect(await form.familyName.inputValue()).toBe('');
  expect(await form.dateOfBirth('Day').inputValue()).toBe('');
  expect(await form.dateOfBirth('Month').inputValue()).toBe('');
  expect(await form.dateOfBirth('Year').inputValue()).toBe('');
  expect(await form.postcode.inputValue()).toBe('');
  expect(await form.needsInterpreter.isChecked()).toBe(false);
  expect(await form.employmentStatus(LOOKING_FOR_WORK).isChecked()).toBe(false);
}

async function fillValidEnrolment(
  form: EnrolmentFormPage,
  person: { givenNames: string; familyName: string; postcode: string },
): Promise<void> {
  await form.givenNames.fill(person.givenNames);
  await form.familyName.fill(person.familyName);
  await form.dateOfBirth('Day').fill('27');
  await form.dateOfBirth('Month').fill('3');
  await form.dateOfBirth('Year').fill('1960');
  await form.postcode.fill(person.postcode);
  await form.employmentStatus(LOOKING_FOR_WORK).check();
  await form.privacyNoticeShown.check();
  await form.consentMethod(TOLD_ME_CONSENT).check();
}

async function expectLearnerPage(page: Page, name: string): Promise<void> {
  await page.waitForURL(/\/learners\/[^/]+$/);
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
}

/** Types one character at a time (each one a change the draft autosave sees) until `done`. */
async function typeUntil(field: Locator, text: string, done: () => Promise<boolean>): Promise<string> {
  const deadline = Date.now() + QUOTA_CACHE_LIMIT_MS + 15_000;
  let typed = await field.inputValue();
  for (let index = 0; !(await done()); index += 1) {
    if (Date.now() > deadline) throw new Error(`No draft save failed while typing "${typed}"`);
    await field.pressSequentially(text[index % text.length] ?? '.');
    typed = await field.inputValue();
    // Longer than the autosave's 400 ms wait, so every character is its own save.
    await new Promise((resolve) => setTimeout(resolve, 600));
  }
  return typed;
}

/** The inline message an element's aria-describedby points to, and whether it sits with the field. */
function inlineErrorOf(field: Locator): Promise<{ text: string; besideField: boolean }> {
  return field.evaluate((element) => {
    const ids = (element.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    const messages = ids
      .map((id) => document.getElementById(id))
      .filter((node): node is HTMLElement => node !== null && (node.textContent ?? '').includes('Error:'));
    const message = messages[0];
    if (messages.length !== 1 || !message)
      return { text: `${messages.length} error messages`, besideField: false };
    const container = message.parentElement;
    return {
      text: (message.textContent ?? '').replace(/\s+/g, ' ').trim(),
      besideField: container !== null && container.contains(element),
    };
  });
}

/** True when the summary's links point at fields that come one after another down the page. */
function linkTargetsAreInPageOrder(links: Locator): Promise<boolean> {
  return links.evaluateAll((anchors) => {
    const targets = anchors.map((anchor) =>
      document.getElementById((anchor.getAttribute('href') ?? '').replace(/^#/, '')),
    );
    for (let index = 1; index < targets.length; index += 1) {
      const before = targets[index - 1];
      const target = targets[index];
      if (!before || !target) return false;
      if (!(before.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)) return false;
    }
    return targets.every((target) => target !== null);
  });
}

/** A timestamp in the words the app uses for it, worked out in the browser's own time zone. */
function inWords(page: Page, timestamp: string): Promise<string> {
  return page.evaluate((at) => {
    const date = new Date(at);
    const month = date.toLocaleString('en-GB', { month: 'long' });
    const hours = date.getHours();
    const minutes = String(date.getMinutes()).padStart(2, '0');
    const time = `${hours % 12 || 12}:${minutes}${hours < 12 ? 'am' : 'pm'}`;
    return `${date.getDate()} ${month} ${date.getFullYear()} at ${time}`;
  }, timestamp);
}

// --- IndexedDB, read raw (no Dexie), as the app left it -------------------------------------------

/** A draft as stored: its values sealed (src/db/drafts.ts). */
type StoredDraft = { id: string; values: string; savedAt: string };

function readDraft(page: Page, programmeId: string): Promise<StoredDraft | null> {
  return page.evaluate(
    ({ database, id }) =>
      new Promise<StoredDraft | null>((resolve, reject) => {
        const open = indexedDB.open(database);
        // Never create the app's database: if it is not there yet, there is no draft.
        open.onupgradeneeded = () => open.transaction?.abort();
        open.onerror = () => (open.error?.name === 'AbortError' ? resolve(null) : reject(open.error));
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('drafts')) {
            db.close();
            resolve(null);
            return;
          }
          const request = db.transaction('drafts', 'readonly').objectStore('drafts').get(id);
          request.onsuccess = () => {
            db.close();
            resolve((request.result as StoredDraft | undefined) ?? null);
          };
          request.onerror = () => {
            db.close();
            reject(request.error);
          };
        };
      }),
    { database: DATABASE, id: `enrolment:${programmeId}` },
  );
}

function countRecords(page: Page, store: string): Promise<number> {
  return page.evaluate(
    ({ database, store }) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(database);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction(store, 'readonly').objectStore(store).count();
          request.onsuccess = () => {
            db.close();
            resolve(request.result);
          };
          request.onerror = () => {
            db.close();
            reject(request.error);
          };
        };
      }),
    { database: DATABASE, store },
  );
}

/** A draft is sealed at rest: none of what was typed is readable in IndexedDB. */
function expectSealed(draft: StoredDraft, typed: readonly string[]): void {
  expect(draft.values).toMatch(/^v2\./);
  for (const text of typed) expect(draft.values).not.toContain(text);
}

/** How long a draft's save time must stay the same to count as the save after the last keystroke. */
const DRAFT_SETTLED_MS = 1500;

/**
 * Waits until the draft in IndexedDB is the one saved after typing ended (autosave runs shortly after
 * each change, so its save time stops moving), and checks that it is sealed.
 */
async function waitForDraft(page: Page, programmeId: string, typed: readonly string[]): Promise<StoredDraft> {
  const found: { draft: StoredDraft | null; since: number } = { draft: null, since: Date.now() };
  await waitUntil('the draft is saved', async () => {
    const draft = await readDraft(page, programmeId);
    if (draft?.savedAt !== found.draft?.savedAt) {
      found.draft = draft;
      found.since = Date.now();
    }
    return found.draft !== null && Date.now() - found.since >= DRAFT_SETTLED_MS;
  });
  if (!found.draft) throw new Error('unreachable: the draft was saved');
  expectSealed(found.draft, typed);
  return found.draft;
}
