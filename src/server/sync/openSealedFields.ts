// Opening a sealed change's fields on the server (src/crypto/outboxSeal.ts seals them on the device).
import { createDecipheriv } from 'node:crypto';
import { type SealedChangeIdentity, type SealedFields, sealedChangeBinding } from '../../crypto/outboxSeal';

/** Bytes of the AES-GCM tag at the end of a sealed change's data (WebCrypto's and @noble/ciphers' default). */
const GCM_TAG_BYTES = 16;

/**
 * One change's fields, opened with the device's sealing key. Synchronous through node:crypto: a push
 * opens a thousand small changes, and WebCrypto's asynchronous round trip per change cost more than
 * the decryption itself. Throws when they do not open (wrong key, altered, another change's).
 */
export function openFields(
  key: Uint8Array,
  change: SealedChangeIdentity,
  sealed: SealedFields,
): Record<string, unknown> {
  const data = Buffer.from(sealed.data, 'base64');
  if (data.length < GCM_TAG_BYTES) throw new Error('Sealed fields are shorter than their tag');
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'), {
    authTagLength: GCM_TAG_BYTES,
  });
  decipher.setAAD(sealedChangeBinding(change));
  decipher.setAuthTag(data.subarray(data.length - GCM_TAG_BYTES));
  const plain = Buffer.concat([
    decipher.update(data.subarray(0, data.length - GCM_TAG_BYTES)),
    decipher.final(),
  ]);
  const fields: unknown = JSON.parse(plain.toString('utf8'));
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) {
    throw new Error('Sealed fields are not an object');
  }
  return fields as Record<string, unknown>;
}
