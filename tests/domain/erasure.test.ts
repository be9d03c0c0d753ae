// The rules of erasure (src/domain/erasure.ts): what is blanked in each record and what stays to be
// counted, how a later change to an erased learner's record is cut down, how history values and
// drafts are cleaned.
import { describe, expect, it } from 'vitest';
import {
  ERASABLE_TYPES,
  ERASED_DATE_OF_BIRTH,
  draftMentionsLearner,
  eraseHistoryValue,
  eraseRecord,
  erasedFieldNames,
  erasureChange,
  guardChangeToErasedLearner,
  isErasureConfirmed,
} from '../../src/domain/erasure';
import { SEALED_FIELDS } from '../../src/domain/personalFields';
import { RECORD_SCHEMAS } from '../../src/domain/records';
import { makeAttendance, makeLearner, makeValidRecords } from '../fixtures/records';

describe('eraseRecord', () => {
  const records = makeValidRecords();

  it('blanks every field sealed at rest as personal, and the names, date of birth and postcode too', () => {
    for (const entityType of ERASABLE_TYPES) {
      const erased = erasedFieldNames(entityType);
      for (const field of SEALED_FIELDS[entityType] ?? []) {
        // An outcome's code is what is counted (destinations and progression): kept on purpose.
        if (entityType === 'outcome' && field === 'code') continue;
        expect(erased, `${entityType}.${field}`).toContain(field);
      }
    }
    expect(erasedFieldNames('learner')).toEqual(
      expect.arrayContaining(['givenNames', 'familyName', 'preferredName', 'dateOfBirth', 'postcode']),
    );
    expect(erasedFieldNames('venue')).toEqual([]);
  });

  it('leaves every record valid, with what is counted kept', () => {
    for (const entityType of ERASABLE_TYPES) {
      const erased = eraseRecord(entityType, records[entityType] as Record<string, unknown>);
      const parsed = RECORD_SCHEMAS[entityType].safeParse(erased);
      expect(parsed.success, `${entityType}: ${JSON.stringify(parsed.error?.issues)}`).toBe(true);
    }
    const learner = eraseRecord('learner', makeLearner());
    expect(learner).toMatchObject({
      givenNames: 'Erased',
      familyName: 'learner',
      dateOfBirth: ERASED_DATE_OF_BIRTH,
      phone: '',
      addressLines: [],
      status: 'erased',
      createdAt: makeLearner().createdAt,
    });
    expect(JSON.stringify(learner)).not.toMatch(/Siobh|Neill|Marsh|07700|example\.com|Large text|L203NJ/);
    const outcome = eraseRecord('outcome', records.outcome as Record<string, unknown>);
    expect(outcome).toMatchObject({ code: 'EMP2', collectedOn: '2027-02-08', notes: '' });
    const enrolment = eraseRecord('enrolment', records.enrolment as Record<string, unknown>);
    expect(enrolment).toMatchObject({
      startDate: '2026-11-30',
      fundingStream: 'asf-tailored',
      referralSource: null,
    });
  });

  it('keeps an authorised absence valid: its reason becomes "other"', () => {
    expect(eraseRecord('attendance', makeAttendance({ mark: 'AA', absenceReason: 'illness' }))).toMatchObject(
      {
        mark: 'AA',
        absenceReason: 'other',
      },
    );
    expect(eraseRecord('attendance', makeAttendance({ mark: 'P' })).absenceReason).toBeNull();
  });

  it('blanks what a device that may not see equality answers holds instead of them', () => {
    const redacted = { id: 'e1', learnerId: 'l1', answered: { ethnicity: true, sex: true, health: false } };
    expect(eraseRecord('equalityMonitoring', redacted)['answered']).toEqual({
      ethnicity: false,
      sex: false,
      health: false,
    });
  });

  it('is a change of only the fields that differ, and nothing once erased', () => {
    const learner = makeLearner({ preferredName: '', emergencyContactName: '' });
    const change = erasureChange('learner', learner);
    expect(change).toMatchObject({ givenNames: 'Erased', phone: '', status: 'erased' });
    expect(change).not.toHaveProperty('preferredName');
    expect(erasureChange('learner', eraseRecord('learner', learner))).toEqual({});
  });
});

