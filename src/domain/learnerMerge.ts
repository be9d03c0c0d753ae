// Merging two records of one learner: which record changes make every record of the other learner
// belong to the one kept (the survivor). Pure: the server reads the records, plans here, and applies
// the changes like any synced change, so every device receives the result by its normal pull.
//
// Records with a made-up id just change their learnerId. Records whose id is derived from the
// learner (src/domain/ids.ts: attendance, equality monitoring, consent, passport award) cannot: the
// survivor's row for the same natural key has another id. For those, when the survivor has no live
// row, one is written under the survivor's id with the other's values; either way the other's row
// becomes a tombstone, so where both had one (a session marked on both) the survivor keeps its own
// and the other's values stay in the change history.
import { z } from 'zod';
import { LEARNER_OWNED_TYPES } from './access';
import { attendanceId, consentId, equalityId, passportAwardId } from './ids';
import type { EntityType, Learner } from './records';

/** Every type whose records belong to one learner through their learnerId. */
export const LEARNER_RECORD_TYPES = [
  ...LEARNER_OWNED_TYPES,
  'attendance',
] as const satisfies readonly EntityType[];
export type LearnerRecordType = (typeof LEARNER_RECORD_TYPES)[number];

export function isLearnerRecordType(entityType: string): entityType is LearnerRecordType {
  return (LEARNER_RECORD_TYPES as readonly string[]).includes(entityType);
}

type Data = Record<string, unknown>;

/** The natural key of a type whose id is derived from it, and the id it gives for a learner. */
type NaturalKey = { key(data: Data): string; idFor(learnerId: string, data: Data): string };

/** The types whose ids derive from the learner and a natural key (the CLEARABLE types of sync/merge.ts). */
export const NATURAL_KEYS: Readonly<Partial<Record<LearnerRecordType, NaturalKey>>> = {
  attendance: {
    key: (data) => String(data['sessionId']),
    idFor: (learnerId, data) => attendanceId(String(data['sessionId']), learnerId),
  },
  equalityMonitoring: { key: () => '', idFor: (learnerId) => equalityId(learnerId) },
  consent: {
    key: (data) => String(data['purpose']),
    idFor: (learnerId, data) => consentId(learnerId, String(data['purpose'])),
  },
  passportAward: {
    key: (data) => `${String(data['level'])}|${String(data['ruleVersion'])}`,
    idFor: (learnerId, data) =>
      passportAwardId(learnerId, String(data['level']), Number(data['ruleVersion'])),
  },
};

/** A record of one of the two learners, as the server holds it. */
export type RelatedRecord = { entityType: LearnerRecordType; entityId: string; data: Data; deleted: boolean };

/**
 * One record change the merge makes: the fields it sets (a new record: all of them). The server
 * applies it as a change of its own, stamped after everything the record holds.
 */
export type RecordChange = { entityType: EntityType; entityId: string; fields: Data };

export type MoveCounts = Partial<Record<LearnerRecordType, number>>;

export type RecordMoves = {
  changes: RecordChange[];
  /** Records that now belong to the survivor, by type. */
  moved: MoveCounts;
  /** The other's records the survivor already had one of (same session, purpose …), now tombstones. */
  superseded: MoveCounts;
};

const count = (counts: MoveCounts, entityType: LearnerRecordType) => {
  counts[entityType] = (counts[entityType] ?? 0) + 1;
};

/** Derived types first, so a loan can point at the consent row its agreement moved to. */
const byDerivedFirst = (a: RelatedRecord, b: RelatedRecord) =>
  Number(NATURAL_KEYS[b.entityType] !== undefined) - Number(NATURAL_KEYS[a.entityType] !== undefined) ||
  LEARNER_RECORD_TYPES.indexOf(a.entityType) - LEARNER_RECORD_TYPES.indexOf(b.entityType) ||
  a.entityId.localeCompare(b.entityId);

const CONSENT_DECISION_FIELDS = [
  'granted',
  'channels',
  'lawfulBasis',
  'method',
  'documentVersionId',
  'language',
  'capturedAt',
  'capturedBy',
  'withdrawnAt',
] as const;

