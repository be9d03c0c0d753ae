// Runs in Chromium, served by the real server from the same origin: a device database (the real
// OutreachDatabase) signs in through src/api and runs the real sync engine (syncOnce) with the
// browser's fetch, and the same pulled rows are written through raw IndexedDB for the baseline.
import { createSyncApi } from '../../src/api/syncApi';
import { OutreachDatabase, SCHEMA_V3 } from '../../src/db/database';
import { saveNewLearners } from '../../src/db/learners';
import { localChecksums } from '../../src/db/pulls';
import { oldestPendingChanges, recordSignedIn } from '../../src/db/syncState';
import type { Mutation } from '../../src/domain/sync/protocol';
import { refreshServerSealingKey, syncOnce, toMutation } from '../../src/sync/syncOnce';
import { makeLearners } from './learners';

export type Account = { organisationName: string; name: string; email: string; password: string };

/** What one syncOnce took, split at its first pull request and its checksum request. */
export type SyncTiming = {
  /** From the call until the outbox was empty (the engine's first pull request). */
  pushMs: number;
  /** From the call until the checksum request: pushing and pulling pages. */
  untilCaughtUpMs: number;
  /** The whole call, checksum comparison included. */
  totalMs: number;
  pushed: number;
  rejected: number;
  pulled: number;
  repaired: string[];
  pullRequests: number;
  /** Time spent waiting for push answers (request sent to body read), summed. */
  pushWaitMs: number;
  /** Time spent waiting for pull answers, summed. */
  pullWaitMs: number;
  /** Time spent waiting for the server's checksums (the device hashes its own meanwhile). */
  checksumsWaitMs: number;
  outboxLeft: number;
  cursor: number;
};

/** Every synced table of the device, as SCHEMA_V3 names them. */
const SYNCED_TABLES = [
  'venues',
  'programmes',
  'sessions',
  'learners',
  'enrolments',
  'attendance',
  'equalityMonitoring',
  'employmentStatuses',
  'consents',
  'learningGoals',
  'documentVersions',
  'organisations',
  'users',
] as const satisfies readonly (keyof typeof SCHEMA_V3)[];

let device: OutreachDatabase | null = null;
let pulledRows: { table: string; rows: unknown[] }[] = [];

function openDevice(): OutreachDatabase {
  device?.close();
  device = new OutreachDatabase(`bench-sync-${crypto.randomUUID()}`);
  return device;
}

function currentDevice(): OutreachDatabase {
  if (!device) throw new Error('No device database: call prepareOutbox or signIn first.');
  return device;
}

/** Sets the server up (first run) or signs in, and records the user as the engine's sign-in does. */
async function signIn(account: Account): Promise<void> {
  const api = createSyncApi({ appVersion: 'bench' });
  const db = device ?? openDevice();
  const needed = await api.setupNeeded();
  if (!needed.ok) throw new Error(needed.failure.message);
  const answer = needed.value ? await api.setUp(account) : await api.signIn(account.email, account.password);
  if (!answer.ok) throw new Error(`sign-in failed: ${answer.failure.message}`);
  await recordSignedIn(db, answer.value);
}

/**
 * `count` new learners written through src/db on the signed-in device (records and outbox in one
 * transaction, each change sealed to the server as it is written, as on a tablet in use), and the
 * same changes in the clear (for the server-side baseline).
 */
async function prepareOutbox(count: number, run: number): Promise<Mutation[]> {
  const db = currentDevice();
  await refreshServerSealingKey(db, createSyncApi({ appVersion: 'bench' }));
  const learners = makeLearners(count, run);
  await saveNewLearners(db, learners);
  const byId = new Map(learners.map((learner) => [learner.id, learner]));
  return (await oldestPendingChanges(db, count)).map((change) => {
    const { sealed: _sealed, ...mutation } = toMutation(change);
    const fields = byId.get(change.entityId) as unknown as Record<string, unknown> | undefined;
    if (!change.sealed || !fields) throw new Error('The bench expects every change sealed to the server');
    return { ...mutation, fields };
  });
}

