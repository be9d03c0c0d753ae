import { describe, expect, it } from 'vitest';
import {
  MAX_MUTATIONS_PER_PUSH,
  RECORD_SCHEMA_VERSION,
  SYNC_PROTOCOL_VERSION,
  judgeVersions,
  pullQuerySchema,
  pushRequestSchema,
} from '../../../src/domain/sync/protocol';

const HEALTH = { outboxLength: 0, oldestChangeAt: null, storagePersisted: true, quotaLeftBytes: 1000 };
const STAMP = '2026-11-23T12:00:00.000Z-0000-aaaaaaaaaaaaaaaa';
const mutation = (mutationId: number) => ({
  mutationId,
  entityType: 'venue',
  entityId: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01',
  op: 'put',
  fields: { name: 'Hall' },
  hlc: { name: STAMP },
});

describe('versions', () => {
  it('accepts the current and the previous, and tells older and newer devices apart', () => {
    expect(judgeVersions(SYNC_PROTOCOL_VERSION, RECORD_SCHEMA_VERSION)).toBe('current');
    expect(judgeVersions(SYNC_PROTOCOL_VERSION, RECORD_SCHEMA_VERSION - 1)).toBe('previous');
    expect(judgeVersions(SYNC_PROTOCOL_VERSION, RECORD_SCHEMA_VERSION - 2)).toBe('too-old');
    expect(judgeVersions(0, RECORD_SCHEMA_VERSION)).toBe('too-old');
    expect(judgeVersions(SYNC_PROTOCOL_VERSION + 1, RECORD_SCHEMA_VERSION)).toBe('too-new');
    expect(judgeVersions(SYNC_PROTOCOL_VERSION, RECORD_SCHEMA_VERSION + 1)).toBe('too-new');
  });
});

describe('push request', () => {
  it('accepts consecutive mutations with a stamp per field', () => {
    expect(
      pushRequestSchema.safeParse({ mutations: [mutation(4), mutation(5)], health: HEALTH }).success,
    ).toBe(true);
  });

  it('refuses gaps inside a push, a field without its stamp, unknown types, and too many mutations', () => {
    expect(
      pushRequestSchema.safeParse({ mutations: [mutation(4), mutation(6)], health: HEALTH }).success,
    ).toBe(false);
    expect(
      pushRequestSchema.safeParse({ mutations: [{ ...mutation(1), hlc: {} }], health: HEALTH }).success,
    ).toBe(false);
    expect(
      pushRequestSchema.safeParse({ mutations: [{ ...mutation(1), entityType: 'secret' }], health: HEALTH })
        .success,
    ).toBe(false);
    const many = Array.from({ length: MAX_MUTATIONS_PER_PUSH + 1 }, (_, index) => mutation(index + 1));
    expect(pushRequestSchema.safeParse({ mutations: many, health: HEALTH }).success).toBe(false);
  });

  it('refuses an empty or overlong field name and an overlong stamp', () => {
    const long = 'x'.repeat(65);
    for (const bad of [
      { ...mutation(1), fields: { '': 1 }, hlc: { '': STAMP } },
      { ...mutation(1), fields: { [long]: 1 }, hlc: { [long]: STAMP } },
      { ...mutation(1), hlc: { name: `${STAMP}${long}` } },
    ]) {
      expect(pushRequestSchema.safeParse({ mutations: [bad], health: HEALTH }).success).toBe(false);
    }
  });

  it('needs the stamp of "deleted" for a delete', () => {
    const del = { ...mutation(1), op: 'delete', fields: {}, hlc: {} };
    expect(pushRequestSchema.safeParse({ mutations: [del], health: HEALTH }).success).toBe(false);
    expect(
      pushRequestSchema.safeParse({
        mutations: [{ ...del, fields: { deleted: true }, hlc: { deleted: STAMP } }],
        health: HEALTH,
      }).success,
    ).toBe(true);
  });
});

describe('pull query', () => {
  it('reads the cursor and limit from the query string, with a default and a ceiling', () => {
    expect(pullQuerySchema.parse({ cursor: '12' })).toEqual({ cursor: 12, limit: 500 });
    expect(pullQuerySchema.safeParse({ cursor: '-1' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({ cursor: '0', limit: '5000' }).success).toBe(false);
    expect(pullQuerySchema.safeParse({}).success).toBe(false);
  });
});
