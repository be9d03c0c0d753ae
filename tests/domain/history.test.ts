import { describe, expect, it } from 'vitest';
import {
  HIDDEN_VALUE,
  type HistoryChange,
  accessActionWords,
  describeChange,
  deviceWords,
  entityWords,
  fieldWords,
  hasHiddenValues,
  learnerHistorySchema,
  outcomeWords,
  valueWords,
} from '../../src/domain/history';

const change = (overrides: Partial<HistoryChange>): HistoryChange => ({
  at: '2026-11-23T10:00:00.000Z',
  userName: 'Tom Tutor',
  deviceId: '1a2b3c4d-0000-4000-8000-000000000000',
  entityType: 'learner',
  entityId: '5d0c4a7e-0000-4000-8000-000000000000',
  field: 'phone',
  oldValue: '07700 900001',
  newValue: '07700 900002',
  outcome: 'applied',
  ...overrides,
});

describe('outcomeWords', () => {
  it.each([
    ['applied', 'changed'],
    ['stale', 'older change not applied'],
    ['created', 'created'],
    ['deleted', 'deleted'],
    ['after-delete', 'change after deletion, kept for review'],
    ['rejected:outside-scope', 'refused: outside the tutor’s courses'],
    ['rejected:coordinator-only', 'refused: only a coordinator can change this'],
    ['rejected:clock-drift', 'refused: the device’s clock was ahead'],
    ['rejected:some-new-reason', 'refused: some new reason'],
    ['something-else', 'something else'],
  ])('says %j as %j', (outcome, words) => {
    expect(outcomeWords(outcome)).toBe(words);
  });
});

describe('fields, record types and values in words', () => {
  it.each([
    ['dateOfBirth', 'date of birth'],
    ['givenNames', 'given names'],
    ['bslUser', 'British Sign Language user'],
    ['lldd', 'learning difficulty, disability or health problem'],
    ['*', 'whole record'],
  ])('field %j is %j', (field, words) => {
    expect(fieldWords(field)).toBe(words);
  });

  it('names record types', () => {
    expect(entityWords('equalityMonitoring')).toBe('Equality monitoring');
    expect(entityWords('learner')).toBe('Learner details');
    expect(entityWords('skillsAssessment')).toBe('Skills assessment');
  });

  it('reads values plainly', () => {
    expect(valueWords(null)).toBe('blank');
    expect(valueWords('')).toBe('blank');
    expect(valueWords(true)).toBe('yes');
    expect(valueWords(['4', '12'])).toBe('4, 12');
    expect(valueWords([])).toBe('none');
    expect(valueWords(HIDDEN_VALUE)).toBe('(hidden)');
    expect(
      valueWords({
        id: 'x',
        updatedAt: 'y',
        learnerId: 'l1',
        givenNames: 'Ada',
        preferredName: '',
        email: null,
        bslUser: false,
        benefits: [],
        addressLines: ['1 Lane'],
      }),
    ).toBe('given names: Ada; British Sign Language user: no; address lines: 1 Lane');
    expect(valueWords({ learnerId: 'l1', phone: '' })).toBe('no details');
  });

  it('names access to special category data', () => {
    expect(accessActionWords('received-on-device')).toBe('received on a device');
    expect(accessActionWords('viewed')).toBe('viewed in this history');
    expect(accessActionWords('exported')).toBe('exported');
  });
});

describe('describeChange', () => {
  it('says what changed, from what to what, and the outcome', () => {
    expect(describeChange(change({}))).toEqual({
      what: 'Learner details: phone',
      from: '07700 900001',
      to: '07700 900002',
      outcome: 'changed',
    });
  });

  it('describes a new record by its values and a refused one by what it tried to set', () => {
    expect(
      describeChange(
        change({
          entityType: 'enrolment',
          field: '*',
          oldValue: null,
          newValue: { programmeId: 'p1', channel: 'tutor' },
          outcome: 'created',
        }),
      ),
    ).toEqual({ what: 'Enrolment', from: 'nothing', to: 'channel: tutor', outcome: 'created' });
    expect(
      describeChange(
        change({ field: '*', oldValue: null, newValue: { phone: '1' }, outcome: 'rejected:outside-scope' }),
      ),
    ).toMatchObject({
      what: 'Learner details',
      from: 'nothing',
      outcome: 'refused: outside the tutor’s courses',
    });
  });

  it('names the device by its label, or its short id', () => {
    expect(
      deviceWords({ deviceId: '1a2b3c4d-0000', deviceLabel: 'Device 1a2b3c4d, registered by Tom' }),
    ).toBe('Device 1a2b3c4d, registered by Tom');
    expect(deviceWords({ deviceId: '1a2b3c4d-0000' })).toBe('Device 1a2b3c4d');
    expect(deviceWords({ deviceId: null })).toBe('no device');
  });
});

describe('learnerHistorySchema', () => {
  it('reads an answer and notices hidden values', () => {
    const parsed = learnerHistorySchema.parse({
      changes: [change({ entityType: 'equalityMonitoring', field: 'ethnicity', oldValue: HIDDEN_VALUE })],
      truncated: false,
      specialCategoryAccess: [{ at: 'x', userName: 'Aisha', deviceId: null, action: 'viewed' }],
    });
    expect(parsed.specialCategoryAccessTruncated).toBe(false);
    expect(hasHiddenValues(parsed)).toBe(true);
    expect(hasHiddenValues({ ...parsed, changes: [change({})] })).toBe(false);
  });

  it('refuses an answer of the wrong shape', () => {
    expect(learnerHistorySchema.safeParse({ changes: 'no' }).success).toBe(false);
  });
});
