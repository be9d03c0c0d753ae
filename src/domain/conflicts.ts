// Conflicts a coordinator reviews (docs/sync-protocol.md, "Conflicts"): values that per-field sync
// overwrote or refused because another device changed the same field without seeing them, and the
// clashes sync flags (a change after a deletion, a second attendance mark). What counts, the answer's
// shape, and what a restore writes are decided here; the server reads the history and applies it.
import { z } from 'zod';
import { SPECIAL_CATEGORY_FIELDS } from './access';
import { ATTENDANCE_MARKS, labelOf } from './codeLists';
import { HIDDEN_VALUE, fieldWords, valueWords } from './history';

/** At most this many conflicts come in one answer (newest first); `truncated` says there were more. */
export const CONFLICT_LIMIT = 500;

/** The wire value of a special category answer the coordinator may not see. */
export const HIDDEN_CONFLICT_VALUE = HIDDEN_VALUE;

/**
 * Fields a device sets on each edit for display or bookkeeping: every record's, and who marked an
 * attendance and when. Two devices editing a record (or two tablets marking one learner present)
 * always "clash" on them, which says nothing to a coordinator; a different mark still shows as one.
 */
export const BOOKKEEPING_FIELDS: readonly string[] = [
  'id',
  'createdAt',
  'updatedAt',
  'deviceId',
  'markedAt',
  'markedBy',
  'markedLate',
];

/** History outcomes a conflict can come from (besides an 'applied' row marked concurrent). */
export const CONFLICT_OUTCOMES = ['stale', 'after-delete', 'rejected:duplicate-attendance'] as const;

export function isReviewableField(field: string | null): field is string {
  return field !== null && field !== '*' && !BOOKKEEPING_FIELDS.includes(field);
}

/** A history row as the push writes it, in push order: enough to tell which overwrites to check. */
export type PushedHistoryLine = {
  entity_type: string;
  entity_id: string;
  field: string;
  old_value: unknown;
  outcome: string;
};

/**
 * The lines of one push that overwrote a value this push did not write itself (an earlier change in
 * the same push, to the same field or creating the record, was this device's own): only these may
 * have overwritten a value the device never saw. A value that replaced nothing (null) loses nothing.
 */
export function overwritesToCheck(lines: readonly PushedHistoryLine[]): number[] {
  const writtenHere = new Set<string>();
  const toCheck: number[] = [];
  lines.forEach((line, index) => {
    const record = `${line.entity_type}/${line.entity_id}`;
    if (line.outcome === 'created') {
      writtenHere.add(`${record}|*`);
      return;
    }
    if (line.outcome !== 'applied') return;
    const key = `${record}|${line.field}`;
    if (!writtenHere.has(key) && !writtenHere.has(`${record}|*`) && line.old_value !== null) {
      toCheck.push(index);
    }
    writtenHere.add(key);
  });
  return toCheck;
}

/** Where the value a change overwrote came from: the device that wrote it, and the change sequence number it arrived at. */
export type ValueOrigin = { deviceId: string | null; changeSeq: number | null };

/**
 * Whether an overwrite was concurrent: the value it replaced reached the server after the pushing
 * device last pulled, written by another device (or the server), so the device never saw it. A device
 * whose last pull is not known (it has not pulled since this was recorded) is given the benefit of
 * the doubt: nothing is flagged rather than everything.
 */
export function isConcurrentOverwrite(
  origin: ValueOrigin | undefined,
  pushingDeviceId: string,
  lastPulledSeq: number | null,
): boolean {
  if (origin === undefined || lastPulledSeq === null || origin.changeSeq === null) return false;
  if (origin.deviceId === pushingDeviceId) return false;
  return origin.changeSeq > lastPulledSeq;
}

