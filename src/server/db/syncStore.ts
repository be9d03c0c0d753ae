// The SQL of sync: applying a device's push in one transaction, pages of changes for a pull, and the
// per-table checksums. The rules (who wins a field, what a tombstone refuses) live in src/domain.
import {
  type ViewScope,
  type Viewer,
  needsRedaction,
  redactForViewer,
  refuseChange,
  widenScope,
} from '../../domain/access';
import { RECORD_SCHEMAS, type EntityType } from '../../domain/records';
import {
  type HeldRecord,
  type HistoryEntry,
  latestHlc,
  mergeChange,
  mergeRulesFor,
} from '../../domain/sync/merge';
import { type HlcState, formatHlc, parseHlc, tickHlc } from '../../domain/hlc';
import type { RecordChange } from '../../domain/learnerMerge';
import { createTableChecksum } from '../../domain/sync/checksum';
import {
  type ChecksumsResponse,
  type DeviceHealth,
  type Mutation,
  type MutationResult,
  type PullResponse,
  type PushResponse,
  type SyncedEntityType,
  SYNCED_ENTITY_TYPES,
  isServerOwned,
} from '../../domain/sync/protocol';
import { nextChangeSeq } from './changeSeq';
import { markConcurrentOverwrites, recordPullPosition } from './conflicts';
import type { Sql } from './database';
import { guardErasedLearner, loadErasedLearners } from './erasedLearners';
import { planMovesForMergedLearners } from './learnerMerge';
import { decideLearnerPriorityAreas } from './priorityAreas';
import { loadViewScope, scopeCondition } from './scope';

export type PushContext = {
  organisationId: string;
  userId: string;
  /** Who is pushing, for the access rules: a tutor's changes must stay within their scope. */
  viewer: Viewer;
  deviceId: string;
  appVersion: string;
  nowMillis: number;
};

/** What every change carries in the clear, sealed or not: which record, which op, a stamp per field. */
type MutationHeader = Omit<Mutation, 'fields' | 'sealed'>;

/** A change with its fields in the clear: pushed so, or opened from `sealed` by the push route. */
export type PlainMutation = MutationHeader & { fields: Record<string, unknown> };

/**
 * A sealed change that did not open (altered, or sealed with another key): refused `unreadable` in
 * its place among the push's changes, like any other refused change. Holds why, in plain words.
 */
export type UnreadableMutation = MutationHeader & { unreadable: string };

/** A change as the store receives it: the push route has opened every sealed one it could. */
export type ReceivedMutation = PlainMutation | UnreadableMutation;

/** Why a whole push is refused; nothing of it is applied. */
export class PushRefusal extends Error {
  constructor(
    readonly reason: 'device-unknown' | 'mutation-gap',
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'PushRefusal';
  }
}

type HeldRow = {
  entity_type: string;
  entity_id: string;
  data: Record<string, unknown>;
  field_hlcs: Record<string, string>;
  deleted: boolean;
  deleted_hlc: string | null;
};

type HistoryRow = {
  entity_type: string;
  entity_id: string;
  field: string;
  old_value: unknown;
  new_value: unknown;
  hlc: string;
  outcome: string;
  /** Null for a change the server made itself. */
  mutation_id: number | null;
  /** The change sequence number the record took with this change (conflicts: when a value arrived). */
  change_seq?: number | null;
  /** Overwrote a value the pushing device had not pulled (src/server/db/conflicts.ts). */
  concurrent?: boolean;
};

const keyOf = (entityType: string, entityId: string) => `${entityType}/${entityId}`;

/**
 * Applies a push in the caller's transaction: skips mutations already applied (answering their stored
 * result), merges the rest field by field, and records results, history, the device's position and
 * its health, all or nothing.
 */
