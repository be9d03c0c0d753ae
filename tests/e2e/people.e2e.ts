// People, against the real server and the production build: a coordinator sets the organisation up,
// invites a tutor (offline first: nothing is lost) and copies the link; the tutor opens it in their
// own browser, makes their account and is signed in; the tutor sees no People page, reads venues
// but cannot change them, and can only save sessions they run; the coordinator changes what the
// tutor may see and suspends them, and the tutor's next sync signs them out. Needs a production
// build (E2E_DIST, or dist).
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  choosePin,
  createProgramme,
  createVenue,
  heading,
  openFromNav,
  setUpOrganisation,
  statusMessage,
  summaryValue,
  syncBar,
  syncNowAndWait,
  syncStatus,
  unlockWithPin,
  waitForUpToDate,
} from '../helpers/appActions';
import { type LaunchedBrowser, expectAccessible, useServerAndTablets } from '../helpers/browser';
import { BOOTLE_HUB, GETTING_ONLINE } from '../fixtures/e2eRecords';

/** Generous for a busy 2-core machine running two browsers and a server; never a sleep. */
const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;

const COORDINATOR: Required<Account> = {
  organisationName: 'Sefton Digital Inclusion',
  name: 'Aisha Khan',
  email: 'aisha.khan@example.org',
  password: 'correct horse battery staple',
};

const TUTOR = { name: 'Sam Okafor', email: 'sam.okafor@example.org', password: 'tea kettle orange lantern' };

const TICK_YOURSELF = 'Tick yourself: you can only save sessions you run';

/** WCAG 2.2 A and AA as axe-core checks them, on the screen as it is now. */
/** The main navigation's links, by name. */
function navLink(page: Page, name: string): Locator {
  return page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
}

/** Main navigation → People (only a coordinator has the link). */
async function openPeople(page: Page): Promise<void> {
  await navLink(page, 'People').click();
  await heading(page, 'People').waitFor();
  await page.getByRole('heading', { level: 2, name: 'Accounts', exact: true }).waitFor();
}

/** A person's card on the People page, found by the heading with their name. */
function personCard(page: Page, name: string): Locator {
  return page
    .getByRole('main')
    .getByRole('listitem')
    .filter({ has: page.getByRole('heading', { level: 3, name, exact: true }) });
}

/** The value beside a term in a card's summary list. */
function cardValue(card: Locator, term: string): Locator {
  return card
    .getByRole('term')
    .filter({ hasText: new RegExp(`^\\s*${term}\\s*$`) })
    .locator('xpath=following-sibling::dd[1]');
}