/** Equality answers that go together (an answer needs the time the learner chose to give it). */
const EQUALITY_ANSWER_GROUPS = [
  ['ethnicity', 'ethnicityOther', 'ethnicityAnswerChosenAt'],
  ['sex'],
  ['lldd', 'disabilityCategories', 'primaryDisabilityCategory', 'healthAnswerChosenAt'],
] as const;

/** When a consent row's decision was made: its withdrawal, else its capture. */
function decidedAt(consent: Data): string {
  const at = consent['withdrawnAt'] ?? consent['capturedAt'];
  return typeof at === 'string' ? at : '';
}

/**
 * What the survivor's own row takes from the other's when both hold one for the same thing, or null.
 * A consent follows the later decision of the two, so a withdrawal recorded on the other record is
 * never lost to an older grant; an equality question the survivor has no answer to takes the
 * other's answer. A mark or award stays the survivor's (the other's goes to history).
 */
export function combinedWithSurvivor(
  entityType: LearnerRecordType,
  survivor: Data,
  other: Data,
): Data | null {
  if (entityType === 'consent') {
    if (decidedAt(other) <= decidedAt(survivor)) return null;
    return Object.fromEntries(CONSENT_DECISION_FIELDS.map((field) => [field, other[field] ?? null]));
  }
  if (entityType === 'equalityMonitoring') {
    const filled: Data = {};
    for (const group of EQUALITY_ANSWER_GROUPS) {
      const [answer] = group;
      if ((survivor[answer] ?? null) === null && (other[answer] ?? null) !== null) {
        for (const field of group) filled[field] = other[field] ?? null;
      }
    }
    return Object.keys(filled).length > 0 ? filled : null;
  }
  return null;
}

/**
 * The changes that move the live records of a learner to the survivor (tombstones stay as they are).
 * `survivorRecords` are the survivor's own records, deleted ones included, so a natural key the
 * survivor already holds is found whatever id its row has. Used by a merge and, with the same rule,
 * for records a device pushes for a merged learner afterwards. `at` is the merge time (updatedAt).
 */
export function planRecordMoves(
  survivorId: string,
  otherRecords: readonly RelatedRecord[],
  survivorRecords: readonly RelatedRecord[],
  at: string,
): RecordMoves {
  const survivorByKey = new Map<string, RelatedRecord>();
  for (const record of survivorRecords) {
    const natural = NATURAL_KEYS[record.entityType];
    if (!natural) continue;
    const key = `${record.entityType}|${natural.key(record.data)}`;
    const held = survivorByKey.get(key);
    // A live row wins over a tombstone for the same key.
    if (!held || (held.deleted && !record.deleted)) survivorByKey.set(key, record);
  }

  const moves: RecordMoves = { changes: [], moved: {}, superseded: {} };
  /** Where each of the other's consent rows went, for the loans that name one as their agreement. */
  const consentMovedTo = new Map<string, string>();
  for (const record of [...otherRecords].sort(byDerivedFirst)) {
    if (record.deleted) continue;
    const { entityType, entityId, data } = record;
    const natural = NATURAL_KEYS[entityType];
    if (!natural) {
      const fields: Data = { learnerId: survivorId, updatedAt: at };
      const agreement = data['agreementConsentId'];
      if (entityType === 'loan' && typeof agreement === 'string' && consentMovedTo.has(agreement)) {
        fields['agreementConsentId'] = consentMovedTo.get(agreement);
      }
      moves.changes.push({ entityType, entityId, fields });
      count(moves.moved, entityType);
      continue;
    }
    const survivorOwn = survivorByKey.get(`${entityType}|${natural.key(data)}`);
    const targetId = survivorOwn?.entityId ?? natural.idFor(survivorId, data);
    if (survivorOwn && !survivorOwn.deleted) {
      count(moves.superseded, entityType);
      const combined = combinedWithSurvivor(entityType, survivorOwn.data, data);
      if (combined) {
        moves.changes.push({
          entityType,
          entityId: survivorOwn.entityId,
          fields: { ...combined, updatedAt: at },
        });
      }
    } else {
      moves.changes.push({
        entityType,
        entityId: targetId,
        fields: { ...data, id: targetId, learnerId: survivorId, deleted: false, updatedAt: at },
      });
      count(moves.moved, entityType);
    }
    if (entityType === 'consent') consentMovedTo.set(entityId, targetId);
    moves.changes.push({ entityType, entityId, fields: { deleted: true, updatedAt: at } });
  }
  return moves;
}

