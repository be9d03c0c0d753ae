// The one write path: every change to a synced record goes through writeChanges, which writes the
// records and appends their outbox batch in the same IndexedDB transaction. If the transaction
// fails, neither exists; if it commits, the change will be pushed even if the tab closes now.
import Dexie, { type Table } from 'dexie';
import {
  CHANGE_LOG_ENTRY_VERSION,
  changedFields,
  type OutboxBatch,
  type RecordChange,
} from '../domain/changeLog';
import { clockNodeFromDeviceId, formatHlc, tickHlc } from '../domain/hlc';
import { newId } from '../domain/ids';
import type { EntityType, RECORD_SCHEMAS } from '../domain/records';
import type { z } from 'zod';
import {
  type LearnerRow,
  type OutreachDatabase,
  type WriterState,
  TABLE_OF_ENTITY,
  learnerFromRow,
  learnerRowFrom,
} from './database';
import { toStoreError } from './errors';

// Dexie turns its debug mode on for any page served from localhost or 127.0.0.1, production builds
// included (a laptop running `npm start`, the benchmarks): a console task and a traced catch on every
// table call, roughly a third more time per write. Follow the build instead: long async stack traces
// in development only.
Dexie.debug = import.meta.env.DEV;

export type RecordOf<E extends EntityType> = z.output<(typeof RECORD_SCHEMAS)[E]>;
type TableName = (typeof TABLE_OF_ENTITY)[EntityType] | 'drafts';

export type ChangeWriter = {
  /** Stores a record and logs the fields that differ from `before` (all of them for a new record). */
  put<E extends EntityType>(entityType: E, record: RecordOf<E>, before?: RecordOf<E>): Promise<void>;
  /** Stores many new records in one go (imports, walk-ins in bulk). */
  putNew<E extends EntityType>(entityType: E, records: RecordOf<E>[]): Promise<void>;
};

const IGNORED_FOR_CHANGE_DETECTION = 'updatedAt';

function storedForm<E extends EntityType>(entityType: E, record: RecordOf<E>): unknown {
  return entityType === 'learner' ? learnerRowFrom(record as RecordOf<'learner'>) : record;
}

function syncedForm<E extends EntityType>(
  entityType: E,
  record: RecordOf<E> | undefined,
): RecordOf<E> | undefined {
  if (record && entityType === 'learner' && 'searchTokens' in record) {
    return learnerFromRow(record as unknown as LearnerRow) as RecordOf<E>;
  }
  return record;
}

/** The device's writer row, made on first use: a new device id is never a reused one. */
export async function ensureWriterState(db: OutreachDatabase): Promise<WriterState> {
  const existing = (await db.meta.get('writer')) as WriterState | undefined;
  if (existing) return existing;
  const deviceId = newId();
  const writer: WriterState = {
    key: 'writer',
    deviceId,
    lastMutationId: 0,
    clock: { millis: 0, counter: 0, node: clockNodeFromDeviceId(deviceId) },
  };
  await db.meta.put(writer);
  return writer;
}

/** The device id never changes while a database is open (a wiped device is a new database). */
const knownDeviceIds = new WeakMap<OutreachDatabase, string>();

/**
 * Runs one user action as one transaction over the named tables, the outbox and the writer state.
 * The record and outbox writes are queued without waiting for each other: IndexedDB applies them in
 * order within the transaction, and a failed one aborts it all. (Reads stay sequential: native async
 * reads run side by side lose Dexie's transaction zone and commit it early.)
 */
export async function writeChanges<T>(
  db: OutreachDatabase,
  tableNames: readonly TableName[],
  action: (writer: ChangeWriter, deviceId: string) => Promise<T>,
): Promise<T> {
  const tables: Table[] = [...new Set(tableNames)].map((name) => db.table(name));
  try {
    return await db.transaction('rw', [...tables, db.meta, db.outbox], async () => {
      // The writer row is read alongside the action's own reads (a Dexie request, not an async
      // function, so the transaction zone follows it); the device id it needs never changes.
      const writerRead = db.meta.get('writer');
      const knownDeviceId = knownDeviceIds.get(db);
      const writerState = knownDeviceId ? null : await ensureWriterState(db);
      const deviceId = knownDeviceId ?? writerState?.deviceId ?? '';
      const pending: Omit<RecordChange, 'mutationId'>[] = [];
      const writes: Promise<unknown>[] = [];
      // A failed queued write aborts the transaction, which rejects it as a whole: the single
      // write's own rejection is marked handled here and surfaces through Promise.all below.
      const queue = (write: Promise<unknown>) => {
        write.catch(() => undefined);
        writes.push(write);
      };
      const writer: ChangeWriter = {
        async put(entityType, record, before) {
          const fields = changedFields(syncedForm(entityType, before), record) as Record<string, unknown>;
          const meaningful = Object.keys(fields).filter((key) => key !== IGNORED_FOR_CHANGE_DETECTION);
          if (before && meaningful.length === 0) return;
          queue(db.table(TABLE_OF_ENTITY[entityType]).put(storedForm(entityType, record)));
          pending.push({ entityType, entityId: record.id, op: 'put', fields });
        },
        async putNew(entityType, records) {
          writes.push(
            db
              .table(TABLE_OF_ENTITY[entityType])
              .bulkPut(records.map((record) => storedForm(entityType, record))),
          );
          for (const record of records) {
            pending.push({ entityType, entityId: record.id, op: 'put', fields: { ...record } });
          }
        },
      };
      const result = await action(writer, deviceId);
      if (pending.length > 0) {
        const current =
          writerState ?? ((await writerRead) as WriterState | undefined) ?? (await ensureWriterState(db));
        knownDeviceIds.set(db, current.deviceId);
        appendBatch(db, current, pending).forEach(queue);
      }
      await Dexie.Promise.all(writes);
      return result;
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

function appendBatch(
  db: OutreachDatabase,
  writerState: WriterState,
  pending: Omit<RecordChange, 'mutationId'>[],
): Promise<unknown>[] {
  const now = new Date();
  const clock = tickHlc(writerState.clock, now.getTime());
  const firstMutationId = writerState.lastMutationId + 1;
  const batch: OutboxBatch = {
    firstMutationId,
    lastMutationId: firstMutationId + pending.length - 1,
    hlc: formatHlc(clock),
    madeAt: now.toISOString(),
    changes: pending.map((change, index) => ({ ...change, mutationId: firstMutationId + index })),
    entryVersion: CHANGE_LOG_ENTRY_VERSION,
  };
  return [db.outbox.add(batch), db.meta.put({ ...writerState, lastMutationId: batch.lastMutationId, clock })];
}

/** Fields every new record starts with. */
export function newRecordBase(deviceId: string, now: string, id: string = newId()) {
  return { id, createdAt: now, updatedAt: now, deviceId, deleted: false };
}
