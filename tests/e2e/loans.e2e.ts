// Loaned devices end to end on the production build: a tablet offline adds a device, lends it under
// the loan agreement, is refused a second loan, a return dated before the loan and a loan of an unwiped
// device, and keeps it all over a reload; then two tablets lend one device offline, and after sync a
// coordinator sees both loans flagged "Lent twice" and settles it for both. Needs a production build
// (E2E_DIST, or dist).
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { datePartsFromIso, formatDate } from '../../src/domain/dates';
import { addDays } from '../../src/domain/journey';
import {
  createProgramme,
  createVenue,
  dateAsTyped,
  enrolLearner,
  fillDate,
  fullName,
  heading,
  openFromNav,
  openLearner,
  radio,
  setUpOrganisation,
  signIn,
  statusMessage,
  syncNowAndWait,
  waitForUpToDate,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  MULTI_TABLET_TEST_TIMEOUT_MS,
  POLL,
  STEP_TIMEOUT_MS,
  TEST_TIMEOUT_MS,
  expectAccessible,
  goOffline,
  launchTablet,
  useRestartableServer,
  useServerAndTablets,
} from '../helpers/browser';
import { errorSummaryLinks, tabletToday } from '../helpers/journeyActions';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

const LEARNER_A = fullName(GRACE);
const LEARNER_B = fullName(KWAME);

type Device = { assetTag: string; type: string; makeModel: string; source: string; condition: string };
const TABLET_TO_LEND: Device = {
  assetTag: 'LD-0042',
  type: 'Tablet',
  makeModel: 'Lenovo Tab M10',
  source: 'Council stock',
  condition: 'Good',
};
const SHARED_LAPTOP: Device = {
  assetTag: 'LD-0099',
  type: 'Laptop',
  makeModel: 'Acer Aspire 3',
  source: 'National Device Bank',
  condition: 'Fair: marks or wear',
};
/** How a device is named where it is chosen: tag, type, make and model. */
const choiceName = (device: Device) => `${device.assetTag}, ${device.type}, ${device.makeModel}`;

function section(page: Page, name: string): Locator {
  return page.getByRole('region', { name, exact: true });
}

/** Loans → "Add a device" → "Save device"; back on Loans with the saved message. */
async function addDevice(page: Page, device: Device): Promise<void> {
  await openFromNav(page, 'Loans');
  await page.getByRole('link', { name: 'Add a device', exact: true }).click();
  await heading(page, 'Add a device').waitFor();
  await fillDevice(page, device);
  await page.getByRole('button', { name: 'Save device', exact: true }).click();
  await heading(page, 'Loans').waitFor();
  await statusMessage(page, `Device ${device.assetTag} has been saved.`).waitFor();
}

async function fillDevice(page: Page, device: Device): Promise<void> {
  await page.getByLabel('Asset tag', { exact: true }).fill(device.assetTag);
  await radio(page, 'Type of device', device.type).check();
  await page.getByLabel('Make and model (optional)', { exact: true }).fill(device.makeModel);
  await radio(page, 'Where did the device come from?', device.source).check();
  await radio(page, 'Condition', device.condition).check();
}

type Lending = { device: Device; issuedOn: string; dueBack: string; sim?: string };

/** From the learner's record: "Lend a device" → the lend form, waiting for its heading. */
async function openLendForm(page: Page, learner: string): Promise<void> {
  await openLearner(page, learner);
  await page.getByRole('link', { name: 'Lend a device', exact: true }).click();
  await heading(page, `Lend a device to ${learner}`).waitFor();
}

