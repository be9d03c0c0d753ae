// The SQL of conflicts (docs/sync-protocol.md, "Conflicts"): each device's pull position, the mark a
// push puts on a history row that overwrote a value its device had not pulled, the open conflicts a
// coordinator reviews, and their decisions. src/domain/conflicts.ts holds the rules; a restore is
// written by applyServerChanges (syncStore.ts), like every other server-made change.
import type { Viewer } from '../../domain/access';
import {
  BOOKKEEPING_FIELDS,
  CONFLICT_LIMIT,
  type Conflict,
  type ConflictDecision,
  type ConflictKind,
  type ConflictRecord,
  type ConflictSide,
  type ConflictsAnswer,
  HIDDEN_CONFLICT_VALUE,
  type LoanClashAnswer,
  type PushedHistoryLine,
  type ValueOrigin,
  conflictKindOf,
  isConcurrentOverwrite,
  isSpecialCategoryField,
  losingValueOf,
  overwritesToCheck,
  recordNameOf,
  restoreFieldsOf,
} from '../../domain/conflicts';
import { entityLabel } from '../../domain/entityLabels';
import { loanClashes } from '../../domain/journey';
import type { RecordChange } from '../../domain/learnerMerge';
import { type EntityType, type Loan, RECORD_SCHEMAS, loanSchema } from '../../domain/records';
import type { Sql } from './database';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Larger than any history id: "the latest row" in a lookup of the rows before an id. */
const AFTER_EVERY_ROW = Number.MAX_SAFE_INTEGER;

// ---- Recording, in the sync transactions ----

/**
 * Marks the history lines of a push that overwrote a value the pushing device had not pulled
 * (`concurrent`), before they are written (history is append-only). Call it before the push writes
 * its records, so `records` still holds what the push found.
 */
export async function markConcurrentOverwrites(
  sql: Sql,
  push: { organisationId: string; deviceId: string },
  lines: (PushedHistoryLine & { concurrent?: boolean })[],
): Promise<void> {
  const toCheck = overwritesToCheck(lines);
  if (toCheck.length === 0) return;
  const device = await sql.query<{ last_pulled_seq: number | null }>(
    'SELECT last_pulled_seq FROM devices WHERE id = $1 AND organisation_id = $2',
    [push.deviceId, push.organisationId],
  );
  const lastPulledSeq = device.rows[0]?.last_pulled_seq ?? null;
  if (lastPulledSeq === null) return;
  const checked = toCheck.map((index) => ({ index, line: lines[index]! }));
  // Where each overwritten value came from: the latest history row that set the field (or made the
  // record). Rows written before change_seq was recorded fall back to the record's sequence number,
  // which is never earlier than the value's.
  const { rows } = await sql.query<{ i: number; device_id: string | null; change_seq: number | null }>(
    `SELECT k.i, o.device_id, COALESCE(o.change_seq, r.change_seq) AS change_seq
     FROM unnest($2::int[], $3::text[], $4::uuid[], $5::text[]) AS k(i, entity_type, entity_id, field)
     LEFT JOIN records r
       ON r.organisation_id = $1 AND r.entity_type = k.entity_type AND r.entity_id = k.entity_id
     LEFT JOIN LATERAL (
       SELECT h.device_id, h.change_seq FROM change_history h
       WHERE h.organisation_id = $1 AND h.entity_type = k.entity_type AND h.entity_id = k.entity_id
         AND ((h.field = k.field AND h.outcome = 'applied') OR (h.field = '*' AND h.outcome = 'created'))
       ORDER BY h.id DESC LIMIT 1
     ) o ON true`,
    [
      push.organisationId,
      checked.map(({ index }) => index),
      checked.map(({ line }) => line.entity_type),
      checked.map(({ line }) => line.entity_id),
      checked.map(({ line }) => line.field),
    ],
  );
  for (const row of rows) {
    const origin: ValueOrigin = { deviceId: row.device_id, changeSeq: row.change_seq };
    const line = lines[row.i];
    if (line && isConcurrentOverwrite(origin, push.deviceId, lastPulledSeq)) line.concurrent = true;
  }
}

