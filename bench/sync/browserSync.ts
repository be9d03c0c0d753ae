// Sync benchmarks in Chromium: the harness page bench/harness/sync.html, served by the real server
// (src/server/main.ts as a child process on 127.0.0.1, PostgreSQL in a throwaway database) from the
// same origin, runs the real engine (syncOnce) with the browser's fetch. Each is measured against a
// baseline in the same run: a set-based insert of the same rows into the same database (push), and
// a raw IndexedDB write of the rows the pull stored, in the same browser (pull).
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import pg from 'pg';
import { formatHlc } from '../../src/domain/hlc';
import { attendanceId } from '../../src/domain/ids';
import { RECORD_SCHEMAS, type EntityType } from '../../src/domain/records';
import {
  makeAttendance,
  makeLearner,
  makeProgramme,
  makeSession,
  makeVenue,
} from '../../tests/fixtures/records';
import { launchBrowser } from '../../tests/helpers/browser';
import { createThrowawayDatabase } from '../../tests/helpers/serverDb';
import { type RunningServer, startServer } from '../../tests/helpers/server';
import type { Account, SyncTiming } from '../harness/sync';
import { PUSH_RECORDS, setBasedInsert, setUp } from './serverLoad';

export const PUSH_REPEATS = 3;
export const PULL_RECORDS = 100_000;
const RAW_REPEATS = 3;
/** Longest one step in the page may take before the benchmark gives up. */
const STEP_TIMEOUT_MS = 5 * 60_000;
const SEED_CHUNK = 10_000;

/** The account setUp (serverLoad.ts) makes; the page signs in with it. */
const ACCOUNT: Account = {
  organisationName: 'Bench Digital Partnership',
  name: 'Bench Coordinator',
  email: 'bench@example.org',
  password: 'a long bench password',
};

export type BrowserPushResult = {
  /** syncOnce from its call until the outbox was empty, per run. */
  pushMs: number[];
  /** The whole syncOnce (pulling the pushed records back and comparing checksums too), per run. */
  syncMs: number[];
  /** Of pushMs, the time spent waiting for the server's answers, per run. */
  pushWaitMs: number[];
  setInsertMs: number[];
};

export type BrowserPullResult = {
  records: number;
  pullRequests: number;
  /** syncOnce until its checksum request: every page pulled and stored. */
  pullMs: number;
  /** Of pullMs, the time spent waiting for the server's pages. */
  pullWaitMs: number;
  /** The whole syncOnce, checksum comparison included. */
  syncMs: number;
  /** Of the checksum comparison, the wait for the server's checksums. */
  checksumsWaitMs: number;
  /** The device hashing its tables alone (during the sync it does so while the server hashes). */
  localChecksumsMs: number;
  rawWriteMs: number[];
};