export async function applyPush(
  sql: Sql,
  context: PushContext,
  mutations: ReceivedMutation[],
  health: DeviceHealth,
): Promise<PushResponse> {
  const device = await sql.query<{ last_mutation_id: number | string }>(
    'SELECT last_mutation_id FROM devices WHERE id = $1 AND organisation_id = $2 FOR UPDATE',
    [context.deviceId, context.organisationId],
  );
  const deviceRow = device.rows[0];
  if (!deviceRow) {
    throw new PushRefusal(
      'device-unknown',
      'This device is not registered with your organisation. Sign in again.',
    );
  }
  const lastApplied = Number(deviceRow.last_mutation_id);
  const first = mutations[0];
  if (first && first.mutationId > lastApplied + 1) {
    throw new PushRefusal(
      'mutation-gap',
      `Changes are missing: the server expected change ${lastApplied + 1} but got ${first.mutationId} first.`,
      { expectedMutationId: lastApplied + 1 },
    );
  }

  const replayed = mutations.filter((mutation) => mutation.mutationId <= lastApplied);
  const fresh = mutations.filter((mutation) => mutation.mutationId > lastApplied);
  const results: MutationResult[] = await storedResults(sql, context.deviceId, replayed);

  if (fresh.length > 0) {
    // Locks the organisation's row until commit: pushes to one organisation take turns, so change
    // sequence numbers become visible in order and a pull can never step over one.
    const organisation = await sql.query<{ change_seq: number | string }>(
      'SELECT change_seq FROM organisations WHERE id = $1 FOR UPDATE',
      [context.organisationId],
    );
    let changeSeq = Number(organisation.rows[0]?.change_seq ?? 0);
    // Read under the organisation's lock, so no other push changes the scope meanwhile.
    const scope = await loadViewScope(sql, context.organisationId, context.viewer);
    const held = await loadHeld(sql, context.organisationId, fresh);
    const attendanceOwners = await loadAttendanceOwners(sql, context.organisationId, fresh);
    // Erasure is final: changes to an erased learner's records lose their personal fields.
    const erasedLearners = await loadErasedLearners(
      sql,
      context.organisationId,
      fresh.filter((mutation) => !('unreadable' in mutation)),
      (mutation) => held.get(keyOf(mutation.entityType, mutation.entityId))?.data,
    );
    const changed = new Map<
      string,
      HeldRecord & { entityType: string; entityId: string; changeSeq: number; isNew: boolean }
    >();
    const history: HistoryRow[] = [];
    const rejected: { mutationId: number; reason: string; message: string }[] = [];
    /** Records this push edited while they stayed tombstones (a merge may have made them so). */
    const editedTombstones = new Set<string>();

    for (const received of fresh) {
      const key = keyOf(received.entityType, received.entityId);
      const current = changed.get(key) ?? held.get(key);
      const guarded =
        'unreadable' in received ? null : guardErasedLearner(received, current?.data, erasedLearners);
      const mutation = guarded?.change ?? received;
      const outcome =
        'unreadable' in mutation
          ? reject('unreadable', mutation.unreadable)
          : guarded?.refusal
            ? reject('learner-erased', guarded.refusal)
            : decide(mutation, current, attendanceOwners, context.nowMillis, context.viewer, scope);
      const rows = outcome.history.map((entry) => historyRow(mutation, entry));
      history.push(...rows);
      if (outcome.kind === 'rejected') {
        rejected.push({ mutationId: mutation.mutationId, reason: outcome.reason, message: outcome.message });
        results.push({
          mutationId: mutation.mutationId,
          status: 'rejected',
          reason: outcome.reason,
          message: outcome.message,
        });
        if (outcome.reason !== 'record-deleted') history.push(rejectionRow(mutation, outcome.reason));
        continue;
      }
      results.push({ mutationId: mutation.mutationId, status: 'applied' });
      if (outcome.record?.deleted && mutation.op === 'put') editedTombstones.add(key);
      if (outcome.record) {
        widenScope(context.viewer, scope, mutation.entityType, mutation.entityId, outcome.record.data);
        changeSeq += 1;
        for (const row of rows) row.change_seq = changeSeq;
        changed.set(key, {
          ...outcome.record,
          entityType: mutation.entityType,
          entityId: mutation.entityId,
          changeSeq,
          isNew: !held.has(key),
        });
        if (mutation.entityType === 'attendance') {
          attendanceOwners.set(attendanceKey(outcome.record.data), mutation.entityId);
        }
      }
    }

    // Before the records are written: which overwrites replaced a value this device had not pulled.
    await markConcurrentOverwrites(sql, context, history);
    await writeRecords(sql, context, [...changed.values()]);
    // Priority areas: a learner's flag is decided the first time the server holds their postcode.
    await decideLearnerPriorityAreas(sql, context.organisationId, [...changed.values()]);
    await writeHistory(sql, context, history);
    if (rejected.length > 0) {
      await sql.query(
        `INSERT INTO mutation_results (device_id, mutation_id, status, reason)
         SELECT $1, r.mutation_id, 'rejected', r.reason
         FROM jsonb_to_recordset($2::jsonb) AS r(mutation_id bigint, reason text)`,
        [
          context.deviceId,
          JSON.stringify(
            rejected.map((r) => ({ mutation_id: r.mutationId, reason: `${r.reason}: ${r.message}` })),
          ),
        ],
      );
    }
    await sql.query('UPDATE organisations SET change_seq = $2 WHERE id = $1', [
      context.organisationId,
      changeSeq,
    ]);
    // A device offline during a merge may push records for the learner merged away: they move to the
    // record kept, the way the merge moved the others (src/server/db/learnerMerge.ts).
    const at = new Date(context.nowMillis).toISOString();
    const moves = await planMovesForMergedLearners(
      sql,
      context.organisationId,
      [...changed.values()].map((record) => ({
        ...record,
        editedWhileDeleted: editedTombstones.has(keyOf(record.entityType, record.entityId)),
      })),
      at,
    );
    await applyServerChanges(
      sql,
      { organisationId: context.organisationId, userId: null },
      context.nowMillis,
      moves,
    );
  }

  const newLast = Math.max(lastApplied, ...mutations.map((mutation) => mutation.mutationId));
  await sql.query(
    `UPDATE devices SET last_mutation_id = $2, last_seen_at = now(), app_version = $3, health = $4::jsonb
     WHERE id = $1`,
    [context.deviceId, newLast, context.appVersion, JSON.stringify(health)],
  );
  results.sort((a, b) => a.mutationId - b.mutationId);
  return { results, lastMutationId: newLast };
}

