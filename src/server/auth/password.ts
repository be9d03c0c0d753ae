// Password hashing with node:crypto's scrypt (no native dependency). The stored string carries the
// cost parameters and the salt, in the PHC format `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, so the cost
// can be raised later without breaking the hashes already stored.
import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

export type ScryptCost = {
  /** log2 of scrypt's N (CPU and memory cost). */
  ln: number;
  r: number;
  p: number;
};

/** OWASP's recommendation for scrypt: N = 2^17 (128 MiB), r = 8, p = 1. About half a second here. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { ln: 17, r: 8, p: 1 };

const SALT_BYTES = 16;
const KEY_BYTES = 32;
/** A stored hash asking for more than this is refused rather than allowed to exhaust memory. */
const MAX_LN = 20;
const PHC = /^\$scrypt\$ln=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9_-]+)\$([A-Za-z0-9_-]+)$/;

export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await deriveKey(password, salt, cost, KEY_BYTES);
  return `$scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** True when password matches the stored hash; false for a wrong password or a hash not understood. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = PHC.exec(stored);
  if (!match) return false;
  const [, ln, r, p, saltText, keyText] = match;
  const cost = { ln: Number(ln), r: Number(r), p: Number(p) };
  if (cost.ln < 1 || cost.ln > MAX_LN || cost.r < 1 || cost.p < 1) return false;
  const expected = Buffer.from(keyText ?? '', 'base64url');
  if (expected.length === 0) return false;
  const actual = await deriveKey(password, Buffer.from(saltText ?? '', 'base64url'), cost, expected.length);
  return timingSafeEqual(actual, expected);
}

const dummyHashes = new Map<string, Promise<string>>();

/**
 * Spends as long as checking a password against a real hash of this cost, for a sign-in whose email
 * matches no account: the answer then takes as long as a wrong password, and does not tell which
 * addresses have accounts.
 */
export async function verifyAgainstNothing(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<false> {
  const key = `${cost.ln},${cost.r},${cost.p}`;
  let dummy = dummyHashes.get(key);
  if (!dummy) {
    dummy = hashPassword(randomBytes(SALT_BYTES).toString('base64url'), cost);
    dummyHashes.set(key, dummy);
  }
  await verifyPassword(password, await dummy);
  return false;
}

function deriveKey(password: string, salt: Buffer, cost: ScryptCost, length: number): Promise<Buffer> {
  const N = 2 ** cost.ln;
  const options: ScryptOptions = { N, r: cost.r, p: cost.p, maxmem: 256 * N * cost.r + 1024 * 1024 };
  // Unicode normalised, so the same password typed on two keyboards hashes the same.
  const input = password.normalize('NFKC');
  return new Promise((resolve, reject) => {
    scrypt(input, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}