describe('guardChangeToErasedLearner', () => {
  it('refuses a change of personal fields only (bookkeeping aside)', () => {
    const guarded = guardChangeToErasedLearner('learner', makeLearner(), {
      phone: '07700 900123',
      updatedAt: '2026-12-01T10:00:00.000Z',
    });
    expect(guarded).toMatchObject({ kind: 'refuse', message: expect.stringContaining('erased') });
    expect(guardChangeToErasedLearner('learner', undefined, { status: 'active' }).kind).toBe('refuse');
  });

  it('applies the rest of a mixed change with the personal fields at their erased values', () => {
    expect(
      guardChangeToErasedLearner('enrolment', undefined, { completionStatus: '3', withdrawalReason: '3' }),
    ).toEqual({ kind: 'apply', fields: { completionStatus: '3', withdrawalReason: null } });
    // The erased value is worked out on the record the change leaves: an absence keeps a reason.
    expect(
      guardChangeToErasedLearner('attendance', makeAttendance({ mark: 'P' }), {
        mark: 'AA',
        absenceReason: 'caring',
      }),
    ).toEqual({ kind: 'apply', fields: { mark: 'AA', absenceReason: 'other' } });
  });

  it('lets a change with no personal field through as it is', () => {
    const fields = { mark: 'L', minutesAttended: 90 };
    expect(guardChangeToErasedLearner('attendance', undefined, fields)).toEqual({ kind: 'apply', fields });
    expect(guardChangeToErasedLearner('venue', undefined, { name: 'Hall' })).toEqual({
      kind: 'apply',
      fields: { name: 'Hall' },
    });
  });
});

describe('eraseHistoryValue', () => {
  it('empties a personal field, keeps other fields, and strips personal keys from a whole record', () => {
    expect(eraseHistoryValue('learner', 'phone', '07700 900123')).toBeNull();
    expect(eraseHistoryValue('learner', 'status', 'active')).toBe('active');
    expect(eraseHistoryValue('attendance', 'mark', 'P')).toBe('P');
    expect(
      eraseHistoryValue('learningGoal', '*', { id: 'g1', text: 'Email my son', category: 'personal' }),
    ).toEqual({
      id: 'g1',
      category: 'personal',
    });
    expect(eraseHistoryValue('learner', '*', null)).toBeNull();
  });
});

describe('draftMentionsLearner', () => {
  const person = {
    id: '6f1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    givenNames: 'Siobhán',
    familyName: "O'Neill",
    email: 'Siobhan@Example.com',
    phone: '07700 900982',
  };

  it('finds her by both names (however typed), by email or phone, or by id', () => {
    expect(draftMentionsLearner({ givenNames: 'siobhan', familyName: 'ONeill' }, person)).toBe(true);
    expect(draftMentionsLearner({ givenNames: 'Ann', email: ' siobhan@example.com ' }, person)).toBe(true);
    expect(draftMentionsLearner({ contact: { phone: '+44 7700 900982' } }, person)).toBe(true);
    expect(draftMentionsLearner({ learnerId: person.id.toUpperCase() }, person)).toBe(true);
  });

  it('leaves a draft about someone else, even of the same given name', () => {
    expect(draftMentionsLearner({ givenNames: 'Siobhán', familyName: 'Byrne', phone: '07700' }, person)).toBe(
      false,
    );
    expect(draftMentionsLearner(null, person)).toBe(false);
  });
});

describe('isErasureConfirmed', () => {
  it('takes the word ERASE in any case, nothing else', () => {
    expect(isErasureConfirmed(' erase ')).toBe(true);
    expect(isErasureConfirmed('ERASE')).toBe(true);
    expect(isErasureConfirmed('yes')).toBe(false);
    expect(isErasureConfirmed('')).toBe(false);
  });
});
