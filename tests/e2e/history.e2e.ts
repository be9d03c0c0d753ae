// A learner's history, against the real server and the production build: the coordinator enrols a
// learner with an equality answer, syncs, and opens "Show history" on the learner's page: who made
// each change, on which device, in words, and who received and viewed the equality answers.
// Offline, the history says so plainly and the page keeps working. A tutor never sees the section.
// Needs a production build (E2E_DIST, or dist).
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type Account,
  createProgramme,
  createVenue,
  enrolLearner,
  fullName,
  heading,
  openLearner,
  setUpOrganisation,
  signIn,
  syncNowAndWait,
} from '../helpers/appActions';
import { formatAxeViolations, runAxe, useServerAndTablets } from '../helpers/browser';
import { BOOTLE_HUB, GETTING_ONLINE, GRACE, KWAME } from '../fixtures/e2eRecords';

const STEP_TIMEOUT_MS = 30_000;
const TEST_TIMEOUT_MS = 300_000;

const COORDINATOR: Required<Account> = {
  organisationName: 'Sefton Digital Inclusion',
  name: 'Aisha Khan',
  email: 'aisha.khan@example.org',
  password: 'correct horse battery staple',
};

const TUTOR = { name: 'Sam Okafor', email: 'sam.okafor@example.org', password: 'tea kettle orange lantern' };

function historyHeading(page: Page) {
  return page.getByRole('heading', { level: 2, name: 'History', exact: true });
}

describe('learner history: a coordinator sees who changed a learner, on which device', () => {
  const servedTablets = useServerAndTablets(STEP_TIMEOUT_MS);
  const { launchTablet } = servedTablets;
  let url = '';

  beforeAll(() => {
    url = servedTablets.url();
  });

  it(
    'shows the coordinator the history on demand, says plainly when offline, and hides it from a tutor',
    async () => {
      const coordinatorTablet = await launchTablet();
      const c = coordinatorTablet.page;
      await setUpOrganisation(c, COORDINATOR);
      await createVenue(c, BOOTLE_HUB);
      await createProgramme(c, GETTING_ONLINE);
      await enrolLearner(c, GETTING_ONLINE.title, { ...GRACE, sex: 'Female' });
      await syncNowAndWait(c);

      await openLearner(c, fullName(GRACE));
      await historyHeading(c).waitFor();
      await c.getByRole('button', { name: 'Show history', exact: true }).click();
      const changes = c.getByRole('list').filter({ hasText: 'Learner details' });
      const created = changes.getByRole('listitem').filter({ hasText: /^Learner details/ });
      await created.waitFor();
      const createdText = await created.innerText();
      expect(createdText).toContain(`by ${COORDINATOR.name} on Device `);
      expect(createdText).toContain(`registered by ${COORDINATOR.name}`);
      expect(createdText).toContain('given names: Grace');
      expect(createdText).toContain('Outcome: created');
      await changes
        .getByRole('listitem')
        .filter({ hasText: /^Equality monitoring/ })
        .waitFor();

      // The coordinator set the organisation up, so sees the answers: her sync received them, and
      // this history showed them. Both are listed.
      const access = c.getByRole('list').filter({ hasText: 'viewed in this history' });
      await access.waitFor();
      await access.getByText(`${COORDINATOR.name}: received on a device`).first().waitFor();
      const violations = await runAxe(c);
      expect(violations, formatAxeViolations(violations)).toEqual([]);

      // Offline: a plain message, and the rest of the page works.
      await coordinatorTablet.context.setOffline(true);
      await c.getByRole('button', { name: 'Refresh history', exact: true }).click();
      const problem = c.getByRole('alert').filter({ hasText: 'Could not get the history' });
      await problem.filter({ hasText: 'There is no connection to the server.' }).waitFor();
      await c.getByRole('heading', { level: 2, name: 'Consent', exact: true }).waitFor();
      await c.getByRole('link', { name: 'Change details', exact: true }).click();
      await heading(c, `Change ${fullName(GRACE)}’s details`).waitFor();
      await coordinatorTablet.context.setOffline(false);

      // A tutor, invited through the API, enrols a learner of their own and sees no history.
      const cookies = await coordinatorTablet.context.cookies(url);
      const cookieHeader = cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join('; ');
      const invited = await fetch(`${url}/api/invitations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookieHeader },
        body: JSON.stringify({ email: TUTOR.email, role: 'tutor' }),
      });
      expect(invited.status).toBe(201);
      const { code } = (await invited.json()) as { code: string };
      const accepted = await fetch(`${url}/api/invitations/${code}/accept`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: TUTOR.name, password: TUTOR.password }),
      });
      expect(accepted.status).toBe(201);

      const tutorTablet = await launchTablet();
      const t = tutorTablet.page;
      await signIn(t, TUTOR);
      await syncNowAndWait(t);
      await enrolLearner(t, GETTING_ONLINE.title, KWAME);
      await t.getByRole('heading', { level: 2, name: 'Consent', exact: true }).waitFor();
      expect(await historyHeading(t).count()).toBe(0);
      expect(await t.getByRole('button', { name: 'Show history' }).count()).toBe(0);
    },
    TEST_TIMEOUT_MS,
  );
});
