// Applying what the server sends: a pulled page and its cursor in one transaction (never the cursor
// ahead of the data), a table replaced for repair, and the per-table checksums compared after catching up.
import type { Table } from 'dexie';
import type { OutboxBatch } from '../domain/changeLog';
import { type HlcState, parseHlc } from '../domain/hlc';
import type { EntityType, Learner } from '../domain/records';
import { createTableChecksum } from '../domain/sync/checksum';
import { latestHlc } from '../domain/sync/merge';
import type { PulledRecord, PullResponse, SyncedEntityType, TableChecksum } from '../domain/sync/protocol';
import { type DataKeys } from '../crypto/dataKey';
import { fieldNamesOf } from '../domain/changeLog';
import {
  type LearnerRow,
  type OutreachDatabase,
  type SyncStateRow,
  type WriterState,
  TABLE_OF_ENTITY,
  learnerFromRow,
} from './database';
import { erasedLearnerIdsIn, purgeErasedLearners } from './erasure';
import { toStoreError } from './errors';
import { hasSealedFields, learnerRowFor, openRow, openStoredRows, sealRow, storedRowFor } from './sealedRows';
import { requireDataKeys } from './vault';
import { INITIAL_SYNC_STATE } from './syncState';
import { ensureWriterState } from './writes';

/** The device table that holds each synced type, server-owned ones included. */
const TABLE_OF_SYNCED = {
  ...TABLE_OF_ENTITY,
  organisation: 'organisations',
  user: 'users',
  documentVersion: 'documentVersions',
} as const satisfies Record<SyncedEntityType, string>;

/**
 * Types whose device table holds exactly what the server holds, so their checksums can be compared.
 * Document versions are left out: the device also keeps the versions shipped with the app.
 */
export const CHECKSUMMED_ENTITY_TYPES = [
  ...(Object.keys(TABLE_OF_ENTITY) as EntityType[]),
  'organisation',
  'user',
] as const satisfies readonly SyncedEntityType[];

function tableOf(db: OutreachDatabase, entityType: SyncedEntityType): Table<Record<string, unknown>, string> {
  return db.table(TABLE_OF_SYNCED[entityType]);
}

const keyOf = (entityType: string, entityId: string) => `${entityType}/${entityId}`;

/**
 * The fields still waiting in the outbox, by record. Their values are sealed to the server, so they
 * are read from the device's own row, which holds them (every local write sets both).
 */
function pendingFieldNamesByRecord(batches: readonly OutboxBatch[]): Map<string, Set<string>> {
  const pending = new Map<string, Set<string>>();
  for (const batch of batches) {
    for (const change of batch.changes) {
      const key = keyOf(change.entityType, change.entityId);
      const names = pending.get(key) ?? new Set<string>();
      for (const name of fieldNamesOf(change)) names.add(name);
      pending.set(key, names);
    }
  }
  return pending;
}

type Row = Record<string, unknown>;

/** Rows ready to write for a page. */
type PreparedRows = {
  rows: Map<SyncedEntityType, Row[]>;
  /** Records with changes still waiting in the outbox, as "entityType/id". */
  pending: ReadonlySet<string>;
};

/**
 * The rows pulled records become on the device, made inside the transaction that writes them (their
 * personal fields sealed): the server's state, with the fields still waiting in the outbox laid on
 * top (changed here while the pull was in flight; they are pushed next). A tombstone stays a
 * tombstone: an edit waiting for a deleted record will be refused by the server.
 */
async function prepareRows(
  db: OutreachDatabase,
  keys: DataKeys | null,
  records: readonly PulledRecord[],
): Promise<PreparedRows> {
  const pending = pendingFieldNamesByRecord(await db.outbox.toArray());
  const rows = new Map<SyncedEntityType, Row[]>();
  for (const record of records) {
    const merged: Row = { ...record.data };
    const names = pending.get(keyOf(record.entityType, record.entityId));
    if (names && !record.deleted) {
      const local = await tableOf(db, record.entityType).get(record.entityId);
      if (local) {
        const opened = keys ? openRow(keys, record.entityType, local) : local;
        for (const name of names) if (name in opened) merged[name] = opened[name];
      }
    }
    merged['id'] = record.entityId;
    if (record.deleted) merged['deleted'] = true;
    const row = keys ? rowToStore(keys, record.entityType, merged) : merged;
    const typeRows = rows.get(record.entityType);
    if (typeRows) typeRows.push(row);
    else rows.set(record.entityType, [row]);
  }
  return { rows, pending: new Set(pending.keys()) };
}

