import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DERIVED_ID_NAMESPACE,
  attendanceId,
  consentId,
  deriveId,
  equalityId,
  newId,
} from '../../src/domain/ids';
import { idSchema } from '../../src/domain/records';

const UUID_V5 = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const SESSION = '9d1c5a3e-2b4f-4e6a-8c7d-0e1f2a3b4c5d';
const LEARNER = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/** RFC 9562 UUIDv5 written out with node:crypto, to check deriveId against an independent implementation. */
function referenceUuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  const bytes = hash.subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

describe('deriveId', () => {
  it('gives the same id for the same kind and key, every time', () => {
    expect(deriveId('attendance', SESSION, LEARNER)).toBe(deriveId('attendance', SESSION, LEARNER));
  });

  it('is a UUID v5 that the record schemas accept', () => {
    const id = deriveId('consent', LEARNER, 'photos');
    expect(id).toMatch(UUID_V5);
    expect(idSchema.safeParse(id).success).toBe(true);
  });

  it('is UUIDv5 over the fixed namespace and "kind:key|key"', () => {
    expect(deriveId('attendance', SESSION, LEARNER)).toBe(
      referenceUuidV5(`attendance:${SESSION}|${LEARNER}`, DERIVED_ID_NAMESPACE),
    );
    expect(deriveId('equality', LEARNER)).toBe(referenceUuidV5(`equality:${LEARNER}`, DERIVED_ID_NAMESPACE));
  });

  it('keeps the namespace that already synced ids depend on', () => {
    expect(DERIVED_ID_NAMESPACE).toBe('6f1f4a1e-3c2b-5d8e-9a47-0b6c2e1d7f30');
  });

  it('differs by kind for the same key', () => {
    const ids = new Set([
      deriveId('attendance', LEARNER),
      deriveId('equality', LEARNER),
      deriveId('consent', LEARNER),
      deriveId('passport-award', LEARNER),
    ]);
    expect(ids.size).toBe(4);
  });

  it('differs by key for the same kind', () => {
    expect(deriveId('equality', LEARNER)).not.toBe(deriveId('equality', SESSION));
    expect(deriveId('passport-award', LEARNER, 'bronze', '1')).not.toBe(
      deriveId('passport-award', LEARNER, 'bronze', '2'),
    );
  });
});

describe('attendanceId', () => {
  it('is the same on two calls for one session and learner', () => {
    expect(attendanceId(SESSION, LEARNER)).toBe(attendanceId(SESSION, LEARNER));
    expect(attendanceId(SESSION, LEARNER)).toBe(deriveId('attendance', SESSION, LEARNER));
  });

  it('differs when session and learner are swapped', () => {
    expect(attendanceId(SESSION, LEARNER)).not.toBe(attendanceId(LEARNER, SESSION));
  });

  it('differs for another learner in the same session', () => {
    expect(attendanceId(SESSION, LEARNER)).not.toBe(
      attendanceId(SESSION, '2a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d'),
    );
  });
});

describe('equalityId and consentId', () => {
  it('derive one equality record per learner', () => {
    expect(equalityId(LEARNER)).toBe(deriveId('equality', LEARNER));
    expect(equalityId(LEARNER)).toMatch(UUID_V5);
  });

  it('derive one consent row per learner and purpose', () => {
    expect(consentId(LEARNER, 'photos')).toBe(deriveId('consent', LEARNER, 'photos'));
    expect(consentId(LEARNER, 'photos')).not.toBe(consentId(LEARNER, 'contact-courses'));
  });
});

describe('newId', () => {
  it('makes random UUID v4s', () => {
    const ids = Array.from({ length: 50 }, () => newId());
    for (const id of ids) expect(id).toMatch(UUID_V4);
    expect(new Set(ids).size).toBe(50);
  });
});
