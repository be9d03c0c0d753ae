// Sync's state on the device: the `sync` meta row (status, server device id, cursor, last success
// and failure, who is signed in), acknowledging pushed changes and keeping the ones the server refused.
import { fieldNamesOf } from '../domain/changeLog';
import { liveQuery } from 'dexie';
import type { OutboxBatch, RecordChange } from '../domain/changeLog';
import type { SignedInUser, SyncFailureRecord, SyncStatus } from '../domain/sync/status';
import type { OutreachDatabase, RejectedChange, SyncStateRow, WriterState } from './database';
import { toStoreError } from './errors';

export const INITIAL_SYNC_STATE: SyncStateRow = {
  key: 'sync',
  status: 'signed-out',
  serverDeviceId: null,
  cursor: 0,
  lastSuccessAt: null,
  lastFailure: null,
  user: null,
};

export async function getSyncState(db: OutreachDatabase): Promise<SyncStateRow> {
  const row = (await db.meta.get('sync')) as SyncStateRow | undefined;
  return row ?? INITIAL_SYNC_STATE;
}

/** Changes some fields of the sync row, in one transaction (read, merge, write). */
export async function updateSyncState(
  db: OutreachDatabase,
  patch: Partial<Omit<SyncStateRow, 'key'>>,
): Promise<SyncStateRow> {
  return db.transaction('rw', db.meta, async () => {
    const next: SyncStateRow = { ...(await getSyncState(db)), ...patch, key: 'sync' };
    await db.meta.put(next);
    return next;
  });
}

/** The status to show when nothing is running: signed out, never synced, or what the last run left. */
function restingStatus(state: SyncStateRow): SyncStatus {
  if (!state.user) return 'signed-out';
  if (state.lastFailure) return state.lastFailure.reason === 'update-required' ? 'update-required' : 'failed';
  return state.lastSuccessAt ? 'up-to-date' : 'never-synced';
}

export async function recordSignedIn(db: OutreachDatabase, user: SignedInUser): Promise<SyncStateRow> {
  return db.transaction('rw', db.meta, async () => {
    const state = await getSyncState(db);
    // Another organisation's registration and cursor mean nothing to this one's server: start afresh.
    const otherOrganisation =
      state.deviceOrganisationId != null && state.deviceOrganisationId !== user.organisationId;
    const next: SyncStateRow = otherOrganisation
      ? {
          ...state,
          user,
          lastFailure: null,
          serverDeviceId: null,
          deviceOrganisationId: null,
          cursor: 0,
          lastSuccessAt: null,
          erased: null,
          lastUserId: user.id,
        }
      : { ...state, user, lastFailure: null, erased: null, lastUserId: user.id };
    await db.meta.put({ ...next, status: restingStatus(next) });
    return next;
  });
}

/**
 * Forgets who is signed in. The device keeps its server id, cursor and outbox: changes made while
 * signed out wait for the next sign-in.
 */
export async function recordSignedOut(db: OutreachDatabase): Promise<void> {
  await updateSyncState(db, { user: null, status: 'signed-out', lastFailure: null });
}

export async function recordSyncSuccess(db: OutreachDatabase, at: string): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const state = await getSyncState(db);
    const next: SyncStateRow = { ...state, lastSuccessAt: at, lastFailure: null };
    await db.meta.put({ ...next, status: restingStatus(next) });
  });
}

export async function recordSyncFailure(
  db: OutreachDatabase,
  failure: SyncFailureRecord,
  patch: Partial<Pick<SyncStateRow, 'user' | 'serverDeviceId'>> = {},
): Promise<void> {
  await db.transaction('rw', db.meta, async () => {
    const state = await getSyncState(db);
    const next: SyncStateRow = { ...state, ...patch, lastFailure: failure };
    await db.meta.put({ ...next, status: restingStatus(next) });
  });
}

/** A change the server refused, as its push answer gives it. */
export type RejectedResult = { mutationId: number; reason: string; message: string };

function labelTables(db: OutreachDatabase) {
  return [db.learners, db.venues, db.programmes];
}

/**
 * What a refused change's record is called, from the readable fields of its row on this device (its
 * values went sealed to the server, so the change itself cannot say).
 */
async function labelOf(db: OutreachDatabase, entityType: string, entityId: string): Promise<string | null> {
  switch (entityType) {
    case 'learner': {
      const row = await db.learners.get(entityId);
      return row ? `${row.givenNames} ${row.familyName}` : null;
    }
    case 'venue':
      return (await db.venues.get(entityId))?.name ?? null;
    case 'programme':
      return (await db.programmes.get(entityId))?.title ?? null;
    default:
      return null;
  }
}

