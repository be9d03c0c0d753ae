// A learner erased on the server (at their request, or at the end of retention) is purged from this
// device when a pull first brings their erased record, before the page is written: their rows and
// every row naming them blanked (src/domain/erasure.ts), outbox changes that set their personal
// fields rewritten without them, refused changes about them dropped, and drafts that name them
// deleted. Not the lost-device wipe (src/db/erase.ts), which erases everything.
import type { OutboxBatch, RecordChange } from '../domain/changeLog';
import { fieldNamesOf } from '../domain/changeLog';
import {
  type ErasedPerson,
  draftMentionsLearner,
  eraseRecord,
  isErasedLearner,
  lockedFieldNames,
} from '../domain/erasure';
import type { EntityType, Learner } from '../domain/records';
import type { PulledRecord } from '../domain/sync/protocol';
import type { DataKeys } from '../crypto/dataKey';
import { isSealedValue, openValue } from '../crypto/dataKey';
import {
  type Draft,
  type OutreachDatabase,
  type RejectedChange,
  type WriterState,
  TABLE_OF_ENTITY,
  learnerFromRow,
} from './database';
import { StoreError, toStoreError } from './errors';
import { currentSealingKey, outboxFields } from './outboxSealing';
import { openRow, storedRowFor } from './sealedRows';
import { requireDataKeys } from './vault';

type Row = Record<string, unknown>;

/** The types whose rows name a learner through `learnerId` (each table has that index). */
const LEARNER_RECORD_TYPES = [
  'equalityMonitoring',
  'employmentStatus',
  'enrolment',
  'learningGoal',
  'consent',
  'skillsAssessment',
  'passportAward',
  'outcome',
  'loan',
  'attendance',
] as const satisfies readonly EntityType[];

/** Tries before a purge that keeps meeting local writes gives up (the pull is tried again later). */
const MAX_PURGE_ATTEMPTS = 5;

/** The learners a pulled page says are erased. */
export function erasedLearnerIdsIn(records: readonly PulledRecord[]): string[] {
  return records
    .filter((record) => record.entityType === 'learner' && isErasedLearner(record.data))
    .map((record) => record.entityId);
}

const keyOf = (entityType: string, entityId: string) => `${entityType}/${entityId}`;

type HeldRow = { entityType: EntityType; row: Row };

type Held = {
  learners: HeldRow[];
  related: HeldRow[];
  batches: OutboxBatch[];
  rejected: RejectedChange[];
  drafts: Draft[];
  lastMutationId: number;
};

const DRAFT_CONTEXT = (id: string) => `draft/${id}`;

/** What the device holds about the learners (not yet purged ones only), read in one transaction. */
async function readHeld(db: OutreachDatabase, learnerIds: readonly string[]): Promise<Held | null> {
  const relatedTables = LEARNER_RECORD_TYPES.map((type) => db.table(TABLE_OF_ENTITY[type]));
  return db.transaction(
    'r',
    [db.learners, ...relatedTables, db.outbox, db.rejectedChanges, db.drafts, db.meta],
    async () => {
      const learnerRows = (await db.learners.bulkGet([...learnerIds])).filter(
        (row) => row !== undefined && !isErasedLearner(row),
      );
      // A learner this device holds as erased was purged already, and one it never held left nothing.
      if (learnerRows.length === 0) return null;
      const ids = learnerRows.map((row) => row!.id);
      const related: HeldRow[] = [];
      for (const entityType of LEARNER_RECORD_TYPES) {
        const rows = await db.table(TABLE_OF_ENTITY[entityType]).where('learnerId').anyOf(ids).toArray();
        for (const row of rows) related.push({ entityType, row: row as Row });
      }
      const writer = (await db.meta.get('writer')) as WriterState | undefined;
      return {
        learners: learnerRows.map((row) => ({ entityType: 'learner' as const, row: row as unknown as Row })),
        related,
        batches: await db.outbox.toArray(),
        rejected: await db.rejectedChanges.toArray(),
        drafts: await db.drafts.toArray(),
        lastMutationId: writer?.lastMutationId ?? 0,
      };
    },
  );
}

async function openDraftValues(keys: DataKeys, draft: Draft): Promise<unknown> {
  if (!isSealedValue(draft.values)) return draft.values;
  try {
    return await openValue(keys, DRAFT_CONTEXT(draft.id), draft.values);
  } catch {
    // A draft this key cannot open is no one's any more: it goes too.
    return null;
  }
}

type Plan = {
  rows: Map<string, Row[]>;
  batches: OutboxBatch[];
  sealingKey: Awaited<ReturnType<typeof currentSealingKey>>;
  rejectedIds: number[];
  draftIds: string[];
};

