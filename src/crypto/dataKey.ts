// The device's data key: personal fields at rest (contact details, equality and health answers, notes,
// drafts) are sealed under it with AES-GCM. It is 32 random bytes, stored only wrapped: under each
// person's PIN key (src/crypto/pin.ts) and under a per-device secret the server releases at online
// sign-in. From the bytes, HKDF-SHA-256 derives the AES-GCM key that seals fields and the HMAC key
// that makes match keys (email and phone compared for duplicates without storing them readable).
// WebCrypto only; all of it asynchronous, so callers seal and open outside Dexie transactions.
import { fromBase64, toBase64 } from './keys';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const SEALED_PREFIX = 'v1.';
const encoder = new TextEncoder();

/** The unwrapped data key, as a tab holds it in memory while it is unlocked. Never extractable. */
export type DataKeys = { seal: CryptoKey; match: CryptoKey };

/** The data key's bytes under a wrapping key: base64 iv and ciphertext. */
export type WrappedDataKey = { iv: string; data: string };

export function newDataKeyBytes(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

/** The sealing and matching keys from the data key's bytes. */
export async function importDataKey(bytes: Uint8Array<ArrayBuffer>): Promise<DataKeys> {
  const material = await crypto.subtle.importKey('raw', bytes, 'HKDF', false, ['deriveKey']);
  const derive = (info: string, algorithm: AesKeyGenParams | HmacKeyGenParams, usages: KeyUsage[]) =>
    crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(KEY_BYTES), info: encoder.encode(info) },
      material,
      algorithm,
      false,
      usages,
    );
  const [seal, match] = await Promise.all([
    derive('outreach-register:data-key:seal:v1', { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']),
    derive('outreach-register:data-key:match:v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign']),
  ]);
  return { seal, match };
}

/** The data key's bytes wrapped under an AES-GCM key (a PIN's, the device secret's), bound to `purpose`. */
export async function wrapDataKey(
  bytes: Uint8Array<ArrayBuffer>,
  wrappingKey: CryptoKey,
  purpose: string,
): Promise<WrappedDataKey> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(`data-key:${purpose}`) },
    wrappingKey,
    bytes,
  );
  return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
}

/** The data key's bytes, or null when the wrapping key is not the one it was wrapped with. */
export async function unwrapDataKey(
  wrapped: WrappedDataKey,
  wrappingKey: CryptoKey,
  purpose: string,
): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    const bytes = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(wrapped.iv), additionalData: encoder.encode(`data-key:${purpose}`) },
      wrappingKey,
      fromBase64(wrapped.data),
    );
    return new Uint8Array(bytes);
  } catch {
    return null;
  }
}

/** The per-device secret the server releases (base64, 32 bytes) as a key that wraps the data key. */
export function importDeviceSecret(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', fromBase64(secret), 'AES-GCM', false, ['encrypt', 'decrypt']);
}

export function isSealedValue(value: unknown): value is string {
  return typeof value === 'string' && value.startsWith(SEALED_PREFIX);
}

/** Seals a JSON value, bound to `context` (e.g. "learner/<id>"): it opens only as that record's. */
export async function sealValue(keys: DataKeys, context: string, value: unknown): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    keys.seal,
    encoder.encode(JSON.stringify(value)),
  );
  const joined = new Uint8Array(IV_BYTES + data.byteLength);
  joined.set(iv);
  joined.set(new Uint8Array(data), IV_BYTES);
  return SEALED_PREFIX + toBase64(joined);
}

/** Opens a sealed value. Throws when it is not sealed under these keys for this context. */
export async function openValue(keys: DataKeys, context: string, sealed: string): Promise<unknown> {
  if (!isSealedValue(sealed)) throw new Error('Not a sealed value');
  const joined = fromBase64(sealed.slice(SEALED_PREFIX.length));
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: joined.slice(0, IV_BYTES), additionalData: encoder.encode(context) },
    keys.seal,
    joined.slice(IV_BYTES),
  );
  return JSON.parse(new TextDecoder().decode(plain)) as unknown;
}

/**
 * A keyed hash of a normalised value (an email, a phone number): equal values give equal keys, so
 * duplicates are found through an index, but the key reveals nothing without the data key.
 */
export async function matchKey(keys: DataKeys, kind: string, normalised: string): Promise<string> {
  if (normalised === '') return '';
  const mac = await crypto.subtle.sign('HMAC', keys.match, encoder.encode(`${kind}:${normalised}`));
  return toBase64(new Uint8Array(mac));
}