type Decision =
  | { kind: 'applied'; record: HeldRecord | null; history: HistoryEntry[] }
  | { kind: 'rejected'; reason: string; message: string; history: HistoryEntry[] };

function decide(
  mutation: PlainMutation,
  current: HeldRecord | undefined,
  attendanceOwners: Map<string, string>,
  nowMillis: number,
  viewer: Viewer,
  scope: ViewScope,
): Decision {
  if (isServerOwned(mutation.entityType)) {
    return reject('server-owned', `A ${mutation.entityType} is changed on the server only.`);
  }
  if ('id' in mutation.fields && mutation.fields['id'] !== mutation.entityId) {
    return reject('invalid-record', `The record's id does not match the change's entityId.`);
  }
  // Judged on what the change means to do, before merging: a change outside the pusher's scope is
  // refused the same way whether or not it would have won, so a refusal reveals nothing held.
  const refusal = refuseChange(viewer, scope, {
    entityType: mutation.entityType,
    entityId: mutation.entityId,
    before: current?.data,
    after: { ...current?.data, ...mutation.fields },
  });
  if (refusal) return reject(refusal.reason, refusal.message);
  const merged = mergeChange(current, mutation, nowMillis, mergeRulesFor(mutation.entityType));
  switch (merged.kind) {
    case 'refused':
      return reject(merged.reason, merged.message);
    case 'refused-after-delete':
      return {
        kind: 'rejected',
        reason: 'record-deleted',
        message:
          'This record was deleted on another device. The change is kept in its history for a coordinator.',
        history: merged.history,
      };
    case 'unchanged':
      return { kind: 'applied', record: null, history: merged.history };
    case 'changed': {
      const entityType = mutation.entityType as EntityType;
      if (!merged.record.deleted) {
        const parsed = RECORD_SCHEMAS[entityType].safeParse(merged.record.data);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          const where = issue?.path.length ? `${entityType}.${issue.path.join('.')}` : entityType;
          return reject('invalid-record', `${where}: ${issue?.message ?? 'is not valid'}`);
        }
        if (entityType === 'attendance') {
          const owner = attendanceOwners.get(attendanceKey(merged.record.data));
          if (owner !== undefined && owner !== mutation.entityId) {
            return reject(
              'duplicate-attendance',
              'This learner already has a mark for this session under another record.',
            );
          }
        }
      }
      return { kind: 'applied', record: merged.record, history: merged.history };
    }
  }
}

function reject(reason: string, message: string): Decision {
  return { kind: 'rejected', reason, message, history: [] };
}

function attendanceKey(data: Record<string, unknown>): string {
  return `${String(data['sessionId'])}|${String(data['learnerId'])}`;
}