/** Works out, before the purge's transaction, everything it writes. */
async function planPurge(db: OutreachDatabase, held: Held): Promise<Plan> {
  const keys = await requireDataKeys(db);
  const opened = new Map<string, { entityType: EntityType; record: Row }>();
  for (const { entityType, row } of [...held.learners, ...held.related]) {
    const synced = entityType === 'learner' ? (learnerFromRow(row as never) as unknown as Row) : row;
    opened.set(keyOf(entityType, String(row['id'])), {
      entityType,
      record: await openRow(keys, entityType, synced),
    });
  }
  const blanked = new Map<string, Row>();
  const rows = new Map<string, Row[]>();
  for (const [key, { entityType, record }] of opened) {
    const erased = eraseRecord(entityType, record);
    blanked.set(key, erased);
    const table = TABLE_OF_ENTITY[entityType];
    rows.set(table, [...(rows.get(table) ?? []), await storedRowFor(keys, entityType, erased)]);
  }

  // Outbox changes that set a personal field: the same change, its values taken from the blanked row.
  const sealing = await currentSealingKey(db);
  const batches: OutboxBatch[] = [];
  for (const batch of held.batches) {
    let rewritten = false;
    const changes: RecordChange[] = [];
    for (const change of batch.changes) {
      const record = blanked.get(keyOf(change.entityType, change.entityId));
      const names = fieldNamesOf(change);
      const locked = lockedFieldNames(change.entityType);
      if (!record || change.op !== 'put' || !names.some((name) => locked.includes(name))) {
        changes.push(change);
        continue;
      }
      const fields = Object.fromEntries(names.map((name) => [name, record[name] ?? null]));
      const identity = { entityType: change.entityType, entityId: change.entityId, op: change.op };
      const stored = await outboxFields(sealing, identity, fields);
      changes.push(
        'sealed' in stored
          ? { mutationId: change.mutationId, ...identity, fieldNames: names, sealed: stored.sealed }
          : { mutationId: change.mutationId, ...identity, fields: stored.fields },
      );
      rewritten = true;
    }
    if (rewritten) batches.push({ ...batch, changes });
  }

  const people: ErasedPerson[] = held.learners.map(({ row }) => {
    const learner = opened.get(keyOf('learner', String(row['id'])))!.record as unknown as Learner;
    return {
      id: learner.id,
      givenNames: learner.givenNames,
      familyName: learner.familyName,
      email: learner.email ?? '',
      phone: learner.phone ?? '',
    };
  });
  const draftIds: string[] = [];
  for (const draft of held.drafts) {
    const values = await openDraftValues(keys, draft);
    if (values === null || people.some((person) => draftMentionsLearner(values, person))) {
      draftIds.push(draft.id);
    }
  }
  const rejectedIds = held.rejected
    .filter((change) => opened.has(keyOf(change.entityType, change.entityId)))
    .map((change) => change.mutationId);
  return { rows, batches, sealingKey: sealing, rejectedIds, draftIds };
}

/**
 * Purges what this device holds about learners the server has erased (the ones it still holds
 * unerased; the rest cost one read). One transaction, made again if a local write came in between.
 */
export async function purgeErasedLearners(
  db: OutreachDatabase,
  learnerIds: readonly string[],
): Promise<void> {
  if (learnerIds.length === 0) return;
  try {
    for (let attempt = 1; attempt <= MAX_PURGE_ATTEMPTS; attempt += 1) {
      const held = await readHeld(db, learnerIds);
      if (!held) return;
      const plan = await planPurge(db, held);
      const tables = [...plan.rows.keys()].map((name) => db.table(name));
      const done = await db.transaction(
        'rw',
        [...tables, db.outbox, db.rejectedChanges, db.drafts, db.sealingKeys, db.meta],
        async () => {
          const writer = (await db.meta.get('writer')) as WriterState | undefined;
          if ((writer?.lastMutationId ?? 0) !== held.lastMutationId) return false;
          for (const [table, rows] of plan.rows) await db.table(table).bulkPut(rows);
          if (plan.batches.length > 0) {
            // Stored with the changes it sealed, as every write does.
            if (plan.sealingKey) await db.sealingKeys.put(plan.sealingKey.wrapped);
            await db.outbox.bulkPut(plan.batches);
          }
          await db.rejectedChanges.bulkDelete(plan.rejectedIds);
          await db.drafts.bulkDelete(plan.draftIds);
          return true;
        },
      );
      if (done) return;
    }
    throw new StoreError(
      'conflict',
      'Changes kept being saved while an erased learner was removed from this device. Sync will try again.',
    );
  } catch (error) {
    throw toStoreError(error);
  }
}