// ---- The open conflicts ----

type CandidateRow = {
  id: number;
  entity_type: string;
  entity_id: string;
  field: string;
  old_value: unknown;
  new_value: unknown;
  outcome: string;
  concurrent: boolean;
  user_name: string | null;
  device_id: string | null;
  received_at: Date | string;
  /** The record the conflict is about: the row's own, or for a second attendance mark the record holding that session and learner. */
  record_type: string | null;
  record_id: string | null;
  record_data: Record<string, unknown> | null;
  record_deleted: boolean | null;
};

/**
 * Open conflicts, newest first: rows that count (src/domain/conflicts.ts conflictKindOf) with no
 * decision, whose losing value is something (not null), and that are not settled already because the
 * record holds the losing value again.
 */
async function readCandidates(sql: Sql, organisationId: string, limit: number): Promise<CandidateRow[]> {
  const { rows } = await sql.query<CandidateRow>(
    `WITH candidates AS (
       SELECT h.*, CASE WHEN h.outcome = 'applied' THEN h.old_value ELSE h.new_value END AS losing_value
       FROM change_history h
       WHERE h.organisation_id = $1
         AND (h.concurrent OR h.outcome IN ('stale', 'after-delete', 'rejected:duplicate-attendance'))
         AND (h.outcome = 'rejected:duplicate-attendance' OR (h.field <> '*' AND h.field <> ALL($2::text[])))
         AND NOT EXISTS (SELECT 1 FROM conflict_resolutions c WHERE c.history_id = h.id)
     )
     SELECT c.id, c.entity_type, c.entity_id, c.field, c.old_value, c.new_value, c.outcome, c.concurrent,
            u.name AS user_name, c.device_id, c.received_at,
            COALESCE(own.entity_type, holder.entity_type) AS record_type,
            COALESCE(own.entity_id, holder.entity_id) AS record_id,
            COALESCE(own.data, holder.data) AS record_data,
            COALESCE(own.deleted, holder.deleted) AS record_deleted
     FROM candidates c
     LEFT JOIN users u ON u.id = c.user_id
     LEFT JOIN records own
       ON c.outcome <> 'rejected:duplicate-attendance' AND own.organisation_id = $1
      AND own.entity_type = c.entity_type AND own.entity_id = c.entity_id
     LEFT JOIN records holder
       ON c.outcome = 'rejected:duplicate-attendance' AND holder.organisation_id = $1
      AND holder.entity_type = 'attendance'
      AND holder.data->>'sessionId' = c.new_value->>'sessionId'
      AND holder.data->>'learnerId' = c.new_value->>'learnerId'
     WHERE c.losing_value IS NOT NULL AND c.losing_value <> 'null'::jsonb
       AND NOT (
         c.outcome = 'rejected:duplicate-attendance' AND holder.deleted IS FALSE
         AND holder.data->'mark' IS NOT DISTINCT FROM c.new_value->'mark'
       )
       AND NOT (
         c.outcome IN ('stale', 'applied') AND own.deleted IS FALSE
         AND COALESCE(own.data -> c.field, 'null'::jsonb) = c.losing_value
       )
     ORDER BY c.id DESC
     LIMIT $3`,
    [organisationId, BOOKKEEPING_FIELDS, limit],
  );
  return rows;
}

type SetterLookup = {
  entityType: string;
  entityId: string;
  /** 'value': the row that set `field` (or made the record); 'deletion': the row that deleted it. */
  mode: 'value' | 'deletion';
  field: string;
  /** Only rows before this history id. */
  beforeId: number;
};

type Setter = { userName: string | null; deviceId: string | null; at: string | null };

