// What sealed files (sealedFile.ts) and PINs (pin.ts) share: base64 and the PBKDF2-SHA-256 derivation
// of an AES-GCM-256 key. No zod here: the tablet's lock, on the first screen, uses it through pin.ts.

/** The browser's own base64 (Chromium 140+, Firefox 133+, Safari 18.2+), where there is one. */
type NativeBase64 = {
  toBase64?: (this: Uint8Array) => string;
  fromBase64?: (text: string) => Uint8Array<ArrayBuffer>;
};
const nativeToBase64 = (Uint8Array.prototype as NativeBase64).toBase64;
const nativeFromBase64 = (Uint8Array as NativeBase64).fromBase64;

// Every sealed value at rest is base64: a bulk write of ten thousand learners encodes tens of
// thousands, and the native encoder is many times faster than building a binary string for btoa.
export function toBase64(bytes: Uint8Array): string {
  if (nativeToBase64) return nativeToBase64.call(bytes);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array<ArrayBuffer> {
  if (nativeFromBase64) return nativeFromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index += 1) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/** A non-extractable AES-GCM-256 key from a passphrase or PIN (NFC-normalised) and a salt. */
export async function deriveKey(
  secret: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
  usages: KeyUsage[],
): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(secret.normalize('NFC')),
    'PBKDF2',
    false,
    ['deriveKey'],
  );
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    usages,
  );
}
