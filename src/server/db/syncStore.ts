// The SQL of sync: applying a device's push in one transaction, pages of changes for a pull, and the
// per-table checksums. The rules (who wins a field, what a tombstone refuses) live in src/domain.
import { createHash } from 'node:crypto';
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
  type PulledRecord,
  type PushResponse,
  type SyncedEntityType,
  SYNCED_ENTITY_TYPES,
  isServerOwned,
} from '../../domain/sync/protocol';
import { nextChangeSeq } from './changeSeq';
import { markConcurrentOverwrites } from './conflicts';
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
  const newLast = Math.max(lastApplied, ...mutations.map((mutation) => mutation.mutationId));
  // The device's position and health, known already (the device's row is locked above). Written
  // before the organisation's lock, with the statement that takes it when there is one, so the
  // pushes queued on that lock wait a statement less each.
  const deviceUpdate = {
    sql: `UPDATE devices SET last_mutation_id = $2, last_seen_at = now(), app_version = $3, health = $4::jsonb
          WHERE id = $1`,
    params: [context.deviceId, newLast, context.appVersion, JSON.stringify(health)],
  };

  if (fresh.length > 0) {
    // Locks the organisation's row until commit: pushes to one organisation take turns, so change
    // sequence numbers become visible in order and a pull can never step over one. Everything below
    // runs under the lock, so it is kept to as few statements as it can be.
    const organisation = await sql.query<{ change_seq: number | string }>(
      `WITH device AS (${deviceUpdate.sql})
       SELECT change_seq FROM organisations WHERE id = $5 FOR UPDATE`,
      [...deviceUpdate.params, context.organisationId],
    );
    let changeSeq = Number(organisation.rows[0]?.change_seq ?? 0);
    // Read under the organisation's lock, so no other push changes the scope meanwhile.
    const scope = await loadViewScope(sql, context.organisationId, context.viewer);
    const { held, attendanceOwners } = await loadHeldAndOwners(sql, context.organisationId, fresh);
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
    // Records, history, refusals and the organisation's sequence number, in one statement.
    await writeChanges(sql, context, [...changed.values()], history, {
      changeSeq,
      rejected: rejected.map((r) => ({ mutation_id: r.mutationId, reason: `${r.reason}: ${r.message}` })),
    });
    // Priority areas: a learner's flag is decided the first time the server holds their postcode.
    await decideLearnerPriorityAreas(sql, context.organisationId, [...changed.values()]);
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
  } else {
    await sql.query(deviceUpdate.sql, deviceUpdate.params);
  }
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
  return new Map(rows.rows.map((row) => [keyOf(row.entity_type, row.entity_id), heldRecordOf(row)]));
}

/**
 * The records a push's changes name (loadHeld), and which attendance record holds each (session,
 * learner) pair its attendance changes name, in one statement.
 */
async function loadHeldAndOwners(
  sql: Sql,
  organisationId: string,
  mutations: ReceivedMutation[],
): Promise<{ held: Map<string, HeldRecord>; attendanceOwners: Map<string, string> }> {
  const keys = [...new Set(mutations.map((mutation) => keyOf(mutation.entityType, mutation.entityId)))];
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
  const rows = await sql.query<HeldRow & { owned_pair: string | null }>(
    `SELECT r.entity_type, r.entity_id, r.data, r.field_hlcs, r.deleted, r.deleted_hlc, NULL AS owned_pair
     FROM records r
     JOIN unnest($2::text[], $3::uuid[]) AS k(entity_type, entity_id)
       ON r.entity_type = k.entity_type AND r.entity_id = k.entity_id
     WHERE r.organisation_id = $1
     UNION ALL
     SELECT NULL, r.entity_id, NULL, NULL, NULL, NULL, (r.data->>'sessionId') || '|' || (r.data->>'learnerId')
     FROM records r
     JOIN unnest($4::text[], $5::text[]) AS k(session_id, learner_id)
       ON r.data->>'sessionId' = k.session_id AND r.data->>'learnerId' = k.learner_id
     WHERE r.organisation_id = $1 AND r.entity_type = 'attendance'`,
    [
      organisationId,
      keys.map((key) => key.split('/')[0]),
      keys.map((key) => key.split('/')[1]),
      pairs.map((pair) => pair.sessionId),
      pairs.map((pair) => pair.learnerId),
    ],
  );
  const held = new Map<string, HeldRecord>();
  const attendanceOwners = new Map<string, string>();
  for (const row of rows.rows) {
    if (row.owned_pair !== null) attendanceOwners.set(row.owned_pair, row.entity_id);
    else held.set(keyOf(row.entity_type, row.entity_id), heldRecordOf(row));
  }
  return { held, attendanceOwners };
}

