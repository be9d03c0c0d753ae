// The production build is an installable PWA whose service worker keeps the app loading offline.
// Needs `npm run build` first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { goOffline, launchBrowser, waitForServiceWorkerControl } from '../helpers/browser';
import type { LaunchedBrowser } from '../helpers/browser';
import { startServer } from '../helpers/server';
import type { RunningServer } from '../helpers/server';

describe('the app as a PWA', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;

  beforeAll(async () => {
    server = await startServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('is installable, is controlled by its service worker and loads offline', async () => {
    if (!server || !browser) throw new Error('setup failed');
    const { page, context } = browser;

    await page.goto(server.url);
    await waitForServiceWorkerControl(page);

    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(manifestHref).toBeTruthy();
    const manifest = await page.request.get(new URL(manifestHref ?? '', server.url).href);
    expect(manifest.ok()).toBe(true);
    expect(await manifest.json()).toMatchObject({ name: 'Outreach Register', display: 'standalone' });

    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    await cdp.detach();
    expect(installabilityErrors).toEqual([]);

    await goOffline(context, server);
    await page.reload({ waitUntil: 'load' });
    await page
      .waitForFunction(() => document.body.innerText.includes('Outreach Register'), undefined, {
        timeout: 10_000,
      })
      .catch(() => undefined);
    expect(await page.locator('body').innerText()).toContain('Outreach Register');
  });
});
