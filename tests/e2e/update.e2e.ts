// An app update never costs a half-filled form: two builds of the same code with different versions,
// the second served on the same origin while the first has an enrolment form open. The new version is
// found, the tutor is asked before anything reloads, and the draft comes back in the new version.
// Builds its own two versions (about 5 s each); does not need or touch dist/.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, waitForServiceWorkerControl } from '../helpers/browser';
import type { LaunchedBrowser } from '../helpers/browser';
import { REPO_ROOT, findFreePort, startServer } from '../helpers/server';
import type { RunningServer } from '../helpers/server';

const OLD_VERSION = '1.0.0-e2e-a';
const NEW_VERSION = '1.0.0-e2e-b';
const BUILD_TIMEOUT_MS = 120_000;

/** Builds the app into outDir with APP_VERSION set, as a release would. */
function buildVersion(outDir: string, version: string): void {
  execFileSync(
    process.execPath,
    [path.join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--outDir', outDir, '--emptyOutDir'],
    {
      cwd: REPO_ROOT,
      // Vitest sets NODE_ENV=test, which would make Vite build a non-production app (no service worker).
      env: { ...process.env, NODE_ENV: 'production', APP_VERSION: version },
      stdio: 'pipe',
      timeout: BUILD_TIMEOUT_MS,
    },
  );
}

async function appVersionOnSettings(page: Page): Promise<string> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
  const version = page.locator('dt', { hasText: 'App version' }).locator('xpath=following-sibling::dd[1]');
  await version.waitFor();
  return (await version.textContent()) ?? '';
}

/** What the test types: half an enrolment, with nothing that would let it be submitted. */
const TYPED = {
  givenNames: 'Mary Ann',
  familyName: 'Okafor-Lewis',
  day: '14',
  month: '2',
  year: '1958',
  postcode: 'L20 3NJ',
  preferredName: 'Annie',
} as const;

async function expectFormShowsTyped(
  page: Page,
  expected: { preferredName: string } = { preferredName: TYPED.preferredName },
): Promise<void> {
  const dateOfBirth = page.getByRole('group', { name: 'Date of birth' });
  await expect.poll(() => page.getByLabel('Given names').inputValue()).toBe(TYPED.givenNames);
  expect(await page.getByLabel('Family name').inputValue()).toBe(TYPED.familyName);
  expect(await page.getByLabel('Preferred name (optional)').inputValue()).toBe(expected.preferredName);
  expect(await dateOfBirth.getByLabel('Day').inputValue()).toBe(TYPED.day);
  expect(await dateOfBirth.getByLabel('Month').inputValue()).toBe(TYPED.month);
  expect(await dateOfBirth.getByLabel('Year').inputValue()).toBe(TYPED.year);
  expect(await page.getByLabel('Postcode', { exact: true }).inputValue()).toBe(TYPED.postcode);
  expect(await page.getByLabel('The learner needs an interpreter').isChecked()).toBe(true);
  expect(await page.getByLabel('The learner uses British Sign Language (BSL)').isChecked()).toBe(false);
  expect(
    await page.getByLabel('Not in paid employment, looking for work and available to start').isChecked(),
  ).toBe(true);
}

