// The WebCrypto type names src/crypto is written with (the DOM library's), as Node's own. The server
// compiles without the DOM library, yet opens devices' sealed changes with src/crypto/outboxSeal.ts.
import type { webcrypto } from 'node:crypto';

declare global {
  type CryptoKey = webcrypto.CryptoKey;
  type JsonWebKey = webcrypto.JsonWebKey;
  type KeyUsage = webcrypto.KeyUsage;
}