function rowToStore(keys: DataKeys, entityType: SyncedEntityType, merged: Row): Row {
  if (entityType !== 'learner') return storedRowFor(keys, entityType, merged);
  try {
    return learnerRowFor(keys, merged as Learner);
  } catch {
    // A tombstone may lack the fields search keys are made from; it is never searched for anyway.
    return { ...sealRow(keys, 'learner', merged), searchTokens: [], emailKey: '', phoneKey: '' };
  }
}

/** The data key, when any of the records has fields sealed at rest. */
async function keysFor(db: OutreachDatabase, records: readonly PulledRecord[]): Promise<DataKeys | null> {
  return records.some((record) => hasSealedFields(record.entityType)) ? requireDataKeys(db) : null;
}

/**
 * Moves the device's clock to at least the newest stamp received, so later local edits sort after
 * it. Lenient: a stamp ahead of this device's wall clock (its clock is behind) is taken as it is,
 * and an unreadable one is ignored; receiving never fails.
 */
export function clockAfterReceiving(local: HlcState, stamp: string | null): HlcState {
  if (stamp === null) return local;
  let remote: HlcState;
  try {
    remote = parseHlc(stamp);
  } catch {
    return local;
  }
  if (!Number.isFinite(remote.millis)) return local;
  const isAhead =
    remote.millis > local.millis || (remote.millis === local.millis && remote.counter > local.counter);
  return isAhead ? { millis: remote.millis, counter: remote.counter, node: local.node } : local;
}

async function writeRows(db: OutreachDatabase, rows: PreparedRows['rows']): Promise<void> {
  for (const [entityType, typeRows] of rows) await tableOf(db, entityType).bulkPut(typeRows);
}

async function mergeClock(db: OutreachDatabase, records: readonly PulledRecord[]): Promise<void> {
  const newest = latestHlc(records.map((record) => record.hlc).filter((stamp) => stamp !== ''));
  if (newest === null) return;
  const writer = ((await db.meta.get('writer')) as WriterState | undefined) ?? (await ensureWriterState(db));
  const clock = clockAfterReceiving(writer.clock, newest);
  if (clock !== writer.clock) await db.meta.put({ ...writer, clock });
}

function syncedTables(db: OutreachDatabase): Table[] {
  return [...new Set(Object.values(TABLE_OF_SYNCED))].map((name) => db.table(name));
}

/**
 * Writes every record of a pulled page and the page's cursor in one transaction: if it fails,
 * neither is kept and the same page is pulled again.
 */