async function withTimeout<T>(what: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function startPostgresServer(staticDir: string) {
  const throwaway = await createThrowawayDatabase();
  try {
    const server = await startServer({ staticDir, env: { DATABASE_URL: throwaway.url, LOG_LEVEL: 'error' } });
    return {
      server,
      databaseUrl: throwaway.url,
      stop: async () => {
        await server.stop();
        await throwaway.drop();
      },
    };
  } catch (error) {
    return throwaway.dropAfter(error);
  }
}

async function openHarness(page: Page, server: RunningServer): Promise<void> {
  await page.goto(`${server.url}/sync.html`);
  await page.waitForSelector('body[data-ready="true"]');
}

function checkSynced(timing: SyncTiming, what: string): void {
  if (timing.rejected > 0 || timing.outboxLeft > 0 || timing.repaired.length > 0) {
    throw new Error(`${what}: ${JSON.stringify(timing)}`);
  }
}

/**
 * 10,000 new learners saved on one device through src/db, then syncOnce against a new server and
 * database; the baseline inserts the same records into that database in one statement afterwards.
 */
export async function benchBrowserPush(harnessDir: string): Promise<BrowserPushResult> {
  const result: BrowserPushResult = { pushMs: [], syncMs: [], pushWaitMs: [], setInsertMs: [] };
  const browser = await launchBrowser();
  try {
    for (let run = 0; run < PUSH_REPEATS; run += 1) {
      const running = await startPostgresServer(harnessDir);
      try {
        await openHarness(browser.page, running.server);
        // Signed in first, as a tablet in use is: each change is sealed to the server as it is saved.
        await browser.page.evaluate((account) => window.syncBench.signIn(account), ACCOUNT);
        const mutations = await withTimeout(
          'saving the learners',
          browser.page.evaluate(([count, seed]) => window.syncBench.prepareOutbox(count, seed), [
            PUSH_RECORDS,
            run,
          ] as const),
        );
        const timing = await withTimeout(
          'the push',
          browser.page.evaluate(() => window.syncBench.timeSync()),
        );
        checkSynced(timing, 'the push did not go through cleanly');
        if (timing.pushed !== PUSH_RECORDS) throw new Error(`pushed ${timing.pushed} of ${PUSH_RECORDS}`);
        result.pushMs.push(timing.pushMs);
        result.syncMs.push(timing.totalMs);
        result.pushWaitMs.push(timing.pushWaitMs);
        result.setInsertMs.push(await setBasedInsert(running.databaseUrl, mutations));
      } finally {
        await running.stop();
      }
    }
  } finally {
    await browser.close();
  }
  return result;
}

/**
 * An organisation's records as a year of sessions leaves them: venues, programmes, sessions, learners
 * and their attendance marks, every one valid for its domain schema, `count` in all.
 */
function organisationRecords(count: number): { entityType: EntityType; data: { id: string } }[] {
  const venues = Array.from({ length: 5 }, (_, index) =>
    makeVenue({ id: randomUUID(), name: `Bench Library ${index + 1}` }),
  );
  const programmes = Array.from({ length: 20 }, (_, index) =>
    makeProgramme({
      id: randomUUID(),
      title: `Getting online, group ${index + 1}`,
      defaultVenueId: venues[index % venues.length]!.id,
    }),
  );
  const sessionCount = Math.round(count / 100);
  const sessions = Array.from({ length: sessionCount }, (_, index) => {
    const programme = programmes[index % programmes.length]!;
    const day = new Date(Date.UTC(2026, 0, 5) + (index % 300) * 86_400_000).toISOString().slice(0, 10);
    return makeSession({
      id: randomUUID(),
      programmeId: programme.id,
      venueId: programme.defaultVenueId ?? venues[0]!.id,
      date: day,
      scheduledStart: `${day}T10:00:00.000Z`,
      scheduledEnd: `${day}T12:00:00.000Z`,
    });
  });
  const learnerCount = Math.round(count / 5);
  const given = ['Ann', 'Bilal', 'Chloé', 'Dariusz', 'Efua', 'Fatima', 'Gareth', 'Hannah', 'Ionuț', 'Jamal'];
  const family = ["O'Neill", 'Smith', 'Kowalski', 'Ahmed', 'Jones', 'Nguyen', 'Okafor', 'Patel'];
  const learners = Array.from({ length: learnerCount }, (_, index) =>
    makeLearner({
      id: randomUUID(),
      givenNames: given[index % given.length]!,
      familyName: family[(index * 7) % family.length]!,
      preferredName: '',
      dateOfBirth: `19${40 + (index % 60)}-0${(index % 9) + 1}-1${index % 10}`,
      addressLines: [`${index % 300} Marsh Lane`],
      phone: `07700 9${String(index).padStart(5, '0')}`,
      email: `learner${index}@example.com`,
      adjustments: index % 5 === 0 ? 'Large text on screen' : '',
    }),
  );
  const records: { entityType: EntityType; data: { id: string } }[] = [
    ...venues.map((data) => ({ entityType: 'venue' as const, data })),
    ...programmes.map((data) => ({ entityType: 'programme' as const, data })),
    ...sessions.map((data) => ({ entityType: 'session' as const, data })),
    ...learners.map((data) => ({ entityType: 'learner' as const, data })),
  ];
  const marks = ['P', 'P', 'P', 'L', 'AA', 'U'] as const;
  // Each session's marks are for different learners (one mark per session and learner).
  for (let index = 0; records.length < count; index += 1) {
    const sessionIndex = index % sessions.length;
    const session = sessions[sessionIndex]!;
    const learner = learners[(Math.floor(index / sessions.length) + sessionIndex * 17) % learners.length]!;
    const mark = marks[index % marks.length]!;
    records.push({
      entityType: 'attendance',
      data: makeAttendance({
        id: attendanceId(session.id, learner.id),
        sessionId: session.id,
        learnerId: learner.id,
        mark,
        absenceReason: mark === 'AA' ? 'illness' : null,
        minutesAttended: mark === 'AA' || mark === 'U' ? 0 : 120,
        markedLate: mark === 'L',
        markedAt: session.scheduledEnd,
      }),
    });
  }
  for (const record of records) RECORD_SCHEMAS[record.entityType].parse(record.data);
  return records;
}

/**
 * Writes `count` records for the one organisation straight into the records table, set-based, each
 * with the organisation's next change sequence number, and moves the organisation's change_seq on.
 */
async function seedOrganisation(databaseUrl: string, count: number): Promise<void> {
  const records = organisationRecords(count);
  const hlc = formatHlc({ millis: Date.now() - 60_000, counter: 0, node: '00000000bench000' });
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const organisation = await db.query<{ id: string; change_seq: string }>(
      'SELECT id, change_seq FROM organisations LIMIT 1',
    );
    const { id, change_seq: lastSeq } = organisation.rows[0] ?? { id: '', change_seq: '0' };
    const first = Number(lastSeq) + 1;
    for (let offset = 0; offset < records.length; offset += SEED_CHUNK) {
      const rows = records.slice(offset, offset + SEED_CHUNK).map((record, index) => ({
        entity_type: record.entityType,
        entity_id: record.data.id,
        data: record.data,
        field_hlcs: Object.fromEntries(Object.keys(record.data).map((field) => [field, hlc])),
        change_seq: first + offset + index,
      }));
      await db.query(
        `INSERT INTO records (organisation_id, entity_type, entity_id, data, field_hlcs, change_seq)
         SELECT $1, r.entity_type, r.entity_id, r.data, r.field_hlcs, r.change_seq
         FROM jsonb_to_recordset($2::jsonb) AS r(entity_type text, entity_id uuid, data jsonb, field_hlcs jsonb, change_seq bigint)`,
        [id, JSON.stringify(rows)],
      );
    }
    await db.query('UPDATE organisations SET change_seq = change_seq + $2 WHERE id = $1', [
      id,
      records.length,
    ]);
    // As autovacuum would soon after a bulk load: the pull's plan then knows the table's size.
    await db.query('ANALYZE records');
  } finally {
    await db.end();
  }
}

