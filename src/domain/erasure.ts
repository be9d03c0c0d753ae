// Erasure of one learner's personal data (the right to erasure, and retention's anonymising): which
// fields of each record are blanked and to what, how a later change to an erased learner's record is
// cut down so it revives nothing, and how history values and drafts are cleaned. Pure: the server
// (src/server/db/erasure.ts) and the device (src/db/erasure.ts) apply the same rules.
//
// What stays: the records themselves with their codes and dates (enrolments, attendance marks,
// outcome codes, passport levels, loans of the organisation's devices), so the learner is still
// counted, anonymously, in past figures. What goes: names, date of birth, contact details, address,
// language and needs, equality and health answers, employment and benefits, free text (goals,
// evidence, notes), the referral source, prior attainment and withdrawal reason, consent details.
import { z } from 'zod';
import { LEARNER_OWNED_TYPES } from './access';
import { foldName, normaliseEmail, normalisePhone } from './people';

/** The names an erased learner is shown by: no list shows them, but a page or an export may. */
export const ERASED_GIVEN_NAMES = 'Erased';
export const ERASED_FAMILY_NAME = 'learner';
/**
 * A date of birth is required by the record's schema: erased learners get this one, which means
 * "not known". The dashboard reads an erased learner's age as not known, never from this date.
 */
export const ERASED_DATE_OF_BIRTH = '1900-01-01';
/** BCP-47 "undetermined": the learner's language is not kept. */
export const ERASED_LANGUAGE = 'und';
/** Text a required free-text field (a goal's words) is replaced with. */
export const ERASED_TEXT = '(erased)';

/** What a coordinator types to confirm an erasure (any case, spaces around it ignored). */
export const ERASURE_CONFIRMATION_WORD = 'ERASE';

/** POST /api/learners/:id/erase */
export const erasureRequestSchema = z.object({ confirmation: z.string().max(200) });

export function isErasureConfirmed(confirmation: string): boolean {
  return confirmation.trim().toUpperCase() === ERASURE_CONFIRMATION_WORD;
}

/** The answer to an erasure: what was blanked, by record type, and how many history rows were purged. */
export const erasureAnswerSchema = z.object({
  learnerId: z.uuid(),
  erasedAt: z.iso.datetime({ offset: true }),
  records: z.record(z.string(), z.number().int().min(0)),
  historyRowsPurged: z.number().int().min(0),
});
export type ErasureAnswer = z.infer<typeof erasureAnswerSchema>;

/** The record types erasure touches: the learner and every record that names them. */
export const ERASABLE_TYPES = ['learner', ...LEARNER_OWNED_TYPES, 'attendance'] as const;
export type ErasableType = (typeof ERASABLE_TYPES)[number];

export function isErasableType(entityType: string): entityType is ErasableType {
  return (ERASABLE_TYPES as readonly string[]).includes(entityType);
}

type Data = Record<string, unknown>;

/**
 * Per type, the personal fields and what erasure sets them to, given the record (so a value that
 * another field requires, an absence's reason, stays valid). Every record still passes its schema.
 */
const ERASED_VALUES: { readonly [K in ErasableType]: (record: Data) => Data } = {
  learner: () => ({
    givenNames: ERASED_GIVEN_NAMES,
    familyName: ERASED_FAMILY_NAME,
    preferredName: '',
    dateOfBirth: ERASED_DATE_OF_BIRTH,
    addressLines: [],
    town: '',
    postcode: '',
    postcodeUnknown: true,
    phone: '',
    email: '',
    preferredLanguage: ERASED_LANGUAGE,
    needsInterpreter: false,
    bslUser: false,
    adjustments: '',
    emergencyContactName: '',
    emergencyContactPhone: '',
  }),
  equalityMonitoring: () => ({
    ethnicity: null,
    ethnicityOther: '',
    sex: null,
    ethnicityAnswerChosenAt: null,
    lldd: null,
    disabilityCategories: [],
    primaryDisabilityCategory: null,
    healthAnswerChosenAt: null,
  }),
  // Also made a tombstone (TOMBSTONED_ON_ERASURE): "no employment record" reads as not known.
  employmentStatus: () => ({
    status: '98',
    selfEmployed: false,
    hoursPerWeek: null,
    unemploymentLength: null,
    benefits: [],
    fullTimeEducationBefore: false,
  }),
  enrolment: () => ({
    referralSource: null,
    priorAttainment: null,
    priorDigitalSkills: {},
    withdrawalReason: null,
  }),
  learningGoal: () => ({ text: ERASED_TEXT }),
  consent: () => ({ granted: false, channels: [], language: ERASED_LANGUAGE }),
  skillsAssessment: () => ({ evidence: '' }),
  passportAward: () => ({ basis: [] }),
  outcome: () => ({ notes: '' }),
  loan: () => ({ notes: '' }),
  // The mark stays (it is counted); the reason for an absence can tell of health or caring.
  attendance: (record) => ({ absenceReason: record['mark'] === 'AA' ? 'other' : null }),
};

/** Types whose records erasure also deletes (tombstones), so they count as "no record". */
export const TOMBSTONED_ON_ERASURE: readonly ErasableType[] = ['employmentStatus'];

/** What a device that may not see equality answers holds instead of them (src/domain/access.ts). */
const ANSWERED_FIELD = 'answered';
const NOTHING_ANSWERED = { ethnicity: false, sex: false, health: false };

