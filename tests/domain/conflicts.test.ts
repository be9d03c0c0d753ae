// What counts as a conflict, which overwrites a push must check, what a restore writes, and the
// words a coordinator reads (src/domain/conflicts.ts).
import { describe, expect, it } from 'vitest';
import {
  type Conflict,
  type PushedHistoryLine,
  conflictFieldWords,
  conflictKindOf,
  conflictValueWords,
  isConcurrentOverwrite,
  isSpecialCategoryField,
  losingValueOf,
  overwritesToCheck,
  recordNameOf,
  restoreFieldsOf,
} from '../../src/domain/conflicts';

const LEARNER = '3b6f0c1e-8d2a-4c1b-9e5f-1a2b3c4d5e04';
const OTHER = '3b6f0c1e-8d2a-4c1b-9e5f-1a2b3c4d5e05';

const line = (overrides: Partial<PushedHistoryLine>): PushedHistoryLine => ({
  entity_type: 'learner',
  entity_id: LEARNER,
  field: 'phone',
  old_value: '07700 900000',
  outcome: 'applied',
  ...overrides,
});

describe('overwritesToCheck', () => {
  it('checks an overwrite of a value the push did not write itself', () => {
    expect(overwritesToCheck([line({}), line({ entity_id: OTHER, field: 'town' })])).toEqual([0, 1]);
  });

  it('skips a field the same push wrote before, a record it created, and what replaced nothing', () => {
    const lines = [
      line({ field: 'phone' }),
      line({ field: 'phone', old_value: '07700 900111' }),
      line({ entity_id: OTHER, field: '*', outcome: 'created', old_value: null }),
      line({ entity_id: OTHER, field: 'phone' }),
      line({ field: 'email', old_value: null }),
      line({ field: 'town', outcome: 'stale' }),
    ];
    expect(overwritesToCheck(lines)).toEqual([0]);
  });
});

describe('isConcurrentOverwrite', () => {
  const device = 'device-a';
  it('is concurrent when another device’s value arrived after this device last pulled', () => {
    expect(isConcurrentOverwrite({ deviceId: 'device-b', changeSeq: 12 }, device, 11)).toBe(true);
    expect(isConcurrentOverwrite({ deviceId: null, changeSeq: 12 }, device, 11)).toBe(true);
  });

  it('is not when the device had pulled the value, wrote it itself, or its last pull is unknown', () => {
    expect(isConcurrentOverwrite({ deviceId: 'device-b', changeSeq: 11 }, device, 11)).toBe(false);
    expect(isConcurrentOverwrite({ deviceId: device, changeSeq: 12 }, device, 11)).toBe(false);
    expect(isConcurrentOverwrite({ deviceId: 'device-b', changeSeq: 12 }, device, null)).toBe(false);
    expect(isConcurrentOverwrite({ deviceId: 'device-b', changeSeq: null }, device, 11)).toBe(false);
    expect(isConcurrentOverwrite(undefined, device, 11)).toBe(false);
  });
});

describe('conflictKindOf', () => {
  it('counts stale values, concurrent overwrites and the clashes sync flags', () => {
    expect(conflictKindOf({ outcome: 'stale', concurrent: false, field: 'phone' })).toBe('concurrent-edit');
    expect(conflictKindOf({ outcome: 'applied', concurrent: true, field: 'phone' })).toBe('concurrent-edit');
    expect(conflictKindOf({ outcome: 'after-delete', concurrent: false, field: 'phone' })).toBe(
      'after-delete',
    );
    expect(conflictKindOf({ outcome: 'rejected:duplicate-attendance', concurrent: false, field: '*' })).toBe(
      'duplicate-attendance',
    );
  });

  it('leaves out ordinary changes, other refusals and bookkeeping fields', () => {
    expect(conflictKindOf({ outcome: 'applied', concurrent: false, field: 'phone' })).toBeNull();
    expect(conflictKindOf({ outcome: 'created', concurrent: false, field: '*' })).toBeNull();
    expect(conflictKindOf({ outcome: 'rejected:outside-scope', concurrent: false, field: '*' })).toBeNull();
    expect(conflictKindOf({ outcome: 'stale', concurrent: false, field: 'updatedAt' })).toBeNull();
    expect(conflictKindOf({ outcome: 'applied', concurrent: true, field: 'deviceId' })).toBeNull();
  });
});

