// npm run bench: the performance goals of the offline app, each printed against a baseline measured
// in the same run and browser. Only 127.0.0.1 is contacted; every loop is bounded.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { launchBrowser, waitForServiceWorkerControl } from '../tests/helpers/browser';
import { REPO_ROOT, startServer } from '../tests/helpers/server';
import {
  DASHBOARD_GOAL_MS,
  SCALE_LEARNERS,
  SCALE_MARKS,
  SCALE_REPEATS,
  benchDashboardScale,
} from './dashboardScale';
import { seedRegister } from './seedRegister';
import {
  type BrowserPullResult,
  PULL_RECORDS,
  PUSH_REPEATS,
  benchBrowserPull,
  benchBrowserPush,
} from './sync/browserSync';
import { LOAD_DEVICES, PUSH_RECORDS, benchDevices, benchPush } from './sync/serverLoad';

const COLD_STARTS = 11;
/** Initial pulls of 100,000 records, each on a new server and profile; the median run is reported. */
const PULL_REPEATS = 3;
const TAPS = 120;
const MARKS = 1000;
const LEARNERS = 10_000;
const STORAGE_REPEATS = 5;
/**
 * Organisations the load's devices are spread over: one, as /api/setup makes (every device contends
 * for its change sequence), and twenty, to show what that contention costs.
 */
const LOAD_ORGANISATIONS = [1, 20] as const;
/** The p99 latency 200 devices syncing at once may reach on PostgreSQL. */
const LOAD_P99_GOAL_MS = 500;

// BENCH_DIST builds everything into folders of its own (the app into it, the baselines beside it), so
// a benchmark can run while others test dist/. Unset, `npm run bench` has built the app into dist.
const BENCH_DIST = process.env.BENCH_DIST;
const APP_DIR = BENCH_DIST ?? 'dist';
const BLANK_DIR = BENCH_DIST ? `${BENCH_DIST}-blank` : 'dist-bench-blank';
const HARNESS_DIR = BENCH_DIST ? `${BENCH_DIST}-harness` : 'dist-bench-harness';
/**
 * BENCH_ONLY runs some sections only, e.g. `BENCH_ONLY=storage,sync npm run bench` while working on
 * them: size, cold-start, taps, storage, sync, dashboard. Unset, everything runs.
 */
const BENCH_SECTIONS = process.env.BENCH_ONLY?.split(',').map((section) => section.trim());
function runs(section: string): boolean {
  return !BENCH_SECTIONS || BENCH_SECTIONS.includes(section);
}

type Row = { measure: string; value: string; baseline: string; ratio: string; goal: string; met: string };
const rows: Row[] = [];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

function addRow(
  measure: string,
  value: number,
  unit: string,
  baseline: number | null,
  goal: string,
  /** null: reported, with no goal to meet. */
  met: boolean | null,
) {
  rows.push({
    measure,
    value: `${value.toFixed(1)} ${unit}`,
    baseline: baseline === null ? '' : `${baseline.toFixed(1)} ${unit}`,
    ratio: baseline === null ? '' : (value / baseline).toFixed(2),
    goal,
    met: met === null ? '' : met ? 'yes' : 'NO',
  });
}

