// Sealed changes (docs/sync-protocol.md, "Sealed changes"): the server's sealing key pairs, loaded at
// start, and the opening of a push's sealed changes into the plain ones the store applies, before
// its transaction begins. A device seals its outbox to the server's public key so that a locked or
// lost device can push what it cannot read back itself.
import { createHash } from 'node:crypto';
import {
  type ServerSealingKey,
  type WrappedSealingKey,
  generateServerSealingKeyPair,
  importServerPrivateKey,
  unwrapSealingKey,
} from '../../crypto/outboxSeal';
import { type Mutation, type PushRequest, changeFieldsIssue } from '../../domain/sync/protocol';
import type { Database } from '../db/database';
import { loadOrCreateSealingKeyPairs } from '../db/sealingKeys';
import type { PlainMutation, ReceivedMutation } from '../db/syncStore';
import { HttpError } from '../errors';
import { openFields } from './openSealedFields';

/**
 * Devices' sealing keys kept unwrapped in memory, so a device's every push does not agree a key again.
 * A device makes one per app start: a thousand covers many devices' recent starts.
 */
const MAX_UNWRAPPED_KEYS = 1000;

const UNREADABLE_MESSAGE =
  'The server could not open this sealed change: it was altered on its way, or sealed with a key that does not match.';

export type SealedChangeOpener = {
  /** The public key devices seal to now (GET /api/sync/sealing-key): the newest key pair's. */
  currentKey: ServerSealingKey;
  /**
   * The push's changes with each sealed one opened, or marked unreadable when it does not open.
   * Throws an HttpError (nothing of the push is applied) when a sealed change names a sealing key the
   * push does not carry (400), one wrapped for a key pair this server never had (409), or opens to
   * fields that are not a valid change (400).
   */
  open(request: PushRequest): Promise<ReceivedMutation[]>;
};

/** Loads the server's key pairs, making the first one if there is none yet. */
export async function loadSealedChangeOpener(database: Database): Promise<SealedChangeOpener> {
  const pairs = await loadOrCreateSealingKeyPairs(database, generateServerSealingKeyPair);
  const current = pairs[0];
  if (!current) throw new Error('The server has no sealing key pair');
  const privateKeys = new Map(
    await Promise.all(
      pairs.map(async (pair) => [pair.keyId, await importServerPrivateKey(pair.privateKey)] as const),
    ),
  );
  const unwrapped = new RecentlyUsed<Uint8Array>(MAX_UNWRAPPED_KEYS);

  /** The device's sealing key, or null when the wrapped key does not open (altered, wrong key). */
  async function unwrap(wrapped: WrappedSealingKey): Promise<Uint8Array | null> {
    // Keyed by the whole wrapped key, not its id: the id is the device's word, so a wrapped key
    // naming a cached id with other content is unwrapped (and judged) on its own. Hashed, so a
    // wrapped key padded with extra JWK members takes no more memory than any other.
    const cacheKey = createHash('sha256').update(JSON.stringify(wrapped)).digest('base64');
    const cached = unwrapped.get(cacheKey);
    if (cached) return cached;
    const privateKey = privateKeys.get(wrapped.serverKeyId);
    if (!privateKey) return null;
    try {
      const key = await unwrapSealingKey(privateKey, wrapped);
      unwrapped.set(cacheKey, key);
      return key;
    } catch {
      return null;
    }
  }

  return {
    currentKey: { keyId: current.keyId, publicKey: publicHalf(current.publicKey) },

    async open(request) {
      const wrappedById = new Map((request.sealingKeys ?? []).map((wrapped) => [wrapped.id, wrapped]));
      // Every sealed change's key is checked before any is opened: these refuse the whole push.
      for (const mutation of request.mutations) {
        if (!mutation.sealed) continue;
        const wrapped = wrappedById.get(mutation.sealed.keyId);
        if (!wrapped) {
          throw new HttpError(
            400,
            'invalid-request',
            `Change ${mutation.mutationId} is sealed with a key the push does not carry in sealingKeys.`,
            { mutationId: mutation.mutationId, keyId: mutation.sealed.keyId },
          );
        }
        if (!privateKeys.has(wrapped.serverKeyId)) {
          throw new HttpError(
            409,
            'sealing-key-unknown',
            'These changes were sealed for another server, which this server cannot open. They are kept on this device.',
            { serverKeyId: wrapped.serverKeyId },
          );
        }
      }
      // Each wrapped key the changes name is unwrapped once per push, however many changes it seals.
      const keyIds = new Set(request.mutations.flatMap((mutation) => mutation.sealed?.keyId ?? []));
      const keys = new Map(
        await Promise.all(
          [...keyIds].map(async (keyId) => [keyId, await unwrap(wrappedById.get(keyId)!)] as const),
        ),
      );
      const received = request.mutations.map((mutation) =>
        mutation.sealed
          ? openMutation(mutation, mutation.sealed, keys.get(mutation.sealed.keyId) ?? null)
          : inTheClear(mutation),
      );
      // Checked in order, so the first invalid change is the one named.
      received.forEach((mutation, index) => {
        if (request.mutations[index]?.sealed && !('unreadable' in mutation)) {
          refuseInvalidFields(mutation, index);
        }
      });
      return received;
    },
  };
}