/**
 * The server has applied or rejected every mutation up to `lastMutationId`: in one transaction, drops
 * them from the outbox (a batch acknowledged in part keeps its later changes) and keeps the rejected
 * ones in rejectedChanges. The writer row's lastMutationId is untouched, so ids are never reused.
 */
export async function acknowledgeThrough(
  db: OutreachDatabase,
  lastMutationId: number,
  rejected: readonly RejectedResult[],
  rejectedAt: string = new Date().toISOString(),
): Promise<void> {
  try {
    await db.transaction('rw', [db.outbox, db.rejectedChanges, ...labelTables(db)], async () => {
      const batches = await db.outbox.where('firstMutationId').belowOrEqual(lastMutationId).toArray();
      const changeById = new Map<number, { change: RecordChange; batch: OutboxBatch }>();
      for (const batch of batches) {
        for (const change of batch.changes) changeById.set(change.mutationId, { change, batch });
      }
      const rows: RejectedChange[] = [];
      for (const result of rejected) {
        const found = changeById.get(result.mutationId);
        // A replayed answer for a change already acknowledged: its rejection is stored already.
        if (!found) continue;
        const { change } = found;
        const label = await labelOf(db, change.entityType, change.entityId);
        rows.push({
          mutationId: result.mutationId,
          entityType: change.entityType,
          entityId: change.entityId,
          op: change.op,
          fieldNames: fieldNamesOf(change),
          ...(change.sealed ? { sealed: change.sealed } : { fields: change.fields ?? {} }),
          ...(label ? { label } : {}),
          reason: result.reason,
          message: result.message,
          madeAt: found.batch.madeAt,
          rejectedAt,
        });
      }
      if (rows.length > 0) await db.rejectedChanges.bulkPut(rows);
      for (const batch of batches) {
        await db.outbox.delete(batch.firstMutationId);
        const left = batch.changes.filter((change) => change.mutationId > lastMutationId);
        const first = left[0];
        if (first) await db.outbox.put({ ...batch, firstMutationId: first.mutationId, changes: left });
      }
    });
  } catch (error) {
    throw toStoreError(error);
  }
}

export async function listRejectedChanges(db: OutreachDatabase): Promise<RejectedChange[]> {
  return db.rejectedChanges.orderBy('mutationId').toArray();
}

export async function countRejectedChanges(db: OutreachDatabase): Promise<number> {
  return db.rejectedChanges.count();
}

export async function dismissRejectedChange(db: OutreachDatabase, mutationId: number): Promise<void> {
  try {
    await db.rejectedChanges.delete(mutationId);
  } catch (error) {
    throw toStoreError(error);
  }
}

/** One outbox change with the clock stamp of the action that made it. */
export type PendingChange = RecordChange & { hlc: string };

/** The oldest changes still waiting, at most `limit`, in mutation-id order. */
export async function oldestPendingChanges(db: OutreachDatabase, limit: number): Promise<PendingChange[]> {
  const changes: PendingChange[] = [];
  await db.outbox
    .orderBy('firstMutationId')
    .until(() => changes.length >= limit)
    .each((batch) => {
      for (const change of batch.changes) {
        if (changes.length < limit) changes.push({ ...change, hlc: batch.hlc });
      }
    });
  return changes;
}

/** What the server is told about the device's health with each push. */
export async function outboxHealth(
  db: OutreachDatabase,
): Promise<{ outboxLength: number; oldestChangeAt: string | null }> {
  return db.transaction('r', [db.outbox, db.meta], async () => {
    const oldest = await db.outbox.orderBy('firstMutationId').first();
    const writer = (await db.meta.get('writer')) as WriterState | undefined;
    const last = writer?.lastMutationId ?? 0;
    return {
      outboxLength: oldest ? last - oldest.firstMutationId + 1 : 0,
      oldestChangeAt: oldest ? new Date(oldest.madeAt).toISOString() : null,
    };
  });
}

/**
 * Calls `listener` whenever a new change is written to the outbox (in any tab), so sync can push it
 * soon after the tutor saves. Returns the unsubscribe.
 */
export function watchOutbox(db: OutreachDatabase, listener: () => void): () => void {
  let last: number | null = null;
  const subscription = liveQuery(async () => {
    const writer = (await db.meta.get('writer')) as WriterState | undefined;
    return writer?.lastMutationId ?? 0;
  }).subscribe({
    next: (lastMutationId) => {
      if (last !== null && lastMutationId > last) listener();
      last = lastMutationId;
    },
    error: (error: unknown) => console.error('Watching the outbox failed', error),
  });
  return () => subscription.unsubscribe();
}
