// Runs in Chromium: writes through src/db (records + outbox in one transaction) and the same rows
// through raw IndexedDB, so bench/run.ts can print the ratio measured in one browser and run.
import { OutreachDatabase, SCHEMA_V2, learnerRowFrom } from '../../src/db/database';
import { generateServerSealingKeyPair } from '../../src/crypto/outboxSeal';
import { markAttendance } from '../../src/db/attendance';
import { rememberServerSealingKey } from '../../src/db/outboxSealing';
import { saveNewLearners } from '../../src/db/learners';
import type { OutboxBatch } from '../../src/domain/changeLog';
import { attendanceId } from '../../src/domain/ids';
import type { Session } from '../../src/domain/records';
import { makeLearners } from './learners';

const SESSION: Session = {
  id: '11111111-1111-4111-8111-111111111111',
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  deviceId: 'bench',
  deleted: false,
  programmeId: '22222222-2222-4222-8222-222222222222',
  venueId: '33333333-3333-4333-8333-333333333333',
  tutorNames: ['Bench Tutor'],
  tutorIds: [],
  date: '2026-11-23',
  scheduledStart: '2026-11-23T10:00:00.000Z',
  scheduledEnd: '2026-11-23T12:00:00.000Z',
  actualStart: null,
  actualEnd: null,
  status: 'scheduled',
  cancelledReason: '',
  notes: '',
};

