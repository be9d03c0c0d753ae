// Data stored before encryption at rest (schema version 4 and earlier) is sealed once a tab holds the
// data key, and changes made before the device first fetched the server's key are sealed to it once
// it has. Each pass reads a chunk, seals it, and writes a row back only if it
// is still as read (another tab or a pull may have rewritten it meanwhile: then it is already sealed,
// or the next pass takes it).
import { isSealedValue, sealValue } from '../crypto/dataKey';
import type { OutboxBatch } from '../domain/changeLog';
import { SEALED_FIELDS } from '../domain/personalFields';
import { type OutreachDatabase, TABLE_OF_ENTITY, learnerFromRow } from './database';
import { sealFieldsInBackground } from '../crypto/outboxSeal';
import { currentSealingKey } from './outboxSealing';
import { isSealedRow, storedRowFor } from './sealedRows';
import { openDataKeys } from './vault';

type Row = Record<string, unknown>;

/** Rows sealed per transaction: small enough not to hold up a tutor's write. */
const CHUNK = 200;

async function writeBackIfUnchanged(
  db: OutreachDatabase,
  tableName: string,
  pairs: readonly { before: Row; after: Row }[],
  keyOf: (row: Row) => unknown,
): Promise<void> {
  await db.transaction('rw', db.table(tableName), async () => {
    for (const { before, after } of pairs) {
      const current = (await db.table(tableName).get(keyOf(before) as string)) as Row | undefined;
      if (current && JSON.stringify(current) === JSON.stringify(before)) await db.table(tableName).put(after);
    }
  });
}

async function holdsReadableData(db: OutreachDatabase): Promise<boolean> {
  for (const entityType of Object.keys(SEALED_FIELDS) as (keyof typeof SEALED_FIELDS)[]) {
    const legacy = await db
      .table(TABLE_OF_ENTITY[entityType])
      .filter((row: Row) => !isSealedRow(row))
      .first();
    if (legacy) return true;
  }
  return (await db.drafts.filter((draft) => !isSealedValue(draft.values)).count()) > 0;
}

/** Seals every row and draft still stored readable. Returns how many were sealed. */
export async function sealLegacyRows(db: OutreachDatabase): Promise<number> {
  // Nothing to seal (a new or erased tablet): no data key is made for it.
  if (!(await holdsReadableData(db))) return 0;
  const keys = await openDataKeys(db);
  if (!keys) return 0;
  let count = 0;
  for (const entityType of Object.keys(SEALED_FIELDS) as (keyof typeof SEALED_FIELDS)[]) {
    const tableName = TABLE_OF_ENTITY[entityType];
    // Rows skipped because they changed meanwhile are left for the next pass: this one ends.
    for (let seen = new Set<string>(); ;) {
      const legacy = (await db
        .table(tableName)
        .filter((row: Row) => !isSealedRow(row) && !seen.has(String(row['id'])))
        .limit(CHUNK)
        .toArray()) as Row[];
      if (legacy.length === 0) break;
      const sealed = await Promise.all(
        legacy.map(async (before) => {
          seen.add(String(before['id']));
          const record =
            entityType === 'learner' ? (learnerFromRow(before as never) as unknown as Row) : before;
          try {
            return { before, after: await storedRowFor(keys, entityType, record) };
          } catch (error) {
            // One row that cannot be sealed (damaged) must not leave every row after it readable.
            console.error(`Could not seal a stored ${entityType}`, error);
            return null;
          }
        }),
      );
      const pairs = sealed.filter((pair) => pair !== null);
      await writeBackIfUnchanged(db, tableName, pairs, (row) => row['id']);
      count += pairs.length;
    }
  }
  const drafts = (await db.drafts.toArray()).filter((draft) => !isSealedValue(draft.values));
  const sealedDrafts = await Promise.all(
    drafts.map(async (draft) => ({
      before: draft as unknown as Row,
      after: { ...draft, values: await sealValue(keys, `draft/${draft.id}`, draft.values) } as Row,
    })),
  );
  if (sealedDrafts.length > 0) await writeBackIfUnchanged(db, 'drafts', sealedDrafts, (row) => row['id']);
  return count + sealedDrafts.length;
}

/** Seals to the server the waiting changes that were kept readable. Returns how many were sealed. */
export async function sealWaitingChanges(db: OutreachDatabase): Promise<number> {
  const waiting = (await db.outbox.toArray()).filter((batch) =>
    batch.changes.some((change) => change.fields),
  );
  if (waiting.length === 0) return 0;
  const sealing = await currentSealingKey(db);
  if (!sealing) return 0;
  let count = 0;
  const pairs = await Promise.all(
    waiting.map(async (batch): Promise<{ before: Row; after: Row }> => {
      const changes = await Promise.all(
        batch.changes.map(async (change) => {
          if (!change.fields) return change;
          count += 1;
          const { fields, ...rest } = change;
          return {
            ...rest,
            fieldNames: Object.keys(fields),
            sealed: await sealFieldsInBackground(sealing, change, fields),
          };
        }),
      );
      const after: OutboxBatch = { ...batch, changes };
      return { before: batch as unknown as Row, after: after as unknown as Row };
    }),
  );
  await writeBackIfUnchanged(db, 'outbox', pairs, (row) => row['firstMutationId']);
  return count;
}
