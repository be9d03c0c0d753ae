// The symmetric ciphers (@noble/ciphers) load on first use, so they stay off the first screen. Every
// key that seals with them is made by an async function that loads them first and carries them, so
// sealing itself stays synchronous.
import type { gcm } from '@noble/ciphers/aes.js';
import type { xchacha20poly1305 } from '@noble/ciphers/chacha.js';

export type Ciphers = { gcm: typeof gcm; xchacha20poly1305: typeof xchacha20poly1305 };

let loading: Promise<Ciphers> | null = null;

export function loadCiphers(): Promise<Ciphers> {
  loading ??= Promise.all([import('@noble/ciphers/aes.js'), import('@noble/ciphers/chacha.js')]).then(
    ([aes, chacha]) => ({ gcm: aes.gcm, xchacha20poly1305: chacha.xchacha20poly1305 }),
  );
  return loading;
}
