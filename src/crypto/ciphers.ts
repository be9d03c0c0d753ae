// The symmetric primitives (@noble/ciphers, @noble/hashes) load on first use, so they stay off the
// first screen. Every key that uses them is made by an async function that loads them first and
// carries them, so sealing and matching themselves stay synchronous.
import type { gcm } from '@noble/ciphers/aes.js';
import type { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import type { hkdf } from '@noble/hashes/hkdf.js';
import type { hmac } from '@noble/hashes/hmac.js';
import type { sha256 } from '@noble/hashes/sha2.js';

export type Ciphers = {
  gcm: typeof gcm;
  xchacha20poly1305: typeof xchacha20poly1305;
  hkdf: typeof hkdf;
  hmac: typeof hmac;
  sha256: typeof sha256;
};

let loading: Promise<Ciphers> | null = null;

export function loadCiphers(): Promise<Ciphers> {
  loading ??= Promise.all([
    import('@noble/ciphers/aes.js'),
    import('@noble/ciphers/chacha.js'),
    import('@noble/hashes/hkdf.js'),
    import('@noble/hashes/hmac.js'),
    import('@noble/hashes/sha2.js'),
  ]).then(([aes, chacha, hkdfModule, hmacModule, sha2]) => ({
    gcm: aes.gcm,
    xchacha20poly1305: chacha.xchacha20poly1305,
    hkdf: hkdfModule.hkdf,
    hmac: hmacModule.hmac,
    sha256: sha2.sha256,
  }));
  return loading;
}
