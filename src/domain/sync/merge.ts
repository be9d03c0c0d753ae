// How the server folds one pushed change into the record it holds: per-field last-writer-wins by
// hybrid logical clock, tombstones that win over earlier edits, and nothing resurrected silently.
// Pure, so every rule is tested on its own and the same rules can be replayed anywhere.
import { MAX_CLOCK_DRIFT_MS, parseHlc } from '../hlc';

export type HeldRecord = {
  data: Record<string, unknown>;
  fieldHlcs: Record<string, string>;
  deleted: boolean;
  deletedHlc: string | null;
};

export type IncomingChange = {
  op: 'put' | 'delete';
  fields: Record<string, unknown>;
  hlc: Record<string, string>;
};

/** One line of the change history a merge produces. */
export type HistoryEntry = {
  field: string;
  oldValue: unknown;
  newValue: unknown;
  hlc: string;
  /**
   * created: the record's first values (field '*', newValue holds them all);
   * applied: the new value replaced the old (which is kept here);
   * stale: a newer value was already held, so this one was kept here only;
   * deleted: the record became a tombstone;
   * after-delete: an edit to a deleted record, kept here and flagged for a coordinator.
   */
  outcome: 'created' | 'applied' | 'stale' | 'deleted' | 'after-delete';
};

export type MergeResult =
  | { kind: 'changed'; record: HeldRecord; history: HistoryEntry[] }
  | { kind: 'unchanged'; history: HistoryEntry[] }
  | { kind: 'refused-after-delete'; history: HistoryEntry[] }
  | { kind: 'refused'; reason: 'clock-drift' | 'clock-invalid'; message: string };

/**
 * finalTombstones: a deleted record stays deleted (records with made-up ids: a venue, a learner).
 * Records whose id is derived from a natural key (one attendance per session and learner) can be
 * cleared and set again, so for them "deleted" is one more field, last writer wins.
 */
export type MergeRules = { finalTombstones: boolean };
export const FINAL_TOMBSTONES: MergeRules = { finalTombstones: true };
export const CLEARABLE_RECORDS: MergeRules = { finalTombstones: false };

/** Compares two clock stamps: their text sorts in clock order (ISO time, hex counter, node). */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The newest of a set of stamps, or null for none. */
export function latestHlc(stamps: Iterable<string>): string | null {
  let latest: string | null = null;
  for (const stamp of stamps) if (latest === null || compareHlc(stamp, latest) > 0) latest = stamp;
  return latest;
}

/** Refuses stamps that are malformed or far in the future, before they can poison other clocks. */
export function checkStamps(
  hlc: Record<string, string>,
  serverNowMillis: number,
): { reason: 'clock-drift' | 'clock-invalid'; message: string } | null {
  // A change's fields mostly share one stamp: each distinct stamp is read once.
  for (const stamp of new Set(Object.values(hlc))) {
    let millis: number;
    try {
      millis = parseHlc(stamp).millis;
    } catch {
      return { reason: 'clock-invalid', message: `The change carries an unreadable clock stamp (${stamp}).` };
    }
    if (!Number.isFinite(millis)) {
      return { reason: 'clock-invalid', message: `The change carries an unreadable clock stamp (${stamp}).` };
    }
    if (millis - serverNowMillis > MAX_CLOCK_DRIFT_MS) {
      return {
        reason: 'clock-drift',
        message:
          "This tablet's clock is more than 5 minutes ahead of the server's. Set the tablet's date and time " +
          'to the right time; the change is kept on the tablet.',
      };
    }
  }
  return null;
}

/**
 * Folds a change into the held record (undefined: the server has never seen this record).
 * The result does not depend on the order changes arrive in, except that history lines differ.
 */
export function mergeChange(
  held: HeldRecord | undefined,
  change: IncomingChange,
  serverNowMillis: number,
  rules: MergeRules = FINAL_TOMBSTONES,
): MergeResult {
  const refusal = checkStamps(change.hlc, serverNowMillis);
  if (refusal) return { kind: 'refused', ...refusal };
  if (!rules.finalTombstones) return mergeFields(held, change);

  const isDelete = change.op === 'delete' || change.fields['deleted'] === true;
  if (isDelete) return mergeDelete(held, change);

  if (held?.deleted) {
    // An edit to a tombstone: never applied (that would resurrect the record), always kept.
    const history = Object.entries(change.fields).map(([field, value]) => ({
      field,
      oldValue: held.data[field],
      newValue: value,
      hlc: change.hlc[field] ?? '',
      outcome: 'after-delete' as const,
    }));
    return { kind: 'refused-after-delete', history };
  }

  return mergeFields(held, change);
}

