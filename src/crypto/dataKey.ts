// The device's data key: personal fields at rest (contact details, equality and health answers, notes,
// drafts) are sealed under it with AES-GCM. It is 32 random bytes, stored only wrapped: under each
// person's PIN key (src/crypto/pin.ts) and under a per-device secret the server releases at online
// sign-in. From the bytes, HKDF-SHA-256 derives the AES-GCM key that seals fields and the HMAC key
// that makes match keys (email and phone compared for duplicates without storing them readable).
// Sealing, opening and matching are synchronous (@noble/ciphers and @noble/hashes, audited and
// dependency-free): a write seals inside its IndexedDB transaction, which an awaited WebCrypto call
// would end. Values are sealed with XChaCha20-Poly1305 ("v2."): in JavaScript it is several times
// faster than AES-GCM for short values, and its 192-bit random nonces never run out under one key.
// Values the first release sealed with WebCrypto's AES-GCM ("v1.") still open. Wrapping the key
// under a PIN or the device secret stays WebCrypto.
import { type Ciphers, loadCiphers } from './ciphers';
import { fromBase64, toBase64 } from './keys';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const AES_GCM_PREFIX = 'v1.';
const XCHACHA_PREFIX = 'v2.';
const XCHACHA_NONCE_BYTES = 24;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The keys derived from the data key, as a tab holds them in memory while it is unlocked. */
export type DataKeys = {
  seal: Uint8Array;
  /** HMAC state keyed once with the match key and copied per value (keying costs as much as hashing one). */
  match: ReturnType<Ciphers['hmac']['create']>;
  /** Where `match` is copied to for each value: one object reused, as a bulk write keys thousands. */
  matchWork: ReturnType<Ciphers['hmac']['create']>;
  ciphers: Ciphers;
};

/** The data key's bytes under a wrapping key: base64 iv and ciphertext. */
export type WrappedDataKey = { iv: string; data: string };

export function newDataKeyBytes(): Uint8Array<ArrayBuffer> {
  return crypto.getRandomValues(new Uint8Array(KEY_BYTES));
}

/** The sealing and matching keys from the data key's bytes (HKDF, as WebCrypto's deriveKey made them). */
export async function deriveDataKeys(bytes: Uint8Array): Promise<DataKeys> {
  const ciphers = await loadCiphers();
  const derive = (info: string) =>
    ciphers.hkdf(ciphers.sha256, bytes, new Uint8Array(KEY_BYTES), encoder.encode(info), KEY_BYTES);
  const match = ciphers.hmac.create(ciphers.sha256, derive('outreach-register:data-key:match:v1'));
  return {
    seal: derive('outreach-register:data-key:seal:v1'),
    match,
    matchWork: match.clone() as typeof match,
    ciphers,
  };
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
  return typeof value === 'string' && (value.startsWith(XCHACHA_PREFIX) || value.startsWith(AES_GCM_PREFIX));
}

/** Seals a JSON value, bound to `context` (e.g. "learner/<id>"): it opens only as that record's. */
export function sealValue(keys: DataKeys, context: string, value: unknown): string {
  const nonce = crypto.getRandomValues(new Uint8Array(XCHACHA_NONCE_BYTES));
  const data = keys.ciphers
    .xchacha20poly1305(keys.seal, nonce, encoder.encode(context))
    .encrypt(encoder.encode(JSON.stringify(value)));
  const joined = new Uint8Array(XCHACHA_NONCE_BYTES + data.byteLength);
  joined.set(nonce);
  joined.set(data, XCHACHA_NONCE_BYTES);
  return XCHACHA_PREFIX + toBase64(joined);
}

/** Opens a sealed value. Throws when it is not sealed under these keys for this context. */
export function openValue(keys: DataKeys, context: string, sealed: string): unknown {
  if (!isSealedValue(sealed)) throw new Error('Not a sealed value');
  const joined = fromBase64(sealed.slice(XCHACHA_PREFIX.length));
  const [nonceBytes, cipher] = sealed.startsWith(XCHACHA_PREFIX)
    ? [XCHACHA_NONCE_BYTES, keys.ciphers.xchacha20poly1305]
    : [IV_BYTES, keys.ciphers.gcm];
  const plain = cipher(keys.seal, joined.subarray(0, nonceBytes), encoder.encode(context)).decrypt(
    joined.subarray(nonceBytes),
  );
  return JSON.parse(decoder.decode(plain)) as unknown;
}

/**
 * A keyed hash of a normalised value (an email, a phone number): equal values give equal keys, so
 * duplicates are found through an index, but the key reveals nothing without the data key.
 */
export function matchKey(keys: DataKeys, kind: string, normalised: string): string {
  if (normalised === '') return '';
  // Copied into the same work object each time (synchronous, so nothing else uses it meanwhile).
  return toBase64(
    keys.match
      ._cloneInto(keys.matchWork)
      .update(encoder.encode(`${kind}:${normalised}`))
      .digest(),
  );
}