export const CONFLICT_KINDS = ['concurrent-edit', 'after-delete', 'duplicate-attendance'] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** The kind of conflict a history row is, or null when it is not one to review. */
export function conflictKindOf(row: {
  outcome: string;
  concurrent: boolean;
  field: string | null;
}): ConflictKind | null {
  if (row.outcome === 'rejected:duplicate-attendance') return 'duplicate-attendance';
  if (!isReviewableField(row.field)) return null;
  if (row.outcome === 'stale' || (row.outcome === 'applied' && row.concurrent)) return 'concurrent-edit';
  if (row.outcome === 'after-delete') return 'after-delete';
  return null;
}

/**
 * The value that lost: the older value not applied (stale), the value overwritten (applied), the
 * change made after the deletion, or the refused attendance mark's fields.
 */
export function losingValueOf(row: { outcome: string; oldValue: unknown; newValue: unknown }): unknown {
  return row.outcome === 'applied' ? row.oldValue : row.newValue;
}

/** Fields of a refused second attendance mark that say nothing about the mark itself. */
const ATTENDANCE_IDENTITY_FIELDS = ['id', 'sessionId', 'learnerId', 'createdAt', 'deviceId'];

/**
 * What restoring writes, or why it cannot: the losing value back into its field (and a new
 * `updatedAt`, shown on devices), or the refused attendance mark into the record that holds the
 * session and learner. A change after a deletion is not restored here: the record stays deleted.
 */
export function restoreFieldsOf(
  conflict: { kind: ConflictKind; field: string; losingValue: unknown },
  record: { data: Record<string, unknown>; deleted: boolean } | null,
  now: string,
): { fields: Record<string, unknown> } | { refusal: 'record-deleted' | 'cannot-restore'; message: string } {
  if (conflict.kind === 'after-delete') {
    return {
      refusal: 'cannot-restore',
      message: 'This record was deleted on another device. A change made after that cannot be restored here.',
    };
  }
  if (record === null) {
    return {
      refusal: 'cannot-restore',
      message: 'The server no longer holds the record this value belongs to.',
    };
  }
  if (record.deleted) {
    return {
      refusal: 'record-deleted',
      message: 'The record has been deleted since, so the value cannot be restored.',
    };
  }
  const stamp = 'updatedAt' in record.data ? { updatedAt: now } : {};
  if (conflict.kind === 'duplicate-attendance') {
    const refused =
      typeof conflict.losingValue === 'object' && conflict.losingValue !== null
        ? (conflict.losingValue as Record<string, unknown>)
        : {};
    const fields = Object.fromEntries(
      Object.entries(refused).filter(([field]) => !ATTENDANCE_IDENTITY_FIELDS.includes(field)),
    );
    return { fields: { ...fields, ...stamp } };
  }
  return { fields: { [conflict.field]: conflict.losingValue, ...stamp } };
}

/** Whether a field's values are special category answers (shown only to those allowed to see them). */
export function isSpecialCategoryField(entityType: string, field: string | null): boolean {
  return (
    entityType === 'equalityMonitoring' &&
    (field === '*' || (SPECIAL_CATEGORY_FIELDS as readonly (string | null)[]).includes(field))
  );
}

/** A record's own name, where it has one a coordinator knows it by. */
export function recordNameOf(entityType: string, data: Record<string, unknown> | null): string | null {
  if (!data) return null;
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value : null);
  switch (entityType) {
    case 'venue':
      return text(data['name']);
    case 'programme':
      return text(data['title']);
    case 'loanDevice':
      return text(data['assetTag']);
    case 'sim':
      return text(data['reference']);
    case 'session':
      return text(data['date']);
    default:
      return null;
  }
}

// ---- The answer of GET /api/conflicts ----

export const conflictSideSchema = z.object({
  /** The value; HIDDEN_CONFLICT_VALUE for a special category answer the coordinator may not see. */
  value: z.unknown(),
  /** Who wrote it; null for the server itself or when the history no longer says. */
  userName: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** When it reached the server (ISO), when known. */
  at: z.string().nullable(),
});
export type ConflictSide = z.output<typeof conflictSideSchema>;

