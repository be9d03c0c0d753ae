import { describe, expect, it } from 'vitest';
import {
  CHANGE_LOG_ENTRY_VERSION,
  changedFields,
  pendingChangeCount,
  type OutboxBatch,
} from '../../src/domain/changeLog';
import { makeEqualityMonitoring, makeLearner } from '../fixtures/records';

describe('changedFields', () => {
  it('gives every field of a new record', () => {
    const learner = makeLearner();
    expect(changedFields(undefined, learner)).toEqual(learner);
  });

  it('gives nothing when nothing changed', () => {
    expect(changedFields(makeLearner(), makeLearner())).toEqual({});
  });

  it('gives only the fields that changed, with their new values', () => {
    const before = makeLearner();
    const after = makeLearner({ phone: '07700 900123', updatedAt: '2026-11-24T09:00:00.000Z' });
    expect(changedFields(before, after)).toEqual({
      phone: '07700 900123',
      updatedAt: '2026-11-24T09:00:00.000Z',
    });
  });

  it('compares arrays by value, not by identity', () => {
    const before = makeEqualityMonitoring({ disabilityCategories: ['4', '12'] });
    const same = makeEqualityMonitoring({ disabilityCategories: ['4', '12'] });
    expect(before.disabilityCategories).not.toBe(same.disabilityCategories);
    expect(changedFields(before, same)).toEqual({});

    const reordered = makeEqualityMonitoring({ disabilityCategories: ['12', '4'] });
    expect(changedFields(before, reordered)).toEqual({ disabilityCategories: ['12', '4'] });

    const longer = makeEqualityMonitoring({ disabilityCategories: ['4', '12', '5'] });
    expect(changedFields(before, longer)).toEqual({ disabilityCategories: ['4', '12', '5'] });
  });

  it('tells null from an empty string and false from true', () => {
    const before = { withdrawnAt: null as string | null, granted: false, note: '' };
    const after = { withdrawnAt: '2026-11-24T09:00:00.000Z', granted: true, note: '' };
    expect(changedFields(before, after)).toEqual({ withdrawnAt: '2026-11-24T09:00:00.000Z', granted: true });
  });

  it('compares nested objects by value', () => {
    const before = { priorDigitalSkills: { foundation: 'with-help' } };
    expect(changedFields(before, { priorDigitalSkills: { foundation: 'with-help' } })).toEqual({});
    expect(changedFields(before, { priorDigitalSkills: { foundation: 'independent' } })).toEqual({
      priorDigitalSkills: { foundation: 'independent' },
    });
  });

  it('marks a tombstone as a change to deleted', () => {
    const before = makeLearner();
    expect(changedFields(before, { ...before, deleted: true })).toEqual({ deleted: true });
  });
});

describe('pendingChangeCount', () => {
  const batch = (firstMutationId: number, lastMutationId: number): OutboxBatch => ({
    firstMutationId,
    lastMutationId,
    hlc: '2026-11-23T10:00:00.000Z-0000-0123456789abcdef',
    madeAt: '2026-11-23T10:00:00.000Z',
    changes: [],
    entryVersion: CHANGE_LOG_ENTRY_VERSION,
  });

  it('is 0 with an empty outbox', () => {
    expect(pendingChangeCount(undefined, 12)).toBe(0);
  });

  it('counts every mutation id from the oldest batch held to the last one issued', () => {
    expect(pendingChangeCount(batch(5, 7), 7)).toBe(3);
    expect(pendingChangeCount(batch(5, 7), 9)).toBe(5);
    expect(pendingChangeCount(batch(1, 1), 1)).toBe(1);
  });
});
