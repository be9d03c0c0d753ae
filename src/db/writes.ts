// The one write path: every change to a synced record goes through writeChanges. Personal fields are
// sealed at rest and every change is sealed to the server, and WebCrypto's promises would end a
// Dexie transaction, so a write runs in three steps:
//   1. plan: the action reads what it needs in a read-only transaction and says what to write;
//   2. seal: outside any transaction, the rows' personal fields and the changes are sealed;
//   3. commit: one read-write transaction checks that the rows planned from are unchanged (another
//      tab may have written meanwhile: then all three steps run again) and writes the rows, the
//      outbox batch and the writer state together. If it fails, none of them exists; if it commits,
//      the change will be pushed even if the tab closes now.
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
import type { DataKeys } from '../crypto/dataKey';
import type { WrappedSealingKey } from '../crypto/outboxSeal';
import { type OutreachDatabase, type WriterState, TABLE_OF_ENTITY, learnerFromRow } from './database';
import { StoreError, toStoreError } from './errors';
import { currentSealingKey, outboxFields } from './outboxSealing';
import { hasSealedFields, isSealedRow, openRow, storedRowFor } from './sealedRows';
import { requireDataKeys } from './vault';

export type RecordOf<E extends EntityType> = z.output<(typeof RECORD_SCHEMAS)[E]>;
type TableName = (typeof TABLE_OF_ENTITY)[EntityType] | 'drafts';

export type ChangeWriter = {
  /** Stores a record and logs the fields that differ from `before` (all of them for a new record). */
  put<E extends EntityType>(entityType: E, record: RecordOf<E>, before?: RecordOf<E>): Promise<void>;
  /** Stores many new records in one go (imports, walk-ins in bulk). */
  putNew<E extends EntityType>(entityType: E, records: RecordOf<E>[]): Promise<void>;
  /** Removes a form's draft in the same transaction (the draft became the saved record). */
  deleteDraft(draftId: string): void;
};

const IGNORED_FOR_CHANGE_DETECTION = 'updatedAt';
/** Tries before a write that keeps meeting another tab's writes gives up and says so. */
const MAX_WRITE_ATTEMPTS = 3;
export const CONFLICT_MESSAGE =
  'This record was being changed in another tab at the same moment, so your change was not saved. ' +
  'What you typed is still here: save again.';

type Row = Record<string, unknown>;

/** What an action said to write: records as given (readable, or rows as read), and what they were. */
type PlannedPut = { entityType: EntityType; record: Row; before: Row | undefined; isNew: boolean };
type Plan = { puts: PlannedPut[]; draftDeletes: string[] };

/** A row's content as it was read when planning, to find out at commit whether it changed since. */
type Snapshot = Map<string, Map<string, string>>;

/** Rows ready to write, and the changes for the outbox (mutation ids are given at commit). */
type Sealed = {
  rows: Map<string, Row[]>;
  changes: Omit<RecordChange, 'mutationId'>[];
  /** The wrapped form of the key the changes are sealed under, stored with them. */
  sealingKey: WrappedSealingKey | null;
};

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

async function writerDeviceId(db: OutreachDatabase): Promise<string> {
  const known = knownDeviceIds.get(db);
  if (known) return known;
  const writer = await db.transaction('rw', db.meta, () => ensureWriterState(db));
  knownDeviceIds.set(db, writer.deviceId);
  return writer.deviceId;
}

function planningWriter(plan: Plan): ChangeWriter {
  return {
    async put(entityType, record, before) {
      plan.puts.push({ entityType, record: record as Row, before: before as Row | undefined, isNew: false });
    },
    async putNew(entityType, records) {
      for (const record of records) {
        plan.puts.push({ entityType, record: record as Row, before: undefined, isNew: true });
      }
    },
    deleteDraft(draftId) {
      plan.draftDeletes.push(draftId);
    },
  };
}

function tableOfPut(put: PlannedPut): string {
  return TABLE_OF_ENTITY[put.entityType];
}

/** The stored rows each planned put (other than brand-new records) would replace, as JSON. */
async function readSnapshot(db: OutreachDatabase, plan: Plan): Promise<Snapshot> {
  const idsByTable = new Map<string, string[]>();
  for (const put of plan.puts) {
    if (put.isNew) continue;
    const ids = idsByTable.get(tableOfPut(put)) ?? [];
    ids.push(String(put.record['id']));
    idsByTable.set(tableOfPut(put), ids);
  }
  const snapshot: Snapshot = new Map();
  for (const [table, ids] of idsByTable) {
    const rows = await db.table(table).bulkGet(ids);
    snapshot.set(table, new Map(ids.map((id, index) => [id, JSON.stringify(rows[index] ?? null)])));
  }
  return snapshot;
}

async function isUnchanged(db: OutreachDatabase, snapshot: Snapshot): Promise<boolean> {
  for (const [table, rows] of snapshot) {
    const ids = [...rows.keys()];
    const current = await db.table(table).bulkGet(ids);
    if (ids.some((id, index) => rows.get(id) !== JSON.stringify(current[index] ?? null))) return false;
  }
  return true;
}