function historyRow(mutation: MutationHeader, entry: HistoryEntry): HistoryRow {
  return {
    entity_type: mutation.entityType,
    entity_id: mutation.entityId,
    field: entry.field,
    old_value: entry.oldValue ?? null,
    new_value: entry.newValue ?? null,
    hlc: entry.hlc,
    outcome: entry.outcome,
    mutation_id: mutation.mutationId,
  };
}

/**
 * A refused change is history too: who tried to set what, and why it was refused (what an unreadable
 * change set is not known).
 */
function rejectionRow(mutation: ReceivedMutation, reason: string): HistoryRow {
  return {
    entity_type: mutation.entityType,
    entity_id: mutation.entityId,
    field: '*',
    old_value: null,
    new_value: 'unreadable' in mutation ? null : mutation.fields,
    hlc: Object.values(mutation.hlc)[0] ?? '',
    outcome: `rejected:${reason}`,
    mutation_id: mutation.mutationId,
  };
}

async function storedResults(
  sql: Sql,
  deviceId: string,
  replayed: ReceivedMutation[],
): Promise<MutationResult[]> {
  if (replayed.length === 0) return [];
  const ids = replayed.map((mutation) => mutation.mutationId);
  const stored = await sql.query<{ mutation_id: number | string; reason: string | null }>(
    `SELECT mutation_id, reason FROM mutation_results
     WHERE device_id = $1 AND mutation_id = ANY($2::bigint[]) AND status = 'rejected'`,
    [deviceId, ids],
  );
  const rejectedById = new Map(stored.rows.map((row) => [Number(row.mutation_id), row.reason ?? '']));
  return ids.map((mutationId) => {
    const stored = rejectedById.get(mutationId);
    if (stored === undefined) return { mutationId, status: 'applied' as const };
    const [reason = 'rejected', ...message] = stored.split(': ');
    return { mutationId, status: 'rejected' as const, reason, message: message.join(': ') };
  });
}

async function loadHeld(
  sql: Sql,
  organisationId: string,
  mutations: readonly { entityType: string; entityId: string }[],
): Promise<Map<string, HeldRecord>> {
  const keys = [...new Set(mutations.map((mutation) => keyOf(mutation.entityType, mutation.entityId)))];
  const rows = await sql.query<HeldRow>(
    `SELECT r.entity_type, r.entity_id, r.data, r.field_hlcs, r.deleted, r.deleted_hlc
     FROM records r
     JOIN unnest($2::text[], $3::uuid[]) AS k(entity_type, entity_id)
       ON r.entity_type = k.entity_type AND r.entity_id = k.entity_id
     WHERE r.organisation_id = $1`,
    [organisationId, keys.map((key) => key.split('/')[0]), keys.map((key) => key.split('/')[1])],
  );
  return new Map(
    rows.rows.map((row) => [
      keyOf(row.entity_type, row.entity_id),
      { data: row.data, fieldHlcs: row.field_hlcs, deleted: row.deleted, deletedHlc: row.deleted_hlc },
    ]),
  );
}

/** Which attendance record holds each (session, learner) pair this push touches. */
async function loadAttendanceOwners(
  sql: Sql,
  organisationId: string,
  mutations: ReceivedMutation[],
): Promise<Map<string, string>> {
  const pairs = mutations
    .filter(
      (mutation): mutation is PlainMutation =>
        !('unreadable' in mutation) &&
        mutation.entityType === 'attendance' &&
        typeof mutation.fields['sessionId'] === 'string',
    )
    .map((mutation) => ({
      sessionId: String(mutation.fields['sessionId']),
      learnerId: String(mutation.fields['learnerId']),
    }));
  if (pairs.length === 0) return new Map();
  const rows = await sql.query<{ entity_id: string; session_id: string; learner_id: string }>(
    `SELECT r.entity_id, r.data->>'sessionId' AS session_id, r.data->>'learnerId' AS learner_id
     FROM records r
     JOIN unnest($2::text[], $3::text[]) AS k(session_id, learner_id)
       ON r.data->>'sessionId' = k.session_id AND r.data->>'learnerId' = k.learner_id
     WHERE r.organisation_id = $1 AND r.entity_type = 'attendance'`,
    [organisationId, pairs.map((pair) => pair.sessionId), pairs.map((pair) => pair.learnerId)],
  );
  return new Map(rows.rows.map((row) => [`${row.session_id}|${row.learner_id}`, row.entity_id]));
}