describe('losingValueOf', () => {
  it('is the value overwritten, or the value not applied', () => {
    expect(losingValueOf({ outcome: 'applied', oldValue: 'a', newValue: 'b' })).toBe('a');
    expect(losingValueOf({ outcome: 'stale', oldValue: 'b', newValue: 'a' })).toBe('a');
    expect(losingValueOf({ outcome: 'after-delete', oldValue: 'b', newValue: 'a' })).toBe('a');
  });
});

describe('restoreFieldsOf', () => {
  const now = '2026-11-23T12:00:00.000Z';
  const held = { data: { phone: '07700 900222', updatedAt: '2026-11-23T11:00:00.000Z' }, deleted: false };

  it('writes the losing value back with a new updatedAt', () => {
    expect(
      restoreFieldsOf({ kind: 'concurrent-edit', field: 'phone', losingValue: '07700 900111' }, held, now),
    ).toEqual({
      fields: { phone: '07700 900111', updatedAt: now },
    });
  });

  it('writes a refused second mark into the record that holds the session and learner, ids left alone', () => {
    const refused = {
      id: OTHER,
      sessionId: 's',
      learnerId: LEARNER,
      createdAt: now,
      deviceId: 'tablet',
      mark: 'L',
      minutesAttended: 90,
    };
    expect(
      restoreFieldsOf({ kind: 'duplicate-attendance', field: '*', losingValue: refused }, held, now),
    ).toEqual({
      fields: { mark: 'L', minutesAttended: 90, updatedAt: now },
    });
  });

  it('refuses a change after a deletion, and a record deleted or gone since', () => {
    expect(
      restoreFieldsOf({ kind: 'after-delete', field: 'phone', losingValue: 'x' }, held, now),
    ).toMatchObject({
      refusal: 'cannot-restore',
    });
    expect(
      restoreFieldsOf(
        { kind: 'concurrent-edit', field: 'phone', losingValue: 'x' },
        { ...held, deleted: true },
        now,
      ),
    ).toMatchObject({ refusal: 'record-deleted' });
    expect(
      restoreFieldsOf({ kind: 'concurrent-edit', field: 'phone', losingValue: 'x' }, null, now),
    ).toMatchObject({
      refusal: 'cannot-restore',
    });
  });
});

describe('words', () => {
  const edit = { kind: 'concurrent-edit', field: 'phone' } satisfies Pick<Conflict, 'kind' | 'field'>;
  const mark = { kind: 'duplicate-attendance', field: 'mark' } satisfies Pick<Conflict, 'kind' | 'field'>;

  it('names fields and values as a coordinator reads them', () => {
    expect(conflictFieldWords(edit)).toBe('Phone');
    expect(conflictFieldWords({ kind: 'concurrent-edit', field: 'dateOfBirth' })).toBe('Date of birth');
    expect(conflictFieldWords(mark)).toBe('Attendance mark');
    expect(conflictValueWords(edit, '07700 900111')).toBe('07700 900111');
    expect(conflictValueWords(edit, '')).toBe('blank');
    expect(conflictValueWords(edit, '(hidden)')).toBe('hidden');
    expect(conflictValueWords(mark, 'L')).toBe('Late');
    expect(conflictValueWords({ kind: 'concurrent-edit', field: 'mark' }, 'AA')).toBe('Authorised absence');
  });

  it('knows which fields are special category and what records are called', () => {
    expect(isSpecialCategoryField('equalityMonitoring', 'ethnicity')).toBe(true);
    expect(isSpecialCategoryField('equalityMonitoring', 'learnerId')).toBe(false);
    expect(isSpecialCategoryField('learner', 'ethnicity')).toBe(false);
    expect(recordNameOf('venue', { name: 'Bootle Hub' })).toBe('Bootle Hub');
    expect(recordNameOf('programme', { title: 'Getting Online' })).toBe('Getting Online');
    expect(recordNameOf('learner', { givenNames: 'Grace' })).toBeNull();
    expect(recordNameOf('venue', null)).toBeNull();
  });
});

describe('two tablets marking one learner with the same mark', () => {
  it('is not a conflict: who marked and when are bookkeeping, only the mark itself is reviewed', () => {
    for (const field of ['markedAt', 'markedBy', 'markedLate']) {
      expect(conflictKindOf({ outcome: 'applied', concurrent: true, field }), field).toBeNull();
    }
    expect(conflictKindOf({ outcome: 'applied', concurrent: true, field: 'mark' })).toBe('concurrent-edit');
  });
});
