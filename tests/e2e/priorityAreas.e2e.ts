// Priority areas, against the real server and the production build: a coordinator enrols a learner,
// then sets districts and sectors (a bad entry is refused and named, nothing typed is lost, offline
// too), imports a CSV of postcodes with deciles (a bad line refused with its line number, nothing
// changed), imports the corrected file, and the summary shows what is set and the learner decided.
// Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  createProgramme,
  createVenue,
  enrolLearner,
  heading,
  setUpOrganisation,
  statusMessage,
  summaryValue,
  syncNowAndWait,
  unlockWithPin,
} from '../helpers/appActions';
import { type LaunchedBrowser, expectAccessible, useServerAndTablets } from '../helpers/browser';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE } from '../fixtures/e2eRecords';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;

const AREAS_LABEL = 'Districts and sectors that are priority areas';
const FILE_LABEL = 'CSV file of postcodes';
const EDITION_GROUP = 'Which edition of the English Indices of Deprivation are the deciles from?';

const csvFile = (lines: string[]) => ({
  name: 'sefton-deciles.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(lines.join('\r\n'), 'utf8'),
});

const BAD_CSV = [
  'Postcode,Area name,IMD decile',
  'L21 8HB,Seaforth,1',
  'L30 6TZ,Netherton,2',
  'XX1,Netherton,2',
  'PR8 4AB,Birkdale,9',
];
const GOOD_CSV = BAD_CSV.map((line) => (line.startsWith('XX1') ? 'L30 6UA,Netherton,2' : line));

/** Main navigation → Dashboard → "Priority areas" under the coordinator tools. */
async function openPriorityAreas(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Dashboard', exact: true })
    .click();
  await heading(page, 'Dashboard').waitFor();
  await page.getByRole('link', { name: 'Priority areas', exact: true }).click();
  await heading(page, 'Priority areas').waitFor();
  await page.getByRole('heading', { level: 2, name: 'What is set now', exact: true }).waitFor();
}

const errorSummary = (page: Page) => page.locator('.error-summary');

