// A PIN's verifier opens with that PIN for that person only, is not a hash of the PIN, and its key
// can wrap another key (the data key of the next step).
import { describe, expect, it } from 'vitest';
import { PIN_PBKDF2_ITERATIONS, makePinVerifier, openPinVerifier } from '../../src/crypto/pin';

const AISHA = 'a1b2c3d4-0000-4000-8000-000000000001';
const GARETH = 'a1b2c3d4-0000-4000-8000-000000000002';

describe('PIN verifiers', () => {
  it('open with the right PIN for the right person only', async () => {
    const { verifier } = await makePinVerifier('2580', AISHA);
    expect(verifier.iterations).toBe(PIN_PBKDF2_ITERATIONS);
    expect(PIN_PBKDF2_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    expect(atob(verifier.salt)).toHaveLength(16);
    // 12 bytes of iv, the sealed text and GCM's 16-byte tag.
    expect(atob(verifier.verifier).length).toBeGreaterThan(12 + 16);

    expect(await openPinVerifier('2580', AISHA, verifier)).not.toBeNull();
    expect(await openPinVerifier('2581', AISHA, verifier)).toBeNull();
    expect(await openPinVerifier('25800', AISHA, verifier)).toBeNull();
    // Another person's verifier does not open as theirs, even with the PIN it was made with.
    expect(await openPinVerifier('2580', GARETH, verifier)).toBeNull();
  });

  it('differ for the same PIN, and hold nothing of it', async () => {
    const first = await makePinVerifier('739164', AISHA);
    const second = await makePinVerifier('739164', AISHA);
    expect(first.verifier.salt).not.toBe(second.verifier.salt);
    expect(first.verifier.verifier).not.toBe(second.verifier.verifier);
    const stored = JSON.stringify(first.verifier);
    expect(stored).not.toContain('739164');
    expect(atob(first.verifier.verifier)).not.toContain('739164');
  });

  it('refuse a changed byte or a weakened iteration count instead of opening', async () => {
    const { verifier } = await makePinVerifier('2580', AISHA);
    const bytes = atob(verifier.verifier);
    const flipped = bytes.slice(0, 20) + String.fromCharCode(bytes.charCodeAt(20) ^ 1) + bytes.slice(21);
    expect(await openPinVerifier('2580', AISHA, { ...verifier, verifier: btoa(flipped) })).toBeNull();
    expect(await openPinVerifier('2580', AISHA, { ...verifier, iterations: 1000 })).toBeNull();
    expect(await openPinVerifier('2580', AISHA, { ...verifier, salt: 'not base64!' })).toBeNull();
  });

  it('give a key that can wrap a data key, and the same key again from the PIN', async () => {
    const { verifier, key } = await makePinVerifier('2580', AISHA);
    const dataKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, true, [
      'encrypt',
      'decrypt',
    ]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const wrapped = await crypto.subtle.wrapKey('raw', dataKey, key, { name: 'AES-GCM', iv });

    const again = await openPinVerifier('2580', AISHA, verifier);
    if (!again) throw new Error('The PIN did not open its own verifier');
    const unwrapped = await crypto.subtle.unwrapKey(
      'raw',
      wrapped,
      again,
      { name: 'AES-GCM', iv },
      { name: 'AES-GCM', length: 256 },
      true,
      ['encrypt', 'decrypt'],
    );
    expect(new Uint8Array(await crypto.subtle.exportKey('raw', unwrapped))).toEqual(
      new Uint8Array(await crypto.subtle.exportKey('raw', dataKey)),
    );
  });
});
