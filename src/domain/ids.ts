// Record ids: random UUIDs made on the device, or UUIDv5 derived from a natural key so that
// two devices recording the same fact (one learner's mark for one session) make the same row.
import { v5 as uuidv5 } from 'uuid';

/** Fixed namespace for derived ids. Never change it: ids already synced depend on it. */
export const DERIVED_ID_NAMESPACE = '6f1f4a1e-3c2b-5d8e-9a47-0b6c2e1d7f30';

export type DerivedIdKind = 'attendance' | 'equality' | 'consent' | 'passport-award';

export function newId(): string {
  return crypto.randomUUID();
}

export function deriveId(kind: DerivedIdKind, ...naturalKey: string[]): string {
  return uuidv5(`${kind}:${naturalKey.join('|')}`, DERIVED_ID_NAMESPACE);
}

export function attendanceId(sessionId: string, learnerId: string): string {
  return deriveId('attendance', sessionId, learnerId);
}

export function equalityId(learnerId: string): string {
  return deriveId('equality', learnerId);
}

export function consentId(learnerId: string, purpose: string): string {
  return deriveId('consent', learnerId, purpose);
}

/** One award per learner, level and rule version: two tablets awarding it make the same row. */
export function passportAwardId(learnerId: string, level: string, ruleVersion: number): string {
  return deriveId('passport-award', learnerId, level, String(ruleVersion));
}