function openMutation(
  mutation: Mutation,
  sealed: NonNullable<Mutation['sealed']>,
  key: Uint8Array | null,
): ReceivedMutation {
  const { sealed: _sealed, fields: _fields, ...header } = mutation;
  if (key) {
    try {
      return { ...header, fields: openFields(key, mutation, sealed) };
    } catch {
      // Altered, or another change's: refused on its own below, like any other refused change.
    }
  }
  return { ...header, unreadable: UNREADABLE_MESSAGE };
}

function inTheClear(mutation: Mutation): PlainMutation {
  const { sealed: _sealed, fields, ...header } = mutation;
  // mutationSchema lets a change through with exactly one of fields and sealed.
  if (!fields) throw new Error(`Change ${mutation.mutationId} has neither fields nor sealed fields`);
  return { ...header, fields };
}

/**
 * An opened change must be what mutationSchema accepts in the clear (field names 1 to 64 characters,
 * each with its stamp in hlc), without the keys the JSON body parser refuses (`__proto__`,
 * `constructor.prototype`): otherwise the whole push is invalid, as it would be in the clear.
 */
function refuseInvalidFields(mutation: PlainMutation, index: number): void {
  if (hasPoisonedKey(mutation.fields)) {
    throw invalidPush(`mutations.${index}.fields`, 'A field name is not allowed');
  }
  // The rest of the change was parsed with the push (pushRequestSchema); openFields checked that the
  // fields are an object.
  const issue = changeFieldsIssue(mutation);
  if (issue) throw invalidPush(`mutations.${index}.${issue.path.join('.')}`, issue.message);
}

/** The push route's own answer to a push that does not parse, in the same words. */
function invalidPush(path: string, message: string): HttpError {
  return new HttpError(400, 'invalid-request', `The push is not valid: ${path}: ${message}`, {
    issues: [{ path, message }],
  });
}

/** Whether a parsed JSON value holds a key that could reach an object's prototype. */
function hasPoisonedKey(value: unknown): boolean {
  // A stack, not recursion: a sealed change may be nested deeper than the call stack allows.
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next !== 'object' || next === null) continue;
    if (Object.hasOwn(next, '__proto__')) return true;
    const constructor: unknown = Object.hasOwn(next, 'constructor')
      ? (next as Record<string, unknown>)['constructor']
      : undefined;
    if (typeof constructor === 'object' && constructor !== null && Object.hasOwn(constructor, 'prototype')) {
      return true;
    }
    for (const child of Object.values(next)) pending.push(child);
  }
  return false;
}

/** Only the public members of an EC key: a private key's `d` is never published, even by mistake. */
function publicHalf(key: JsonWebKey): JsonWebKey {
  return { kty: key.kty, crv: key.crv, x: key.x, y: key.y };
}

/** A map of at most `capacity` entries that forgets the least recently used first. */
class RecentlyUsed<Value> {
  private readonly entries = new Map<string, Value>();

  constructor(private readonly capacity: number) {}

  get(key: string): Value | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      // A Map iterates in insertion order: inserted again, the entry becomes the newest.
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Value): void {
    this.entries.delete(key);
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }
}