/** The learner → "Lend a device" → the device, dates and agreement → "Lend device"; back on the record. */
async function lend(page: Page, learner: string, lending: Lending): Promise<void> {
  await openLendForm(page, learner);
  // The radio's name is the device then its condition (the option's hint).
  await page
    .getByRole('group', { name: 'Which device?', exact: true })
    .getByRole('radio', { name: choiceName(lending.device) })
    .check();
  if (lending.sim)
    await page.getByLabel('SIM card (optional)', { exact: true }).selectOption({ label: lending.sim });
  await fillDate(page, 'Date lent', lending.issuedOn);
  await fillDate(page, 'Due back', lending.dueBack);
  await page
    .getByRole('checkbox', {
      name: 'The learner has read or been read the loan terms and agrees to them',
      exact: true,
    })
    .check();
  await radio(page, 'How did the learner agree?', 'The learner signed a paper form').check();
  await page.getByRole('button', { name: 'Lend device', exact: true }).click();
  await heading(page, learner).waitFor();
  await statusMessage(
    page,
    `Device ${lending.device.assetTag} is lent to ${learner}, due back ${formatDate(lending.dueBack)}.`,
  ).waitFor();
}

/** The reason the lend form gives for a device it does not offer. */
function unavailableReason(page: Page, device: Device): Locator {
  return page
    .getByRole('listitem')
    .filter({ hasText: choiceName(device) })
    .locator('.meta');
}

const lentTwice = (page: Page) => section(page, 'Lent twice — check');

