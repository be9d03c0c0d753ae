// The coordinator's dashboard against the real server and the production build: a coordinator runs a
// session (two walk-ins present, one learner absent), syncs, and reads the organisation's figures
// from the server; each chart switches to a table of the same numbers. With the server stopped and
// the tablet offline, the dashboard counts the tablet's own records and says so. A custom period
// with an impossible date is refused beside the field, with what was typed kept.
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type LearnerDetails,
  addWalkIn,
  createProgramme,
  createVenue,
  enrolLearner,
  heading,
  markButton,
  openFromNav,
  openRegisterFromToday,
  planSession,
  setUpOrganisation,
  syncNowAndWait,
} from '../helpers/appActions';
import {
  type LaunchedBrowser,
  expectAccessible,
  launchTablet,
  useRestartableServer,
} from '../helpers/browser';
import { BOOTLE_HUB, COORDINATOR, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;

/** Twenty this year or next: in the 16 to 24 band whatever the day. */
const ELLA: LearnerDetails = {
  givenNames: 'Ella',
  familyName: 'Brennan',
  dateOfBirth: { day: '1', month: '1', year: String(new Date().getFullYear() - 20) },
  postcode: 'L20 4AB',
  employmentStatus: 'In paid employment',
  consentMethod: 'The learner told me and I recorded it',
  sex: 'Female',
};

/** A headline figure's value, by its term. */
function headline(page: Page, term: string): Locator {
  return page
    .locator('.headline-figures dt', { hasText: new RegExp(`^${term}$`) })
    .locator('xpath=following-sibling::dd[1]')
    .locator('.headline-figures__value');
}

function figure(page: Page, title: string): Locator {
  return page.getByRole('region', { name: title, exact: true });
}

/** The numbers of a figure's table, row label → count, read from the table whatever the view. */
async function tableOf(section: Locator): Promise<Record<string, string>> {
  const rows = section.locator('tbody tr');
  const result: Record<string, string> = {};
  for (let index = 0; index < (await rows.count()); index += 1) {
    const row = rows.nth(index);
    result[(await row.locator('th').textContent()) ?? ''] =
      (await row.locator('td').first().textContent()) ?? '';
  }
  return result;
}

async function openDashboard(page: Page): Promise<void> {
  await page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Dashboard', exact: true })
    .click();
  await heading(page, 'Dashboard').waitFor();
  await page.locator('.headline-figures').waitFor();
}

describe('the coordinator dashboard', () => {
  const server = useRestartableServer('dashboard');
  let tablet: LaunchedBrowser | undefined;

  afterAll(async () => {
    await tablet?.close();
  });

  const page = () => {
    if (!tablet) throw new Error('An earlier step failed');
    return tablet.page;
  };

  it(
    'shows the organisation’s figures from the server after a session is run and synced',
    async () => {
      tablet = await launchTablet(server.url(), STEP_TIMEOUT_MS);
      const c = tablet.page;
      await setUpOrganisation(c, COORDINATOR);
      await createVenue(c, BOOTLE_HUB);
      await createProgramme(c, GETTING_ONLINE);
      await planSession(c, {
        programme: GETTING_ONLINE.title,
        startTime: '10:00',
        endTime: '12:00',
        tutors: COORDINATOR.name,
      });
      await enrolLearner(c, GETTING_ONLINE.title, KWAME);
      await openRegisterFromToday(c, GETTING_ONLINE.title);
      await addWalkIn(c, GETTING_ONLINE.title, GRACE);
      await addWalkIn(c, GETTING_ONLINE.title, ELLA);
      const absent = markButton(c, 'Absent', `${KWAME.givenNames} ${KWAME.familyName}`);
      await absent.click();
      await expect.poll(() => absent.getAttribute('aria-pressed')).toBe('true');
      await syncNowAndWait(c);

      await openDashboard(c);
      await c
        .getByText(`Figures for the whole of ${COORDINATOR.organisationName}, from the server.`)
        .waitFor();
      expect(await headline(c, 'Learners supported').textContent()).toBe('3');
      expect(await headline(c, 'New learners').textContent()).toBe('3');
      expect(await headline(c, 'Aged 16 to 24').textContent()).toBe('1');
      expect(await headline(c, 'Aged 50 and over').textContent()).toBe('2');
      expect(await headline(c, 'Sessions delivered').textContent()).toBe('1');
      // Two present of three expected; two hours each for the two present.
      expect(await headline(c, 'Attendance rate').textContent()).toBe('66.7%');
      expect(await headline(c, 'Guided learning hours').textContent()).toBe('4');

      const ages = figure(c, 'Age band');
      expect(await tableOf(ages)).toMatchObject({
        '16 to 24': '1',
        '50 to 64': '1',
        '65 and over': '1',
        '25 to 34': '0',
      });
      expect(await tableOf(figure(c, 'Sex'))).toMatchObject({ Female: '1' });
      expect(await tableOf(figure(c, 'Venue'))).toMatchObject({ [BOOTLE_HUB.name]: '2' });
      // The chart is drawn (an SVG) and hidden from screen readers, who get the table.
      await ages.locator('.figure__chart svg[aria-hidden="true"]').waitFor();
      await expectAccessible(c);

      // The summary return leaves the app: a CSV Excel opens (byte-order mark), small counts suppressed.
      const [download] = await Promise.all([
        c.waitForEvent('download'),
        c.getByRole('button', { name: 'Export summary return (CSV)', exact: true }).click(),
      ]);
      const file = readFileSync(await download.path(), 'utf8');
      expect(file.startsWith('\uFEFF')).toBe(true);
      const rows = parse(file, { bom: true }) as string[][];
      expect(rows).toContainEqual(['Headline figures', 'Learners supported', '<5']);
      expect(rows).toContainEqual(['Headline figures', 'Learners aged 50 and over', '<5']);
      expect(rows).toContainEqual(['Headline figures', 'Guided learning hours', '4']);
      await c
        .getByRole('status')
        .filter({ hasText: /^Summary return saved as .+\.csv\.$/ })
        .waitFor();
      // The export is recorded, with who took it.
      await c
        .getByRole('table', { name: 'Exports taken, newest first' })
        .getByRole('row', { name: new RegExp(`^Summary return .*${COORDINATOR.name}`) })
        .waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'switches a chart to a table of the same numbers and back',
    async () => {
      const c = page();
      const ages = figure(c, 'Age band');
      const table = ages.getByRole('table');
      await ages.getByRole('button', { name: 'Table', exact: true }).click();
      expect(
        await ages.getByRole('button', { name: 'Table', exact: true }).getAttribute('aria-pressed'),
      ).toBe('true');
      expect(await ages.locator('svg').count()).toBe(0);
      expect(await table.isVisible()).toBe(true);
      expect(
        await table
          .getByRole('row', { name: /16 to 24/ })
          .getByRole('cell')
          .first()
          .textContent(),
      ).toBe('1');
      await expectAccessible(c);
      await ages.getByRole('button', { name: 'Chart', exact: true }).click();
      await ages.locator('.figure__chart svg').waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'offline, counts the tablet’s own records and says so',
    async () => {
      const c = page();
      await server.current().stop();
      await tablet?.context.setOffline(true);
      await openFromNav(c, 'Today');
      await openDashboard(c);
      const notice = c.getByRole('status').filter({ hasText: 'Only this device’s records' });
      await notice.waitFor();
      await notice.getByText(/There is no connection to the server/).waitFor();
      expect(await headline(c, 'Learners supported').textContent()).toBe('3');
      expect(await headline(c, 'Aged 50 and over').textContent()).toBe('2');
      expect(await headline(c, 'Attendance rate').textContent()).toBe('66.7%');
      expect(await headline(c, 'Guided learning hours').textContent()).toBe('4');
      expect(await tableOf(figure(c, 'Age band'))).toMatchObject({
        '16 to 24': '1',
        '50 to 64': '1',
        '65 and over': '1',
      });
      // Exports come from the server: offline, the button says why nothing was saved.
      await c.getByRole('button', { name: 'Export learners (CSV)', exact: true }).click();
      await c
        .getByRole('alert')
        .filter({ hasText: 'Learners not exported. There is no connection to the server.' })
        .waitFor();
      await expectAccessible(c);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'refuses an impossible custom period beside the field and keeps what was typed',
    async () => {
      const c = page();
      await c.getByLabel('Period', { exact: true }).selectOption({ label: 'Other dates' });
      const first = c.getByRole('group', { name: 'First day' });
      await first.getByLabel('Day').fill('31');
      await first.getByLabel('Month').fill('2');
      await first.getByLabel('Year').fill('2026');
      const last = c.getByRole('group', { name: 'Last day' });
      await last.getByLabel('Day').fill('1');
      await last.getByLabel('Month').fill('3');
      await last.getByLabel('Year').fill('2026');
      await c.getByRole('button', { name: 'Show figures', exact: true }).click();
      await c.getByRole('heading', { name: 'There is a problem' }).waitFor();
      expect(await c.title()).toMatch(/^Error: /);
      expect(await first.getByLabel('Day').inputValue()).toBe('31');
      expect(await last.getByLabel('Year').inputValue()).toBe('2026');
      await expectAccessible(c);

      await first.getByLabel('Day').fill('1');
      await c.getByRole('button', { name: 'Show figures', exact: true }).click();
      await c.getByText('1 February 2026 to 1 March 2026', { exact: true }).waitFor();
      // Offline still: nothing on this tablet falls in that month.
      await expect.poll(() => headline(c, 'Learners supported').textContent()).toBe('0');
    },
    TEST_TIMEOUT_MS,
  );
});