export const conflictSchema = z.object({
  /** The change history row the conflict is (resolve it by this id). */
  historyId: z.string(),
  kind: z.enum(CONFLICT_KINDS),
  /** The field; 'mark' for a second attendance mark. */
  field: z.string(),
  /** The value the record holds now (null, with the deletion's author, for a deleted record). */
  current: conflictSideSchema,
  /** The value that lost. */
  other: conflictSideSchema,
  /** Whether "Restore the other value" can be offered. */
  canRestore: z.boolean(),
  /** The values are special category answers this coordinator may not see. */
  hidden: z.boolean(),
});
export type Conflict = z.output<typeof conflictSchema>;

export const conflictRecordSchema = z.object({
  entityType: z.string(),
  /** "Learner details", "Attendance mark" … (src/domain/entityLabels.ts). */
  entityLabel: z.string(),
  entityId: z.string(),
  /** The learner the record is, or belongs to. */
  learnerId: z.string().nullable(),
  learnerName: z.string().nullable(),
  /** The record's own name (a venue's, a programme's title …), when it has one. */
  recordName: z.string().nullable(),
  deleted: z.boolean(),
  conflicts: z.array(conflictSchema),
});
export type ConflictRecord = z.output<typeof conflictRecordSchema>;

export const loanClashAnswerSchema = z.object({
  loanDeviceId: z.string(),
  assetTag: z.string().nullable(),
  loans: z.array(
    z.object({
      loanId: z.string(),
      learnerId: z.string(),
      learnerName: z.string().nullable(),
      issuedOn: z.string(),
      dueBack: z.string(),
      issuedBy: z.string(),
    }),
  ),
});
export type LoanClashAnswer = z.output<typeof loanClashAnswerSchema>;

export const conflictsAnswerSchema = z.object({
  /** Records with open conflicts, the one with the newest conflict first. */
  records: z.array(conflictRecordSchema),
  /** More open conflicts than CONFLICT_LIMIT: the oldest are not in the answer. */
  truncated: z.boolean(),
  /** Devices lent twice (src/domain/journey.ts loanClashes); settled by cancelling a loan. */
  loanClashes: z.array(loanClashAnswerSchema),
});
export type ConflictsAnswer = z.output<typeof conflictsAnswerSchema>;

export const CONFLICT_DECISIONS = ['keep-current', 'restore'] as const;
export type ConflictDecision = (typeof CONFLICT_DECISIONS)[number];

export const conflictResolutionRequestSchema = z.object({ decision: z.enum(CONFLICT_DECISIONS) });

export const conflictResolutionSchema = z.object({
  historyId: z.string(),
  decision: z.enum(CONFLICT_DECISIONS),
  resolvedAt: z.string(),
});
export type ConflictResolution = z.output<typeof conflictResolutionSchema>;

// ---- Words ----

/** "Phone", "Attendance mark": the field as a coordinator reads it, capitalised. */
export function conflictFieldWords(conflict: Pick<Conflict, 'kind' | 'field'>): string {
  const words = conflict.kind === 'duplicate-attendance' ? 'attendance mark' : fieldWords(conflict.field);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** A value in words; attendance marks by their label, a refused mark by its mark. */
export function conflictValueWords(conflict: Pick<Conflict, 'kind' | 'field'>, value: unknown): string {
  if (value === HIDDEN_CONFLICT_VALUE) return 'hidden';
  if (conflict.kind === 'duplicate-attendance' && typeof value === 'object' && value !== null) {
    return conflictValueWords(conflict, (value as Record<string, unknown>)['mark']);
  }
  if ((conflict.kind === 'duplicate-attendance' || conflict.field === 'mark') && typeof value === 'string') {
    return labelOf(ATTENDANCE_MARKS, value) || value;
  }
  return valueWords(value);
}

/** How many conflicts, in words: "1 conflict", "3 conflicts". */
export function conflictCountWords(count: number): string {
  return count === 1 ? '1 conflict' : `${count} conflicts`;
}
