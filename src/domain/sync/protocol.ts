// The sync protocol's wire shapes and versions, shared by the client engine and the server.
// docs/sync-protocol.md describes the same routes in prose; change both together.
import { z } from 'zod';
import { ENTITY_TYPES } from '../records';

/** Version of the request and answer shapes below. Bump on any incompatible change to them. */
export const SYNC_PROTOCOL_VERSION = 1;
/**
 * Version of the records' shapes (the device's IndexedDB schema version, src/db/database.ts). The
 * server accepts this one and the one before, so devices can update a day after the server does.
 */
export const RECORD_SCHEMA_VERSION = 3;

/** Request headers every /api/sync call carries. */
export const SYNC_HEADERS = {
  protocolVersion: 'outreach-protocol-version',
  schemaVersion: 'outreach-schema-version',
  appVersion: 'outreach-app-version',
  deviceId: 'outreach-device-id',
} as const;

export type VersionVerdict = 'current' | 'previous' | 'too-old' | 'too-new';

/** What the server makes of a device's protocol and schema versions. */
export function judgeVersions(protocolVersion: number, schemaVersion: number): VersionVerdict {
  if (protocolVersion > SYNC_PROTOCOL_VERSION || schemaVersion > RECORD_SCHEMA_VERSION) return 'too-new';
  if (protocolVersion < SYNC_PROTOCOL_VERSION - 1 || schemaVersion < RECORD_SCHEMA_VERSION - 1) {
    return 'too-old';
  }
  if (protocolVersion < 1) return 'too-old';
  return protocolVersion === SYNC_PROTOCOL_VERSION && schemaVersion === RECORD_SCHEMA_VERSION
    ? 'current'
    : 'previous';
}

/** Record types only the server writes; devices pull them read-only. */
export const SERVER_OWNED_ENTITY_TYPES = ['organisation', 'user', 'documentVersion'] as const;
export type ServerOwnedEntityType = (typeof SERVER_OWNED_ENTITY_TYPES)[number];
export const SYNCED_ENTITY_TYPES = [...ENTITY_TYPES, ...SERVER_OWNED_ENTITY_TYPES] as const;
export type SyncedEntityType = (typeof SYNCED_ENTITY_TYPES)[number];

export function isServerOwned(entityType: string): entityType is ServerOwnedEntityType {
  return (SERVER_OWNED_ENTITY_TYPES as readonly string[]).includes(entityType);
}

/** Limits that make a push "oversized": answered 400, nothing applied. */
export const MAX_MUTATIONS_PER_PUSH = 1000;
export const MAX_PUSH_BYTES = 8 * 1024 * 1024;
export const MAX_PULL_PAGE = 1000;
export const DEFAULT_PULL_PAGE = 500;

const MAX_FIELD_NAME = 64;
const MAX_STAMP = 64;
/** Base64 of a sealed change: a push is at most MAX_PUSH_BYTES anyway. */
const MAX_SEALED_CHARS = 4 * 1024 * 1024;
/** Sealing keys one push may name: a device makes one per app start, so a few at most. */
export const MAX_SEALING_KEYS_PER_PUSH = 100;

const base64Schema = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'Not base64');

export const sealedFieldsSchema = z.object({
  keyId: z.string().min(1).max(64),
  iv: base64Schema.max(64),
  data: base64Schema.max(MAX_SEALED_CHARS),
});

const publicJwkSchema = z
  .object({ kty: z.literal('EC'), crv: z.literal('P-256'), x: z.string().max(64), y: z.string().max(64) })
  .loose();

/** A device's sealing key, wrapped to the server's public key (src/crypto/outboxSeal.ts). */
export const wrappedSealingKeySchema = z.object({
  id: z.string().min(1).max(64),
  serverKeyId: z.string().min(1).max(64),
  ephemeralPublicKey: publicJwkSchema,
  iv: base64Schema.max(64),
  wrappedKey: base64Schema.max(256),
});

/** GET /api/sync/sealing-key: the server's public key that devices seal their outbox to. */
export const serverSealingKeySchema = z.object({
  keyId: z.string().min(1).max(64),
  publicKey: publicJwkSchema,
});

export const mutationSchema = z
  .object({
    /** Dense per device: 1, 2, 3 … never reused. */
    mutationId: z.number().int().positive(),
    entityType: z.enum(SYNCED_ENTITY_TYPES),
    entityId: z.uuid(),
    op: z.enum(['put', 'delete']),
    /**
     * The fields this change set, with their new values (a new record: all of them). Absent when the
     * change comes sealed: the server opens `sealed` to find them.
     */
    fields: z.record(z.string(), z.unknown()).optional(),
    /** The fields sealed to the server's public key (src/crypto/outboxSeal.ts), instead of `fields`. */
    sealed: sealedFieldsSchema.optional(),
    /** One hybrid-logical-clock stamp per field set, the basis of last-writer-wins. */
    hlc: z.record(z.string(), z.string()),
  })
  // One pass over the keys instead of a schema per key: a push holds up to 1,000 mutations.
  .superRefine((mutation, context) => {
    const issue = changeFieldsIssue(mutation);
    if (issue) context.addIssue({ code: 'custom', ...issue });
  });