/** Who wrote changes: a device's push, or the server itself (no device; a user when one asked for it). */
type ChangeAuthor = { organisationId: string; userId: string | null; deviceId: string | null };

async function writeRecords(
  sql: Sql,
  context: ChangeAuthor,
  records: (HeldRecord & { entityType: string; entityId: string; changeSeq: number })[],
): Promise<void> {
  if (records.length === 0) return;
  await sql.query(
    `INSERT INTO records (organisation_id, entity_type, entity_id, data, field_hlcs, deleted, deleted_hlc,
                          change_seq, created_by_user, created_by_device)
     SELECT $1, r.entity_type, r.entity_id, r.data, r.field_hlcs, r.deleted, r.deleted_hlc, r.change_seq, $2, $3
     FROM jsonb_to_recordset($4::jsonb) AS r(entity_type text, entity_id uuid, data jsonb, field_hlcs jsonb,
                                               deleted boolean, deleted_hlc text, change_seq bigint)
     ON CONFLICT (organisation_id, entity_type, entity_id) DO UPDATE SET
       data = excluded.data, field_hlcs = excluded.field_hlcs, deleted = excluded.deleted,
       deleted_hlc = excluded.deleted_hlc, change_seq = excluded.change_seq, received_at = now()`,
    [
      context.organisationId,
      context.userId,
      context.deviceId,
      JSON.stringify(
        records.map((record) => ({
          entity_type: record.entityType,
          entity_id: record.entityId,
          data: record.data,
          field_hlcs: record.fieldHlcs,
          deleted: record.deleted,
          deleted_hlc: record.deletedHlc,
          change_seq: record.changeSeq,
        })),
      ),
    ],
  );
}

async function writeHistory(sql: Sql, context: ChangeAuthor, history: HistoryRow[]): Promise<void> {
  if (history.length === 0) return;
  await sql.query(
    `INSERT INTO change_history (organisation_id, entity_type, entity_id, field, old_value, new_value, hlc,
                                 outcome, user_id, device_id, mutation_id, change_seq, concurrent)
     SELECT $1, h.entity_type, h.entity_id, h.field, h.old_value, h.new_value, h.hlc, h.outcome, $2, $3, h.mutation_id,
            h.change_seq, COALESCE(h.concurrent, false)
     FROM jsonb_to_recordset($4::jsonb) AS h(entity_type text, entity_id uuid, field text, old_value jsonb,
                                            new_value jsonb, hlc text, outcome text, mutation_id bigint,
                                            change_seq bigint, concurrent boolean)`,
    [context.organisationId, context.userId, context.deviceId, JSON.stringify(history)],
  );
}

type PulledRow = {
  entity_type: SyncedEntityType;
  entity_id: string;
  data_json: string;
  hlc: string | null;
  deleted: boolean;
  change_seq: number | string;
  /** An equality record's learner (null for other types). */
  learner_id: string | null;
};

/**
 * One page of records changed after the cursor, in change-sequence (= commit) order, as the JSON
 * text of a PullResponse. The records' jsonb is spliced in as PostgreSQL writes it, so a page of a
 * thousand records is never parsed and serialised again on its way through.
 */
export type PullRequest = {
  organisationId: string;
  viewer: Viewer;
  scope: ViewScope;
  /** scopeFingerprint(viewer, scope), sent with the page. */
  scopeFingerprint: string;
  cursor: number;
  limit: number;
  entityType?: SyncedEntityType;
  /**
   * The device the page goes to (its Outreach-Device-Id header), for the special category access
   * log; kept only if it is one of the organisation's devices.
   */
  deviceId?: string | null;
};

/**
 * One page of the records in the viewer's scope changed after the cursor, in change-sequence
 * (= commit) order, as the JSON text of a PullResponse. The records' jsonb is spliced in as
 * PostgreSQL writes it, so a page of a thousand records is never parsed and serialised again on
 * its way through; only equality records the viewer may not read are parsed, to redact them.
 */