function requestToPromise<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function transactionDone(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

/** A raw IndexedDB database with the same stores and indexes as the app's attendance and learners. */
async function openRawDatabase(name: string): Promise<IDBDatabase> {
  const request = indexedDB.open(name, 1);
  request.onupgradeneeded = () => {
    const database = request.result;
    const attendance = database.createObjectStore('attendance', { keyPath: 'id' });
    attendance.createIndex('sessionId', 'sessionId');
    attendance.createIndex('learnerId', 'learnerId');
    const learners = database.createObjectStore('learners', { keyPath: 'id' });
    for (const index of SCHEMA_V2.learners.split(',').slice(1)) {
      const field = index.trim().replace(/^\*/, '');
      learners.createIndex(field, field, { multiEntry: index.trim().startsWith('*') });
    }
  };
  return requestToPromise(request);
}

async function deleteDatabase(name: string): Promise<void> {
  await requestToPromise(indexedDB.deleteDatabase(name));
}

async function timed(action: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** The attendance row the app would store for a present mark, written by the baselines. */
function attendanceRow(learnerId: string) {
  const now = new Date().toISOString();
  return {
    id: attendanceId(SESSION.id, learnerId),
    createdAt: now,
    updatedAt: now,
    deviceId: 'bench',
    deleted: false,
    sessionId: SESSION.id,
    learnerId,
    mark: 'P' as const,
    absenceReason: null,
    minutesAttended: 120,
    markedBy: 'Bench Tutor',
    markedAt: now,
    markedLate: false,
  };
}

/**
 * Marks through src/db. `signedIn`: the device knows the server's key, so each change is also sealed
 * to the server, as on a tablet that has signed in once.
 */
async function appMarks(count: number, signedIn = false): Promise<number> {
  const name = `bench-app-${crypto.randomUUID()}`;
  const db = new OutreachDatabase(name);
  await db.open();
  if (signedIn) {
    const server = await generateServerSealingKeyPair();
    await rememberServerSealingKey(db, { keyId: server.keyId, publicKey: server.publicKey });
  }
  const learnerIds = Array.from({ length: count }, () => crypto.randomUUID());
  const ms = await timed(async () => {
    for (const learnerId of learnerIds) {
      await markAttendance(db, { session: SESSION, learnerId, mark: 'P', markedBy: 'Bench Tutor' });
    }
  });
  if (!signedIn) writtenMarks = await marksAsWritten(db);
  db.close();
  await deleteDatabase(name);
  return ms;
}

/** What one mark wrote: its row, its outbox batch and the writer state after it. */
type WrittenMark = { attendance: unknown; batch: OutboxBatch; writer: unknown };
/** The rows the last app run wrote, for the raw baseline to write the same. */
let writtenMarks: WrittenMark[] = [];
let writtenLearners: { learners: unknown[]; batches: OutboxBatch[]; writer: unknown } | null = null;

async function marksAsWritten(db: OutreachDatabase): Promise<WrittenMark[]> {
  const [marks, batches, writer] = await Promise.all([
    db.attendance.toArray(),
    db.outbox.toArray(),
    db.meta.get('writer'),
  ]);
  const markById = new Map(marks.map((mark) => [mark.id, mark]));
  return batches.map((batch) => ({
    attendance: markById.get(batch.changes[0]?.entityId ?? ''),
    batch,
    writer: { ...writer, lastMutationId: batch.lastMutationId },
  }));
}

/** A raw IndexedDB connection to a new database made with the app's own schema (stores and indexes). */
async function openRawWithAppSchema(name: string): Promise<IDBDatabase> {
  const db = new OutreachDatabase(name);
  await db.open();
  db.close();
  return requestToPromise(indexedDB.open(name));
}

/**
 * Raw IndexedDB writing exactly the rows the app's marks wrote: row, outbox batch, writer; one
 * transaction each. `readFirst`: each transaction first reads what the app's must (the mark before
 * and the writer state) and writes once the reads are back, which is what the change log's
 * bookkeeping costs in IndexedDB round trips alone, before Dexie.
 */
async function rawSameRowsMarks(readFirst = false): Promise<number> {
  const name = `bench-raw-same-${crypto.randomUUID()}`;
  const database = await openRawWithAppSchema(name);
  const ms = await timed(async () => {
    for (const written of writtenMarks) {
      const transaction = database.transaction(['attendance', 'outbox', 'meta'], 'readwrite');
      const attendance = transaction.objectStore('attendance');
      const meta = transaction.objectStore('meta');
      if (readFirst) {
        await Promise.all([
          ...['writer', 'serverSealingKey', 'vault'].map((key) => requestToPromise(meta.get(key))),
          requestToPromise(attendance.get(written.batch.changes[0]?.entityId ?? '')),
        ]);
      }
      attendance.put(written.attendance);
      transaction.objectStore('outbox').add(written.batch);
      meta.put(written.writer);
      await transactionDone(transaction);
    }
  });
  database.close();
  await deleteDatabase(name);
  return ms;
}

/** Raw IndexedDB writing exactly the rows the app's bulk write wrote, in one transaction. */
async function rawSameRowsLearners(): Promise<number> {
  const written = writtenLearners;
  if (!written) throw new Error('Run appLearners first');
  const name = `bench-raw-same-${crypto.randomUUID()}`;
  const database = await openRawWithAppSchema(name);
  const ms = await timed(async () => {
    const transaction = database.transaction(['learners', 'outbox', 'meta'], 'readwrite');
    const learners = transaction.objectStore('learners');
    for (const row of written.learners) learners.put(row);
    for (const batch of written.batches) transaction.objectStore('outbox').add(batch);
    transaction.objectStore('meta').put(written.writer);
    await transactionDone(transaction);
  });
  database.close();
  await deleteDatabase(name);
  return ms;
}

async function rawMarks(count: number): Promise<number> {
  const name = `bench-raw-${crypto.randomUUID()}`;
  const database = await openRawDatabase(name);
  const learnerIds = Array.from({ length: count }, () => crypto.randomUUID());
  const ms = await timed(async () => {
    for (const learnerId of learnerIds) {
      const transaction = database.transaction('attendance', 'readwrite');
      transaction.objectStore('attendance').put(attendanceRow(learnerId));
      await transactionDone(transaction);
    }
  });
  database.close();
  await deleteDatabase(name);
  return ms;
}

/** Dexie with no change log: one bare put per transaction, to show what Dexie itself costs. */
async function dexieMarks(count: number): Promise<number> {
  const name = `bench-dexie-${crypto.randomUUID()}`;
  const db = new OutreachDatabase(name);
  await db.open();
  const learnerIds = Array.from({ length: count }, () => crypto.randomUUID());
  const ms = await timed(async () => {
    for (const learnerId of learnerIds) {
      await db.attendance.put(attendanceRow(learnerId));
    }
  });
  db.close();
  await deleteDatabase(name);
  return ms;
}

async function appLearners(count: number, run: number): Promise<number> {
  const name = `bench-app-${crypto.randomUUID()}`;
  const db = new OutreachDatabase(name);
  await db.open();
  const learners = makeLearners(count, run);
  const ms = await timed(() => saveNewLearners(db, learners));
  writtenLearners = {
    learners: await db.learners.toArray(),
    batches: await db.outbox.toArray(),
    writer: await db.meta.get('writer'),
  };
  db.close();
  await deleteDatabase(name);
  return ms;
}

async function rawLearners(count: number, run: number): Promise<number> {
  const name = `bench-raw-${crypto.randomUUID()}`;
  const database = await openRawDatabase(name);
  const learners = makeLearners(count, run);
  const ms = await timed(async () => {
    // The same rows the app stores: the learner with its local search keys.
    const transaction = database.transaction('learners', 'readwrite');
    const store = transaction.objectStore('learners');
    for (const learner of learners) store.put(learnerRowFrom(learner));
    await transactionDone(transaction);
  });
  database.close();
  await deleteDatabase(name);
  return ms;
}

declare global {
  // Declaration merging with the DOM's Window needs an interface.
  // eslint-disable-next-line @typescript-eslint/consistent-type-definitions
  interface Window {
    storageBench: {
      appMarks: typeof appMarks;
      rawMarks: typeof rawMarks;
      dexieMarks: typeof dexieMarks;
      appLearners: typeof appLearners;
      rawSameRowsMarks: typeof rawSameRowsMarks;
      rawSameRowsLearners: typeof rawSameRowsLearners;
      rawLearners: typeof rawLearners;
    };
  }
}

window.storageBench = {
  appMarks,
  rawMarks,
  dexieMarks,
  appLearners,
  rawLearners,
  rawSameRowsMarks,
  rawSameRowsLearners,
};
document.body.dataset.ready = 'true';