describe('people: a coordinator invites a tutor, and decides what they may do', () => {
  const servedTablets = useServerAndTablets(STEP_TIMEOUT_MS);
  const { launchTablet } = servedTablets;
  let url = '';
  let coordinatorTablet: LaunchedBrowser | undefined;
  let tutorTablet: LaunchedBrowser | undefined;
  let link = '';

  const tablets = () => {
    if (!coordinatorTablet || !tutorTablet) throw new Error('An earlier step failed');
    return { c: coordinatorTablet.page, t: tutorTablet.page };
  };

  beforeAll(() => {
    url = servedTablets.url();
  });

  it(
    'the coordinator sets up, opens People and invites a tutor; offline, nothing typed is lost',
    async () => {
      coordinatorTablet = await launchTablet();
      const c = coordinatorTablet.page;
      await coordinatorTablet.context.grantPermissions(['clipboard-read', 'clipboard-write'], {
        origin: url,
      });
      // Before anyone signs in there is no People link.
      expect(await navLink(c, 'People').count()).toBe(0);
      await setUpOrganisation(c, COORDINATOR);
      await createVenue(c, BOOTLE_HUB);
      await createProgramme(c, GETTING_ONLINE);
      await syncNowAndWait(c);

      await openPeople(c);
      const me = personCard(c, `${COORDINATOR.name} (you)`);
      expect((await cardValue(me, 'Role').innerText()).trim()).toBe('Coordinator');
      expect((await cardValue(me, 'Status').innerText()).trim()).toBe('Active');
      // A coordinator cannot suspend themselves: the button is not offered.
      expect(await me.getByRole('button', { name: /^Suspend/ }).count()).toBe(0);

      const email = c.getByLabel('Their email address', { exact: true });
      const tutorRole = c
        .getByRole('group', { name: 'What will they do?', exact: true })
        .getByRole('radio', { name: /^Tutor/ });

      // The form's own checks first.
      await c.getByRole('button', { name: 'Create invitation', exact: true }).click();
      const summary = c.locator('.error-summary');
      await summary
        .getByRole('link', { name: 'Enter the email address of the person you are inviting' })
        .waitFor();
      await summary.getByRole('link', { name: 'Select what they will do' }).waitFor();
      expect(await c.title()).toMatch(/^Error: People/);
      await expectAccessible(c);

      // Offline: the failure is said plainly and the form keeps what was typed.
      await coordinatorTablet.context.setOffline(true);
      await email.fill(TUTOR.email);
      await tutorRole.check();
      await c.getByRole('button', { name: 'Create invitation', exact: true }).click();
      const offline = c.getByRole('alert').filter({ hasText: 'No invitation made' });
      await offline.filter({ hasText: 'There is no connection to the server.' }).waitFor();
      expect(await email.inputValue()).toBe(TUTOR.email);
      expect(await tutorRole.isChecked()).toBe(true);

      await coordinatorTablet.context.setOffline(false);
      await c.getByRole('button', { name: 'Create invitation', exact: true }).click();
      const made = c.getByRole('region', { name: `Invitation made for ${TUTOR.email}`, exact: true });
      await made.waitFor();
      await made
        .getByText(`Give this link or code to ${TUTOR.email}. It works once, for 7 days.`, { exact: true })
        .waitFor();
      expect(await offline.count()).toBe(0);
      expect(await email.inputValue()).toBe('');

      link = await made.getByLabel('Invitation link', { exact: true }).inputValue();
      expect(link).toMatch(new RegExp(`^${url}/invite/[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$`));
      expect(await made.getByText(link.slice(link.lastIndexOf('/') + 1), { exact: true }).count()).toBe(1);
      await made.getByRole('button', { name: 'Copy link', exact: true }).click();
      await statusMessage(c, 'Link copied.').waitFor();
      expect(await c.evaluate(() => navigator.clipboard.readText())).toBe(link);
      await expectAccessible(c);

      // The invitation waits in the list until it is accepted.
      await c.getByRole('main').getByText(TUTOR.email, { exact: true }).first().waitFor();
      await c.getByRole('button', { name: `Withdraw invitation for ${TUTOR.email}`, exact: true }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the tutor opens the link in their own browser, makes their account and lands signed in',
    async () => {
      tutorTablet = await launchTablet();
      const t = tutorTablet.page;
      await t.goto(link);
      await heading(t, `Join ${COORDINATOR.organisationName}`).waitFor();
      await t
        .getByText(`You have been invited to join ${COORDINATOR.organisationName} as a tutor.`)
        .waitFor();
      await t.getByRole('main').getByText(TUTOR.email, { exact: true }).waitFor();
      await expectAccessible(t);

      await t.getByLabel('Your full name', { exact: true }).fill(TUTOR.name);
      await t.getByLabel('Create a password', { exact: true }).fill(TUTOR.password);
      await t.getByRole('button', { name: 'Make my account and sign in', exact: true }).click();
      await choosePin(t);
      await heading(t, 'Today').waitFor();
      expect(new URL(t.url()).pathname).toBe('/');
      await waitForUpToDate(t);

      await syncBar(t).getByRole('link', { name: 'Sync details', exact: true }).click();
      await heading(t, 'Sync').waitFor();
      expect((await summaryValue(t, 'Signed in as').innerText()).trim()).toBe(
        `${TUTOR.name} (${TUTOR.email})`,
      );

      // The link works once.
      const again = await t
        .context()
        .request.get(`${url}/api/invitations/${link.slice(link.lastIndexOf('/') + 1)}`);
      expect(again.status()).toBe(404);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the tutor has no People link, and /people explains why; venues and programmes are read only',
    async () => {
      const { t } = tablets();
      await openFromNav(t, 'Today');
      expect(await navLink(t, 'People').count()).toBe(0);

      await t.goto(`${url}/people`);
      // A new page load starts locked: the tutor's PIN opens it.
      await unlockWithPin(t);
      await heading(t, 'People').waitFor();
      await t
        .getByText('Only a coordinator can invite people and change who can sign in.', { exact: true })
        .waitFor();
      expect(await t.getByRole('button', { name: 'Create invitation' }).count()).toBe(0);
      expect(await t.getByLabel('Their email address').count()).toBe(0);
      await expectAccessible(t);

      await openFromNav(t, 'Venues');
      await t.getByRole('link', { name: BOOTLE_HUB.name, exact: true }).waitFor();
      await t.getByText('Only a coordinator can change venues and programmes.', { exact: true }).waitFor();
      expect(await t.getByRole('link', { name: 'Add a venue' }).count()).toBe(0);
      await t.getByRole('link', { name: BOOTLE_HUB.name, exact: true }).click();
      await heading(t, BOOTLE_HUB.name).waitFor();
      expect((await summaryValue(t, 'Postcode').innerText()).trim()).toBe('L20 3NJ');
      expect(await t.getByRole('button', { name: 'Save venue' }).count()).toBe(0);
      expect(await t.getByRole('textbox').count()).toBe(0);
      await expectAccessible(t);

      await openFromNav(t, 'Programmes');
      await t.getByText('Only a coordinator can change venues and programmes.', { exact: true }).waitFor();
      expect(await t.getByRole('link', { name: 'Add a programme' }).count()).toBe(0);
      await t.getByRole('link', { name: GETTING_ONLINE.title, exact: true }).click();
      await heading(t, GETTING_ONLINE.title).waitFor();
      expect((await summaryValue(t, 'Level').innerText()).trim()).toBe(GETTING_ONLINE.level);
      expect(await t.getByRole('button', { name: 'Save programme' }).count()).toBe(0);
      await expectAccessible(t);
      // What a tutor does here is still offered.
      await t.getByRole('link', { name: 'Enrol a learner on this programme', exact: true }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the tutor plans a session: they are ticked, and cannot save it without themselves',
    async () => {
      const { t } = tablets();
      await openFromNav(t, 'Today');
      await t.getByRole('link', { name: 'Plan a session', exact: true }).click();
      await heading(t, 'Plan a session').waitFor();
      const who = t.getByRole('group', { name: 'Who runs this session', exact: true });
      const me = who.getByRole('checkbox', { name: new RegExp(`^${TUTOR.name} \\(you\\)`) });
      await expect.poll(() => me.isChecked(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
      // The coordinator has an account too, and is offered, not ticked.
      expect(await who.getByRole('checkbox', { name: new RegExp(`^${COORDINATOR.name}`) }).isChecked()).toBe(
        false,
      );

      await t.getByLabel('Programme', { exact: true }).selectOption({ label: GETTING_ONLINE.title });
      await t.getByLabel('Tutors', { exact: true }).fill(TUTOR.name);
      await me.uncheck();
      await t.getByRole('button', { name: 'Save session', exact: true }).click();
      await t.locator('.error-summary').getByRole('link', { name: TICK_YOURSELF, exact: true }).waitFor();
      await who.getByText(TICK_YOURSELF).waitFor();
      expect(new URL(t.url()).pathname).toBe('/sessions/new');
      await expectAccessible(t);

      await me.check();
      await t.getByRole('button', { name: 'Save session', exact: true }).click();
      await t.waitForURL(/\/sessions\/[^/?#]+$/);
      await t.getByRole('heading', { level: 2, name: 'Register', exact: true }).waitFor();
      // The server takes it: a tutor may save a session they run.
      await syncNowAndWait(t);
      expect(await syncStatus(t).innerText()).not.toContain('refused');
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'the coordinator lets the tutor see equality answers (after confirming), then suspends them; the tutor’s next sync signs them out',
    async () => {
      const { c, t } = tablets();
      await openPeople(c);
      const tutor = personCard(c, TUTOR.name);
      expect((await cardValue(tutor, 'Role').innerText()).trim()).toBe('Tutor');
      expect((await cardValue(tutor, 'Sees equality and health answers').innerText()).trim()).toBe('No');

      await tutor
        .getByRole('button', {
          name: `Let them see equality and health answers (${TUTOR.name})`,
          exact: true,
        })
        .click();
      // Nothing changes until the coordinator confirms.
      const confirm = tutor.getByRole('group', { name: `Confirm for ${TUTOR.name}`, exact: true });
      await confirm.waitFor();
      await expectAccessible(c);
      expect((await cardValue(tutor, 'Sees equality and health answers').innerText()).trim()).toBe('No');
      await confirm.getByRole('button', { name: 'Yes, let them see the answers', exact: true }).click();
      await tutor
        .getByRole('status')
        .filter({ hasText: `${TUTOR.name} can now see equality and health answers.` })
        .waitFor();
      expect((await cardValue(tutor, 'Sees equality and health answers').innerText()).trim()).toBe('Yes');

      await tutor.getByRole('button', { name: `Suspend ${TUTOR.name}`, exact: true }).click();
      await tutor
        .getByRole('status')
        .filter({ hasText: `${TUTOR.name} is suspended and signed out on every device.` })
        .waitFor();
      expect((await cardValue(tutor, 'Status').innerText()).trim()).toBe('Suspended');
      await tutor.getByRole('button', { name: `Reactivate ${TUTOR.name}`, exact: true }).waitFor();

      // The tutor's next sync finds their session ended: signed out, with everything kept.
      await openFromNav(t, 'Today');
      await syncBar(t).getByRole('button', { name: 'Sync now', exact: true }).click();
      await syncStatus(t)
        .filter({ hasText: /^\s*Not signed in\./ })
        .waitFor();
      await syncBar(t).getByRole('link', { name: 'Sign in to sync', exact: true }).waitFor();
    },
    TEST_TIMEOUT_MS,
  );
});