export async function pullPageJson(sql: Sql, request: PullRequest): Promise<string> {
  const { organisationId, viewer, cursor, limit, entityType } = request;
  const inScope = scopeCondition(request.scope, 5);
  // Read first: every change numbered up to it committed before the page is read (numbers are taken
  // under the organisation's lock and committed in order), so the page sees all of them.
  const organisation = await sql.query<{ change_seq: number | string }>(
    'SELECT change_seq FROM organisations WHERE id = $1',
    [organisationId],
  );
  const committedSeq = Number(organisation.rows[0]?.change_seq ?? 0);
  const rows = await sql.query<PulledRow>(
    `SELECT entity_type, entity_id, data::text AS data_json, deleted, change_seq,
            (SELECT max(value) FROM jsonb_each_text(field_hlcs)) AS hlc,
            CASE WHEN entity_type = 'equalityMonitoring' THEN data->>'learnerId' END AS learner_id
     FROM records
     WHERE organisation_id = $1 AND change_seq > $2 AND ($4::text IS NULL OR entity_type = $4)
       AND ${inScope.condition}
     ORDER BY change_seq LIMIT $3`,
    [organisationId, cursor, limit + 1, entityType ?? null, ...inScope.params],
  );
  const page = rows.rows.slice(0, limit);
  await logSpecialCategoryReceived(sql, request, page);
  const records = page.map((row) => {
    const data = needsRedaction(viewer, row.entity_type)
      ? JSON.stringify(
          redactForViewer(viewer, row.entity_type, JSON.parse(row.data_json) as Record<string, unknown>),
        )
      : row.data_json;
    return (
      `{"entityType":${JSON.stringify(row.entity_type)},"entityId":"${row.entity_id}","data":${data},` +
      `"hlc":${JSON.stringify(row.hlc ?? '')},"deleted":${row.deleted},"changeSeq":${Number(row.change_seq)}}`
    );
  });
  const last = page.at(-1);
  const hasMore = rows.rows.length > limit;
  // The last page moves the cursor past the changes the scope left out too (and past changes to
  // other types, for a pull of one type), so the device's cursor can match the checksums' cursor.
  const lastSent = last ? Number(last.change_seq) : cursor;
  const nextCursor = hasMore ? lastSent : Math.max(lastSent, committedSeq);
  // How far the device has pulled, for telling concurrent overwrites (a one-table repair is not a pull).
  if (!entityType) await recordPullPosition(sql, { organisationId, deviceId: request.deviceId }, nextCursor);
  return (
    `{"records":[${records.join(',')}],"cursor":${nextCursor},"hasMore":${hasMore},` +
    `"scope":${JSON.stringify(request.scopeFingerprint)}}`
  );
}

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Logs that a page took a learner's special category answers to a device: one row per equality
 * record sent unredacted, in one statement, in the pull's transaction (no page, no log row). The
 * device is kept only if it is the organisation's (the header is the client's word).
 */
async function logSpecialCategoryReceived(sql: Sql, request: PullRequest, page: PulledRow[]): Promise<void> {
  if (needsRedaction(request.viewer, 'equalityMonitoring')) return;
  const learnerIds = page
    .filter((row) => row.entity_type === 'equalityMonitoring' && UUID_TEXT.test(row.learner_id ?? ''))
    .map((row) => row.learner_id!);
  if (learnerIds.length === 0) return;
  await sql.query(
    `INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
     SELECT $1, l.learner_id, $2,
            (SELECT id FROM devices WHERE organisation_id = $1 AND id = $3::uuid), 'received-on-device'
     FROM unnest($4::uuid[]) AS l(learner_id)`,
    [
      request.organisationId,
      request.viewer.userId,
      request.deviceId && UUID_TEXT.test(request.deviceId) ? request.deviceId : null,
      learnerIds,
    ],
  );
}

/** One page of records changed after the cursor (pullPageJson, parsed). */
export async function pullPage(sql: Sql, request: PullRequest): Promise<PullResponse> {
  return JSON.parse(await pullPageJson(sql, request)) as PullResponse;
}

const CHECKSUM_PAGE = 2000;

/**
 * Count and SHA-256 per table at one moment (the caller's transaction is REPEATABLE READ), read in
 * id order in pages so memory stays flat however large the organisation is.
 */