/** Who wrote a value, or deleted a record, as the history says: one statement for every lookup. */
async function readSetters(sql: Sql, organisationId: string, lookups: SetterLookup[]): Promise<Setter[]> {
  if (lookups.length === 0) return [];
  const { rows } = await sql.query<{
    i: number;
    user_name: string | null;
    device_id: string | null;
    received_at: Date | string | null;
  }>(
    `SELECT k.i, u.name AS user_name, s.device_id, s.received_at
     FROM unnest($2::int[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::bigint[])
          AS k(i, entity_type, entity_id, mode, field, before_id)
     LEFT JOIN LATERAL (
       SELECT s.user_id, s.device_id, s.received_at FROM change_history s
       WHERE s.organisation_id = $1 AND s.entity_type = k.entity_type AND s.entity_id = k.entity_id
         AND s.id < k.before_id
         AND CASE WHEN k.mode = 'deletion'
                  THEN s.outcome = 'deleted' OR (s.field = 'deleted' AND s.outcome = 'applied')
                  ELSE (s.field = k.field AND s.outcome = 'applied') OR (s.field = '*' AND s.outcome = 'created')
             END
       ORDER BY s.id DESC LIMIT 1
     ) s ON true
     LEFT JOIN users u ON u.id = s.user_id
     ORDER BY k.i`,
    [
      organisationId,
      lookups.map((_, index) => index),
      lookups.map((lookup) => lookup.entityType),
      lookups.map((lookup) => lookup.entityId),
      lookups.map((lookup) => lookup.mode),
      lookups.map((lookup) => lookup.field),
      lookups.map((lookup) => lookup.beforeId),
    ],
  );
  return rows.map((row) => ({
    userName: row.user_name,
    deviceId: row.device_id,
    at: row.received_at === null ? null : new Date(row.received_at).toISOString(),
  }));
}

type LearnerNames = Map<string, string>;

async function readLearnerNames(
  sql: Sql,
  organisationId: string,
  learnerIds: Iterable<string>,
): Promise<LearnerNames> {
  const ids = [...new Set(learnerIds)].filter((id) => UUID_TEXT.test(id));
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ entity_id: string; given: string | null; family: string | null }>(
    `SELECT entity_id, data->>'givenNames' AS given, data->>'familyName' AS family FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])`,
    [organisationId, ids],
  );
  return new Map(
    rows
      .map((row) => [row.entity_id, [row.given, row.family].filter(Boolean).join(' ')] as const)
      .filter(([, name]) => name !== ''),
  );
}

/** The learner a record is, or belongs to (its `learnerId`), when it is a learner's. */
function learnerIdOf(
  entityType: string,
  entityId: string,
  data: Record<string, unknown> | null,
): string | null {
  if (entityType === 'learner') return entityId;
  const learnerId = data?.['learnerId'];
  return typeof learnerId === 'string' ? learnerId : null;
}

/** Devices lent twice, with their tags and the learners' names. */
async function readLoanClashes(sql: Sql, organisationId: string): Promise<LoanClashAnswer[]> {
  const { rows } = await sql.query<{ data: Record<string, unknown> }>(
    `SELECT data FROM records WHERE organisation_id = $1 AND entity_type = 'loan' AND NOT deleted`,
    [organisationId],
  );
  const loans: Loan[] = rows.flatMap((row) => {
    const parsed = loanSchema.safeParse(row.data);
    return parsed.success ? [parsed.data] : [];
  });
  const clashes = loanClashes(loans);
  if (clashes.length === 0) return [];
  const tags = await sql.query<{ entity_id: string; asset_tag: string | null }>(
    `SELECT entity_id, data->>'assetTag' AS asset_tag FROM records
     WHERE organisation_id = $1 AND entity_type = 'loanDevice' AND entity_id = ANY($2::uuid[])`,
    [organisationId, clashes.map((clash) => clash.loanDeviceId)],
  );
  const tagOf = new Map(tags.rows.map((row) => [row.entity_id, row.asset_tag]));
  const names = await readLearnerNames(
    sql,
    organisationId,
    clashes.flatMap((clash) => clash.loans.map((loan) => loan.learnerId)),
  );
  return clashes.map((clash) => ({
    loanDeviceId: clash.loanDeviceId,
    assetTag: tagOf.get(clash.loanDeviceId) ?? null,
    loans: clash.loans.map((loan) => ({
      loanId: loan.id,
      learnerId: loan.learnerId,
      learnerName: names.get(loan.learnerId) ?? null,
      issuedOn: loan.issuedOn,
      dueBack: loan.dueBack,
      issuedBy: loan.issuedBy,
    })),
  }));
}

