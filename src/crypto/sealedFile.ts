// Sealing text with a passphrase, for a file that leaves the device (unsynced work saved before a
// device is handed back): PBKDF2-SHA-256 with 600,000 iterations (OWASP's 2023 figure) derives an
// AES-GCM-256 key; the salt, nonce and iteration count travel in the file, and GCM's tag makes a
// wrong passphrase or a changed byte fail to open rather than yield garbage. WebCrypto only: the
// browser's crypto.subtle (Node has the same for tests).
import { z } from 'zod';
import { deriveKey, fromBase64, toBase64 } from './keys';

export const SEALED_FILE_FORMAT = 'outreach-sealed';
export const PBKDF2_ITERATIONS = 600_000;
export const MIN_PASSPHRASE_LENGTH = 12;

const sealedFileSchema = z.object({
  format: z.literal(SEALED_FILE_FORMAT),
  version: z.literal(1),
  kdf: z.object({
    name: z.literal('PBKDF2'),
    hash: z.literal('SHA-256'),
    iterations: z.number().int().min(PBKDF2_ITERATIONS).max(10_000_000),
    salt: z.string().min(1),
  }),
  cipher: z.object({ name: z.literal('AES-GCM'), iv: z.string().min(1) }),
  ciphertext: z.string().min(1),
});
export type SealedFile = z.infer<typeof sealedFileSchema>;

export type OpenResult =
  | { ok: true; plaintext: string }
  | { ok: false; reason: 'not-a-sealed-file' | 'wrong-passphrase-or-damaged' };

function deriveFileKey(
  passphrase: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<CryptoKey> {
  return deriveKey(passphrase, salt, iterations, ['encrypt', 'decrypt']);
}

export async function sealWithPassphrase(plaintext: string, passphrase: string): Promise<SealedFile> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const key = await deriveFileKey(passphrase, salt, PBKDF2_ITERATIONS);
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, key, new TextEncoder().encode(plaintext)),
  );
  return {
    format: SEALED_FILE_FORMAT,
    version: 1,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: PBKDF2_ITERATIONS, salt: toBase64(salt) },
    cipher: { name: 'AES-GCM', iv: toBase64(iv) },
    ciphertext: toBase64(ciphertext),
  };
}

/** Opens a sealed file's text (as read from disk); never throws for a bad file or passphrase. */
export async function openWithPassphrase(fileText: string, passphrase: string): Promise<OpenResult> {
  let sealed: SealedFile;
  try {
    const parsed = sealedFileSchema.safeParse(JSON.parse(fileText));
    if (!parsed.success) return { ok: false, reason: 'not-a-sealed-file' };
    sealed = parsed.data;
  } catch {
    return { ok: false, reason: 'not-a-sealed-file' };
  }
  try {
    const key = await deriveFileKey(passphrase, fromBase64(sealed.kdf.salt), sealed.kdf.iterations);
    const plaintext = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64(sealed.cipher.iv) },
      key,
      fromBase64(sealed.ciphertext),
    );
    return { ok: true, plaintext: new TextDecoder().decode(plaintext) };
  } catch {
    return { ok: false, reason: 'wrong-passphrase-or-damaged' };
  }
}