/** Bookkeeping every record carries: on its own it changes nothing anyone reads. */
const BOOKKEEPING_FIELDS: ReadonlySet<string> = new Set(['id', 'createdAt', 'updatedAt', 'deviceId']);

/** The personal fields of a type that erasure blanks (none for types it does not touch). */
export function erasedFieldNames(entityType: string): readonly string[] {
  if (!isErasableType(entityType)) return [];
  const names = Object.keys(ERASED_VALUES[entityType]({}));
  return entityType === 'equalityMonitoring' ? [...names, ANSWERED_FIELD] : names;
}

/**
 * The fields no change may set once the learner is erased: the personal ones, and the learner's
 * status (set back to active, it would bring nothing back but would list a blank learner).
 */
export function lockedFieldNames(entityType: string): readonly string[] {
  const names = erasedFieldNames(entityType);
  return entityType === 'learner' ? [...names, 'status'] : names;
}

/** The values erasure gives a record's personal fields (and a learner's status). */
function erasedValuesOf(entityType: ErasableType, record: Data): Data {
  const values = ERASED_VALUES[entityType](record);
  if (entityType === 'learner') values['status'] = 'erased';
  if (entityType === 'equalityMonitoring' && ANSWERED_FIELD in record) {
    values[ANSWERED_FIELD] = { ...NOTHING_ANSWERED };
  }
  return values;
}

/** The record with its personal fields blanked (a type erasure does not touch: unchanged). */
export function eraseRecord<T extends Data>(entityType: string, record: T): T {
  if (!isErasableType(entityType)) return record;
  return { ...record, ...erasedValuesOf(entityType, record) };
}

/** Only the fields erasure changes, with their new values: the change the server writes. */
export function erasureChange(entityType: string, record: Data): Data {
  if (!isErasableType(entityType)) return {};
  const erased = erasedValuesOf(entityType, record);
  return Object.fromEntries(
    Object.entries(erased).filter(([field, value]) => !sameValue(record[field], value)),
  );
}

export function isErasedLearner(learner: { status?: unknown } | undefined): boolean {
  return learner?.status === 'erased';
}

/**
 * A change that reaches an erased learner's record (a tablet offline at the erasure): the personal
 * fields it sets are replaced by their erased values, so none is stored and nothing revives. Refused
 * when nothing else is left in it; otherwise the rest applies as usual (a mark, a completion status).
 */
export function guardChangeToErasedLearner(
  entityType: string,
  held: Data | undefined,
  fields: Data,
): { kind: 'apply'; fields: Data } | { kind: 'refuse'; message: string } {
  if (!isErasableType(entityType)) return { kind: 'apply', fields };
  const locked = new Set(lockedFieldNames(entityType));
  const touched = Object.keys(fields).filter((field) => locked.has(field));
  if (touched.length === 0) return { kind: 'apply', fields };
  const rest = Object.keys(fields).filter((field) => !locked.has(field) && !BOOKKEEPING_FIELDS.has(field));
  if (rest.length === 0) {
    return {
      kind: 'refuse',
      message:
        "This learner's personal data was erased at their request or at the end of its retention period. " +
        'The change was not kept.',
    };
  }
  const erased = erasedValuesOf(entityType, { ...held, ...fields });
  const guarded: Data = { ...fields };
  for (const field of touched) guarded[field] = erased[field] ?? null;
  return { kind: 'apply', fields: guarded };
}

/**
 * A change-history value with the personal data taken out: a personal field's old and new values
 * become null; a whole record ('*', created or refused) keeps its other fields and loses those.
 */
export function eraseHistoryValue(entityType: string, field: string | null, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const names = erasedFieldNames(entityType);
  if (field === '*') {
    if (typeof value !== 'object' || Array.isArray(value)) return value;
    const kept = Object.entries(value as Data).filter(([key]) => !names.includes(key));
    return Object.fromEntries(kept);
  }
  return field !== null && names.includes(field) ? null : value;
}

/** Who a draft may be about: the learner as the device held them before the erasure. */
export type ErasedPerson = {
  id: string;
  givenNames: string;
  familyName: string;
  email: string;
  phone: string;
};

function textLeaves(value: unknown, into: string[] = []): string[] {
  if (typeof value === 'string') into.push(value);
  else if (Array.isArray(value)) for (const item of value) textLeaves(item, into);
  else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) textLeaves(item, into);
  }
  return into;
}

/**
 * Whether a half-typed form names the erased learner: their id, their given and family names (each
 * a whole answer, compared folded), or their email or phone. Such a draft is deleted with them.
 */
export function draftMentionsLearner(values: unknown, person: ErasedPerson): boolean {
  const leaves = textLeaves(values);
  if (leaves.some((leaf) => leaf.trim().toLowerCase() === person.id.toLowerCase())) return true;
  const folded = new Set(leaves.map(foldName).filter((leaf) => leaf !== ''));
  const given = foldName(person.givenNames);
  const family = foldName(person.familyName);
  if (given && family && folded.has(given) && folded.has(family)) return true;
  const email = person.email.trim() ? normaliseEmail(person.email) : '';
  if (email && leaves.some((leaf) => normaliseEmail(leaf) === email)) return true;
  const phone = normalisePhone(person.phone);
  return phone.length >= 10 && leaves.some((leaf) => normalisePhone(leaf) === phone);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