describe('updating the app with a half-filled form open', () => {
  let buildsDir: string | undefined;
  let dataDir: string | undefined;
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(
    () => {
      buildsDir = mkdtempSync(path.join(tmpdir(), 'outreach-update-builds-'));
      dataDir = mkdtempSync(path.join(tmpdir(), 'outreach-update-data-'));
      buildVersion(path.join(buildsDir, 'v1'), OLD_VERSION);
      buildVersion(path.join(buildsDir, 'v2'), NEW_VERSION);
    },
    2 * BUILD_TIMEOUT_MS + 10_000,
  );

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (buildsDir) rmSync(buildsDir, { recursive: true, force: true });
  });

  it('builds two versions whose service workers differ', () => {
    if (!buildsDir) throw new Error('setup failed');
    const oldWorker = readFileSync(path.join(buildsDir, 'v1', 'sw.js'), 'utf8');
    const newWorker = readFileSync(path.join(buildsDir, 'v2', 'sw.js'), 'utf8');
    // Otherwise the browser would see no update at all and the test below would prove nothing.
    expect(newWorker).not.toBe(oldWorker);
  });

  it('offers the new version without reloading, then reloads into it with the draft restored', async () => {
    if (!buildsDir || !dataDir) throw new Error('setup failed');
    const port = await findFreePort();
    server = await startServer({ port, staticDir: path.join(buildsDir, 'v1'), dataDir });
    browser = await launchBrowser();
    const { page } = browser;
    // Timers run as usual until the moment of the update (see pauseAt below).
    await page.clock.install();

    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    expect(await appVersionOnSettings(page)).toBe(OLD_VERSION);

    // A venue and a programme, through the screens a tutor uses.
    await page.goto(`${server.url}/venues/new`);
    await page.getByLabel('Name of the venue').fill('Bootle Library');
    await page.getByLabel('Postcode').fill('L20 3NJ');
    await page.getByRole('button', { name: 'Save venue' }).click();
    await page.waitForURL(`${server.url}/venues`);

    await page.goto(`${server.url}/programmes/new`);
    await page.getByLabel('Title').fill('Get online with confidence');
    await page.getByLabel('Tailored learning').check();
    await page.getByLabel('Entry', { exact: true }).check();
    await page.getByLabel('Funding stream').selectOption({ label: 'Adult Skills Fund tailored learning' });
    await page.getByLabel('Planned guided learning hours').fill('12');
    await page.getByLabel('Default venue (optional)').selectOption({ label: 'Bootle Library' });
    await page.getByRole('button', { name: 'Save programme' }).click();
    await page.waitForURL(/\/programmes\/[0-9a-f-]{36}$/);

    await page.getByRole('link', { name: 'Enrol a learner on this programme' }).click();
    await page.waitForURL(/\/programmes\/[0-9a-f-]{36}\/enrol$/);
    const enrolUrl = page.url();

    // Half an enrolment.
    const dateOfBirth = page.getByRole('group', { name: 'Date of birth' });
    await page.getByLabel('Given names').fill(TYPED.givenNames);
    await page.getByLabel('Family name').fill(TYPED.familyName);
    await dateOfBirth.getByLabel('Day').fill(TYPED.day);
    await dateOfBirth.getByLabel('Month').fill(TYPED.month);
    await dateOfBirth.getByLabel('Year').fill(TYPED.year);
    await page.getByLabel('Postcode', { exact: true }).fill(TYPED.postcode);
    await page.getByLabel('The learner needs an interpreter').check();
    await page.getByLabel('Not in paid employment, looking for work and available to start').check();

    // The new version goes up on the same origin, and the page looks for it.
    await server.stop();
    server = await startServer({ port, staticDir: path.join(buildsDir, 'v2'), dataDir });
    await page.evaluate(() => {
      (window as unknown as { __marker?: number }).__marker = 1;
    });
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      if (!registration) throw new Error('No service worker registration');
      await registration.update();
    });

    const reloadButton = page.getByRole('button', { name: 'Update available — reload' });
    await reloadButton.waitFor({ timeout: 30_000 });
    // Offered, not forced: the same page, with everything typed still on screen.
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBe(1);
    expect(page.url()).toBe(enrolUrl);
    await expectFormShowsTyped(page, { preferredName: '' });

    // Typed just before the tap, with the page's clock stopped so that the autosave's timer cannot fire:
    // only the update's own flush can save it before the reload.
    await page.clock.pauseAt(Date.now());
    await page.getByLabel('Preferred name (optional)').fill(TYPED.preferredName);
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await reloadButton.click();
    await reloaded;
    await page.clock.resume();
    expect(await page.evaluate(() => (window as unknown as { __marker?: number }).__marker)).toBeUndefined();
    expect(page.url()).toBe(enrolUrl);

    await page.getByText('We restored the answers you had started on').waitFor();
    await expectFormShowsTyped(page);
    expect(await page.getByRole('button', { name: 'Update available — reload' }).count()).toBe(0);
    expect(await appVersionOnSettings(page)).toBe(NEW_VERSION);
  });
});