/**
 * A server whose organisation holds 100,000 records, and a fresh browser profile that signs in and
 * runs syncOnce until caught up (pages of the engine's default size); then the rows it stored are
 * written again through raw IndexedDB in the same page.
 */
export async function benchBrowserPull(harnessDir: string): Promise<BrowserPullResult> {
  const running = await startPostgresServer(harnessDir);
  try {
    await setUp(running.server);
    await seedOrganisation(running.databaseUrl, PULL_RECORDS);
    const browser = await launchBrowser();
    try {
      await openHarness(browser.page, running.server);
      await browser.page.evaluate((account) => window.syncBench.signIn(account), ACCOUNT);
      const timing = await withTimeout(
        'the initial pull',
        browser.page.evaluate(() => window.syncBench.timeSync()),
      );
      checkSynced(timing, 'the pull did not end cleanly');
      const localChecksumsMs = await browser.page.evaluate(() => window.syncBench.timeLocalChecksums());
      const stored = await browser.page.evaluate(() => window.syncBench.keepPulledRows());
      if (stored !== timing.pulled || timing.pulled < PULL_RECORDS) {
        throw new Error(
          `pulled ${timing.pulled} records and stored ${stored}; expected over ${PULL_RECORDS}`,
        );
      }
      const rawWriteMs: number[] = [];
      for (let run = 0; run < RAW_REPEATS; run += 1) {
        rawWriteMs.push(
          await withTimeout(
            'the raw write',
            browser.page.evaluate(() => window.syncBench.rawWritePulledRows()),
          ),
        );
      }
      return {
        records: timing.pulled,
        pullRequests: timing.pullRequests,
        pullMs: timing.untilCaughtUpMs,
        pullWaitMs: timing.pullWaitMs,
        syncMs: timing.totalMs,
        checksumsWaitMs: timing.checksumsWaitMs,
        localChecksumsMs,
        rawWriteMs,
      };
    } finally {
      await browser.close();
    }
  } finally {
    await running.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const harnessDir = process.argv[2] ?? 'dist-bench-harness';
  console.log('push', await benchBrowserPush(harnessDir));
  console.log('pull', await benchBrowserPull(harnessDir));
}