/** Per-field last-writer-wins over every field, "deleted" included. */
function mergeFields(held: HeldRecord | undefined, change: IncomingChange): MergeResult {
  const fields = change.op === 'delete' ? { ...change.fields, deleted: true } : change.fields;
  const data = { ...(held?.data ?? {}) };
  const fieldHlcs = { ...(held?.fieldHlcs ?? {}) };
  const history: HistoryEntry[] = [];
  let changed = false;
  for (const [field, value] of Object.entries(fields)) {
    const stamp = change.hlc[field] ?? '';
    const heldStamp = fieldHlcs[field];
    if (heldStamp !== undefined && compareHlc(stamp, heldStamp) <= 0) {
      // Same stamp: a replay of a change already held. Older: a newer value wins; keep this one in history.
      if (compareHlc(stamp, heldStamp) < 0 && !sameValue(data[field], value)) {
        history.push({ field, oldValue: data[field], newValue: value, hlc: stamp, outcome: 'stale' });
      }
      continue;
    }
    if (!sameValue(data[field], value) || heldStamp === undefined) {
      history.push({ field, oldValue: data[field], newValue: value, hlc: stamp, outcome: 'applied' });
    }
    data[field] = value;
    fieldHlcs[field] = stamp;
    changed = true;
  }
  if (!changed) return { kind: 'unchanged', history };
  if (held === undefined) {
    // A new record: one history line with every value it was created with, not one per field.
    history.splice(0, history.length, {
      field: '*',
      oldValue: null,
      newValue: fields,
      hlc: latestHlc(Object.values(change.hlc)) ?? '',
      outcome: 'created',
    });
  }
  const deleted = data['deleted'] === true;
  return {
    kind: 'changed',
    record: { data, fieldHlcs, deleted, deletedHlc: deleted ? (fieldHlcs['deleted'] ?? null) : null },
    history,
  };
}

function mergeDelete(held: HeldRecord | undefined, change: IncomingChange): MergeResult {
  const stamp = change.hlc['deleted'] ?? latestHlc(Object.values(change.hlc)) ?? '';
  if (held?.deleted) {
    // Already a tombstone: keep the earliest delete's stamp, so arrival order changes nothing.
    if (held.deletedHlc !== null && compareHlc(held.deletedHlc, stamp) <= 0)
      return { kind: 'unchanged', history: [] };
    return {
      kind: 'changed',
      record: { ...held, fieldHlcs: { ...held.fieldHlcs, deleted: stamp }, deletedHlc: stamp },
      history: [],
    };
  }
  const data = { ...(held?.data ?? {}), ...(held ? {} : change.fields), deleted: true };
  const fieldHlcs: Record<string, string> = { ...(held?.fieldHlcs ?? {}) };
  if (!held) for (const field of Object.keys(change.fields)) fieldHlcs[field] = change.hlc[field] ?? stamp;
  fieldHlcs['deleted'] = stamp;
  const history: HistoryEntry[] = [
    { field: 'deleted', oldValue: false, newValue: true, hlc: stamp, outcome: 'deleted' },
  ];
  // Edits already held that are newer than the delete lose too, but are flagged: someone changed the
  // record after (by the clock) it was deleted elsewhere, and a coordinator may want it back.
  for (const [field, heldStamp] of Object.entries(held?.fieldHlcs ?? {})) {
    if (field !== 'deleted' && compareHlc(heldStamp, stamp) > 0) {
      history.push({
        field,
        oldValue: held?.data[field],
        newValue: held?.data[field],
        hlc: heldStamp,
        outcome: 'after-delete',
      });
    }
  }
  return { kind: 'changed', record: { data, fieldHlcs, deleted: true, deletedHlc: stamp }, history };
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Record types whose ids are derived from a natural key (src/domain/ids.ts): clearable, not final. */
export const CLEARABLE_ENTITY_TYPES: readonly string[] = [
  'attendance',
  'equalityMonitoring',
  'consent',
  'passportAward',
];

export function mergeRulesFor(entityType: string): MergeRules {
  return CLEARABLE_ENTITY_TYPES.includes(entityType) ? CLEARABLE_RECORDS : FINAL_TOMBSTONES;
}
