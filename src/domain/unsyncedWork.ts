// A device's unsynced work as a file: the outbox batches (with their clock stamps, so the server
// merges them as if the device itself had pushed them) and the changes the server refused. Saved,
// sealed with a passphrase, when a device must be handed back before it can sync; opened on another
// device, whose outbox takes the batches over.
import { z } from 'zod';
import { sealedFieldsSchema, wrappedSealingKeySchema } from '../domain/sync/protocol';
import { ENTITY_TYPES } from './records';

export const UNSYNCED_WORK_FORMAT = 'outreach-unsynced-work';
/**
 * Version of the file's shape below. Version 2: changes sealed to the server (their field names
 * beside them) and the wrapped sealing keys they need; version 1 files still open.
 */
export const UNSYNCED_WORK_VERSION = 2;

/** A change's values: sealed to the server, or readable (version 1 files, older outbox entries). */
const changeValues = {
  fieldNames: z.array(z.string()).optional(),
  sealed: sealedFieldsSchema.optional(),
  fields: z.record(z.string(), z.unknown()).optional(),
};

const changeSchema = z
  .object({
    mutationId: z.number().int().positive(),
    entityType: z.enum(ENTITY_TYPES),
    entityId: z.string().min(1),
    op: z.enum(['put', 'delete']),
    ...changeValues,
  })
  .refine((change) => (change.sealed === undefined) !== (change.fields === undefined), {
    message: 'A change holds either sealed or readable fields',
  });

const batchSchema = z.object({
  firstMutationId: z.number().int().positive(),
  lastMutationId: z.number().int().positive(),
  hlc: z.string().min(1),
  madeAt: z.string(),
  changes: z.array(changeSchema).min(1),
  entryVersion: z.number().int(),
});

const refusedSchema = z.object({
  mutationId: z.number().int(),
  entityType: z.string(),
  entityId: z.string(),
  op: z.enum(['put', 'delete']),
  ...changeValues,
  label: z.string().optional(),
  reason: z.string(),
  message: z.string(),
  madeAt: z.string().nullable(),
  rejectedAt: z.string(),
});

export const unsyncedWorkSchema = z.object({
  format: z.literal(UNSYNCED_WORK_FORMAT),
  version: z.union([z.literal(1), z.literal(UNSYNCED_WORK_VERSION)]),
  exportedAt: z.string(),
  /** The device the work was made on (its local id) and who was signed in, for the record. */
  fromDeviceId: z.string(),
  exportedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  batches: z.array(batchSchema),
  refused: z.array(refusedSchema),
  /** The wrapped keys the sealed changes name: only the server unwraps them. */
  sealingKeys: z.array(wrappedSealingKeySchema).default([]),
});
export type UnsyncedWork = z.infer<typeof unsyncedWorkSchema>;

/** How many changes a file holds, in words for the person saving or opening it. */
export function describeUnsyncedWork(work: Pick<UnsyncedWork, 'batches' | 'refused'>): string {
  const waiting = work.batches.reduce((sum, batch) => sum + batch.changes.length, 0);
  const words = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  const parts = [words(waiting, 'change waiting to sync', 'changes waiting to sync')];
  if (work.refused.length > 0) parts.push(words(work.refused.length, 'refused change', 'refused changes'));
  return parts.join(' and ');
}

/** The suggested file name: the date it was saved, never anyone's name. */
export function unsyncedWorkFileName(exportedAt: string): string {
  return `outreach-unsynced-work-${exportedAt.slice(0, 10)}.sealed.json`;
}

/** The passphrase a file is sealed with: long enough to resist guessing, typed the same twice. */
export function checkNewPassphrase(
  passphrase: string,
  confirmation: string,
  minLength: number,
): string | null {
  if (passphrase.length === 0) return 'Enter a passphrase for the file';
  if (passphrase.length < minLength) return `The passphrase must be ${minLength} characters or more`;
  if (passphrase !== confirmation) return 'The two passphrases are not the same';
  return null;
}
