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
