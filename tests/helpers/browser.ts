// Debian's Chromium through playwright-core for end-to-end tests, and the helpers those tests share:
// service-worker control, going offline, persistent storage and axe accessibility checks.
import { mkdtempSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AxeResults, Result } from 'axe-core';
import { chromium } from 'playwright-core';
import type { BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import type { RunningServer } from './server';
import { REPO_ROOT, startServer } from './server';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;
/** How long one step (a click, a screen, a sync) may take on a busy 2-core machine; never a sleep. */
export const STEP_TIMEOUT_MS = 30_000;
/** For expect.poll on what the app, its service worker or the server does in its own time. */
export const POLL = { timeout: STEP_TIMEOUT_MS, interval: 250 } as const;
/** One browser test on one tablet. */
export const TEST_TIMEOUT_MS = 240_000;
/** One browser test on several tablets at once. */
export const MULTI_TABLET_TEST_TIMEOUT_MS = 300_000;
/** A tablet in portrait: the device the register is mostly taken on. */
export const DEFAULT_VIEWPORT = { width: 768, height: 1024 } as const;
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] as const;

export type LaunchedBrowser = {
  context: BrowserContext;
  /** The page the browser opened with. */
  page: Page;
  /** Pass to launchBrowser again (after close with keepProfile) to reopen the same profile. */
  userDataDir: string;
  /**
   * Closes the browser. A temporary profile made by launchBrowser is then deleted, unless keepProfile is
   * set so that a test can reopen it (IndexedDB, caches and service worker as the user left them).
   */
  close(options?: { keepProfile?: boolean }): Promise<void>;
};

export type LaunchOptions = { viewport?: { width: number; height: number } };

/** Profiles launchBrowser made; deleted on close (or when the test process exits, as a backstop). */
const temporaryProfiles = new Set<string>();
process.once('exit', () => {
  for (const dir of temporaryProfiles) rmSync(dir, { recursive: true, force: true });
});

export async function launchBrowser(
  userDataDir?: string,
  options: LaunchOptions = {},
): Promise<LaunchedBrowser> {
  const profile = userDataDir ?? makeTemporaryProfile();
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    viewport: options.viewport ?? DEFAULT_VIEWPORT,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async ({ keepProfile = false } = {}): Promise<void> => {
    await context.close();
    if (!keepProfile && temporaryProfiles.delete(profile)) {
      await rm(profile, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  return { context, page, userDataDir: profile, close };
}

/**
 * A tablet: a browser of its own with a fresh profile, on the app at `url`, controlled by the app's
 * service worker and showing Today. Close it after.
 */
export async function launchTablet(url: string, stepTimeoutMs = STEP_TIMEOUT_MS): Promise<LaunchedBrowser> {
  const tablet = await launchBrowser();
  tablet.context.setDefaultTimeout(stepTimeoutMs);
  await tablet.page.goto(url);
  await waitForServiceWorkerControl(tablet.page, stepTimeoutMs);
  await tablet.page.getByRole('heading', { level: 1, name: 'Today', exact: true }).waitFor();
  return tablet;
}

function makeTemporaryProfile(): string {
  const profile = mkdtempSync(path.join(tmpdir(), 'outreach-profile-'));
  temporaryProfiles.add(profile);
  return profile;
}

/**
 * Waits until a service worker controls the page. A first visit is not controlled until the worker
 * activates and the page reloads (the app's worker does not claim clients), so this reloads once.
 */
export async function waitForServiceWorkerControl(page: Page, timeoutMs = 30_000): Promise<void> {
  const state = await page.evaluate(async (waitMs: number) => {
    if (!('serviceWorker' in navigator)) return 'unsupported';
    if (navigator.serviceWorker.controller) return 'controlled';
    const timedOut = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), waitMs));
    const ready = navigator.serviceWorker.ready.then(() => 'active' as const);
    if ((await Promise.race([ready, timedOut])) === 'timeout') return 'no-active-worker';
    return navigator.serviceWorker.controller ? 'controlled' : 'active';
  }, timeoutMs);
  switch (state) {
    case 'controlled':
      return;
    case 'unsupported':
      throw new Error(`Service workers are not available at ${page.url()} (not a secure context?)`);
    case 'no-active-worker':
      throw new Error(
        `No service worker became active for ${page.url()} within ${timeoutMs} ms: is it registered?`,
      );
    case 'active':
      await page.reload({ waitUntil: 'load' });
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, {
        timeout: timeoutMs,
      });
      return;
  }
}

/**
 * The id of the app's service-worker registration, from the DevTools protocol's ServiceWorker domain
 * (it reports every registration once enabled). Keep the session open: a sync event is dispatched
 * through it (ServiceWorker.dispatchSyncEvent), even after every page of the app has closed.
 */
