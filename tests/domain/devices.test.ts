import { describe, expect, it } from 'vitest';
import {
  type DeviceSummary,
  daysSilent,
  deviceSummarySchema,
  isSilentTooLong,
} from '../../src/domain/devices';

const NOW = Date.parse('2026-11-24T12:00:00Z');

function device(overrides: Partial<DeviceSummary> = {}): DeviceSummary {
  return {
    id: 'd1',
    registeredByName: 'Aisha Khan',
    registeredAt: '2026-10-01T09:00:00Z',
    lastSeenAt: '2026-11-20T12:00:00Z',
    appVersion: '0.1.0',
    health: { outboxLength: 0, oldestChangeAt: null, storagePersisted: true, quotaLeftBytes: 1_000_000 },
    lostAt: null,
    erasedAt: null,
    ...overrides,
  };
}

describe('sync health', () => {
  it('counts whole days since the last contact', () => {
    expect(daysSilent(device(), NOW)).toBe(4);
    expect(daysSilent(device({ lastSeenAt: '2026-11-24T11:00:00Z' }), NOW)).toBe(0);
    expect(daysSilent(device({ lastSeenAt: '2026-11-14T11:59:59Z' }), NOW)).toBe(10);
  });

  it('counts from registration for a device that never sent anything', () => {
    expect(daysSilent(device({ lastSeenAt: null }), NOW)).toBe(54);
  });

  it('does not judge a device reported lost by its silence', () => {
    expect(daysSilent(device({ lostAt: '2026-11-01T00:00:00Z' }), NOW)).toBeNull();
    expect(isSilentTooLong(device({ lostAt: '2026-11-01T00:00:00Z', lastSeenAt: null }), NOW, 7)).toBe(false);
  });

  it('flags a device silent for more than the threshold, not one silent for exactly it', () => {
    expect(isSilentTooLong(device({ lastSeenAt: '2026-11-17T12:00:00Z' }), NOW, 7)).toBe(false);
    expect(isSilentTooLong(device({ lastSeenAt: '2026-11-16T12:00:00Z' }), NOW, 7)).toBe(true);
    expect(isSilentTooLong(device({ lastSeenAt: '2026-11-16T12:00:00Z' }), NOW, 14)).toBe(false);
  });

  it('reads the quota left from a push report, and "not known" when a device sent something else', () => {
    const parsed = deviceSummarySchema.parse({
      ...device(),
      health: { outboxLength: 2, quotaLeftBytes: 'lots' },
    });
    expect(parsed.health).toEqual({
      outboxLength: 2,
      oldestChangeAt: null,
      storagePersisted: null,
      quotaLeftBytes: null,
    });
    expect(deviceSummarySchema.parse(device()).health?.quotaLeftBytes).toBe(1_000_000);
  });
});
