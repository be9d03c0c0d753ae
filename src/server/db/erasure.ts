// The SQL of erasing one learner (src/domain/erasure.ts decides what is blanked): their record and
// every record that names them blanked, as changes of the server's own that every device pulls at
// its next sync (applyServerChanges, the path every server write takes); tombstones blanked in place;
// their change history purged of personal values; the erasure logged with ids and counts only.
// Retention's anonymising (src/server/db/retention.ts) is this same erasure.
import {
  ERASABLE_TYPES,
  TOMBSTONED_ON_ERASURE,
  eraseHistoryValue,
  eraseRecord,
  erasureChange,
  isErasableType,
} from '../../domain/erasure';
import type { RecordChange } from '../../domain/learnerMerge';
import type { EntityType } from '../../domain/records';
import { nextChangeSeq } from './changeSeq';
import type { Sql } from './database';
import { applyServerChanges } from './syncStore';

/** Chains of merges into the learner erased are followed at most this far. */
const MAX_MERGE_CHAIN = 20;

export type ErasureReason = 'request' | 'retention';

export type ErasureCounts = Partial<Record<EntityType, number>>;

export type ErasureOutcome =
  | { kind: 'not-found' }
  | { kind: 'already-erased' }
  /** A record merged into another: the person is erased through the record kept. */
  | { kind: 'merged'; keptId: string }
  | {
      kind: 'erased';
      learnerId: string;
      erasedAt: string;
      /** Records blanked, by type (the learner and any merged into them included). */
      records: ErasureCounts;
      historyRowsPurged: number;
    };

export type StoredRow = {
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  deleted: boolean;
};

type HistoryValues = {
  id: number | string;
  entity_type: string;
  field: string | null;
  old_value: unknown;
  new_value: unknown;
};

/** Locks the organisation's row until commit: pushes wait, so none lands between reading and writing. */
async function lockOrganisation(sql: Sql, organisationId: string): Promise<void> {
  await sql.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
}

/** The learner and every learner merged into them (following chains): one person, several records. */
export async function learnersOfPerson(
  sql: Sql,
  organisationId: string,
  learnerId: string,
): Promise<string[]> {
  const ids = [learnerId];
  let asking = [learnerId];
  for (let hop = 0; hop < MAX_MERGE_CHAIN && asking.length > 0; hop++) {
    const { rows } = await sql.query<{ entity_id: string }>(
      `SELECT entity_id FROM records
       WHERE organisation_id = $1 AND entity_type = 'learner' AND data->>'mergedInto' = ANY($2::text[])`,
      [organisationId, asking],
    );
    asking = rows.map((row) => row.entity_id).filter((id) => !ids.includes(id));
    ids.push(...asking);
  }
  return ids;
}

/** The learners' own records and every record naming them, tombstones included. */
export async function loadPersonRecords(
  sql: Sql,
  organisationId: string,
  learnerIds: string[],
): Promise<StoredRow[]> {
  const { rows } = await sql.query<StoredRow>(
    `SELECT entity_type, entity_id, data, deleted FROM records
     WHERE organisation_id = $1 AND (
       (entity_type = 'learner' AND entity_id = ANY($2::uuid[]))
       OR (data ? 'learnerId' AND data->>'learnerId' = ANY($3::text[]) AND entity_type = ANY($4::text[])))`,
    [organisationId, learnerIds, learnerIds, ERASABLE_TYPES.filter((type) => type !== 'learner')],
  );
  return rows;
}

/**
 * Blanks tombstones in place. A deleted record takes no change through the merge rules (a tombstone
 * refuses edits), but its stored data still holds what it held: it gets the next change sequence
 * number, so devices pull the blanked tombstone too.
 */
async function blankTombstones(sql: Sql, organisationId: string, tombstones: StoredRow[]): Promise<void> {
  const due = tombstones
    .map((row) => ({ row, data: eraseRecord(row.entity_type, row.data) }))
    .filter(({ row, data }) => JSON.stringify(data) !== JSON.stringify(row.data));
  if (due.length === 0) return;
  const first = await nextChangeSeq(sql, organisationId, due.length);
  await sql.query(
    `UPDATE records r SET data = t.data, change_seq = t.change_seq, received_at = now()
     FROM jsonb_to_recordset($2::jsonb) AS t(entity_type text, entity_id uuid, data jsonb, change_seq bigint)
     WHERE r.organisation_id = $1 AND r.entity_type = t.entity_type AND r.entity_id = t.entity_id`,
    [
      organisationId,
      JSON.stringify(
        due.map(({ row, data }, index) => ({
          entity_type: row.entity_type,
          entity_id: row.entity_id,
          data,
          change_seq: first + index,
        })),
      ),
    ],
  );
}

/**
 * Purges personal values from the change history of the given records, and of refused new records
 * that named the learners (they never reached `records`). Only the rows that hold such a value are
 * rewritten, under the one setting the append-only trigger allows, switched off again at once.
 */