describe('lending a device on one tablet, offline', () => {
  const server = useRestartableServer('loans');
  const browsers: LaunchedBrowser[] = [];
  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
  });

  it(
    'adds a device, lends it under the agreement, refuses what cannot be, and keeps it all over a reload',
    async () => {
      const tablet = await launchTablet(server.url());
      browsers.push(tablet);
      const { page, context } = tablet;
      await goOffline(context, server.current());
      const today = await tabletToday(page);

      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, GETTING_ONLINE);
      await enrolLearner(page, GETTING_ONLINE.title, GRACE);
      await enrolLearner(page, GETTING_ONLINE.title, KWAME);

      // The register of devices: an empty form is refused field by field, then a device is added.
      await openFromNav(page, 'Loans');
      await expectAccessible(page);
      await page.getByRole('link', { name: 'Add a device', exact: true }).click();
      await heading(page, 'Add a device').waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Save device', exact: true }).click();
      expect(await errorSummaryLinks(page)).toEqual([
        'Enter the asset tag on the device’s label',
        'Select the type of device',
        'Select where the device came from',
        'Select the condition the device is in',
      ]);
      await expectAccessible(page);
      await fillDevice(page, TABLET_TO_LEND);
      await page.getByRole('button', { name: 'Save device', exact: true }).click();
      await heading(page, 'Loans').waitFor();
      await statusMessage(page, `Device ${TABLET_TO_LEND.assetTag} has been saved.`).waitFor();

      // A second device with the same tag is refused beside the tag, with nothing typed lost.
      await page.getByRole('link', { name: 'Add a device', exact: true }).click();
      await heading(page, 'Add a device').waitFor();
      await fillDevice(page, { ...TABLET_TO_LEND, makeModel: 'Samsung Galaxy Tab A' });
      await page.getByRole('button', { name: 'Save device', exact: true }).click();
      expect(await errorSummaryLinks(page)).toEqual([
        `Another device already has asset tag ${TABLET_TO_LEND.assetTag}.`,
      ]);
      await page
        .getByRole('link', { name: `Another device already has asset tag ${TABLET_TO_LEND.assetTag}.` })
        .click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('assetTag');
      expect(await page.getByLabel('Make and model (optional)', { exact: true }).inputValue()).toBe(
        'Samsung Galaxy Tab A',
      );
      await page.getByRole('link', { name: 'Cancel', exact: true }).click();
      await heading(page, 'Loans').waitFor();

      // A SIM card to lend with it.
      await page.getByRole('link', { name: 'Add a SIM card', exact: true }).click();
      await heading(page, 'Add a SIM card').waitFor();
      await expectAccessible(page);
      await page.getByLabel('Network or provider', { exact: true }).fill('Vodafone');
      await page.getByLabel('Reference', { exact: true }).fill('07700 900555');
      await page.getByLabel('Data allowance (optional)', { exact: true }).fill('20GB a month');
      await page.getByRole('button', { name: 'Save SIM card', exact: true }).click();
      await statusMessage(page, 'SIM card 07700 900555 has been saved.').waitFor();

      // Lending: the agreement is never ticked for the tutor, and is required.
      await openLendForm(page, LEARNER_A);
      await expectAccessible(page);
      const agreement = page.getByRole('checkbox', {
        name: 'The learner has read or been read the loan terms and agrees to them',
        exact: true,
      });
      expect(await agreement.isChecked()).toBe(false);
      await page.getByText('The device is lent to you, not given.', { exact: false }).waitFor();
      expect(await dateAsTyped(page, 'Date lent')).toEqual(datePartsFromIso(today));
      await page.getByRole('button', { name: 'Lend device', exact: true }).click();
      expect(await errorSummaryLinks(page)).toEqual([
        'Select the device to lend',
        'Enter the date the device is due back',
        'Confirm the learner agrees to the loan terms',
        'Select how the learner agreed to the loan terms',
      ]);
      await expectAccessible(page);

      // Lent a month ago and due back ten days ago: overdue.
      const issuedOn = addDays(today, -30);
      const dueBack = addDays(today, -10);
      await lend(page, LEARNER_A, {
        device: TABLET_TO_LEND,
        issuedOn,
        dueBack,
        sim: '07700 900555, Vodafone, 20GB a month',
      });
      const loansOnRecord = page.getByRole('region', { name: 'Device loans', exact: true });
      await loansOnRecord.getByText('On loan: 10 days overdue', { exact: true }).waitFor();
      await expectAccessible(page);

      await openFromNav(page, 'Loans');
      const overdue = section(page, 'Overdue').getByRole('listitem');
      await expect.poll(() => overdue.allInnerTexts(), POLL).toEqual([expect.stringContaining(LEARNER_A)]);
      expect(await overdue.innerText()).toContain(
        `Device ${TABLET_TO_LEND.assetTag}, due back ${formatDate(dueBack)}: 10 days overdue`,
      );

      // The device is not offered to another learner while it is out.
      await openLendForm(page, LEARNER_B);
      await unavailableReason(page, TABLET_TO_LEND).waitFor();
      expect(await unavailableReason(page, TABLET_TO_LEND).innerText()).toBe(
        `Device ${TABLET_TO_LEND.assetTag} is already on loan. Record its return before lending it again.`,
      );
      expect(await page.getByRole('radio', { name: choiceName(TABLET_TO_LEND) }).count()).toBe(0);

      // A return dated before the loan is refused beside the date; what was typed stays.
      await openFromNav(page, 'Loans');
      await section(page, 'Overdue')
        .getByRole('link', { name: `Record return of ${TABLET_TO_LEND.assetTag}`, exact: true })
        .click();
      await heading(page, `Record the return of ${TABLET_TO_LEND.assetTag}`).waitFor();
      await expectAccessible(page);
      await radio(page, 'What happened to the device?', 'Returned').check();
      const dayBeforeLoan = addDays(issuedOn, -1);
      await fillDate(page, 'Return date', dayBeforeLoan);
      await radio(page, 'What condition is it in?', 'Good').check();
      await page.getByLabel('Notes about the device (optional)', { exact: true }).fill('Charger missing');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const beforeLoan = `The return date cannot be before the device was lent, on ${formatDate(issuedOn)}`;
      expect(await errorSummaryLinks(page)).toEqual([beforeLoan]);
      await page.getByRole('link', { name: beforeLoan }).click();
      await expect.poll(() => page.evaluate(() => document.activeElement?.id), POLL).toBe('returnedOn-day');
      expect(await dateAsTyped(page, 'Return date')).toEqual(datePartsFromIso(dayBeforeLoan));
      expect(await radio(page, 'What condition is it in?', 'Good').isChecked()).toBe(true);
      expect(await page.getByLabel('Notes about the device (optional)', { exact: true }).inputValue()).toBe(
        'Charger missing',
      );
      await expectAccessible(page);

      // Returned today, but not wiped: it cannot be lent again until the wipe is recorded.
      await fillDate(page, 'Return date', today);
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await heading(page, LEARNER_A).waitFor();
      await statusMessage(
        page,
        `The loan of ${TABLET_TO_LEND.assetTag} is closed: returned. Wipe the device and record that on Loans before lending it again.`,
      ).waitFor();
      await loansOnRecord.getByText(`Returned on ${formatDate(today)}`, { exact: true }).waitFor();

      await openLendForm(page, LEARNER_B);
      expect(await unavailableReason(page, TABLET_TO_LEND).innerText()).toBe(
        `Device ${TABLET_TO_LEND.assetTag} has not been wiped since its last loan. Wipe it and record that first.`,
      );
      expect(await page.getByRole('radio', { name: choiceName(TABLET_TO_LEND) }).count()).toBe(0);

      await openFromNav(page, 'Loans');
      await page
        .getByRole('button', { name: `Record wipe of ${TABLET_TO_LEND.assetTag}`, exact: true })
        .click();
      await statusMessage(page, `${TABLET_TO_LEND.assetTag} is recorded as wiped today.`).waitFor();
      const deviceRow = section(page, 'Devices')
        .getByRole('row')
        .filter({ hasText: TABLET_TO_LEND.assetTag });
      await expect
        .poll(async () => (await deviceRow.getByRole('cell').allInnerTexts()).slice(1), POLL)
        .toEqual(['Tablet', TABLET_TO_LEND.makeModel, 'In stock', 'Good', formatDate(today)]);
      expect(await section(page, 'Overdue').innerText()).toContain('No device is overdue.');

      // Wiped: it can go to the second learner.
      const dueForB = addDays(today, 28);
      await lend(page, LEARNER_B, { device: TABLET_TO_LEND, issuedOn: today, dueBack: dueForB });

      // Everything is still there after a reload (offline, served by the service worker).
      await page.reload();
      await heading(page, LEARNER_B).waitFor();
      await page
        .getByRole('region', { name: 'Device loans', exact: true })
        .getByText('On loan', { exact: true })
        .waitFor();
      await openFromNav(page, 'Loans');
      const onLoan = section(page, 'On loan').getByRole('row');
      await expect.poll(() => onLoan.allInnerTexts(), POLL).toHaveLength(2);
      expect((await onLoan.nth(1).getByRole('cell').allInnerTexts()).slice(0, 4)).toEqual([
        LEARNER_B,
        TABLET_TO_LEND.assetTag,
        formatDate(today),
        formatDate(dueForB),
      ]);
      expect(await section(page, 'SIM cards').innerText()).toContain('07700 900555');
      expect(await lentTwice(page).count()).toBe(0);
      await openLearner(page, LEARNER_A);
      const rowsOfA = page.getByRole('region', { name: 'Device loans', exact: true }).getByRole('row');
      // The record lists the loans once they have loaded from IndexedDB.
      await expect
        .poll(() => rowsOfA.nth(1).getByRole('cell').allInnerTexts(), POLL)
        .toEqual([
          TABLET_TO_LEND.assetTag,
          formatDate(issuedOn),
          formatDate(dueBack),
          `Returned on ${formatDate(today)}`,
        ]);
    },
    TEST_TIMEOUT_MS,
  );
});

