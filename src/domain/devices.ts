// The organisation's devices as a coordinator's Devices page shows them (GET /api/devices): who
// registered each, when it was last heard from, what it last reported, and whether it was reported
// lost. Parsed at the boundary: an answer that does not fit is "unreadable", not trusted.
import { z } from 'zod';

/**
 * What a device said about itself at its last push. A device writes this, so a field that does not
 * fit (an older app, a missing report) reads as "not known" rather than making the whole list fail.
 */
export const reportedHealthSchema = z.object({
  outboxLength: z.number().int().min(0).nullable().catch(null),
  oldestChangeAt: z.string().nullable().catch(null),
  storagePersisted: z.boolean().nullable().catch(null),
  quotaLeftBytes: z.number().min(0).nullable().catch(null),
});
export type ReportedHealth = z.output<typeof reportedHealthSchema>;

/** A device as GET /api/devices lists it. */
export const deviceSummarySchema = z.object({
  id: z.string().min(1),
  registeredByName: z.string(),
  registeredAt: z.string(),
  lastSeenAt: z.string().nullable(),
  appVersion: z.string().nullable(),
  health: reportedHealthSchema.nullable().catch(null),
  lostAt: z.string().nullable(),
  erasedAt: z.string().nullable(),
});
export type DeviceSummary = z.output<typeof deviceSummarySchema>;

export const deviceListSchema = z.object({ devices: z.array(deviceSummarySchema) });

/**
 * Where a device stands: in use; reported lost and not yet heard from (it erases itself at its next
 * contact, after sending what it holds); or reported lost and erased.
 */
export type DeviceStatus =
  | { kind: 'in-use' }
  | { kind: 'lost'; lostAt: string }
  | { kind: 'erased'; lostAt: string; erasedAt: string };

export function deviceStatus(device: Pick<DeviceSummary, 'lostAt' | 'erasedAt'>): DeviceStatus {
  if (device.lostAt === null) return { kind: 'in-use' };
  if (device.erasedAt === null) return { kind: 'lost', lostAt: device.lostAt };
  return { kind: 'erased', lostAt: device.lostAt, erasedAt: device.erasedAt };
}

/** How long a device may go without contact before the Devices page flags it; a coordinator picks one. */
export const SILENCE_THRESHOLDS_DAYS = [3, 7, 14, 30] as const;
export type SilenceThresholdDays = (typeof SILENCE_THRESHOLDS_DAYS)[number];
export const DEFAULT_SILENCE_THRESHOLD_DAYS: SilenceThresholdDays = 7;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whole days since the device was last heard from (since it registered, if it never pushed), or null
 * when it is reported lost: that device is followed by its own status, not by silence.
 */
export function daysSilent(
  device: Pick<DeviceSummary, 'lastSeenAt' | 'registeredAt' | 'lostAt' | 'erasedAt'>,
  nowMs: number,
): number | null {
  if (deviceStatus(device).kind !== 'in-use') return null;
  const heardFrom = Date.parse(device.lastSeenAt ?? device.registeredAt);
  if (Number.isNaN(heardFrom)) return null;
  return Math.max(0, Math.floor((nowMs - heardFrom) / DAY_MS));
}

/**
 * A device in use that has not been in touch for longer than the threshold: an unsynced tablet in a
 * drawer is how records are lost, so the coordinator is told before it is too late.
 */
export function isSilentTooLong(
  device: Pick<DeviceSummary, 'lastSeenAt' | 'registeredAt' | 'lostAt' | 'erasedAt'>,
  nowMs: number,
  thresholdDays: number,
): boolean {
  const days = daysSilent(device, nowMs);
  return days !== null && days > thresholdDays;
}