/** Logs that the list showed these learners' special category answers ('viewed'), one row each. */
async function logSpecialCategoryViewed(
  sql: Sql,
  request: { organisationId: string; viewer: Viewer; deviceId: string | null },
  learnerIds: readonly string[],
): Promise<void> {
  const ids = [...new Set(learnerIds)].filter((id) => UUID_TEXT.test(id));
  if (ids.length === 0) return;
  await sql.query(
    `INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
     SELECT $1, l.learner_id, $2,
            (SELECT id FROM devices WHERE organisation_id = $1 AND id = $3::uuid), 'viewed'
     FROM unnest($4::uuid[]) AS l(learner_id)`,
    [
      request.organisationId,
      request.viewer.userId,
      request.deviceId && UUID_TEXT.test(request.deviceId) ? request.deviceId : null,
      ids,
    ],
  );
}

/**
 * The open conflicts of the organisation, grouped per record (the record with the newest conflict
 * first), and the devices lent twice, for a coordinator, in the caller's transaction. Special category
 * answers are "(hidden)" unless the coordinator may see them; when they are shown, the viewing is
 * logged for each learner, as the learner's history does.
 */
export async function readOpenConflicts(
  sql: Sql,
  request: { organisationId: string; viewer: Viewer; deviceId: string | null },
): Promise<ConflictsAnswer> {
  const { organisationId, viewer } = request;
  const candidates = await readCandidates(sql, organisationId, CONFLICT_LIMIT + 1);
  const truncated = candidates.length > CONFLICT_LIMIT;
  const rows = candidates.slice(0, CONFLICT_LIMIT).flatMap((row) => {
    const kind = conflictKindOf({ outcome: row.outcome, concurrent: row.concurrent, field: row.field });
    return kind ? [{ row, kind }] : [];
  });

  // Two lookups per conflict: who wrote the value held now (or deleted the record), who wrote the other.
  const lookups: SetterLookup[] = rows.flatMap(({ row, kind }) => [
    currentSetterLookup(row, kind),
    otherSetterLookup(row, kind) ?? { ...currentSetterLookup(row, kind), beforeId: 0 },
  ]);
  const setters = await readSetters(sql, organisationId, lookups);
  const names = await readLearnerNames(
    sql,
    organisationId,
    rows.flatMap(({ row }) => {
      const id = learnerIdOf(
        row.record_type ?? row.entity_type,
        row.record_id ?? row.entity_id,
        row.record_data,
      );
      return id ? [id] : [];
    }),
  );

  const records = new Map<string, ConflictRecord>();
  const shownSpecialCategoryOf: string[] = [];
  rows.forEach(({ row, kind }, index) => {
    const entityType = row.record_type ?? row.entity_type;
    const entityId = row.record_id ?? row.entity_id;
    const learnerId = learnerIdOf(entityType, entityId, row.record_data);
    const special = isSpecialCategoryField(row.entity_type, row.field);
    const hidden = special && !viewer.maySeeSpecialCategory;
    if (special && !hidden && learnerId) shownSpecialCategoryOf.push(learnerId);
    const deleted = row.record_deleted === true;
    const key = `${entityType}/${entityId}`;
    let record = records.get(key);
    if (!record) {
      record = {
        entityType,
        entityLabel: entityLabel(entityType) ?? entityType,
        entityId,
        learnerId,
        learnerName: learnerId ? (names.get(learnerId) ?? null) : null,
        recordName: recordNameOf(entityType, row.record_data),
        deleted,
        conflicts: [],
      };
      records.set(key, record);
    }
    const shown = (value: unknown) => (hidden ? HIDDEN_CONFLICT_VALUE : value);
    const field = kind === 'duplicate-attendance' ? 'mark' : row.field;
    const currentValue = deleted ? null : (row.record_data?.[field] ?? null);
    const otherSetter = otherSetterLookup(row, kind) ? setters[index * 2 + 1] : undefined;
    const conflict: Conflict = {
      historyId: String(row.id),
      kind,
      field,
      current: { value: shown(currentValue), ...whoOf(setters[index * 2]) },
      other: {
        value: shown(otherValueOf(row, kind)),
        ...(otherSetter ??
          whoOf({ userName: row.user_name, deviceId: row.device_id, at: isoOf(row.received_at) })),
      },
      canRestore: kind !== 'after-delete' && !deleted && !hidden && row.record_data !== null,
      hidden,
    };
    record.conflicts.push(conflict);
  });
  if (shownSpecialCategoryOf.length > 0) await logSpecialCategoryViewed(sql, request, shownSpecialCategoryOf);
  return {
    records: [...records.values()],
    truncated,
    loanClashes: await readLoanClashes(sql, organisationId),
  };
}

