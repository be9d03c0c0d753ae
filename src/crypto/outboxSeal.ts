// What waits in a device's outbox is sealed to the server's public key, so the device cannot read it
// back (a locked or lost tablet still pushes, and holds nothing readable in its outbox) and only the
// server opens it. Hybrid, WebCrypto only (browsers and Node alike):
// - the server has an ECDH P-256 key pair; devices fetch its public half;
// - a device makes a random AES-GCM-256 sealing key, kept in memory only, and stores it wrapped to
//   the server: an ephemeral ECDH P-256 pair agrees a secret with the server's key, HKDF-SHA-256
//   turns it into an AES-GCM key, which encrypts the sealing key's bytes;
// - each change's fields are sealed under the sealing key, bound to the change's entity, id and op.
// The device seals with @noble/ciphers, synchronously, inside the write's IndexedDB transaction (an
// awaited WebCrypto call would end it); the output is standard AES-GCM, which the server opens
// with node:crypto (src/server/sync/sealedChanges.ts).
import { loadCiphers } from './ciphers';
import { fromBase64, toBase64 } from './keys';

const IV_BYTES = 12;
const KEY_BYTES = 32;
const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const encoder = new TextEncoder();

/** The server's public key as it publishes it (GET /api/sync/sealing-key). */
export type ServerSealingKey = { keyId: string; publicKey: JsonWebKey };

/** The server's key pair as it stores it: the private half never leaves the server. */
export type ServerSealingKeyPair = ServerSealingKey & { privateKey: JsonWebKey };

/** A device's sealing key, wrapped so that only the server holding `serverKeyId` can unwrap it. */
export type WrappedSealingKey = {
  /** Random id the sealed changes name their key by. */
  id: string;
  serverKeyId: string;
  ephemeralPublicKey: JsonWebKey;
  /** Base64 AES-GCM iv and the sealing key's bytes encrypted under the agreed key. */
  iv: string;
  wrappedKey: string;
};

/** One change's fields, sealed: only the server that holds the wrapped key's private half opens them. */
export type SealedFields = { keyId: string; iv: string; data: string };

/** What a sealed change is bound to: its fields do not open as another record's or another op's. */
export type SealedChangeIdentity = { entityType: string; entityId: string; op: string };

/**
 * A sealing key ready to use on the device, in this tab's memory only (a reload makes a new one):
 * how it is stored, and a function that encrypts under it. Its bytes stay inside that function, so
 * nothing on the device reads its sealed changes back.
 */
export type SealingKey = {
  wrapped: WrappedSealingKey;
  /** Synchronous, for a write sealing inside its IndexedDB transaction. */
  encrypt(iv: Uint8Array, additionalData: Uint8Array, plain: Uint8Array): Uint8Array;
  /** The same through WebCrypto: for many changes sealed outside a transaction, off the main thread. */
  encryptInBackground(
    iv: Uint8Array<ArrayBuffer>,
    additionalData: Uint8Array<ArrayBuffer>,
    plain: Uint8Array<ArrayBuffer>,
  ): Promise<Uint8Array>;
  /** Overwrites the key's bytes and drops its WebCrypto copy (the device was erased): it seals nothing more. */
  forget(): void;
};