/** A learner row read from the table carries local index keys the synced record does not have. */
function syncedForm(entityType: EntityType, record: Row): Row {
  return entityType === 'learner' && 'searchTokens' in record
    ? (learnerFromRow(record as never) as unknown as Row)
    : record;
}

async function readable(keys: DataKeys | null, entityType: EntityType, record: Row): Promise<Row> {
  const synced = syncedForm(entityType, record);
  return keys ? openRow(keys, entityType, synced) : synced;
}

/** Step 2: every row's personal fields sealed at rest, every change sealed to the server. */
async function sealPlan(db: OutreachDatabase, plan: Plan): Promise<Sealed> {
  const needsDataKey = plan.puts.some(
    (put) =>
      hasSealedFields(put.entityType) || isSealedRow(put.record) || (put.before && isSealedRow(put.before)),
  );
  const keys = needsDataKey ? await requireDataKeys(db) : null;
  const sealing = plan.puts.length > 0 ? await currentSealingKey(db) : null;
  const prepared = await Promise.all(
    plan.puts.map(async (put) => {
      const record = await readable(keys, put.entityType, put.record);
      const before = put.before ? await readable(keys, put.entityType, put.before) : undefined;
      const fields = changedFields(before, record);
      const meaningful = Object.keys(fields).filter((key) => key !== IGNORED_FOR_CHANGE_DETECTION);
      if (before && meaningful.length === 0) return null;
      const entityId = String(record['id']);
      const identity = { entityType: put.entityType, entityId, op: 'put' as const };
      const [row, sealedFields] = await Promise.all([
        keys ? storedRowFor(keys, put.entityType, record) : Promise.resolve(record),
        outboxFields(sealing, identity, fields),
      ]);
      // Sealed values need their field names beside them; readable ones carry their own.
      const change: Omit<RecordChange, 'mutationId'> =
        'sealed' in sealedFields
          ? { ...identity, fieldNames: Object.keys(fields), ...sealedFields }
          : { ...identity, ...sealedFields };
      return { table: tableOfPut(put), row, change };
    }),
  );
  const rows = new Map<string, Row[]>();
  const changes: Omit<RecordChange, 'mutationId'>[] = [];
  for (const item of prepared) {
    if (!item) continue;
    rows.set(item.table, [...(rows.get(item.table) ?? []), item.row]);
    changes.push(item.change);
  }
  return { rows, changes, sealingKey: sealing?.wrapped ?? null };
}

/**
 * Runs one user action as one change: the action reads and plans in a read-only transaction over the
 * named tables; the plan is sealed; one transaction writes it with its outbox batch (see the top of
 * this file). The action may run more than once, so it must do nothing but read and plan.
 */
export async function writeChanges<T>(
  db: OutreachDatabase,
  tableNames: readonly TableName[],
  action: (writer: ChangeWriter, deviceId: string) => Promise<T>,
): Promise<T> {
  const tables: Table[] = [...new Set(tableNames)].map((name) => db.table(name));
  try {
    const deviceId = await writerDeviceId(db);
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt += 1) {
      const plan: Plan = { puts: [], draftDeletes: [] };
      const { result, snapshot } = await db.transaction('r', tables, async () => {
        const value = await action(planningWriter(plan), deviceId);
        return { result: value, snapshot: await readSnapshot(db, plan) };
      });
      if (plan.puts.length === 0 && plan.draftDeletes.length === 0) return result;
      const sealed = await sealPlan(db, plan);
      const committed = await db.transaction(
        'rw',
        [...tables, db.meta, db.outbox, db.sealingKeys],
        async () => {
          if (!(await isUnchanged(db, snapshot))) return false;
          // Queued without waiting for each other: IndexedDB applies them in order within the
          // transaction, and a failed one aborts it all. A queued write's own rejection is marked
          // handled here and surfaces through Promise.all below.
          const writes: Promise<unknown>[] = [];
          const queue = (write: Promise<unknown>) => {
            write.catch(() => undefined);
            writes.push(write);
          };
          for (const [table, rows] of sealed.rows) queue(db.table(table).bulkPut(rows));
          for (const draftId of plan.draftDeletes) queue(db.table('drafts').delete(draftId));
          // Stored again with every batch: the changes can never be in the outbox without it (an erase in
          // another tab may have cleared it since this tab made the key).
          if (sealed.sealingKey && sealed.changes.length > 0) queue(db.sealingKeys.put(sealed.sealingKey));
          if (sealed.changes.length > 0) {
            const writer =
              ((await db.meta.get('writer')) as WriterState | undefined) ?? (await ensureWriterState(db));
            appendBatch(db, writer, sealed.changes).forEach(queue);
          }
          await Dexie.Promise.all(writes);
          return true;
        },
      );
      if (committed) return result;
    }
    throw new StoreError('conflict', CONFLICT_MESSAGE);
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
