import { describe, expect, it } from 'vitest';
import { attendanceId, consentId, equalityId, passportAwardId } from '../../src/domain/ids';
import {
  LEARNER_RECORD_TYPES,
  type LearnerRecordType,
  type MergeParty,
  NATURAL_KEYS,
  type RecordChange,
  type RelatedRecord,
  planLearnerMerge,
  planRecordMoves,
  combinedWithSurvivor,
} from '../../src/domain/learnerMerge';
import { ENTITY_TYPES, RECORD_SCHEMAS } from '../../src/domain/records';
import { CLEARABLE_ENTITY_TYPES } from '../../src/domain/sync/merge';
import {
  makeAttendance,
  makeConsent,
  makeEmploymentStatus,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearningGoal,
  makeLoan,
  makeOutcome,
  makePassportAward,
  makeSkillsAssessment,
} from '../fixtures/records';

const ORGANISATION = '0a0a0a0a-0000-4000-8000-000000000001';
const KEPT = '11111111-1111-4111-8111-111111111111';
const OTHER = '22222222-2222-4222-8222-222222222222';
const SESSION = '33333333-3333-4333-8333-333333333333';
const AT = '2026-11-24T09:00:00.000Z';

function party(id: string, overrides: Partial<MergeParty['learner']> = {}, organisationId = ORGANISATION) {
  return {
    organisationId,
    learner: { id, deleted: false, status: 'active' as const, mergedInto: null, ...overrides },
  };
}

function related(
  entityType: LearnerRecordType,
  data: { id: string; deleted?: boolean } & Record<string, unknown>,
): RelatedRecord {
  return { entityType, entityId: data.id, data, deleted: data.deleted ?? false };
}

/** A record of each type with a made-up id, for the other learner. */
const randomIdRecords = {
  employmentStatus: makeEmploymentStatus({ id: 'a0000000-0000-4000-8000-000000000001', learnerId: OTHER }),
  enrolment: makeEnrolment({ id: 'a0000000-0000-4000-8000-000000000002', learnerId: OTHER }),
  learningGoal: makeLearningGoal({ id: 'a0000000-0000-4000-8000-000000000003', learnerId: OTHER }),
  skillsAssessment: makeSkillsAssessment({ id: 'a0000000-0000-4000-8000-000000000004', learnerId: OTHER }),
  outcome: makeOutcome({ id: 'a0000000-0000-4000-8000-000000000005', learnerId: OTHER }),
  loan: makeLoan({ id: 'a0000000-0000-4000-8000-000000000006', learnerId: OTHER }),
} as const;

/** A record of each type whose id derives from the learner, for the given learner. */
function derivedRecord(entityType: keyof typeof NATURAL_KEYS, learnerId: string, overrides = {}) {
  switch (entityType) {
    case 'attendance':
      return makeAttendance({
        id: attendanceId(SESSION, learnerId),
        sessionId: SESSION,
        learnerId,
        ...overrides,
      });
    case 'equalityMonitoring':
      return makeEqualityMonitoring({ id: equalityId(learnerId), learnerId, ...overrides });
    case 'consent':
      return makeConsent({ id: consentId(learnerId, 'contact-courses'), learnerId, ...overrides });
    case 'passportAward':
      return makePassportAward({ id: passportAwardId(learnerId, 'bronze', 1), learnerId, ...overrides });
    default:
      throw new Error(`${entityType} has no derived id`);
  }
}

const DERIVED_TYPES = Object.keys(NATURAL_KEYS) as (keyof typeof NATURAL_KEYS)[];

function planned(relatedRecords: RelatedRecord[]) {
  const result = planLearnerMerge(party(KEPT), party(OTHER), relatedRecords, AT);
  if (!result.ok) throw new Error(`Refused: ${result.refusal.reason}`);
  return result.plan;
}

/** The records after the changes, from the records before (a record first seen in a change is new). */
function applied(before: RelatedRecord[], changes: RecordChange[]): Map<string, Record<string, unknown>> {
  const records = new Map(before.map((record) => [record.entityId, { ...record.data }]));
  for (const change of changes) {
    records.set(change.entityId, { ...records.get(change.entityId), ...change.fields });
  }
  return records;
}