describe('priority areas: a coordinator sets districts and imports postcodes with deciles', () => {
  const servedTablets = useServerAndTablets(STEP_TIMEOUT_MS);
  let tablet: LaunchedBrowser | undefined;

  it(
    'refuses a bad district without losing the rest, refuses a bad CSV line by number, and shows what is set',
    async () => {
      tablet = await servedTablets.launchTablet();
      const page = tablet.page;
      await setUpOrganisation(page, COORDINATOR);
      // A learner enrolled before any priority area exists: decided once the areas are saved.
      await createVenue(page, BOOTLE_HUB);
      await createProgramme(page, GETTING_ONLINE);
      await enrolLearner(page, GETTING_ONLINE.title, GRACE);
      await syncNowAndWait(page);

      await openPriorityAreas(page);
      expect((await summaryValue(page, 'Districts and sectors').innerText()).trim()).toBe('None listed');
      expect((await summaryValue(page, 'Imported postcodes').innerText()).trim()).toBe('None imported');
      expect(await summaryValue(page, 'Learners').innerText()).toContain(
        '0 learners in a priority area, 0 not in one, 1 not known.',
      );

      // A bad entry among good ones: refused, named, and everything typed stays.
      const areas = page.getByLabel(AREAS_LABEL, { exact: true });
      const typed = 'l21\nL2O\npr8 4';
      await areas.fill(typed);
      await page
        .getByLabel('Deprivation deciles that count as priority', { exact: true })
        .selectOption({ label: 'Deciles 1 to 3 (the most deprived 30% of neighbourhoods)' });
      await page.getByRole('button', { name: 'Save priority areas', exact: true }).click();
      const badEntry = errorSummary(page).getByRole('link', {
        name: '"L2O" is not a postcode district or sector: did you mean L20?',
        exact: true,
      });
      await badEntry.waitFor();
      expect(await page.title()).toMatch(/^Error: Priority areas/);
      expect(await areas.inputValue()).toBe(typed);
      expect(await areas.getAttribute('aria-invalid')).toBe('true');
      await expectAccessible(page);
      // The summary's link takes the coordinator to the list.
      await badEntry.click();
      expect(await areas.evaluate((element) => element === document.activeElement)).toBe(true);
      expect((await summaryValue(page, 'Districts and sectors').innerText()).trim()).toBe('None listed');

      // Offline the page says it needs a connection, and keeps what was typed.
      await tablet.context.setOffline(true);
      await page.getByRole('heading', { level: 2, name: 'You are offline', exact: true }).waitFor();
      const corrected = 'l21\nL20 3\npr8 4';
      await areas.fill(corrected);
      await page.getByRole('button', { name: 'Save priority areas', exact: true }).click();
      await page
        .getByRole('alert')
        .filter({ hasText: 'Priority areas not saved' })
        .filter({ hasText: 'There is no connection to the server.' })
        .waitFor();
      expect(await areas.inputValue()).toBe(corrected);
      await tablet.context.setOffline(false);
      await page
        .getByRole('heading', { level: 2, name: 'You are offline', exact: true })
        .waitFor({ state: 'detached' });

      await page.getByRole('button', { name: 'Save priority areas', exact: true }).click();
      await statusMessage(
        page,
        'Priority areas saved: L21, L20 3, PR8 4. 1 learner with no priority-area flag yet was given one.',
      ).waitFor();
      expect(await errorSummary(page).count()).toBe(0);
      expect(await areas.inputValue()).toBe('L21\nL20 3\nPR8 4');
      expect(await summaryValue(page, 'Districts and sectors').innerText()).toContain('L21, L20 3, PR8 4');
      expect((await summaryValue(page, 'Deciles that count').innerText()).trim()).toBe(
        'Deciles 1 to 3 (the most deprived 30% of neighbourhoods)',
      );
      // Grace lives in L21 8HB: in the district L21.
      expect(await summaryValue(page, 'Learners').innerText()).toContain(
        '1 learner in a priority area, 0 not in one, 0 not known.',
      );

      // A file with a bad line: refused whole, the line named, nothing imported.
      await page
        .getByRole('group', { name: EDITION_GROUP, exact: true })
        .getByRole('radio', { name: '2019', exact: true })
        .check();
      const file = page.getByLabel(FILE_LABEL, { exact: true });
      await file.setInputFiles(csvFile(BAD_CSV));
      await page.getByRole('button', { name: 'Import postcodes', exact: true }).click();
      const badLine = errorSummary(page).getByRole('link', {
        name: 'Line 4: "XX1" is not a valid postcode',
        exact: true,
      });
      await badLine.waitFor();
      await page
        .getByText(
          'The file was not imported, and nothing was changed. Correct these lines, then choose the file again:',
        )
        .waitFor();
      expect(await page.title()).toMatch(/^Error: Priority areas/);
      expect((await summaryValue(page, 'Imported postcodes').innerText()).trim()).toBe('None imported');
      await expectAccessible(page);

      // The corrected file is imported, and the summary shows it.
      await file.setInputFiles(csvFile(GOOD_CSV));
      await page.getByRole('button', { name: 'Import postcodes', exact: true }).click();
      await statusMessage(page, 'Imported 4 postcodes in 3 areas.').waitFor();
      expect(await errorSummary(page).count()).toBe(0);
      expect(await page.title()).toMatch(/^Priority areas/);
      const imported = await summaryValue(page, 'Imported postcodes').innerText();
      expect(imported).toContain('4 postcodes in 3 areas; 3 postcodes are in the deciles that count.');
      expect(imported).toContain('Deciles from the English Indices of Deprivation 2019.');
      expect(imported).toContain(`by ${COORDINATOR.name}`);
      const areaRows = page
        .getByRole('table', { name: 'Imported areas, most deprived first' })
        .getByRole('row');
      expect(await areaRows.allInnerTexts()).toEqual([
        expect.stringMatching(/^Area\s+Postcodes\s+Most deprived decile$/),
        expect.stringMatching(/^Seaforth\s+1\s+1$/),
        expect.stringMatching(/^Netherton\s+2\s+2$/),
        expect.stringMatching(/^Birkdale\s+1\s+9$/),
      ]);
      // Grace keeps the answer decided when the areas were saved.
      expect(await summaryValue(page, 'Learners').innerText()).toContain('1 learner in a priority area');
      await expectAccessible(page);

      // What was saved is what the server holds: after a reload (and the PIN) the page shows it again.
      await page.reload();
      await unlockWithPin(page);
      await heading(page, 'Priority areas').waitFor();
      await summaryValue(page, 'Imported postcodes')
        .getByText('4 postcodes in 3 areas', { exact: false })
        .waitFor();
      expect(await summaryValue(page, 'Districts and sectors').innerText()).toContain('L21, L20 3, PR8 4');
      expect(await page.getByLabel(AREAS_LABEL, { exact: true }).inputValue()).toBe('L21\nL20 3\nPR8 4');
    },
    TEST_TIMEOUT_MS,
  );
});
