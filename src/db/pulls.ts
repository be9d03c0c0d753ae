// Applying what the server sends: a pulled page and its cursor in one transaction (never the cursor
// ahead of the data), a table replaced for repair, and the per-table checksums compared after catching up.
import type { Table } from 'dexie';
import type { OutboxBatch } from '../domain/changeLog';
import { type HlcState, parseHlc } from '../domain/hlc';
import type { EntityType, Learner } from '../domain/records';
import { createTableChecksum } from '../domain/sync/checksum';
import { latestHlc } from '../domain/sync/merge';
import type { PulledRecord, PullResponse, SyncedEntityType, TableChecksum } from '../domain/sync/protocol';
import {
  type LearnerRow,
  type OutreachDatabase,
  type SyncStateRow,
  type WriterState,
  TABLE_OF_ENTITY,
  learnerFromRow,
  learnerRowFrom,
} from './database';
import { toStoreError } from './errors';
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

/** The field values still waiting in the outbox, per record: later changes over earlier ones. */
function pendingFieldsByRecord(batches: readonly OutboxBatch[]): Map<string, Record<string, unknown>> {
  const pending = new Map<string, Record<string, unknown>>();
  for (const batch of batches) {
    for (const change of batch.changes) {
      const key = keyOf(change.entityType, change.entityId);
      pending.set(key, { ...pending.get(key), ...change.fields });
    }
  }
  return pending;
}

/**
 * The row a pulled record becomes on the device: the server's state, with the fields still waiting in
 * the outbox laid on top (they were changed here while the pull was in flight and are pushed next).
 * A tombstone stays a tombstone: an edit waiting for a deleted record will be refused by the server.
 */
function rowFor(record: PulledRecord, pending: Record<string, unknown> | undefined): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...record.data };
  if (pending && !record.deleted) Object.assign(merged, pending);
  merged['id'] = record.entityId;
  if (record.deleted) merged['deleted'] = true;
  if (record.entityType !== 'learner') return merged;
  try {
    return learnerRowFrom(merged as Learner);
  } catch {
    // A tombstone may lack the fields search keys are made from; it is never searched for anyway.
    return { ...merged, searchTokens: [], emailKey: '', phoneKey: '' };
  }
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

async function writeRecords(
  db: OutreachDatabase,
  records: readonly PulledRecord[],
  pending: Map<string, Record<string, unknown>>,
): Promise<void> {
  const byType = new Map<SyncedEntityType, Record<string, unknown>[]>();
  for (const record of records) {
    const rows = byType.get(record.entityType) ?? [];
    rows.push(rowFor(record, pending.get(keyOf(record.entityType, record.entityId))));
    byType.set(record.entityType, rows);
  }
  for (const [entityType, rows] of byType) await tableOf(db, entityType).bulkPut(rows);
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
    await db.transaction('rw', [...syncedTables(db), db.outbox, db.meta], async () => {
      const pending = pendingFieldsByRecord(await db.outbox.toArray());
      await writeRecords(db, page.records, pending);
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
    await db.transaction('rw', [tableOf(db, entityType), db.outbox, db.meta], async () => {
      const pending = pendingFieldsByRecord(await db.outbox.toArray());
      await tableOf(db, entityType).clear();
      await writeRecords(
        db,
        records.filter((record) => record.entityType === entityType),
        pending,
      );
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

/** Count and SHA-256 per table, over the same canonical form and id order as the server's. */
export async function localChecksums(
  db: OutreachDatabase,
  entityTypes: readonly SyncedEntityType[] = CHECKSUMMED_ENTITY_TYPES,
): Promise<Partial<Record<SyncedEntityType, TableChecksum>>> {
  const tables: Partial<Record<SyncedEntityType, TableChecksum>> = {};
  if (entityTypes.length === 0) return tables;
  await db.transaction(
    'r',
    entityTypes.map((entityType) => tableOf(db, entityType)),
    async () => {
      for (const entityType of entityTypes) {
        const checksum = createTableChecksum();
        // Primary-key order: IndexedDB compares string keys by code unit, as the checksum requires.
        await tableOf(db, entityType).each((row) => {
          checksum.add(String(row['id']), syncedFormOf(entityType, row));
        });
        tables[entityType] = checksum.result();
      }
    },
  );
  return tables;
}
