// A person's PIN on this device: PBKDF2-SHA-256 (600,000 iterations, a random 16-byte salt per
// person) derives an AES-GCM-256 key, and the stored verifier is a fixed text sealed under that key
// (bound to the person's id), not a hash: the PIN is right when the verifier opens. The same key is
// to wrap the device's data key next (encryption at rest), hence wrapKey and unwrapKey. WebCrypto
// only (Node has the same for tests).
import { deriveKey, fromBase64, toBase64 } from './keys';

/** As for sealed files (OWASP's 2023 figure for PBKDF2-SHA-256); never fewer. */
export const PIN_PBKDF2_ITERATIONS = 600_000;
const MAX_ITERATIONS = 10_000_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** The text the verifier seals: opening the verifier and finding it proves the PIN. */
const VERIFIER_TEXT = 'outreach-register:pin-verifier:1';

/** What is stored to check a PIN (base64): the salt, the iteration count, and iv ‖ ciphertext. */
export type PinVerifier = { salt: string; iterations: number; verifier: string };

const KEY_USAGES: KeyUsage[] = ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey'];

function derivePinKey(pin: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  return deriveKey(pin, salt, iterations, KEY_USAGES);
}

/** The verifier is bound to the person: one person's verifier does not open as another's. */
function additionalData(userId: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`pin:${userId}`);
}

/** A new salt and verifier for a PIN, and the PIN's key. */
export async function makePinVerifier(
  pin: string,
  userId: string,
): Promise<{ verifier: PinVerifier; key: CryptoKey }> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await derivePinKey(pin, salt, PIN_PBKDF2_ITERATIONS);
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: additionalData(userId) },
      key,
      new TextEncoder().encode(VERIFIER_TEXT),
    ),
  );
  const joined = new Uint8Array(iv.length + sealed.length);
  joined.set(iv);
  joined.set(sealed, iv.length);
  return {
    verifier: { salt: toBase64(salt), iterations: PIN_PBKDF2_ITERATIONS, verifier: toBase64(joined) },
    key,
  };
}

/**
 * The PIN's key when `pin` is the PIN the verifier was made with, or null when it is not (or the
 * verifier is damaged, or weaker than this app makes them). Never throws for a wrong PIN.
 */
export async function openPinVerifier(
  pin: string,
  userId: string,
  stored: PinVerifier,
): Promise<CryptoKey | null> {
  if (
    !Number.isInteger(stored.iterations) ||
    stored.iterations < PIN_PBKDF2_ITERATIONS ||
    stored.iterations > MAX_ITERATIONS
  ) {
    return null;
  }
  try {
    const joined = fromBase64(stored.verifier);
    const key = await derivePinKey(pin, fromBase64(stored.salt), stored.iterations);
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: joined.slice(0, IV_BYTES), additionalData: additionalData(userId) },
      key,
      joined.slice(IV_BYTES),
    );
    return new TextDecoder().decode(opened) === VERIFIER_TEXT ? key : null;
  } catch {
    return null;
  }
}