/** What the merge needs of each learner: the record and the organisation it belongs to. */
export type MergeParty = {
  learner: Pick<Learner, 'id' | 'deleted' | 'status' | 'mergedInto'>;
  organisationId: string;
};

export const MERGE_REFUSALS = [
  'same-learner',
  'different-organisations',
  'already-merged',
  'learner-erased',
  'learner-deleted',
] as const;
export type MergeRefusalReason = (typeof MERGE_REFUSALS)[number];
export type MergeRefusal = { reason: MergeRefusalReason; message: string };

export type LearnerMergePlan = RecordMoves & { survivorId: string; mergedId: string };

export type MergePlanResult = { ok: true; plan: LearnerMergePlan } | { ok: false; refusal: MergeRefusal };

function refuseParty(party: MergeParty, role: 'kept' | 'merged'): MergeRefusal | null {
  const { learner } = party;
  const which = role === 'kept' ? 'The record to keep' : 'The record to merge';
  if (learner.deleted) {
    return { reason: 'learner-deleted', message: `${which} has been deleted.` };
  }
  if (learner.status === 'erased') {
    return { reason: 'learner-erased', message: `${which} has been erased.` };
  }
  if (learner.mergedInto !== null) {
    return {
      reason: 'already-merged',
      message: `${which} was already merged into another record. Merge with the record that was kept.`,
    };
  }
  return null;
}

/**
 * Plans merging `other` into `survivor`: every live record of the other moves to the survivor (see
 * planRecordMoves), then the other is marked merged into the survivor and archived (archived, so a
 * list that reads only the status leaves it out too; mergedInto says where it went). The survivor's
 * own details are kept as they are. `related` holds both learners' records, deleted ones included.
 * Refused: the same learner, two organisations, or either one deleted, erased or already merged.
 */
export function planLearnerMerge(
  survivor: MergeParty,
  other: MergeParty,
  related: readonly RelatedRecord[],
  at: string,
): MergePlanResult {
  if (survivor.learner.id === other.learner.id) {
    return {
      ok: false,
      refusal: { reason: 'same-learner', message: 'A record cannot be merged into itself.' },
    };
  }
  if (survivor.organisationId !== other.organisationId) {
    return {
      ok: false,
      refusal: {
        reason: 'different-organisations',
        message: 'Records of two organisations cannot be merged.',
      },
    };
  }
  const refusal = refuseParty(survivor, 'kept') ?? refuseParty(other, 'merged');
  if (refusal) return { ok: false, refusal };

  const belongsTo = (learnerId: string) => (record: RelatedRecord) => record.data['learnerId'] === learnerId;
  const moves = planRecordMoves(
    survivor.learner.id,
    related.filter(belongsTo(other.learner.id)),
    related.filter(belongsTo(survivor.learner.id)),
    at,
  );
  moves.changes.push({
    entityType: 'learner',
    entityId: other.learner.id,
    fields: { mergedInto: survivor.learner.id, status: 'archived', updatedAt: at },
  });
  return { ok: true, plan: { ...moves, survivorId: survivor.learner.id, mergedId: other.learner.id } };
}

/** POST /api/learners/:id/merge: the learner whose records move to :id. */
export const learnerMergeRequestSchema = z.object({ otherLearnerId: z.uuid() });

const moveCountsSchema = z.partialRecord(z.enum(LEARNER_RECORD_TYPES), z.number().int().min(0));

/** The answer to a merge: who was kept, who was merged, and what moved. */
export const learnerMergeAnswerSchema = z.object({
  survivorId: z.uuid(),
  mergedId: z.uuid(),
  moved: moveCountsSchema,
  superseded: moveCountsSchema,
});
export type LearnerMergeAnswer = z.infer<typeof learnerMergeAnswerSchema>;