describe('the types a merge moves', () => {
  it('are every type whose records name a learner', () => {
    const withLearnerId = ENTITY_TYPES.filter((type) => 'learnerId' in RECORD_SCHEMAS[type].shape);
    expect([...LEARNER_RECORD_TYPES].sort()).toEqual([...withLearnerId].sort());
  });

  it('know a natural key for exactly the types whose ids are derived (clearable in sync)', () => {
    expect(Object.keys(NATURAL_KEYS).sort()).toEqual([...CLEARABLE_ENTITY_TYPES].sort());
  });
});

describe('planLearnerMerge: records with made-up ids', () => {
  it.each(Object.keys(randomIdRecords) as (keyof typeof randomIdRecords)[])(
    'moves a %s to the learner kept by changing its learnerId',
    (entityType) => {
      const record = related(entityType, randomIdRecords[entityType]);
      const plan = planned([record]);
      expect(plan.changes).toContainEqual({
        entityType,
        entityId: record.entityId,
        fields: { learnerId: KEPT, updatedAt: AT },
      });
      expect(plan.moved).toEqual({ [entityType]: 1 });
      expect(plan.superseded).toEqual({});
      const after = applied([record], plan.changes).get(record.entityId);
      expect(RECORD_SCHEMAS[entityType].safeParse(after).success).toBe(true);
    },
  );

  it('leaves the other learner’s tombstones as they are', () => {
    const plan = planned([related('enrolment', { ...randomIdRecords.enrolment, deleted: true })]);
    expect(plan.changes.map((change) => change.entityType)).toEqual(['learner']);
    expect(plan.moved).toEqual({});
  });

  it('leaves the kept learner’s own records alone', () => {
    const own = related(
      'enrolment',
      makeEnrolment({ id: 'b0000000-0000-4000-8000-000000000001', learnerId: KEPT }),
    );
    const plan = planned([own]);
    expect(plan.changes.some((change) => change.entityId === own.entityId)).toBe(false);
  });
});