/**
 * What mutationSchema checks of a change's fields against its stamps, in one pass: exactly one of
 * fields and sealed; field names 1 to MAX_FIELD_NAME characters, each with its stamp in hlc; stamps
 * at most MAX_STAMP characters; a delete stamps "deleted". The server checks a sealed change's
 * fields with it once it has opened them. Null when nothing is wrong.
 */
export function changeFieldsIssue(mutation: {
  op: 'put' | 'delete';
  fields?: Record<string, unknown> | undefined;
  sealed?: unknown;
  hlc: Record<string, string>;
}): { path: ['fields' | 'hlc']; message: string } | null {
  if ((mutation.fields === undefined) === (mutation.sealed === undefined)) {
    return {
      path: ['fields'],
      message: 'A change carries either its fields or its sealed fields, not both or neither',
    };
  }
  for (const field of Object.keys(mutation.fields ?? mutation.hlc)) {
    if (field.length === 0 || field.length > MAX_FIELD_NAME) {
      return { path: ['fields'], message: `Field names are 1 to ${MAX_FIELD_NAME} characters` };
    }
    if (!(field in mutation.hlc)) {
      return { path: ['hlc'], message: 'Every field needs its clock stamp in hlc' };
    }
  }
  for (const stamp of Object.values(mutation.hlc)) {
    if (stamp.length > MAX_STAMP) {
      return { path: ['hlc'], message: `A clock stamp is at most ${MAX_STAMP} characters` };
    }
  }
  if (mutation.op === 'delete' && !('deleted' in mutation.hlc)) {
    return { path: ['hlc'], message: 'A delete needs the clock stamp of "deleted" in hlc' };
  }
  return null;
}

export type Mutation = z.infer<typeof mutationSchema>;

/** What the device tells the server about itself at every push: how the coordinator sees sync health. */
export const deviceHealthSchema = z.object({
  outboxLength: z.number().int().min(0),
  oldestChangeAt: z.iso.datetime({ offset: true }).nullable(),
  storagePersisted: z.boolean().nullable(),
  quotaLeftBytes: z.number().min(0).nullable(),
});
export type DeviceHealth = z.infer<typeof deviceHealthSchema>;

export const pushRequestSchema = z
  .object({
    mutations: z.array(mutationSchema).max(MAX_MUTATIONS_PER_PUSH),
    /** The sealing keys the sealed mutations name (each mutation's sealed.keyId). */
    sealingKeys: z.array(wrappedSealingKeySchema).max(MAX_SEALING_KEYS_PER_PUSH).optional(),
    health: deviceHealthSchema,
  })
  .refine(
    (request) =>
      request.mutations.every(
        (mutation, index) =>
          index === 0 || mutation.mutationId === request.mutations[index - 1]!.mutationId + 1,
      ),
    { message: 'Mutation ids in one push must be consecutive', path: ['mutations'] },
  );
export type PushRequest = z.infer<typeof pushRequestSchema>;

export type MutationResult =
  | { mutationId: number; status: 'applied' }
  | { mutationId: number; status: 'rejected'; reason: string; message: string };

export type PushResponse = {
  results: MutationResult[];
  /** The last mutation id the server has applied or rejected for this device. */
  lastMutationId: number;
};

/** A record as the server holds it, as pulled. */
export type PulledRecord = {
  entityType: SyncedEntityType;
  entityId: string;
  data: Record<string, unknown>;
  /**
   * The newest clock stamp among the record's fields. Devices only advance their clock with it: the
   * per-field stamps stay on the server, which alone decides who wins a field.
   */
  hlc: string;
  deleted: boolean;
  changeSeq: number;
};

export type PullResponse = {
  records: PulledRecord[];
  /** Pass this back as `cursor` on the next pull. */
  cursor: number;
  hasMore: boolean;
  /**
   * A fingerprint of what the signed-in user may see. When it differs from the last one the device
   * received, records entered or left its scope without changing: the device compares checksums
   * and repairs the tables that differ.
   */
  scope: string;
};

export type TableChecksum = { count: number; sha256: string };
export type ChecksumsResponse = {
  /** The change sequence the checksums describe: compare only when the device's cursor equals it. */
  cursor: number;
  tables: Partial<Record<SyncedEntityType, TableChecksum>>;
};

export const pullQuerySchema = z.object({
  cursor: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_PAGE).default(DEFAULT_PULL_PAGE),
  entityType: z.enum(SYNCED_ENTITY_TYPES).optional(),
});

export const SYNC_ERROR_REASONS = [
  'update-required',
  'server-outdated',
  'device-unknown',
  'mutation-gap',
  'invalid-request',
  'payload-too-large',
  'not-signed-in',
  'sealing-key-unknown',
] as const;
export type SyncErrorReason = (typeof SYNC_ERROR_REASONS)[number];