/** One syncOnce with the real engine and the browser's fetch, timed. */
async function timeSync(): Promise<SyncTiming> {
  const db = currentDevice();
  let firstPullAt: number | null = null;
  let checksumsAt: number | null = null;
  let pullRequests = 0;
  // Wall time with at least one request of the kind unanswered: two pushes (or a page and the
  // prefetched next one) in flight at once count once.
  const waits = { push: 0, pull: 0, checksums: 0 };
  const inFlight = { push: 0, pull: 0, checksums: 0 };
  const waitingSince = { push: 0, pull: 0, checksums: 0 };
  const api = createSyncApi({
    appVersion: 'bench',
    transport: async (input, init) => {
      const now = performance.now();
      const kind = input.startsWith('/api/sync/push')
        ? 'push'
        : input.startsWith('/api/sync/pull')
          ? 'pull'
          : input.startsWith('/api/sync/checksums')
            ? 'checksums'
            : null;
      if (kind === 'pull') {
        pullRequests += 1;
        firstPullAt ??= now;
      }
      if (input.startsWith('/api/sync/checksums')) checksumsAt ??= now;
      if (!kind) return fetch(input, init);
      if (inFlight[kind]++ === 0) waitingSince[kind] = now;
      try {
        const response = await fetch(input, init);
        // The body is read here (and handed on as a new Response) so the wait includes the transfer.
        const body = await response.arrayBuffer();
        return new Response(body, { status: response.status, headers: response.headers });
      } finally {
        if (--inFlight[kind] === 0) waits[kind] += performance.now() - waitingSince[kind];
      }
    },
  });
  const started = performance.now();
  const outcome = await syncOnce(db, api);
  const ended = performance.now();
  if (outcome.kind !== 'synced') {
    throw new Error(
      `syncOnce did not sync: ${outcome.kind === 'failed' ? outcome.failure.message : outcome.kind}`,
    );
  }
  const state = (await db.meta.get('sync')) as { cursor: number } | undefined;
  return {
    pushMs: (firstPullAt ?? ended) - started,
    untilCaughtUpMs: (checksumsAt ?? ended) - started,
    totalMs: ended - started,
    pushed: outcome.summary.pushed,
    rejected: outcome.summary.rejected,
    pulled: outcome.summary.pulled,
    repaired: outcome.summary.repaired,
    pullRequests,
    pushWaitMs: waits.push,
    pullWaitMs: waits.pull,
    checksumsWaitMs: waits.checksums,
    outboxLeft: await db.outbox.count(),
    cursor: state?.cursor ?? 0,
  };
}

/** Milliseconds the device takes to hash every checksummed table it holds, as a sync does after a pull. */
async function timeLocalChecksums(): Promise<number> {
  const started = performance.now();
  await localChecksums(currentDevice());
  return performance.now() - started;
}

/** Keeps what the pull stored, row for row, for the raw IndexedDB baseline; returns the row count. */
async function keepPulledRows(): Promise<number> {
  const db = currentDevice();
  pulledRows = [];
  for (const table of SYNCED_TABLES) {
    const rows = await db.table(table).toArray();
    if (rows.length > 0) pulledRows.push({ table, rows });
  }
  return pulledRows.reduce((sum, { rows }) => sum + rows.length, 0);
}

function requestToPromise<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function keyPathOf(spec: string): string | string[] {
  return spec.startsWith('[') ? spec.slice(1, -1).split('+') : spec;
}

/** A raw IndexedDB database with the stores and indexes of the app's current schema. */
async function openRawDatabase(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    const database = request.result;
    for (const [table, spec] of Object.entries(SCHEMA_V3)) {
      const [primary = 'id', ...indexes] = spec.split(',').map((part) => part.trim());
      const store = database.createObjectStore(table, { keyPath: keyPathOf(primary) });
      for (const index of indexes) {
        const name = index.replace(/^\*/, '');
        store.createIndex(name, keyPathOf(name), { multiEntry: index.startsWith('*') });
      }
    }
  };
  return requestToPromise(request);
}

/** The baseline: the rows the pull stored, one transaction, one put per row, no Dexie. */
async function rawWritePulledRows(): Promise<number> {
  const name = `bench-raw-${crypto.randomUUID()}`;
  const database = await openRawDatabase(name);
  const started = performance.now();
  const transaction = database.transaction(
    pulledRows.map(({ table }) => table),
    'readwrite',
  );
  for (const { table, rows } of pulledRows) {
    const store = transaction.objectStore(table);
    for (const row of rows) store.put(row);
  }
  await new Promise<void>((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
  const ms = performance.now() - started;
  database.close();
  await requestToPromise(indexedDB.deleteDatabase(name));
  return ms;
}

declare global {
  // Declaration merging with the DOM's Window needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    syncBench: {
      prepareOutbox: typeof prepareOutbox;
      signIn: typeof signIn;
      timeSync: typeof timeSync;
      keepPulledRows: typeof keepPulledRows;
      timeLocalChecksums: typeof timeLocalChecksums;
      rawWritePulledRows: typeof rawWritePulledRows;
    };
  }
}

window.syncBench = {
  prepareOutbox,
  signIn,
  timeSync,
  keepPulledRows,
  timeLocalChecksums,
  rawWritePulledRows,
};
document.body.dataset.ready = 'true';