describe('planLearnerMerge: records whose ids derive from the learner', () => {
  it.each(DERIVED_TYPES)(
    'writes a %s under the kept learner’s id with the other’s values when the kept learner has none, and tombstones the other’s',
    (entityType) => {
      const others = derivedRecord(entityType, OTHER, { deviceId: 'tablet-b' });
      const record = related(entityType, others);
      const plan = planned([record]);
      const keptId = NATURAL_KEYS[entityType]!.idFor(KEPT, others);
      expect(plan.changes).toContainEqual({
        entityType,
        entityId: keptId,
        fields: { ...others, id: keptId, learnerId: KEPT, deleted: false, updatedAt: AT },
      });
      expect(plan.changes).toContainEqual({
        entityType,
        entityId: others.id,
        fields: { deleted: true, updatedAt: AT },
      });
      expect(plan.moved).toEqual({ [entityType]: 1 });
      const after = applied([record], plan.changes);
      expect(RECORD_SCHEMAS[entityType].safeParse(after.get(keptId)).success).toBe(true);
      expect(after.get(keptId)).toMatchObject({ learnerId: KEPT, deviceId: 'tablet-b', deleted: false });
      expect(after.get(others.id)).toMatchObject({ learnerId: OTHER, deleted: true });
    },
  );

  it.each(DERIVED_TYPES)(
    'keeps the kept learner’s own %s when both have one, and tombstones the other’s (its values stay in history)',
    (entityType) => {
      const keptOwn = related(entityType, derivedRecord(entityType, KEPT));
      const others = related(entityType, derivedRecord(entityType, OTHER));
      const plan = planned([keptOwn, others]);
      expect(plan.changes.filter((change) => change.entityType === entityType)).toEqual([
        { entityType, entityId: others.entityId, fields: { deleted: true, updatedAt: AT } },
      ]);
      expect(plan.superseded).toEqual({ [entityType]: 1 });
      expect(plan.moved).toEqual({});
    },
  );

  it('fills a mark the kept learner had cleared (a tombstone) with the other’s mark', () => {
    const cleared = related('attendance', derivedRecord('attendance', KEPT, { deleted: true, mark: 'U' }));
    const others = related('attendance', derivedRecord('attendance', OTHER, { mark: 'L' }));
    const after = applied([cleared, others], planned([cleared, others]).changes);
    expect(after.get(attendanceId(SESSION, KEPT))).toMatchObject({
      mark: 'L',
      deleted: false,
      learnerId: KEPT,
    });
    expect(after.get(attendanceId(SESSION, OTHER))).toMatchObject({ deleted: true });
  });

  it('finds the kept learner’s row for a session even under an id that is not the derived one', () => {
    const oddId = 'c0000000-0000-4000-8000-000000000001';
    const keptOwn = related('attendance', derivedRecord('attendance', KEPT, { id: oddId }));
    const others = related('attendance', derivedRecord('attendance', OTHER));
    const plan = planned([keptOwn, others]);
    expect(plan.changes.some((change) => change.entityId === attendanceId(SESSION, KEPT))).toBe(false);
    expect(plan.superseded).toEqual({ attendance: 1 });
  });

  it('moves marks of different sessions, and keeps one mark where both were marked', () => {
    const sessionTwo = '44444444-4444-4444-8444-444444444444';
    const records = [
      related('attendance', derivedRecord('attendance', KEPT, { mark: 'P' })),
      related('attendance', derivedRecord('attendance', OTHER, { mark: 'L' })),
      related(
        'attendance',
        makeAttendance({ id: attendanceId(sessionTwo, OTHER), sessionId: sessionTwo, learnerId: OTHER }),
      ),
    ];
    const after = applied(records, planned(records).changes);
    const live = [...after.values()].filter((record) => record['deleted'] === false);
    expect(live.map((record) => [record['sessionId'], record['learnerId'], record['mark']])).toEqual([
      [SESSION, KEPT, 'P'],
      [sessionTwo, KEPT, 'P'],
    ]);
  });
});

describe('planLearnerMerge: a loan’s agreement', () => {
  const loanConsent = (learnerId: string) =>
    makeConsent({ id: consentId(learnerId, 'device-loan'), learnerId, purpose: 'device-loan' });

  it('points at the consent row its agreement moved to', () => {
    const consent = related('consent', loanConsent(OTHER));
    const loan = related('loan', { ...randomIdRecords.loan, agreementConsentId: consent.entityId });
    const plan = planned([loan, consent]);
    expect(plan.changes).toContainEqual({
      entityType: 'loan',
      entityId: loan.entityId,
      fields: { learnerId: KEPT, agreementConsentId: consentId(KEPT, 'device-loan'), updatedAt: AT },
    });
  });

  it('points at the kept learner’s own loan agreement when both had one', () => {
    const consents = [related('consent', loanConsent(KEPT)), related('consent', loanConsent(OTHER))];
    const loan = related('loan', {
      ...randomIdRecords.loan,
      agreementConsentId: consentId(OTHER, 'device-loan'),
    });
    const change = planned([...consents, loan]).changes.find((candidate) => candidate.entityType === 'loan');
    expect(change?.fields['agreementConsentId']).toBe(consentId(KEPT, 'device-loan'));
  });
});

describe('planLearnerMerge: the learners', () => {
  it('marks the other learner merged into the one kept, and archived; the kept one is not changed', () => {
    const plan = planned([]);
    expect(plan.changes).toEqual([
      {
        entityType: 'learner',
        entityId: OTHER,
        fields: { mergedInto: KEPT, status: 'archived', updatedAt: AT },
      },
    ]);
    expect([plan.survivorId, plan.mergedId]).toEqual([KEPT, OTHER]);
  });

  it.each([
    ['the same learner', party(KEPT), party(KEPT), 'same-learner'],
    [
      'learners of two organisations',
      party(KEPT),
      party(OTHER, {}, 'another-organisation'),
      'different-organisations',
    ],
    ['a learner already merged', party(KEPT), party(OTHER, { mergedInto: KEPT }), 'already-merged'],
    ['into a learner already merged', party(KEPT, { mergedInto: OTHER }), party(OTHER), 'already-merged'],
    ['an erased learner', party(KEPT), party(OTHER, { status: 'erased' }), 'learner-erased'],
    ['into an erased learner', party(KEPT, { status: 'erased' }), party(OTHER), 'learner-erased'],
    ['a deleted learner', party(KEPT), party(OTHER, { deleted: true }), 'learner-deleted'],
  ] as const)('refuses %s', (_case, survivor, other, reason) => {
    const result = planLearnerMerge(survivor, other, [related('enrolment', randomIdRecords.enrolment)], AT);
    expect(result.ok ? null : result.refusal.reason).toBe(reason);
  });
});