/** The JavaScript and CSS the first screen loads: index.html's script, its modulepreloads and styles. */
function firstScreenBytes(distDir: string): { gzipped: number; files: string[] } {
  const html = readFileSync(path.join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map(
    (match) => match[1] ?? '',
  );
  const gzipped = files.reduce(
    (sum, file) => sum + gzipSync(readFileSync(path.join(distDir, file)), { level: 9 }).length,
    0,
  );
  return { gzipped, files };
}

function build(env: Record<string, string>, args: string[]) {
  execFileSync('npx', ['vite', 'build', '--logLevel', 'warn', ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
}

type ColdStartTarget = { staticDir: string; readySelector: string; url: string; userDataDir: string };

/** Installs the build's service worker in a profile of its own (online, once), then stops its server. */
async function prepareColdStart(staticDir: string, readySelector: string): Promise<ColdStartTarget> {
  const server = await startServer({ staticDir });
  try {
    const first = await launchBrowser();
    await first.page.goto(server.url);
    await waitForServiceWorkerControl(first.page);
    await first.page.waitForSelector(readySelector);
    await first.close({ keepProfile: true });
    return { staticDir, readySelector, url: server.url, userDataDir: first.userDataDir };
  } finally {
    await server.stop();
  }
}

/**
 * Records, in the page, when the ready selector's screen is first on screen: the selector matches, and
 * the frame after it has been drawn (a task queued from that frame's animation callback runs after its
 * paint, once the main thread is free again). Timed in the page, because Playwright's waitForSelector
 * polls at growing intervals (20, 50, 100, 100, 500 ms) and its answer would be the poll's time.
 */
function recordScreenShown(selector: string): void {
  const record = window as unknown as { screenShownAt?: number };
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    requestAnimationFrame(() =>
      setTimeout(() => {
        record.screenShownAt = performance.now();
      }, 0),
    );
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
}

/** Milliseconds from navigation start until the selector's screen is shown, offline from the service worker. */
async function coldStart(target: ColdStartTarget, keepProfile: boolean): Promise<number> {
  const browser = await launchBrowser(target.userDataDir);
  try {
    await browser.context.setOffline(true);
    await browser.context.addInitScript(recordScreenShown, target.readySelector);
    await browser.page.goto(target.url, { waitUntil: 'commit' });
    const shownAt = await browser.page.waitForFunction(
      () => (window as unknown as { screenShownAt?: number }).screenShownAt,
      undefined,
      { timeout: 30_000 },
    );
    return (await shownAt.jsonValue()) ?? Number.NaN;
  } finally {
    await browser.close({ keepProfile });
  }
}

/** App and baseline cold starts interleaved, each going first in turn, so both see the same machine. */
async function coldStarts(app: ColdStartTarget, baseline: ColdStartTarget) {
  const times = { app: [] as number[], baseline: [] as number[] };
  for (let run = 0; run < COLD_STARTS; run += 1) {
    const keepProfile = run < COLD_STARTS - 1;
    const order = run % 2 === 0 ? (['app', 'baseline'] as const) : (['baseline', 'app'] as const);
    for (const side of order) {
      times[side].push(await coldStart(side === 'app' ? app : baseline, keepProfile));
    }
  }
  return times;
}

/** Installs an observer that records, per tap, the time from the click to the frame showing the mark. */
async function installTapTimer(page: Page) {
  await page.evaluate(() => {
    const times: number[] = [];
    (window as unknown as { tapTimes: number[] }).tapTimes = times;
    document.addEventListener(
      'click',
      (event) => {
        const button = (event.target as Element).closest('button[aria-pressed]');
        if (!button) return;
        const wanted = button.getAttribute('aria-pressed') === 'true' ? 'false' : 'true';
        const started = event.timeStamp;
        const observer = new MutationObserver(() => {
          if (button.getAttribute('aria-pressed') !== wanted) return;
          observer.disconnect();
          requestAnimationFrame(() => times.push(performance.now() - started));
        });
        observer.observe(button, { attributes: true, attributeFilter: ['aria-pressed'] });
      },
      true,
    );
  });
}

async function registerTaps(): Promise<number[]> {
  const server = await startServer({ staticDir: APP_DIR });
  const browser = await launchBrowser();
  try {
    const { page } = browser;
    await page.goto(server.url);
    await waitForServiceWorkerControl(page);
    const sessionId = await seedRegister(page, 30);
    await page.goto(`${server.url}/sessions/${sessionId}`);
    await page
      .getByRole('button', { name: /^Present/ })
      .first()
      .waitFor();
    await installTapTimer(page);
    const labels = ['Present', 'Late', 'Absent'];
    const rowsOnPage = await page.getByRole('button', { name: /^Present/ }).count();
    for (let tap = 0; tap < TAPS; tap += 1) {
      const label = labels[tap % labels.length] ?? 'Present';
      const button = page.getByRole('button', { name: new RegExp(`^${label}`) }).nth(tap % rowsOnPage);
      await button.click();
      await page.waitForFunction(
        (count) => (window as unknown as { tapTimes: number[] }).tapTimes.length >= count,
        tap + 1,
      );
    }
    return await page.evaluate(() => (window as unknown as { tapTimes: number[] }).tapTimes);
  } finally {
    await browser.close();
    await server.stop();
  }
}

type StorageTimes = {
  appMarks: number[];
  signedInMarks: number[];
  rawMarks: number[];
  sameRowsMarks: number[];
  readThenWriteMarks: number[];
  sameRowsLearners: number[];
  dexieMarks: number[];
  appLearners: number[];
  rawLearners: number[];
};

async function storageWrites(): Promise<StorageTimes> {
  const server = await startServer({ staticDir: HARNESS_DIR });
  const browser = await launchBrowser();
  const times: StorageTimes = {
    appMarks: [],
    signedInMarks: [],
    rawMarks: [],
    sameRowsMarks: [],
    readThenWriteMarks: [],
    sameRowsLearners: [],
    dexieMarks: [],
    appLearners: [],
    rawLearners: [],
  };
  try {
    const { page } = browser;
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]');
    for (let run = 0; run < STORAGE_REPEATS; run += 1) {
      // Alternate which goes first, so neither always gets a warmer browser.
      const order = run % 2 === 0 ? (['app', 'raw'] as const) : (['raw', 'app'] as const);
      if (run % 2 === 1) {
        times.dexieMarks.push(await page.evaluate((count) => window.storageBench.dexieMarks(count), MARKS));
      }
      for (const side of order) {
        const marks = await page.evaluate(
          ([kind, count]) =>
            kind === 'app' ? window.storageBench.appMarks(count) : window.storageBench.rawMarks(count),
          [side, MARKS] as const,
        );
        const learners = await page.evaluate(
          ([kind, count, seed]) =>
            kind === 'app'
              ? window.storageBench.appLearners(count, seed)
              : window.storageBench.rawLearners(count, seed),
          [side, LEARNERS, run] as const,
        );
        times[side === 'app' ? 'appMarks' : 'rawMarks'].push(marks);
        times[side === 'app' ? 'appLearners' : 'rawLearners'].push(learners);
        if (side === 'raw') {
          times.sameRowsMarks.push(await page.evaluate(() => window.storageBench.rawSameRowsMarks()));
          times.readThenWriteMarks.push(
            await page.evaluate(() => window.storageBench.rawSameRowsMarks(true)),
          );
          times.sameRowsLearners.push(await page.evaluate(() => window.storageBench.rawSameRowsLearners()));
        }
      }
      if (run % 2 === 0) {
        times.dexieMarks.push(await page.evaluate((count) => window.storageBench.dexieMarks(count), MARKS));
      }
      times.signedInMarks.push(
        await page.evaluate((count) => window.storageBench.appMarks(count, true), MARKS),
      );
    }
  } finally {
    await browser.close();
    await server.stop();
  }
  return times;
}

/** The sync rows: the browser's push and initial pull end to end, then the server under load. */
async function syncRows() {
  const push = await benchBrowserPush(HARNESS_DIR);
  const pushMs = median(push.pushMs);
  const setInsertMs = median(push.setInsertMs);
  addRow(
    `Push ${PUSH_RECORDS} learners saved signed in (sealed as saved), browser syncOnce until outbox empty (median of ${PUSH_REPEATS})`,
    pushMs,
    'ms',
    setInsertMs,
    'ratio ≤ 3',
    pushMs / setInsertMs <= 3,
  );
  addRow(
    '  of which with a push answer outstanding (two in flight count once)',
    median(push.pushWaitMs),
    'ms',
    null,
    '',
    null,
  );
  addRow('  whole syncOnce (pulls them back, compares checksums)', median(push.syncMs), 'ms', null, '', null);

  // This host's IndexedDB writes vary run to run (the same raw write: 12 to 22 s): the median run, whole.
  const pulls: BrowserPullResult[] = [];
  for (let run = 0; run < PULL_REPEATS; run += 1) pulls.push(await benchBrowserPull(HARNESS_DIR));
  const pull = [...pulls].sort((a, b) => a.syncMs - b.syncMs)[Math.floor(PULL_REPEATS / 2)]!;
  const rawWriteMs = median(pull.rawWriteMs);
  addRow(
    `Initial pull of ${pull.records} records, fresh profile, syncOnce until caught up (median of ${PULL_REPEATS} runs: ${pulls.map((run) => (run.syncMs / 1000).toFixed(1)).join(', ')} s)`,
    pull.syncMs,
    'ms',
    rawWriteMs,
    '',
    null,
  );
  const rate = pull.records / (pull.syncMs / 1000);
  addRow('  records per second', rate, 'records/s', null, '≥ 5,000 records/s', rate >= 5000);
  addRow(
    `  of which ${pull.pullRequests} pages pulled and stored (the rest: checksums)`,
    pull.pullMs,
    'ms',
    rawWriteMs,
    '',
    null,
  );
  addRow(
    '  of which with a page outstanding (the next is fetched while one is stored)',
    pull.pullWaitMs,
    'ms',
    null,
    '',
    null,
  );
  addRow(
    "  of which comparing checksums: waiting for the server's (the device hashes meanwhile)",
    pull.checksumsWaitMs,
    'ms',
    null,
    '',
    null,
  );
  addRow(
    '  the device hashing its tables on its own, after the pull',
    pull.localChecksumsMs,
    'ms',
    null,
    '',
    null,
  );
  if (pull.records < PULL_RECORDS) throw new Error(`the pull fetched only ${pull.records} records`);

  const nodePush = await benchPush('PostgreSQL');
  addRow(
    `Push ${PUSH_RECORDS} learners over HTTP from Node, 1,000 a request, two in flight`,
    nodePush.pushMs,
    'ms',
    nodePush.setInsertMs,
    'ratio ≤ 3',
    nodePush.pushMs / nodePush.setInsertMs <= 3,
  );
  for (const backend of ['PostgreSQL', 'PGlite'] as const) {
    for (const organisations of LOAD_ORGANISATIONS) {
      const load = await benchDevices(backend, organisations);
      const onPostgres = backend === 'PostgreSQL';
      addRow(
        `${LOAD_DEVICES} devices at once, ${organisations} org., ${backend}: p99 of ${load.requests} (p50 ${load.p50.toFixed(0)} ms, max ${load.max.toFixed(0)} ms, ${load.errors} errors)`,
        load.p99,
        'ms',
        LOAD_P99_GOAL_MS,
        onPostgres ? `p99 < ${LOAD_P99_GOAL_MS} ms, 0 errors` : '(reported)',
        onPostgres ? load.p99 < LOAD_P99_GOAL_MS && load.errors === 0 : null,
      );
    }
  }
}

/** The coordinator dashboard over generated data on PostgreSQL, against counting the marks. */
async function dashboardRows() {
  const scale = await benchDashboardScale();
  for (const row of scale.periods) {
    addRow(
      `Dashboard, ${SCALE_LEARNERS.toLocaleString('en-GB')} learners and ${SCALE_MARKS.toLocaleString('en-GB')} marks on PostgreSQL, ${row.label} (median of ${SCALE_REPEATS})`,
      row.ms,
      'ms',
      scale.baselineMs,
      `< ${DASHBOARD_GOAL_MS} ms`,
      row.ms < DASHBOARD_GOAL_MS,
    );
  }
  for (const row of scale.afterChanges) {
    addRow(
      `  the first dashboard after ${row.marks.toLocaleString('en-GB')} marks changed (rebuilds what they touched)`,
      row.ms,
      'ms',
      null,
      '',
      null,
    );
  }
  addRow('  the first dashboard of all, building every summary', scale.firstBuildMs, 'ms', null, '', null);
  for (const download of scale.attendanceExports) {
    addRow(
      `Attendance export, ${download.label}: ${download.rows.toLocaleString('en-GB')} rows, ${download.megabytes.toFixed(0)} MB, from the server`,
      download.ms,
      'ms',
      null,
      '',
      null,
    );
    addRow(
      `  server memory at its peak during it (${download.rssBeforeMb.toFixed(0)} MB before)`,
      download.rssPeakMb,
      'MB',
      null,
      '(reported)',
      null,
    );
  }
}

function sizeRows() {
  const bytes = firstScreenBytes(path.join(REPO_ROOT, APP_DIR));
  const blankBytes = firstScreenBytes(path.join(REPO_ROOT, BLANK_DIR));
  addRow(
    'First screen JS+CSS, gzipped',
    bytes.gzipped / 1024,
    'KB',
    blankBytes.gzipped / 1024,
    '≤ 150 KB',
    bytes.gzipped <= 150 * 1024,
  );
  console.log(`First-screen files: ${bytes.files.join(', ')}`);
}

async function coldStartRows() {
  const starts = await coldStarts(
    await prepareColdStart(APP_DIR, '[data-screen-ready="today"]'),
    await prepareColdStart(BLANK_DIR, '[data-screen-ready="blank"]'),
  );
  const appStart = median(starts.app);
  const blankStart = median(starts.baseline);
  addRow(
    `Offline cold start to Today (median of ${COLD_STARTS})`,
    appStart,
    'ms',
    blankStart,
    'ratio ≤ 1.5',
    appStart / blankStart <= 1.5,
  );
}

async function tapRows() {
  const taps = await registerTaps();
  const p95 = percentile(taps, 95);
  addRow(
    `Register tap to mark on screen, p95 of ${taps.length}`,
    p95,
    'ms',
    16.7,
    '≤ 16.7 ms (one frame)',
    p95 <= 16.7,
  );
  addRow('Register tap, median', median(taps), 'ms', null, '', true);
}

async function storageRows() {
  const storage = await storageWrites();
  const marks = median(storage.appMarks);
  const sameRowsMarks = median(storage.sameRowsMarks);
  const rawMarks = median(storage.rawMarks);
  addRow(
    `${MARKS} marks, one transaction each (median of ${STORAGE_REPEATS}), against raw IndexedDB writing the same rows`,
    marks,
    'ms',
    sameRowsMarks,
    'ratio ≤ 1.5',
    marks / sameRowsMarks <= 1.5,
  );
  addRow(
    `${MARKS} marks, against raw IndexedDB reading what the app reads (mark before, writer state) then writing the same rows`,
    marks,
    'ms',
    median(storage.readThenWriteMarks),
    '',
    null,
  );
  addRow(`${MARKS} marks, against raw IndexedDB writing the mark row alone`, marks, 'ms', rawMarks, '', null);
  const signedInMarks = median(storage.signedInMarks);
  addRow(
    `${MARKS} marks, signed in: each change also sealed to the server`,
    signedInMarks,
    'ms',
    sameRowsMarks,
    '',
    null,
  );
  const dexieMarks = median(storage.dexieMarks);
  addRow(`${MARKS} bare Dexie puts of the mark row alone`, dexieMarks, 'ms', rawMarks, '', null);
  const learners = median(storage.appLearners);
  const sameRowsLearners = median(storage.sameRowsLearners);
  const rawLearners = median(storage.rawLearners);
  addRow(
    `${LEARNERS} learners, one bulk write (median of ${STORAGE_REPEATS}), against raw IndexedDB writing the same rows`,
    learners,
    'ms',
    sameRowsLearners,
    'ratio ≤ 1.3',
    learners / sameRowsLearners <= 1.3,
  );
  addRow(
    `${LEARNERS} learners, against raw IndexedDB writing them readable, with no change log`,
    learners,
    'ms',
    rawLearners,
    '',
    null,
  );
}

async function main() {
  if (BENCH_DIST) build({}, ['--outDir', path.join(REPO_ROOT, APP_DIR), '--emptyOutDir']);
  for (const [page, dir] of [
    ['blank', BLANK_DIR],
    ['harness', HARNESS_DIR],
  ] as const) {
    build({ BENCH_PAGE: page }, [
      '--config',
      'bench/vite.bench.config.ts',
      '--outDir',
      path.join(REPO_ROOT, dir),
    ]);
  }

  if (runs('size')) sizeRows();
  if (runs('cold-start')) await coldStartRows();
  if (runs('taps')) await tapRows();
  if (runs('storage')) await storageRows();
  if (runs('sync')) await syncRows();
  if (runs('dashboard')) await dashboardRows();

  console.log(
    '\nBaselines: a blank Vite React page with a precaching service worker; raw IndexedDB writing exactly the rows',
  );
  console.log(
    'the app wrote (records as stored, outbox batches, writer state) into a database made with the app schema,',
  );
  console.log('in the same browser and run; one 60 Hz frame for the tap.');
  console.log(
    'Sync: the real server on 127.0.0.1 (PostgreSQL in a throwaway database unless PGlite is named); push against',
  );
  console.log(
    'one INSERT … SELECT FROM jsonb_to_recordset of the same rows into the same database; pull against a raw',
  );
  console.log(
    'IndexedDB write (one transaction, a put per row) of the rows it stored; device load against its goal.\n',
  );
  console.log(
    "Dashboard: against SELECT count(*) FROM records WHERE entity_type = 'attendance' on the same data.\n",
  );
  console.table(rows);
}

await main();