function isoOf(value: Date | string): string {
  return new Date(value).toISOString();
}

function whoOf(setter: Setter | undefined): Omit<ConflictSide, 'value'> {
  return { userName: setter?.userName ?? null, deviceId: setter?.deviceId ?? null, at: setter?.at ?? null };
}

/** The value that lost, as shown: a refused second mark by its mark. */
function otherValueOf(row: CandidateRow, kind: ConflictKind): unknown {
  const losing = losingValueOf({ outcome: row.outcome, oldValue: row.old_value, newValue: row.new_value });
  if (kind === 'duplicate-attendance') {
    return typeof losing === 'object' && losing !== null
      ? ((losing as Record<string, unknown>)['mark'] ?? null)
      : null;
  }
  return losing;
}

function currentSetterLookup(row: CandidateRow, kind: ConflictKind): SetterLookup {
  const entityType = row.record_type ?? row.entity_type;
  const entityId = row.record_id ?? row.entity_id;
  const field = kind === 'duplicate-attendance' ? 'mark' : row.field;
  return {
    entityType,
    entityId,
    mode: row.record_deleted === true ? 'deletion' : 'value',
    field,
    beforeId: AFTER_EVERY_ROW,
  };
}

/**
 * Who wrote the losing value, when the row itself does not say: an overwritten value was written by
 * the change before it, and an edit already held when a deletion arrived (its old and new value the
 * same) by whoever made that edit. Null when the row's own author wrote it.
 */
function otherSetterLookup(row: CandidateRow, kind: ConflictKind): SetterLookup | null {
  const heldEditFlagged =
    kind === 'after-delete' && JSON.stringify(row.old_value) === JSON.stringify(row.new_value);
  if (!(row.outcome === 'applied' || heldEditFlagged)) return null;
  return {
    entityType: row.entity_type,
    entityId: row.entity_id,
    mode: 'value',
    field: row.field,
    beforeId: row.id,
  };
}

// ---- Resolving ----

export type ConflictResolutionPlan =
  | { kind: 'planned'; change: RecordChange | null }
  | { kind: 'not-found' }
  | { kind: 'already-resolved' }
  | { kind: 'refused'; status: 403 | 409; reason: string; message: string };

/**
 * Checks a coordinator's decision on one conflict and plans what restoring writes, in the caller's
 * transaction, with the organisation's row locked until it ends (so no push lands between reading the
 * record and writing the restored value): apply the change with applyServerChanges and then
 * recordConflictResolution in the same transaction. Another organisation's row, or a row that is no
 * conflict, is not found.
 */
