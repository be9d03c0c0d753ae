// A learner's history as the server keeps it (GET /api/learners/:id/history, for coordinators): every
// change the server received to the learner and the records that belong to them, and who received,
// exported or viewed their special category answers. Parsed at the boundary; the functions below put
// the raw field names, values and outcomes into plain words for the learner's page.
import { entityLabel } from './entityLabels';
import { z } from 'zod';

/** What the server sends instead of an equality answer the coordinator may not see. */
export const HIDDEN_VALUE = '(hidden)';

/** At most this many changes come in one answer (newest first); `truncated` says there were more. */
export const HISTORY_CHANGE_LIMIT = 500;

/** At most this many access rows come in one answer (newest first). */
export const HISTORY_ACCESS_LIMIT = 500;

export const SPECIAL_CATEGORY_ACTIONS = ['received-on-device', 'exported', 'viewed'] as const;
export type SpecialCategoryAction = (typeof SPECIAL_CATEGORY_ACTIONS)[number];

export const historyChangeSchema = z.object({
  /** When the server received the change (ISO). */
  at: z.string(),
  /** Who was signed in on the device that sent it; null for a change the server made itself. */
  userName: z.string().nullable(),
  deviceId: z.string().nullable(),
  /** The device in words ("Device 1a2b3c4d, registered by …"), when the server knows it. */
  deviceLabel: z.string().optional(),
  entityType: z.string(),
  entityId: z.string(),
  /** The field; '*' for a whole record (created, or a refused change). */
  field: z.string().nullable(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
  /** created, applied, stale, deleted, after-delete, or rejected:<reason>. */
  outcome: z.string(),
});
export type HistoryChange = z.output<typeof historyChangeSchema>;

export const specialCategoryAccessSchema = z.object({
  at: z.string(),
  userName: z.string().nullable(),
  deviceId: z.string().nullable(),
  deviceLabel: z.string().optional(),
  /** A SpecialCategoryAction; kept as text so an action added later still shows. */
  action: z.string(),
});
export type SpecialCategoryAccess = z.output<typeof specialCategoryAccessSchema>;

export const learnerHistorySchema = z.object({
  changes: z.array(historyChangeSchema),
  /** More changes than HISTORY_CHANGE_LIMIT: the oldest are not in the answer. */
  truncated: z.boolean(),
  specialCategoryAccess: z.array(specialCategoryAccessSchema),
  specialCategoryAccessTruncated: z.boolean().default(false),
});
export type LearnerHistory = z.output<typeof learnerHistorySchema>;

const FIELD_WORDS: Readonly<Record<string, string>> = {
  '*': 'whole record',
  bslUser: 'British Sign Language user',
  lldd: 'learning difficulty, disability or health problem',
  ethnicityOther: 'ethnic group (other)',
  ethnicity: 'ethnic group',
  deviceId: 'device',
  deleted: 'deleted',
};

/** Fields every record carries that say nothing to a coordinator reading a new record's values. */
const HOUSEKEEPING_FIELDS = new Set(['id', 'createdAt', 'updatedAt', 'deviceId', 'deleted']);

/**
 * Whether a field of a whole record is worth reading: not housekeeping, not a reference to another
 * record (its id means nothing on screen), and given.
 */
function isTelling(field: string, value: unknown): boolean {
  if (HOUSEKEEPING_FIELDS.has(field) || /Ids?$/.test(field)) return false;
  return !(
    value === null ||
    value === undefined ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** "dateOfBirth" → "date of birth"; a few fields have their own words. */
export function fieldWords(field: string | null): string {
  if (field === null) return 'record';
  const known = FIELD_WORDS[field];
  if (known) return known;
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1 $2')
    .toLowerCase();
}

/** "equalityMonitoring" → "Equality monitoring". */
export function entityWords(entityType: string): string {
  const known = entityLabel(entityType);
  if (known) return known;
  const words = fieldWords(entityType);
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const REJECTION_WORDS: Readonly<Record<string, string>> = {
  'outside-scope': 'refused: outside the tutor’s courses',
  'coordinator-only': 'refused: only a coordinator can change this',
  'invalid-record': 'refused: the record was not valid',
  'server-owned': 'refused: only the server changes this',
  'clock-drift': 'refused: the device’s clock was ahead',
  'clock-invalid': 'refused: the device’s clock could not be read',
  'duplicate-attendance': 'refused: the learner already had a mark for this session',
  'record-deleted': 'refused: the record had been deleted',
};

/** What the server did with a change, in words: 'applied' → "changed", 'rejected:outside-scope' → … */
export function outcomeWords(outcome: string): string {
  switch (outcome) {
    case 'created':
      return 'created';
    case 'applied':
      return 'changed';
    case 'stale':
      return 'older change not applied';
    case 'deleted':
      return 'deleted';
    case 'after-delete':
      return 'change after deletion, kept for review';
  }
  if (outcome.startsWith('rejected:')) {
    const reason = outcome.slice('rejected:'.length);
    return REJECTION_WORDS[reason] ?? `refused: ${reason.replace(/-/g, ' ')}`;
  }
  return outcome.replace(/-/g, ' ');
}

/** Who did what with special category data, in words. */
export function accessActionWords(action: string): string {
  switch (action) {
    case 'received-on-device':
      return 'received on a device';
    case 'exported':
      return 'exported';
    case 'viewed':
      return 'viewed in this history';
    default:
      return action.replace(/-/g, ' ');
  }
}

/** One value as a coordinator reads it: blank, yes/no, a list, the text itself. */
export function valueWords(value: unknown): string {
  if (value === null || value === undefined || value === '') return 'blank';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(valueWords).join(', ');
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([field, inner]) =>
      isTelling(field, inner),
    );
    if (entries.length === 0) return 'no details';
    return entries.map(([field, inner]) => `${fieldWords(field)}: ${valueWords(inner)}`).join('; ');
  }
  return String(value);
}

export type ChangeInWords = { what: string; from: string; to: string; outcome: string };

/** A history line in words: what changed (record type and field), from what to what, and how it ended. */
export function describeChange(change: HistoryChange): ChangeInWords {
  const wholeRecord = change.field === '*' || change.field === null;
  const entity = entityWords(change.entityType);
  return {
    what: wholeRecord ? entity : `${entity}: ${fieldWords(change.field)}`,
    from:
      wholeRecord && (change.oldValue === null || change.oldValue === undefined)
        ? 'nothing'
        : valueWords(change.oldValue),
    to: valueWords(change.newValue),
    outcome: outcomeWords(change.outcome),
  };
}

/** Who made a change or received the data: their name, or the server for what it did itself. */
export function whoWords(entry: { userName: string | null }): string {
  return entry.userName ?? 'The server';
}

/** Which device, as the server described it, or its short id; "no device" for the server's own. */
export function deviceWords(entry: { deviceId: string | null; deviceLabel?: string }): string {
  if (entry.deviceLabel) return entry.deviceLabel;
  return entry.deviceId ? `Device ${entry.deviceId.slice(0, 8)}` : 'no device';
}

/** Whether any value in the history was hidden from this coordinator. */
export function hasHiddenValues(history: LearnerHistory): boolean {
  return history.changes.some(
    (change) => change.oldValue === HIDDEN_VALUE || change.newValue === HIDDEN_VALUE,
  );
}
