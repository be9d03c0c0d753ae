// Retention rules (src/domain/retention.ts): the default period of each funding stream, the longest
// period a learner on several streams is kept for, and the day their retention ends.
import { describe, expect, it } from 'vitest';
import { FUNDING_STREAMS } from '../../src/domain/codeLists';
import {
  DEFAULT_RETENTION,
  addYears,
  defaultRetentionPeriods,
  isDueForAnonymising,
  retentionSettingsRequestSchema,
  retentionYearsFor,
} from '../../src/domain/retention';

describe('the default periods', () => {
  it('has one for every funding stream: six years for ESFA-funded learning, three when unfunded', () => {
    for (const stream of FUNDING_STREAMS) expect(DEFAULT_RETENTION[stream.code].years).toBeGreaterThan(0);
    expect(defaultRetentionPeriods()).toMatchObject({ 'asf-tailored': 6, 'eds-entitlement': 6, unfunded: 3 });
  });
});

describe('addYears', () => {
  it('adds whole years, and 29 February becomes 28 February in a year without one', () => {
    expect(addYears('2020-03-01', 3)).toBe('2023-03-01');
    expect(addYears('2020-02-29', 1)).toBe('2021-02-28');
    expect(addYears('2020-02-29', 4)).toBe('2024-02-29');
    expect(addYears('2019-12-31', 6)).toBe('2025-12-31');
  });
});

describe('retentionYearsFor', () => {
  const periods = { ...defaultRetentionPeriods(), 'local-grant': 2 };

  it('keeps a learner for the longest period of their streams, the unfunded one when they have none', () => {
    expect(retentionYearsFor(['unfunded', 'asf-tailored'], periods)).toBe(6);
    expect(retentionYearsFor(['local-grant'], periods)).toBe(2);
    expect(retentionYearsFor([], periods)).toBe(3);
    expect(retentionYearsFor(['no-such-stream'], periods)).toBe(3);
  });
});

describe('isDueForAnonymising', () => {
  const periods = defaultRetentionPeriods();
  const learner = (lastActivity: string | null, streams: string[] = ['unfunded']) => ({
    learnerId: 'l1',
    lastActivity,
    streams,
  });

  it('is due the day after their period has passed since their last activity, not before', () => {
    expect(isDueForAnonymising(learner('2023-03-01'), periods, '2026-03-01')).toBe(false);
    expect(isDueForAnonymising(learner('2023-03-01'), periods, '2026-03-02')).toBe(true);
    expect(
      isDueForAnonymising(learner('2023-03-01', ['unfunded', 'asf-tailored']), periods, '2026-03-02'),
    ).toBe(false);
    expect(isDueForAnonymising(learner('2019-01-01', ['asf-tailored']), periods, '2026-03-02')).toBe(true);
  });

  it('is never due without a date to measure from', () => {
    expect(isDueForAnonymising(learner(null), periods, '2099-01-01')).toBe(false);
    expect(isDueForAnonymising(learner('not a date'), periods, '2099-01-01')).toBe(false);
  });
});

describe('retentionSettingsRequestSchema', () => {
  it('takes whole years from 1 to 50 for known streams only', () => {
    expect(
      retentionSettingsRequestSchema.safeParse({ periods: { unfunded: 4, 'asf-tailored': 7 } }).success,
    ).toBe(true);
    for (const periods of [{ unfunded: 0 }, { unfunded: 51 }, { unfunded: 2.5 }, { 'no-such-stream': 3 }]) {
      expect(retentionSettingsRequestSchema.safeParse({ periods }).success, JSON.stringify(periods)).toBe(
        false,
      );
    }
  });
});