describe('one device lent by two tablets offline', () => {
  const tablets = useServerAndTablets(STEP_TIMEOUT_MS);

  /** Each tablet's Loans page: the learners in the "Lent twice" section (none when there is no flag). */
  async function learnersFlagged(page: Page): Promise<string[]> {
    await openFromNav(page, 'Loans');
    if ((await lentTwice(page).count()) === 0) return [];
    return lentTwice(page).getByRole('listitem').getByRole('link').allInnerTexts();
  }

  async function bothOnline(contexts: BrowserContext[]): Promise<void> {
    for (const context of contexts) await context.setOffline(false);
  }

  it(
    'keeps both loans, flags them for the coordinator, and a cancelled one clears the flag on both after sync',
    async () => {
      const first = await tablets.launchTablet();
      const a = first.page;
      await setUpOrganisation(a, COORDINATOR);
      await createVenue(a, BOOTLE_HUB);
      await createProgramme(a, GETTING_ONLINE);
      await enrolLearner(a, GETTING_ONLINE.title, GRACE);
      await enrolLearner(a, GETTING_ONLINE.title, KWAME);
      await addDevice(a, SHARED_LAPTOP);
      await syncNowAndWait(a);

      const second = await tablets.launchTablet();
      const b = second.page;
      await signIn(b, COORDINATOR);
      await waitForUpToDate(b);
      await openFromNav(b, 'Loans');
      await section(b, 'Devices')
        .getByRole('link', { name: `${SHARED_LAPTOP.assetTag} (change details)` })
        .waitFor();

      // Offline (the server stays up): each tablet lends the laptop to a different learner.
      await first.context.setOffline(true);
      await second.context.setOffline(true);
      const today = await tabletToday(a);
      const dueBack = addDays(today, 28);
      await lend(a, LEARNER_A, { device: SHARED_LAPTOP, issuedOn: today, dueBack });
      await lend(b, LEARNER_B, { device: SHARED_LAPTOP, issuedOn: today, dueBack });
      expect(await learnersFlagged(a)).toEqual([]);

      // Back online, each syncs twice so both hold both loans.
      await bothOnline([first.context, second.context]);
      await syncNowAndWait(a);
      await syncNowAndWait(b);
      await syncNowAndWait(a);
      await syncNowAndWait(b);

      for (const page of [a, b]) {
        await expect
          .poll(() => learnersFlagged(page), POLL)
          .toEqual(expect.arrayContaining([LEARNER_A, LEARNER_B]));
        expect(await learnersFlagged(page)).toHaveLength(2);
        // Nothing dropped: both loans are on loan.
        const onLoan = await section(page, 'On loan').getByRole('row').allInnerTexts();
        expect(onLoan).toHaveLength(3);
      }
      await openFromNav(a, 'Loans');
      expect(await lentTwice(a).innerText()).toContain(
        'Two tablets lent this device while offline. Both loans are kept. Find out who has it and cancel the loan recorded in error.',
      );
      await expectAccessible(a);

      // The coordinator cancels the loan recorded in error.
      await lentTwice(a)
        .getByRole('button', { name: `Cancel this loan to ${LEARNER_B}`, exact: true })
        .click();
      const confirm = a.getByRole('group', { name: `Cancel the loan to ${LEARNER_B}`, exact: true });
      await expectAccessible(a);
      await confirm.getByRole('button', { name: 'Yes, cancel this loan', exact: true }).click();
      await statusMessage(
        a,
        `The loan of ${SHARED_LAPTOP.assetTag} to ${LEARNER_B} has been cancelled.`,
      ).waitFor();
      expect(await learnersFlagged(a)).toEqual([]);

      await syncNowAndWait(a);
      await syncNowAndWait(b);
      for (const page of [a, b]) {
        await expect.poll(() => learnersFlagged(page), POLL).toEqual([]);
        const onLoan = section(page, 'On loan').getByRole('row');
        await expect.poll(() => onLoan.allInnerTexts(), POLL).toHaveLength(2);
        expect(await onLoan.nth(1).innerText()).toContain(LEARNER_A);
      }
      await openLearner(b, LEARNER_B);
      await b
        .getByRole('region', { name: 'Device loans', exact: true })
        .getByText('No device lent to this learner on this tablet.')
        .waitFor();
    },
    MULTI_TABLET_TEST_TIMEOUT_MS,
  );
});