function heldRecordOf(row: HeldRow): HeldRecord {
  return { data: row.data, fieldHlcs: row.field_hlcs, deleted: row.deleted, deletedHlc: row.deleted_hlc };
}

/** Who wrote changes: a device's push, or the server itself (no device; a user when one asked for it). */
type ChangeAuthor = { organisationId: string; userId: string | null; deviceId: string | null };

/**
 * Writes records and history lines, and for a push its refused changes and the organisation's last
 * sequence number (`changeSeq`), all in one statement: under the organisation's lock, each statement
 * saved is time every push queued on it waits less.
 */
async function writeChanges(
  sql: Sql,
  author: ChangeAuthor,
  records: (HeldRecord & { entityType: string; entityId: string; changeSeq: number })[],
  history: HistoryRow[],
  push?: { changeSeq: number; rejected: { mutation_id: number; reason: string }[] },
): Promise<void> {
  const parts: string[] = [];
  const params: unknown[] = [author.organisationId];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  // Numbered when first used: PostgreSQL refuses a parameter the statement does not use.
  let user: string | undefined;
  let device: string | undefined;
  const userParam = () => (user ??= param(author.userId));
  const deviceParam = () => (device ??= param(author.deviceId));
  if (records.length > 0) {
    const rows = records.map((record) => ({
      entity_type: record.entityType,
      entity_id: record.entityId,
      data: record.data,
      field_hlcs: record.fieldHlcs,
      deleted: record.deleted,
      deleted_hlc: record.deletedHlc,
      change_seq: record.changeSeq,
    }));
    parts.push(
      `INSERT INTO records (organisation_id, entity_type, entity_id, data, field_hlcs, deleted, deleted_hlc,
                            change_seq, created_by_user, created_by_device)
       SELECT $1, r.entity_type, r.entity_id, r.data, r.field_hlcs, r.deleted, r.deleted_hlc, r.change_seq,
              ${userParam()}::uuid, ${deviceParam()}::uuid
       FROM jsonb_to_recordset(${param(JSON.stringify(rows))}::jsonb)
         AS r(entity_type text, entity_id uuid, data jsonb, field_hlcs jsonb, deleted boolean, deleted_hlc text,
              change_seq bigint)
       ON CONFLICT (organisation_id, entity_type, entity_id) DO UPDATE SET
         data = excluded.data, field_hlcs = excluded.field_hlcs, deleted = excluded.deleted,
         deleted_hlc = excluded.deleted_hlc, change_seq = excluded.change_seq, received_at = now()`,
    );
  }
  if (history.length > 0) {
    parts.push(
      `INSERT INTO change_history (organisation_id, entity_type, entity_id, field, old_value, new_value, hlc,
                                   outcome, user_id, device_id, mutation_id, change_seq, concurrent)
       SELECT $1, h.entity_type, h.entity_id, h.field, h.old_value, h.new_value, h.hlc, h.outcome,
              ${userParam()}::uuid, ${deviceParam()}::uuid,
              h.mutation_id, h.change_seq, COALESCE(h.concurrent, false)
       FROM jsonb_to_recordset(${param(JSON.stringify(history))}::jsonb)
         AS h(entity_type text, entity_id uuid, field text, old_value jsonb, new_value jsonb, hlc text,
              outcome text, mutation_id bigint, change_seq bigint, concurrent boolean)`,
    );
  }
  if (push && push.rejected.length > 0) {
    parts.push(
      `INSERT INTO mutation_results (device_id, mutation_id, status, reason)
       SELECT ${deviceParam()}::uuid, r.mutation_id, 'rejected', r.reason
       FROM jsonb_to_recordset(${param(JSON.stringify(push.rejected))}::jsonb) AS r(mutation_id bigint, reason text)`,
    );
  }
  if (push) {
    parts.push(`UPDATE organisations SET change_seq = ${param(push.changeSeq)} WHERE id = $1`);
  }
  if (parts.length === 0) return;
  // Each write a data-modifying WITH query: all of them run, once, whatever the final SELECT reads.
  await sql.query(
    `WITH ${parts.map((part, index) => `write_${index} AS (${part})`).join(',\n')} SELECT 1 AS written`,
    params,
  );
}

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
   * The device the page goes to (its Outreach-Device-Id header): nothing is sent to it when it is one
   * of the organisation's devices marked lost; otherwise its pull position and the special category
   * access log name it, if it is one of the organisation's devices.
   */
  deviceId?: string | null;
};