function randomId(): string {
  return toBase64(crypto.getRandomValues(new Uint8Array(16)))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

async function agreedKey(
  privateKey: CryptoKey,
  publicKey: CryptoKey,
  wrapped: Pick<WrappedSealingKey, 'id' | 'serverKeyId'>,
): Promise<CryptoKey> {
  const secret = await crypto.subtle.deriveBits({ name: 'ECDH', public: publicKey }, privateKey, 256);
  const material = await crypto.subtle.importKey('raw', secret, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new Uint8Array(KEY_BYTES),
      info: encoder.encode(`outreach-register:outbox-key:v1:${wrapped.serverKeyId}:${wrapped.id}`),
    },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** The server's new key pair (made once, at its first start). */
export async function generateServerSealingKeyPair(): Promise<ServerSealingKeyPair> {
  const pair = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const [publicKey, privateKey] = await Promise.all([
    crypto.subtle.exportKey('jwk', pair.publicKey),
    crypto.subtle.exportKey('jwk', pair.privateKey),
  ]);
  return { keyId: randomId(), publicKey, privateKey };
}

/** The server's private key, for unwrapping devices' sealing keys. */
export function importServerPrivateKey(privateKey: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', privateKey, ECDH, false, ['deriveBits']);
}

/** A new sealing key for this device, wrapped to the server's public key. */
export async function createSealingKey(server: ServerSealingKey): Promise<SealingKey> {
  const serverPublic = await crypto.subtle.importKey('jwk', server.publicKey, ECDH, false, []);
  const ephemeral = await crypto.subtle.generateKey(ECDH, true, ['deriveBits']);
  const identity = { id: randomId(), serverKeyId: server.keyId };
  const wrapping = await agreedKey(ephemeral.privateKey, serverPublic, identity);
  const raw = crypto.getRandomValues(new Uint8Array(KEY_BYTES));
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const wrappedKey = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv }, wrapping, raw));
  const { gcm } = await loadCiphers();
  let webKey: CryptoKey | null = await crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
  return {
    encrypt: (nonce, additionalData, plain) => gcm(raw, nonce, additionalData).encrypt(plain),
    encryptInBackground: async (nonce, additionalData, plain) => {
      if (!webKey) throw new Error('This sealing key was forgotten');
      return new Uint8Array(
        await crypto.subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData }, webKey, plain),
      );
    },
    forget: () => {
      raw.fill(0);
      webKey = null;
    },
    wrapped: {
      ...identity,
      ephemeralPublicKey: await crypto.subtle.exportKey('jwk', ephemeral.publicKey),
      iv: toBase64(iv),
      wrappedKey: toBase64(wrappedKey),
    },
  };
}

/**
 * On the server: a device's sealing key's bytes (AES-256-GCM), from its wrapped form. Throws when it
 * does not open.
 */
export async function unwrapSealingKey(
  serverPrivateKey: CryptoKey,
  wrapped: WrappedSealingKey,
): Promise<Uint8Array> {
  const ephemeralPublic = await crypto.subtle.importKey('jwk', wrapped.ephemeralPublicKey, ECDH, false, []);
  const wrapping = await agreedKey(serverPrivateKey, ephemeralPublic, wrapped);
  const raw = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(wrapped.iv) },
    wrapping,
    fromBase64(wrapped.wrappedKey),
  );
  if (raw.byteLength !== KEY_BYTES) throw new Error('A sealing key is 32 bytes');
  return new Uint8Array(raw);
}

/** The additional data a change's fields are sealed with: they open only as this change's. */
export function sealedChangeBinding(change: SealedChangeIdentity): Uint8Array<ArrayBuffer> {
  return encoder.encode(`outreach-register:change:v1:${change.entityType}/${change.entityId}/${change.op}`);
}

/** Seals one change's fields under the device's sealing key. */
export function sealFields(
  sealing: SealingKey,
  change: SealedChangeIdentity,
  fields: Record<string, unknown>,
): SealedFields {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = sealing.encrypt(iv, sealedChangeBinding(change), encoder.encode(JSON.stringify(fields)));
  return { keyId: sealing.wrapped.id, iv: toBase64(iv), data: toBase64(data) };
}

/** The same as sealFields, through WebCrypto: for many changes at once, outside any transaction. */
export async function sealFieldsInBackground(
  sealing: SealingKey,
  change: SealedChangeIdentity,
  fields: Record<string, unknown>,
): Promise<SealedFields> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const data = await sealing.encryptInBackground(
    iv,
    sealedChangeBinding(change),
    encoder.encode(JSON.stringify(fields)),
  );
  return { keyId: sealing.wrapped.id, iv: toBase64(iv), data: toBase64(data) };
}
