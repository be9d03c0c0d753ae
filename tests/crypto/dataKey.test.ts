import { describe, expect, it } from 'vitest';
import { deriveDataKeys, matchKey, newDataKeyBytes, openValue, sealValue } from '../../src/crypto/dataKey';
import { toBase64 } from '../../src/crypto/keys';

const encoder = new TextEncoder();

/** The keys as the first release derived them, with WebCrypto: what tablets in use have sealed under. */
async function webCryptoKeys(bytes: Uint8Array<ArrayBuffer>) {
  const material = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
  const params = (info: string) => ({
    name: 'HKDF',
    hash: 'SHA-256',
    salt: new Uint8Array(32),
    info: encoder.encode(info),
  });
  return {
    seal: await crypto.subtle.deriveKey(
      params('outreach-register:data-key:seal:v1'),
      material,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    ),
    match: await crypto.subtle.deriveKey(
      params('outreach-register:data-key:match:v1'),
      material,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    ),
  };
}

describe('the data key, sealing synchronously', () => {
  it('opens values the WebCrypto release sealed, and gives the same match keys', async () => {
    const bytes = newDataKeyBytes();
    const old = await webCryptoKeys(bytes);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const value = { email: 'grace@example.org', adjustments: 'Large print' };
    const data = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode('learner/1') },
      old.seal,
      encoder.encode(JSON.stringify(value)),
    );
    const sealedBefore = `v1.${toBase64(new Uint8Array([...iv, ...new Uint8Array(data)]))}`;
    const oldMatch = toBase64(
      new Uint8Array(await crypto.subtle.sign('HMAC', old.match, encoder.encode('email:grace@example.org'))),
    );

    const keys = await deriveDataKeys(bytes);
    expect(openValue(keys, 'learner/1', sealedBefore)).toEqual(value);
    expect(matchKey(keys, 'email', 'grace@example.org')).toBe(oldMatch);
    // The keyed state is copied per value, never used up: the same value keys the same again.
    expect(matchKey(keys, 'phone', '07700900123')).not.toBe(oldMatch);
    expect(matchKey(keys, 'email', 'grace@example.org')).toBe(oldMatch);
  });

  it('seals new values with XChaCha20-Poly1305, bound to their record and key', async () => {
    const keys = await deriveDataKeys(newDataKeyBytes());
    const sealed = sealValue(keys, 'learner/1', { phone: '07700 900123' });
    expect(sealed).toMatch(/^v2\./);
    expect(sealed).not.toContain('07700');
    expect(sealValue(keys, 'learner/1', { phone: '07700 900123' })).not.toBe(sealed);
    expect(openValue(keys, 'learner/1', sealed)).toEqual({ phone: '07700 900123' });
    expect(() => openValue(keys, 'learner/2', sealed)).toThrow();
    const otherKeys = await deriveDataKeys(newDataKeyBytes());
    expect(() => openValue(otherKeys, 'learner/1', sealed)).toThrow();
    const altered = sealed.slice(0, 40) + (sealed[40] === 'A' ? 'B' : 'A') + sealed.slice(41);
    expect(() => openValue(keys, 'learner/1', altered)).toThrow();
  });

  it('gives no match key for an empty value, and different keys for different kinds', async () => {
    const keys = await deriveDataKeys(newDataKeyBytes());
    expect(matchKey(keys, 'email', '')).toBe('');
    expect(matchKey(keys, 'email', '07700900123')).not.toBe(matchKey(keys, 'phone', '07700900123'));
  });
});