/** A row of a pull's statement: the page's outcome, and one of its records (none when it is empty). */
type PulledRow = {
  /** The device is one of the organisation's and marked lost: nothing was read or recorded. */
  lost: boolean;
  has_more: boolean;
  next_cursor: number | string;
  /** Null in the one row of an empty page. */
  entity_type: SyncedEntityType | null;
  /** The record as the page sends it: a PulledRecord's JSON text, written by PostgreSQL. */
  record_json: string;
  change_seq: number | string;
};

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * One page of the records in the viewer's scope changed after the cursor, in change-sequence
 * (= commit) order, as the JSON text of a PullResponse; null, having read and recorded nothing, when
 * the request's device is one of the organisation's and marked lost.
 *
 * One statement does the whole pull, so a page costs one round trip and needs no transaction. Its
 * single snapshot sees the organisation's latest change sequence number together with every record
 * numbered up to it (numbers are taken under the organisation's lock and commit with their records),
 * which the last page's cursor relies on. It also records the device's pull position (conflicts.ts:
 * how far it has pulled; not for a one-table repair) and logs each equality record sent unredacted.
 * PostgreSQL writes each record's JSON text, its jsonb spliced in as stored, and the page is those
 * texts joined: a page of a thousand records is never parsed and serialised again on its way through,
 * and the server's one thread builds no text per record. Only equality records the viewer may not
 * read are parsed, to redact them.
 */
export async function pullPageJson(sql: Sql, request: PullRequest): Promise<string | null> {
  const { organisationId, viewer, cursor, limit, entityType } = request;
  const deviceId = request.deviceId && UUID_TEXT.test(request.deviceId) ? request.deviceId : null;
  const inScope = scopeCondition(request.scope, 7);
  const { rows } = await sql.query<PulledRow>(
    `WITH device AS (
       SELECT id, lost_at IS NOT NULL AS lost FROM devices WHERE organisation_id = $1 AND id = $5::uuid
     ),
     lost AS (SELECT coalesce((SELECT lost FROM device), false) AS lost),
     -- The page and one more (is there more?).
     candidates AS (
       SELECT entity_type, entity_id, data::text AS data_json, deleted, change_seq,
              latest_hlc AS hlc,
              CASE WHEN entity_type = 'equalityMonitoring' THEN data->>'learnerId' END AS equality_learner,
              row_number() OVER (ORDER BY change_seq) <= $3 AS on_page
       FROM records
       WHERE organisation_id = $1 AND change_seq > $2 AND ($4::text IS NULL OR entity_type = $4)
         AND NOT (SELECT lost FROM lost) AND ${inScope.condition}
       ORDER BY change_seq LIMIT $3 + 1
     ),
     answer AS (
       SELECT count(*) > $3 AS has_more, max(change_seq) FILTER (WHERE on_page) AS last_sent FROM candidates
     ),
     -- The last page moves the cursor past the changes the scope left out too (and past changes to
     -- other types, for a pull of one type), so the device's cursor can match the checksums' cursor.
     position AS (
       SELECT has_more, CASE WHEN has_more THEN last_sent
         ELSE greatest(coalesce(last_sent, $2), (SELECT change_seq FROM organisations WHERE id = $1)) END AS next_cursor
       FROM answer
     ),
     pulled_to AS (
       UPDATE devices SET last_pulled_seq = (SELECT next_cursor FROM position)
       WHERE id = (SELECT id FROM device) AND $4::text IS NULL AND NOT (SELECT lost FROM lost)
     ),
     special_category_sent AS (
       INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
       SELECT $1, equality_learner::uuid, $6, (SELECT id FROM device), 'received-on-device'
       FROM candidates
       WHERE ${needsRedaction(viewer, 'equalityMonitoring') ? 'false' : 'true'} AND on_page
         AND equality_learner ~* '${UUID_TEXT.source}'
     )
     -- Every part of record_json is NOT NULL (the hlc is coalesced): a NULL part would null the text.
     SELECT (SELECT lost FROM lost) AS lost, p.has_more, p.next_cursor, c.entity_type, c.change_seq,
            '{"entityType":' || to_json(c.entity_type)::text || ',"entityId":"' || c.entity_id ||
            '","data":' || c.data_json || ',"hlc":' || to_json(coalesce(c.hlc, ''))::text ||
            ',"deleted":' || c.deleted || ',"changeSeq":' || c.change_seq || '}' AS record_json
     FROM position p LEFT JOIN candidates c ON c.on_page`,
    [organisationId, cursor, limit, entityType ?? null, deviceId, viewer.userId, ...inScope.params],
  );
  const outcome = rows[0];
  if (!outcome || outcome.lost) return null;
  // In change-sequence order: sorted here, where it costs nothing (they come in order), not there.
  const page = rows.filter(
    (row): row is PulledRow & { entity_type: SyncedEntityType } => row.entity_type !== null,
  );
  page.sort((a, b) => Number(a.change_seq) - Number(b.change_seq));
  const records = page.map((row) => {
    if (!needsRedaction(viewer, row.entity_type)) return row.record_json;
    const record = JSON.parse(row.record_json) as PulledRecord;
    return JSON.stringify({ ...record, data: redactForViewer(viewer, row.entity_type, record.data) });
  });
  return (
    `{"records":[${records.join(',')}],"cursor":${Number(outcome.next_cursor)},` +
    `"hasMore":${outcome.has_more},"scope":${JSON.stringify(request.scopeFingerprint)}}`
  );
}

/** One page of records changed after the cursor (pullPageJson, parsed); throws for a lost device. */
export async function pullPage(sql: Sql, request: PullRequest): Promise<PullResponse> {
  const page = await pullPageJson(sql, request);
  if (page === null) throw new Error('The device is marked lost: it is sent nothing.');
  return JSON.parse(page) as PullResponse;
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
    // node:crypto's SHA-256 is native: a checksum request hashes every record the viewer may see.
    const checksum = createTableChecksum(() => createHash('sha256'));
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
  const first = records.length > 0 ? await nextChangeSeq(sql, author.organisationId, records.length) : 0;
  // When each value arrived, for telling a later push's concurrent overwrite (conflicts.ts).
  const seqOf = new Map(
    records.map((record, index) => [keyOf(record.entityType, record.entityId), first + index]),
  );
  if (records.length > 0) {
    for (const row of history) row.change_seq = seqOf.get(keyOf(row.entity_type, row.entity_id)) ?? null;
  }
  await writeChanges(
    sql,
    writer,
    records.map((record, index) => ({ ...record, changeSeq: first + index })),
    history,
  );
}