describe('planRecordMoves (records pushed for a merged learner after the merge)', () => {
  it('moves them by the same rule, and nothing once moved', () => {
    const goal = related('learningGoal', randomIdRecords.learningGoal);
    const mark = related('attendance', derivedRecord('attendance', OTHER));
    const survivorMark = related('attendance', derivedRecord('attendance', KEPT));
    const moves = planRecordMoves(KEPT, [goal, mark], [survivorMark], AT);
    expect(moves.moved).toEqual({ learningGoal: 1 });
    expect(moves.superseded).toEqual({ attendance: 1 });
    // After the move the goal names the kept learner and the mark is a tombstone: nothing is left to move.
    const after = applied([goal, mark], moves.changes);
    const stillOthers = [goal, mark]
      .map((record) => ({
        ...record,
        data: after.get(record.entityId)!,
        deleted: after.get(record.entityId)!['deleted'] === true,
      }))
      .filter((record) => record.data['learnerId'] === OTHER);
    expect(planRecordMoves(KEPT, stillOthers, [survivorMark], AT).changes).toEqual([]);
  });
});

describe('combinedWithSurvivor: what the kept row takes from the other when both hold one', () => {
  it('follows the later consent decision, so a withdrawal on the other record is not lost', () => {
    const granted = {
      granted: true,
      channels: ['phone'],
      capturedAt: '2026-03-01T10:00:00Z',
      withdrawnAt: null,
    };
    const withdrawn = {
      granted: true,
      channels: ['phone'],
      capturedAt: '2026-02-01T10:00:00Z',
      withdrawnAt: '2026-04-01T10:00:00Z',
    };
    expect(combinedWithSurvivor('consent', granted, withdrawn)).toMatchObject({
      withdrawnAt: '2026-04-01T10:00:00Z',
      capturedAt: '2026-02-01T10:00:00Z',
    });
    // A grant made after the other's withdrawal stands.
    const regranted = { ...granted, capturedAt: '2026-05-01T10:00:00Z' };
    expect(combinedWithSurvivor('consent', regranted, withdrawn)).toBeNull();
  });

  it('fills equality questions the kept row has no answer to, each answer with its time', () => {
    const kept = { sex: 'F', ethnicity: null, ethnicityOther: '', ethnicityAnswerChosenAt: null, lldd: '2' };
    const other = {
      sex: 'M',
      ethnicity: '32',
      ethnicityOther: '',
      ethnicityAnswerChosenAt: '2026-01-01T09:00:00Z',
      lldd: '1',
      disabilityCategories: ['4'],
      primaryDisabilityCategory: '4',
      healthAnswerChosenAt: '2026-01-01T09:00:00Z',
    };
    expect(combinedWithSurvivor('equalityMonitoring', kept, other)).toEqual({
      ethnicity: '32',
      ethnicityOther: '',
      ethnicityAnswerChosenAt: '2026-01-01T09:00:00Z',
    });
    expect(combinedWithSurvivor('equalityMonitoring', other, kept)).toBeNull();
  });

  it('keeps the kept learner’s own mark and award as they are', () => {
    expect(combinedWithSurvivor('attendance', { mark: 'P' }, { mark: 'L' })).toBeNull();
    expect(combinedWithSurvivor('passportAward', { level: 'bronze' }, { level: 'bronze' })).toBeNull();
  });
});
