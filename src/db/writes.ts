// The one write path: every change to a synced record goes through writeChanges, and one user action
// is one read-write transaction: the action reads what it needs and says what to write; the rows'
// personal fields and the changes are sealed (synchronously, src/crypto); the rows, the outbox batch
// and the writer state are written together. If it fails, none of them exists; if it commits, the
// change will be pushed even if the tab closes now. IndexedDB runs read-write transactions over the
// same tables one at a time, so a change planned from a row never meets another tab's change to it.
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
import type { SealingKey } from '../crypto/outboxSeal';
import {
  type OutreachDatabase,
  type ServerSealingKeyRow,
  type VaultRow,
  type WriterState,
  TABLE_OF_ENTITY,
  learnerFromRow,
} from './database';
import { toStoreError } from './errors';
import { heldSealingKey, outboxFields, sealingKeyFor, serverSealingKeyOf } from './outboxSealing';
import { hasSealedFields, isSealedRow, openRow, storedRowFor } from './sealedRows';
import { heldDataKeys, requireDataKeys } from './vault';

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
/** A write fetches at most the data key and the sealing key before it runs for good. */
const MAX_WRITE_ATTEMPTS = 3;
/**
 * A big write (an import, a bulk enrolment) is sealed and handed to IndexedDB this many records at a
 * time, so IndexedDB stores one part while the next is sealed.
 */
const RECORDS_PER_WRITE_PART = 1000;

type Row = Record<string, unknown>;

/** What an action said to write: records as given (readable, or rows as read), and what they were. */
type PlannedPut = { entityType: EntityType; record: Row; before: Row | undefined };
type Plan = { puts: PlannedPut[]; draftDeletes: string[] };

/** Rows ready to write, and the changes for the outbox (mutation ids are given at commit). */
type PendingChange = Omit<RecordChange, 'mutationId'>;
type Sealed = { rows: Map<string, Row[]>; changes: PendingChange[] };

/**
 * A write needs a key this tab does not hold yet. Fetching one may take WebCrypto calls and
 * transactions of its own, so the write's transaction stops (nothing written) and runs again after.
 */
class KeyNeeded extends Error {
  constructor(readonly fetch: () => Promise<unknown>) {
    super('A key is needed before this change can be written');
  }
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
      plan.puts.push({ entityType, record: record as Row, before: before as Row | undefined });
    },
    async putNew(entityType, records) {
      for (const record of records) plan.puts.push({ entityType, record: record as Row, before: undefined });
    },
    deleteDraft(draftId) {
      plan.draftDeletes.push(draftId);
    },
  };
}

function needsDataKey(plan: Plan): boolean {
  return plan.puts.some(
    (put) =>
      hasSealedFields(put.entityType) || isSealedRow(put.record) || (put.before && isSealedRow(put.before)),
  );
}

/** The data key held here, while the vault it came from still exists (an erase in another tab ends it). */
function dataKeysFor(db: OutreachDatabase, vault: VaultRow | undefined): DataKeys {
  const held = heldDataKeys(db);
  if (held && vault) return held;
  throw new KeyNeeded(() => requireDataKeys(db));
}

/** The sealing key for the server's key as last fetched; null while none was ever fetched. */
function sealingKeyForWrite(
  db: OutreachDatabase,
  server: ServerSealingKeyRow | undefined,
): SealingKey | null {
  if (!server) return null;
  const held = heldSealingKey(db, server.keyId);
  if (held) return held;
  throw new KeyNeeded(() => sealingKeyFor(db, serverSealingKeyOf(server)));
}

/** A learner row read from the table carries local index keys the synced record does not have. */
function syncedForm(entityType: EntityType, record: Row): Row {
  return entityType === 'learner' && 'searchTokens' in record
    ? (learnerFromRow(record as never) as unknown as Row)
    : record;
}

function readable(keys: DataKeys | null, entityType: EntityType, record: Row): Row {
  const synced = syncedForm(entityType, record);
  return keys ? openRow(keys, entityType, synced) : synced;
}