export async function tableChecksums(
  sql: Sql,
  organisationId: string,
  viewer: Viewer,
  scope: ViewScope,
): Promise<ChecksumsResponse> {
  const inScope = scopeCondition(scope, 6);
  const organisation = await sql.query<{ change_seq: number | string }>(
    'SELECT change_seq FROM organisations WHERE id = $1',
    [organisationId],
  );
  const tables: ChecksumsResponse['tables'] = {};
  for (const entityType of SYNCED_ENTITY_TYPES) {
    const checksum = createTableChecksum();
    let after = '00000000-0000-0000-0000-000000000000';
    let first = true;
    for (;;) {
      const rows = await sql.query<{ entity_id: string; data: Record<string, unknown> }>(
        `SELECT entity_id, data FROM records
         WHERE organisation_id = $1 AND entity_type = $2 AND ($5 OR entity_id > $3::uuid)
           AND ${inScope.condition}
         ORDER BY entity_id LIMIT $4`,
        [organisationId, entityType, after, CHECKSUM_PAGE, first, ...inScope.params],
      );
      for (const row of rows.rows) {
        checksum.add(row.entity_id, redactForViewer(viewer, entityType, row.data));
      }
      first = false;
      const last = rows.rows.at(-1);
      if (!last || rows.rows.length < CHECKSUM_PAGE) break;
      after = last.entity_id;
    }
    tables[entityType] = checksum.result();
  }
  return { cursor: Number(organisation.rows[0]?.change_seq ?? 0), tables };
}

/** The clock node of changes the server makes itself (devices' nodes come from their ids). */
const SERVER_CLOCK_NODE = '5e1f5e1f5e1f5e1f';

/**
 * Applies changes the server makes itself (a coordinator's merge, records moved after one), in the
 * caller's transaction, the way a push is applied: merged field by field (mergeChange), every change
 * in the history, each record changed given the organisation's next change sequence number so every
 * device pulls it. Every field is stamped once, after every stamp the records hold and the server's
 * clock, so the change wins over what is held and any later edit on a device wins over it.
 * `userId` is who asked for it, or null for the server on its own.
 */
export async function applyServerChanges(
  sql: Sql,
  author: { organisationId: string; userId: string | null },
  nowMillis: number,
  changes: readonly RecordChange[],
): Promise<void> {
  if (changes.length === 0) return;
  const held = await loadHeld(sql, author.organisationId, changes);
  const latest = latestHlc([...held.values()].flatMap((record) => Object.values(record.fieldHlcs)));
  const clock: HlcState = latest
    ? tickHlc({ ...parseHlc(latest), node: SERVER_CLOCK_NODE }, nowMillis)
    : { millis: nowMillis, counter: 0, node: SERVER_CLOCK_NODE };
  const stamp = formatHlc(clock);
  const changed = new Map<string, HeldRecord & { entityType: string; entityId: string }>();
  const history: HistoryRow[] = [];
  for (const change of changes) {
    const key = keyOf(change.entityType, change.entityId);
    const merged = mergeChange(
      changed.get(key) ?? held.get(key),
      {
        op: 'put',
        fields: change.fields,
        hlc: Object.fromEntries(Object.keys(change.fields).map((field) => [field, stamp])),
      },
      clock.millis,
      mergeRulesFor(change.entityType),
    );
    if (merged.kind === 'refused') throw new Error(`A server change was refused: ${merged.reason}`);
    for (const entry of merged.history) {
      history.push({
        entity_type: change.entityType,
        entity_id: change.entityId,
        field: entry.field,
        old_value: entry.oldValue ?? null,
        new_value: entry.newValue ?? null,
        hlc: entry.hlc,
        outcome: entry.outcome,
        mutation_id: null,
      });
    }
    if (merged.kind === 'changed') {
      changed.set(key, { ...merged.record, entityType: change.entityType, entityId: change.entityId });
    }
  }
  const records = [...changed.values()];
  const writer = { organisationId: author.organisationId, userId: author.userId, deviceId: null };
  if (records.length > 0) {
    const first = await nextChangeSeq(sql, author.organisationId, records.length);
    // When each value arrived, for telling a later push's concurrent overwrite (conflicts.ts).
    const seqOf = new Map(
      records.map((record, index) => [keyOf(record.entityType, record.entityId), first + index]),
    );
    for (const row of history) row.change_seq = seqOf.get(keyOf(row.entity_type, row.entity_id)) ?? null;
    await writeRecords(
      sql,
      writer,
      records.map((record, index) => ({ ...record, changeSeq: first + index })),
    );
  }
  await writeHistory(sql, writer, history);
}