async function purgeHistory(
  sql: Sql,
  organisationId: string,
  records: readonly { entityType: string; entityId: string }[],
  learnerIds: readonly string[],
): Promise<number> {
  const { rows } = await sql.query<HistoryValues>(
    `SELECT h.id, h.entity_type, h.field, h.old_value, h.new_value FROM change_history h
     JOIN unnest($2::text[], $3::uuid[]) AS k(entity_type, entity_id)
       ON h.entity_type = k.entity_type AND h.entity_id = k.entity_id
     WHERE h.organisation_id = $1
     UNION
     SELECT h.id, h.entity_type, h.field, h.old_value, h.new_value FROM change_history h
     WHERE h.organisation_id = $1 AND h.field = '*' AND h.new_value->>'learnerId' = ANY($4::text[])
       AND h.entity_type = ANY($5::text[])`,
    [
      organisationId,
      records.map((record) => record.entityType),
      records.map((record) => record.entityId),
      learnerIds,
      [...ERASABLE_TYPES],
    ],
  );
  const purged = rows.flatMap((row) => {
    const oldValue = eraseHistoryValue(row.entity_type, row.field, row.old_value);
    const newValue = eraseHistoryValue(row.entity_type, row.field, row.new_value);
    const same =
      JSON.stringify(oldValue) === JSON.stringify(row.old_value ?? null) &&
      JSON.stringify(newValue) === JSON.stringify(row.new_value ?? null);
    return same ? [] : [{ id: Number(row.id), old_value: oldValue, new_value: newValue }];
  });
  if (purged.length === 0) return 0;
  await sql.query(`SET LOCAL outreach.allow_history_purge = 'on'`);
  await sql.query(
    `UPDATE change_history h SET old_value = p.old_value, new_value = p.new_value
     FROM jsonb_to_recordset($2::jsonb) AS p(id bigint, old_value jsonb, new_value jsonb)
     WHERE h.organisation_id = $1 AND h.id = p.id`,
    [organisationId, JSON.stringify(purged)],
  );
  await sql.query(`SET LOCAL outreach.allow_history_purge = 'off'`);
  return purged.length;
}

/**
 * Erases a learner in the caller's transaction, with the organisation locked until it ends. Final:
 * a learner already erased is refused, and later pushes cannot bring anything back
 * (src/server/db/erasedLearners.ts). A learner the organisation does not hold is not found.
 */
export async function eraseLearner(
  sql: Sql,
  request: {
    organisationId: string;
    learnerId: string;
    /** Who asked (a coordinator), or null for the server on its own. */
    userId: string | null;
    reason: ErasureReason;
    nowMillis: number;
  },
): Promise<ErasureOutcome> {
  const { organisationId, learnerId } = request;
  await lockOrganisation(sql, organisationId);
  const { rows } = await sql.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM records WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = $2`,
    [organisationId, learnerId],
  );
  const learner = rows[0];
  if (!learner) return { kind: 'not-found' };
  if (learner.data['status'] === 'erased') return { kind: 'already-erased' };
  const mergedInto = learner.data['mergedInto'];
  if (typeof mergedInto === 'string') return { kind: 'merged', keptId: mergedInto };

  const learnerIds = await learnersOfPerson(sql, organisationId, learnerId);
  // The learners' own records first: they take the first change numbers, so a device pulls that a
  // learner is erased (and purges what it holds of them) no later than the records naming them.
  const stored = (await loadPersonRecords(sql, organisationId, learnerIds))
    .filter((row) => isErasableType(row.entity_type))
    .sort((a, b) => Number(b.entity_type === 'learner') - Number(a.entity_type === 'learner'));
  const changes: RecordChange[] = [];
  for (const row of stored.filter((candidate) => !candidate.deleted)) {
    const fields = erasureChange(row.entity_type, row.data);
    const entityType = row.entity_type as EntityType;
    if (Object.keys(fields).length > 0) changes.push({ entityType, entityId: row.entity_id, fields });
    if ((TOMBSTONED_ON_ERASURE as readonly string[]).includes(row.entity_type)) {
      changes.push({ entityType, entityId: row.entity_id, fields: { deleted: true } });
    }
  }
  await applyServerChanges(sql, { organisationId, userId: request.userId }, request.nowMillis, changes);
  await blankTombstones(
    sql,
    organisationId,
    stored.filter((row) => row.deleted),
  );
  const historyRowsPurged = await purgeHistory(
    sql,
    organisationId,
    stored.map((row) => ({ entityType: row.entity_type, entityId: row.entity_id })),
    learnerIds,
  );

  const records: ErasureCounts = {};
  for (const row of stored) {
    const entityType = row.entity_type as EntityType;
    records[entityType] = (records[entityType] ?? 0) + 1;
  }
  const erasedAt = new Date(request.nowMillis).toISOString();
  await sql.query(
    `INSERT INTO learner_erasures (organisation_id, learner_id, reason, erased_by, erased_at, records,
                                   history_rows_purged)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7)`,
    [
      organisationId,
      learnerId,
      request.reason,
      request.userId,
      erasedAt,
      JSON.stringify(records),
      historyRowsPurged,
    ],
  );
  return { kind: 'erased', learnerId, erasedAt, records, historyRowsPurged };
}