export async function serviceWorkerRegistrationId(
  session: CDPSession,
  url: string,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<string> {
  const scope = `${new URL(url).origin}/`;
  const found = new Promise<string>((resolve) => {
    session.on('ServiceWorker.workerRegistrationUpdated', ({ registrations }) => {
      const registration = registrations.find((entry) => entry.scopeURL === scope && !entry.isDeleted);
      if (registration) resolve(registration.registrationId);
    });
  });
  await session.send('ServiceWorker.enable');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`No service worker registration for ${scope}`)), timeoutMs);
  });
  try {
    return await Promise.race([found, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}

/** Takes the device offline: the server stops (so nothing can answer) and the browser loses its network. */
export async function goOffline(context: BrowserContext, server: Pick<RunningServer, 'stop'>): Promise<void> {
  await server.stop();
  await context.setOffline(true);
}

/**
 * Grants `navigator.storage.persist()` for an origin, as a user accepting the prompt would. Playwright's
 * grantPermissions does not know 'persistent-storage' for Chromium, so this goes through CDP's
 * Browser.setPermission. Chromium drops the override when the CDP session that set it detaches, so the
 * session is kept open for the life of the browser (a browser-level one, which outlives any page).
 */
export async function grantPersistentStorage(context: BrowserContext, origin: string): Promise<void> {
  const browser = context.browser();
  const session = browser
    ? await browser.newBrowserCDPSession()
    : await context.newCDPSession(context.pages()[0] ?? (await context.newPage()));
  await session.send('Browser.setPermission', {
    permission: { name: 'persistent-storage' },
    setting: 'granted',
    origin: new URL(origin).origin,
  });
  permissionSessions.set(context, [...(permissionSessions.get(context) ?? []), session]);
}

/** Sessions holding permission overrides; never detached, since detaching would revoke the grant. */
const permissionSessions = new WeakMap<BrowserContext, CDPSession[]>();

/** Runs axe-core in the page against WCAG 2.2 A and AA and returns the violations. */
export async function runAxe(page: Page): Promise<Result[]> {
  await page.addScriptTag({ path: path.join(REPO_ROOT, 'node_modules/axe-core/axe.min.js') });
  return page.evaluate(
    async (tags: string[]) => {
      const { axe } = window as unknown as {
        axe: { run: (context: Document, options: object) => Promise<AxeResults> };
      };
      const results = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
      return results.violations;
    },
    [...AXE_TAGS],
  );
}

/** One readable block per violation, for assertion messages. */
export function formatAxeViolations(violations: readonly Result[]): string {
  if (violations.length === 0) return 'no accessibility violations';
  return violations
    .map((violation) => {
      const nodes = violation.nodes
        .map(
          (node) =>
            `    at ${node.target.join(' ')}\n      ${(node.failureSummary ?? '').replace(/\n/g, '\n      ')}`,
        )
        .join('\n');
      return `${violation.id} (${violation.impact ?? 'unknown impact'}): ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

/** Fails the test with every violation axe finds on the page, one readable block each. */
export async function expectAccessible(page: Page): Promise<void> {
  const violations = await runAxe(page);
  expect(violations, formatAxeViolations(violations)).toEqual([]);
}

/**
 * For a describe block of several browser tests on one server: starts the server before them and
 * stops it, with every tablet launched, after them. A tablet is a browser of its own, on Today,
 * controlled by the app's service worker.
 */
export function useServerAndTablets(stepTimeoutMs: number): {
  url(): string;
  launchTablet(): Promise<LaunchedBrowser>;
} {
  let server: RunningServer | undefined;
  const browsers: LaunchedBrowser[] = [];
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await Promise.allSettled(browsers.map((browser) => browser.close()));
    await server?.stop();
  });
  const url = () => {
    if (!server) throw new Error('useServerAndTablets: the server has not started');
    return server.url;
  };
  return {
    url,
    async launchTablet() {
      const tablet = await launchTablet(url(), stepTimeoutMs);
      browsers.push(tablet);
      return tablet;
    },
  };
}

export type RestartableServer = {
  /** The server's data directory, deleted after the tests (a test may save its files there too). */
  dataDir: string;
  /** The server running now (the one goOffline stops). */
  current(): RunningServer;
  url(): string;
  /** The same server again after a stop: the same port (the tablets' origin) and the same database. */
  restart(): Promise<void>;
};

/**
 * For a describe block whose tablets go offline and come back: starts the server on a data directory
 * of its own before the tests, and after them stops it and deletes the directory. Hooks the block
 * registers later (closing its browsers) run before these.
 */
export function useRestartableServer(name: string): RestartableServer {
  const dataDir = mkdtempSync(path.join(tmpdir(), `outreach-${name}-`));
  let server: RunningServer | undefined;
  let port = 0;
  beforeAll(async () => {
    server = await startServer({ dataDir });
    port = server.port;
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  const current = () => {
    if (!server) throw new Error('useRestartableServer: the server has not started');
    return server;
  };
  return {
    dataDir,
    current,
    url: () => current().url,
    async restart() {
      server = await startServer({ port, dataDir });
    },
  };
}