/** Every row's personal fields sealed at rest, every change sealed to the server (when its key is known). */
function sealPuts(keys: DataKeys | null, sealing: SealingKey | null, puts: readonly PlannedPut[]): Sealed {
  const rows = new Map<string, Row[]>();
  const changes: PendingChange[] = [];
  for (const put of puts) {
    const record = readable(keys, put.entityType, put.record);
    const before = put.before ? readable(keys, put.entityType, put.before) : undefined;
    const fields = changedFields(before, record);
    const meaningful = Object.keys(fields).filter((key) => key !== IGNORED_FOR_CHANGE_DETECTION);
    if (before && meaningful.length === 0) continue;
    const identity = { entityType: put.entityType, entityId: String(record['id']), op: 'put' as const };
    const table = TABLE_OF_ENTITY[put.entityType];
    const stored = keys ? storedRowFor(keys, put.entityType, record) : record;
    const tableRows = rows.get(table);
    if (tableRows) tableRows.push(stored);
    else rows.set(table, [stored]);
    const outbox = outboxFields(sealing, identity, fields);
    // Sealed values need their field names beside them; readable ones carry their own.
    changes.push(
      'sealed' in outbox
        ? { ...identity, fieldNames: Object.keys(fields), ...outbox }
        : { ...identity, ...outbox },
    );
  }
  return { rows, changes };
}

/**
 * Runs one user action as one change, in one read-write transaction over the named tables (see the
 * top of this file). The action may run more than once (when a key had to be fetched first), so it
 * must do nothing but read and plan.
 */
export async function writeChanges<T>(
  db: OutreachDatabase,
  tableNames: readonly TableName[],
  action: (writer: ChangeWriter, deviceId: string) => Promise<T>,
): Promise<T> {
  const tables: Table[] = [...new Set(tableNames)].map((name) => db.table(name));
  try {
    const deviceId = await writerDeviceId(db);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await db.transaction('rw', [...tables, db.meta, db.outbox, db.sealingKeys], async () => {
          // Asked for before the action runs, so both reads travel to the database together.
          const metaRows = db.meta.bulkGet(['writer', 'serverSealingKey', 'vault']);
          metaRows.catch(() => undefined);
          const plan: Plan = { puts: [], draftDeletes: [] };
          const result = await action(planningWriter(plan), deviceId);
          const [writerRow, serverKey, vault] = (await metaRows) as [
            WriterState | undefined,
            ServerSealingKeyRow | undefined,
            VaultRow | undefined,
          ];
          if (plan.puts.length === 0 && plan.draftDeletes.length === 0) return result;
          const writer = writerRow ?? (await ensureWriterState(db));
          // The keys are used as they are now: an erase, which forgets them, waits for this
          // transaction (it clears every table), and nothing else here awaits anything but IndexedDB.
          const keys = needsDataKey(plan) ? dataKeysFor(db, vault) : null;
          const sealing = plan.puts.length > 0 ? sealingKeyForWrite(db, serverKey) : null;
          // Queued without waiting for each other: IndexedDB applies them in order within the
          // transaction, and a failed one aborts it all. A queued write's own rejection is marked
          // handled here and surfaces through Promise.all below.
          const writes: Promise<unknown>[] = [];
          const queue = (write: Promise<unknown>) => {
            write.catch(() => undefined);
            writes.push(write);
          };
          const changes: PendingChange[] = [];
          for (let start = 0; start < plan.puts.length; start += RECORDS_PER_WRITE_PART) {
            // Lets Dexie send the part queued before to IndexedDB before this one is sealed.
            if (start > 0) await Dexie.Promise.resolve();
            const part = sealPuts(keys, sealing, plan.puts.slice(start, start + RECORDS_PER_WRITE_PART));
            for (const [table, rows] of part.rows) queue(db.table(table).bulkPut(rows));
            for (const change of part.changes) changes.push(change);
          }
          for (const draftId of plan.draftDeletes) queue(db.table('drafts').delete(draftId));
          if (changes.length > 0) {
            // Stored again with every batch: the changes can never be in the outbox without it (an
            // erase in another tab may have cleared it since this tab made the key).
            if (sealing) queue(db.sealingKeys.put(sealing.wrapped));
            appendBatch(db, writer, changes).forEach(queue);
          }
          await Dexie.Promise.all(writes);
          return result;
        });
      } catch (error) {
        if (!(error instanceof KeyNeeded) || attempt >= MAX_WRITE_ATTEMPTS) throw error;
        await error.fetch();
      }
    }
  } catch (error) {
    throw toStoreError(error);
  }
}

function appendBatch(
  db: OutreachDatabase,
  writerState: WriterState,
  pending: PendingChange[],
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