export async function applyPulledPage(db: OutreachDatabase, page: PullResponse): Promise<void> {
  try {
    // Learners erased on the server leave nothing here, outbox and drafts included, before the page lands.
    await purgeErasedLearners(db, erasedLearnerIdsIn(page.records));
    const keys = await keysFor(db, page.records);
    await db.transaction('rw', [...syncedTables(db), db.outbox, db.meta], async () => {
      const prepared = await prepareRows(db, keys, page.records);
      await writeRows(db, prepared.rows);
      await mergeClock(db, page.records);
      const state = ((await db.meta.get('sync')) as SyncStateRow | undefined) ?? INITIAL_SYNC_STATE;
      await db.meta.put({ ...state, cursor: page.cursor, scope: page.scope });
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

/**
 * Repair: replaces a table's rows with the server's (every record of the type, tombstones included),
 * keeping outbox values on top as a pull does. One transaction.
 */
export async function replaceTable(
  db: OutreachDatabase,
  entityType: SyncedEntityType,
  records: readonly PulledRecord[],
): Promise<void> {
  try {
    const ofType = records.filter((record) => record.entityType === entityType);
    await purgeErasedLearners(db, erasedLearnerIdsIn(ofType));
    const keys = await keysFor(db, ofType);
    await db.transaction('rw', [tableOf(db, entityType), db.outbox, db.meta], async () => {
      const prepared = await prepareRows(db, keys, ofType);
      // A record made here and not pushed yet is not among the server's: it is kept as it is.
      const serverIds = new Set(ofType.map((record) => record.entityId));
      const waitingIds = [...prepared.pending]
        .filter((key) => key.startsWith(`${entityType}/`))
        .map((key) => key.slice(entityType.length + 1))
        .filter((id) => !serverIds.has(id));
      const waitingRows = (await tableOf(db, entityType).bulkGet(waitingIds)).filter(
        (row) => row !== undefined,
      );
      await tableOf(db, entityType).clear();
      await writeRows(db, prepared.rows);
      if (waitingRows.length > 0) await tableOf(db, entityType).bulkPut(waitingRows);
      await mergeClock(db, records);
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

/** A device row as the server holds it: learners without their local search keys. */
function syncedFormOf(entityType: SyncedEntityType, row: Record<string, unknown>): Record<string, unknown> {
  return entityType === 'learner' ? learnerFromRow(row as unknown as LearnerRow) : row;
}

/** Rows read per IndexedDB request while hashing: a page per getAll, not a cursor step per row. */
const CHECKSUM_READ_PAGE = 2000;

/**
 * Every row of a table in primary-key order, a page at a time, so memory stays flat. The next page is
 * asked for before this one is visited, so IndexedDB reads it while the page is hashed.
 */
async function eachPageInIdOrder(table: Table, visit: (rows: Row[]) => void): Promise<void> {
  const pageAfter = (lastId: string | null): Promise<Row[]> =>
    (lastId === null ? table.orderBy(':id') : table.where(':id').above(lastId))
      .limit(CHECKSUM_READ_PAGE)
      .toArray() as Promise<Row[]>;
  let next = pageAfter(null);
  for (;;) {
    const rows = await next;
    // Synced tables are keyed by id.
    const lastId = rows.length === CHECKSUM_READ_PAGE ? (rows.at(-1)?.['id'] as string) : null;
    if (lastId !== null) next = pageAfter(lastId);
    try {
      visit(rows);
    } catch (error) {
      // The transaction ends with the error: the page asked for ahead is not wanted.
      next.catch(() => undefined);
      throw error;
    }
    if (lastId === null) return;
  }
}

/**
 * Count and SHA-256 per table, over the same canonical form and id order as the server's. Tables with
 * sealed fields are read first and opened outside the transaction; the rest are hashed as they are read.
 */
export async function localChecksums(
  db: OutreachDatabase,
  entityTypes: readonly SyncedEntityType[] = CHECKSUMMED_ENTITY_TYPES,
): Promise<Partial<Record<SyncedEntityType, TableChecksum>>> {
  const tables: Partial<Record<SyncedEntityType, TableChecksum>> = {};
  if (entityTypes.length === 0) return tables;
  const sealedRows = new Map<SyncedEntityType, Row[]>();
  await db.transaction(
    'r',
    entityTypes.map((entityType) => tableOf(db, entityType)),
    async () => {
      for (const entityType of entityTypes) {
        // Primary-key order: IndexedDB compares string keys by code unit, as the checksum requires.
        if (hasSealedFields(entityType)) {
          sealedRows.set(entityType, await tableOf(db, entityType).toArray());
          continue;
        }
        const checksum = createTableChecksum();
        await eachPageInIdOrder(tableOf(db, entityType), (rows) => {
          for (const row of rows) checksum.add(String(row['id']), syncedFormOf(entityType, row));
        });
        tables[entityType] = checksum.result();
      }
    },
  );
  for (const [entityType, rows] of sealedRows) {
    const opened = await openStoredRows(db, entityType, rows);
    const checksum = createTableChecksum();
    for (const row of opened) checksum.add(String(row['id']), syncedFormOf(entityType, row));
    tables[entityType] = checksum.result();
  }
  return tables;
}
