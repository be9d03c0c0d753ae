// The local change log: every write on the device appends one batch in the same transaction as the
// write. It is the sync outbox: batches stay until the server has acknowledged their mutation ids.
import type { SealedFields } from '../crypto/outboxSeal';
import type { EntityType } from './records';

/**
 * Shape version of an outbox batch; travels with pushes so the server can read older outboxes.
 * Version 2: each change's values sealed to the server's public key, its field names beside them.
 */
export const CHANGE_LOG_ENTRY_VERSION = 2;

/** One record's change: the unit the server applies, once, in mutation-id order. */
export type RecordChange = {
  /** Dense per device (1, 2, 3 …), never reused. */
  mutationId: number;
  entityType: EntityType;
  entityId: string;
  op: 'put' | 'delete';
  /** The names of the fields this change set (version 2; version 1 entries have `fields`). */
  fieldNames?: string[];
  /** The values sealed to the server's public key: only the server reads them. */
  sealed?: SealedFields;
  /**
   * The fields with their values, readable: version 1 entries, and changes made before the device
   * had ever fetched the server's key (sealed once it has).
   */
  fields?: Record<string, unknown>;
};

/** The names of the fields a change sets, whether its values are sealed or not. */
export function fieldNamesOf(change: Pick<RecordChange, 'fieldNames' | 'fields'>): string[] {
  return change.fieldNames ?? Object.keys(change.fields ?? {});
}

/** One user action: the changes written together in one local transaction. */
export type OutboxBatch = {
  firstMutationId: number;
  lastMutationId: number;
  /** Hybrid logical clock stamp shared by every field of every change in the batch. */
  hlc: string;
  /** Device clock when the action happened, for display ("oldest unsynced change: 3 days ago"). */
  madeAt: string;
  changes: RecordChange[];
  entryVersion: number;
};

/** The fields whose values differ between two versions of a record (a new record: all of them). */
export function changedFields<T extends Record<string, unknown>>(
  before: T | undefined,
  after: T,
): Partial<T> {
  const changes: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    if (before === undefined || JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      changes[key] = after[key];
    }
  }
  return changes;
}

/** Unsynced changes, from the oldest batch still held and the last mutation id issued. */
export function pendingChangeCount(oldest: OutboxBatch | undefined, lastMutationId: number): number {
  return oldest ? lastMutationId - oldest.firstMutationId + 1 : 0;
}

/**
 * The longest start of `changes` that names at most `maxKeys` distinct sealing keys (never empty
 * when `changes` is not: one change names one key at most).
 */
export function withinSealingKeyLimit<T extends Pick<RecordChange, 'sealed'>>(
  changes: readonly T[],
  maxKeys: number,
): T[] {
  const keys = new Set<string>();
  for (const [index, change] of changes.entries()) {
    if (!change.sealed || keys.has(change.sealed.keyId)) continue;
    if (keys.size === maxKeys) return changes.slice(0, Math.max(1, index));
    keys.add(change.sealed.keyId);
  }
  return [...changes];
}