export async function planConflictResolution(
  sql: Sql,
  request: {
    organisationId: string;
    historyId: number;
    decision: ConflictDecision;
    viewer: Viewer;
    now: string;
  },
): Promise<ConflictResolutionPlan> {
  const { organisationId, historyId } = request;
  await sql.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
  const found = await sql.query<{
    entity_type: string;
    entity_id: string;
    field: string | null;
    old_value: unknown;
    new_value: unknown;
    outcome: string;
    concurrent: boolean;
    resolved: boolean;
  }>(
    `SELECT h.entity_type, h.entity_id, h.field, h.old_value, h.new_value, h.outcome, h.concurrent,
            EXISTS (SELECT 1 FROM conflict_resolutions c WHERE c.history_id = h.id) AS resolved
     FROM change_history h WHERE h.id = $2 AND h.organisation_id = $1`,
    [organisationId, historyId],
  );
  const row = found.rows[0];
  if (!row) return { kind: 'not-found' };
  const kind = conflictKindOf(row);
  const losingValue = losingValueOf({
    outcome: row.outcome,
    oldValue: row.old_value,
    newValue: row.new_value,
  });
  if (kind === null || losingValue === null || losingValue === undefined) return { kind: 'not-found' };
  if (row.resolved) return { kind: 'already-resolved' };
  if (request.decision === 'keep-current') return { kind: 'planned', change: null };

  if (isSpecialCategoryField(row.entity_type, row.field) && !request.viewer.maySeeSpecialCategory) {
    return {
      kind: 'refused',
      status: 403,
      reason: 'special-category-hidden',
      message: 'You do not have permission to see equality answers, so you cannot restore one.',
    };
  }
  const target = await readTargetRecord(sql, organisationId, row, kind);
  const planned = restoreFieldsOf(
    { kind, field: row.field ?? '*', losingValue },
    target?.record ?? null,
    request.now,
  );
  if ('refusal' in planned)
    return { kind: 'refused', status: 409, reason: planned.refusal, message: planned.message };
  const entityType = target!.entityType as EntityType;
  const schema = RECORD_SCHEMAS[entityType];
  if (!schema || !schema.safeParse({ ...target!.record.data, ...planned.fields }).success) {
    return {
      kind: 'refused',
      status: 409,
      reason: 'cannot-restore',
      message: 'The other value is no longer valid for this record, so it cannot be restored.',
    };
  }
  return { kind: 'planned', change: { entityType, entityId: target!.entityId, fields: planned.fields } };
}

/** The record a restore writes to: the row's own, or the record holding a refused mark's session and learner. */
async function readTargetRecord(
  sql: Sql,
  organisationId: string,
  row: { entity_type: string; entity_id: string; new_value: unknown },
  kind: ConflictKind,
): Promise<{
  entityType: string;
  entityId: string;
  record: { data: Record<string, unknown>; deleted: boolean };
} | null> {
  const refused = (kind === 'duplicate-attendance' ? row.new_value : null) as Record<string, unknown> | null;
  const { rows } = await sql.query<{
    entity_type: string;
    entity_id: string;
    data: Record<string, unknown>;
    deleted: boolean;
  }>(
    kind === 'duplicate-attendance'
      ? `SELECT entity_type, entity_id, data, deleted FROM records
         WHERE organisation_id = $1 AND entity_type = 'attendance'
           AND data->>'sessionId' = $2 AND data->>'learnerId' = $3`
      : `SELECT entity_type, entity_id, data, deleted FROM records
         WHERE organisation_id = $1 AND entity_type = $2 AND entity_id = $3::uuid`,
    kind === 'duplicate-attendance'
      ? [organisationId, String(refused?.['sessionId'] ?? ''), String(refused?.['learnerId'] ?? '')]
      : [organisationId, row.entity_type, row.entity_id],
  );
  const record = rows[0];
  if (!record) return null;
  return {
    entityType: record.entity_type,
    entityId: record.entity_id,
    record: { data: record.data, deleted: record.deleted },
  };
}

/** Records the decision; false when another request recorded one first (nothing is then written). */
export async function recordConflictResolution(
  sql: Sql,
  decision: { organisationId: string; historyId: number; decision: ConflictDecision; userId: string },
): Promise<{ resolvedAt: string } | null> {
  const { rows } = await sql.query<{ resolved_at: Date | string }>(
    `INSERT INTO conflict_resolutions (history_id, organisation_id, decision, resolved_by)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (history_id) DO NOTHING
     RETURNING resolved_at`,
    [decision.historyId, decision.organisationId, decision.decision, decision.userId],
  );
  const row = rows[0];
  return row ? { resolvedAt: new Date(row.resolved_at).toISOString() } : null;
}
