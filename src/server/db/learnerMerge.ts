// The SQL of duplicate learners: the candidates a coordinator reviews, the records a merge reads and
// plans from (src/domain/learnerMerge.ts holds the rules), the merge log, the pairs dismissed as two
// people, and the records a late push wrote for a learner merged away. The changes themselves are
// applied by applyServerChanges in syncStore.ts, like every other write to `records`.
import { ATTENDANCE_MARKS } from '../../domain/codeLists';
import { isAttendingMark } from '../../domain/attendance';
import {
  DUPLICATE_PAIR_LIMIT,
  type DuplicateCandidate,
  type DuplicateLearner,
  type DuplicatesAnswer,
  findDuplicatePairs,
} from '../../domain/duplicates';
import {
  LEARNER_RECORD_TYPES,
  NATURAL_KEYS,
  type LearnerMergePlan,
  type MergeRefusal,
  type MoveCounts,
  type RecordChange,
  type RelatedRecord,
  isLearnerRecordType,
  planLearnerMerge,
  planRecordMoves,
} from '../../domain/learnerMerge';
import type { Learner } from '../../domain/records';
import type { Sql } from './database';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Chains of merges (A into B, later B into C) are followed at most this far. */
const MAX_MERGE_CHAIN = 20;

type LearnerRow = { entity_id: string; data: Partial<Learner>; deleted: boolean };

type RelatedRow = { entity_type: string; entity_id: string; data: Record<string, unknown>; deleted: boolean };

/** Locks the organisation's row until commit: pushes wait, so none lands between reading and writing. */
async function lockOrganisation(sql: Sql, organisationId: string): Promise<void> {
  await sql.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [organisationId]);
}

/** The records of the given types whose learnerId is one of `learnerIds` (deleted ones too). */
async function loadRelated(
  sql: Sql,
  organisationId: string,
  learnerIds: readonly string[],
  entityTypes: readonly string[],
): Promise<RelatedRecord[]> {
  if (learnerIds.length === 0 || entityTypes.length === 0) return [];
  const { rows } = await sql.query<RelatedRow>(
    `SELECT entity_type, entity_id, data, deleted FROM records
     WHERE organisation_id = $1 AND data ? 'learnerId' AND data->>'learnerId' = ANY($2::text[])
       AND entity_type = ANY($3::text[])`,
    [organisationId, learnerIds, entityTypes],
  );
  return rows.flatMap((row) =>
    isLearnerRecordType(row.entity_type)
      ? [{ entityType: row.entity_type, entityId: row.entity_id, data: row.data, deleted: row.deleted }]
      : [],
  );
}

export type StoredMergePlan =
  | { kind: 'planned'; plan: LearnerMergePlan }
  | { kind: 'not-found' }
  | { kind: 'refused'; refusal: MergeRefusal };

/**
 * Reads the two learners and every record of theirs and plans merging `otherId` into `survivorId`,
 * in the caller's transaction, with the organisation locked until it ends (apply the plan in the
 * same transaction). A learner the organisation does not hold is not found, whoever else holds it.
 */
export async function planStoredMerge(
  sql: Sql,
  request: { organisationId: string; survivorId: string; otherId: string; at: string },
): Promise<StoredMergePlan> {
  const { organisationId, survivorId, otherId } = request;
  await lockOrganisation(sql, organisationId);
  const { rows } = await sql.query<LearnerRow>(
    `SELECT entity_id, data, deleted FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])`,
    [organisationId, [survivorId, otherId]],
  );
  const party = (learnerId: string) => {
    const row = rows.find((candidate) => candidate.entity_id === learnerId);
    if (!row) return null;
    return {
      organisationId,
      learner: {
        id: row.entity_id,
        deleted: row.deleted,
        status: row.data.status ?? 'active',
        mergedInto: row.data.mergedInto ?? null,
      },
    };
  };
  const survivor = party(survivorId);
  const other = party(otherId);
  if (!survivor || !other) return { kind: 'not-found' };
  const related = await loadRelated(sql, organisationId, [survivorId, otherId], LEARNER_RECORD_TYPES);
  const planned = planLearnerMerge(survivor, other, related, request.at);
  return planned.ok ? { kind: 'planned', plan: planned.plan } : { kind: 'refused', refusal: planned.refusal };
}

/** Logs a merge (ids and counts only). */
export async function recordLearnerMerge(
  sql: Sql,
  merge: {
    organisationId: string;
    survivorId: string;
    mergedId: string;
    mergedBy: string;
    moved: MoveCounts;
    superseded: MoveCounts;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO learner_merges (organisation_id, survivor_id, merged_id, merged_by, moved, superseded)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb)`,
    [
      merge.organisationId,
      merge.survivorId,
      merge.mergedId,
      merge.mergedBy,
      JSON.stringify(merge.moved),
      JSON.stringify(merge.superseded),
    ],
  );
}

/** A record a push wrote, as applyPush holds it. */
export type WrittenRecord = {
  entityType: string;
  entityId: string;
  data: Record<string, unknown>;
  deleted: boolean;
  /**
   * The push edited the record and it stayed a tombstone. A merge tombstones the merged learner's
   * records whose ids derive from the learner (a mark, a consent …): an edit a device made offline
   * lands there, and goes on to the kept learner's row by the merge's rule rather than being lost.
   */
  editedWhileDeleted?: boolean;
};

/**
 * The changes that move records a push just wrote for a learner merged into another (a device that
 * was offline during the merge) to the learner kept, by the merge's rule, following a chain of merges
 * to its end. Reads only; the push applies them in its transaction. Idempotent: a moved record no
 * longer names the merged learner (or is a tombstone), so it is not moved again. A push that wrote no
 * learner's record costs nothing; one that did, one indexed query.
 */
export async function planMovesForMergedLearners(
  sql: Sql,
  organisationId: string,
  written: readonly WrittenRecord[],
  at: string,
): Promise<RecordChange[]> {
  const live: RelatedRecord[] = written.flatMap((record) => {
    const learnerId = record.data['learnerId'];
    const movable =
      !record.deleted ||
      (record.editedWhileDeleted === true &&
        isLearnerRecordType(record.entityType) &&
        NATURAL_KEYS[record.entityType] !== undefined);
    return movable &&
      isLearnerRecordType(record.entityType) &&
      typeof learnerId === 'string' &&
      UUID_TEXT.test(learnerId)
      ? [{ entityType: record.entityType, entityId: record.entityId, data: record.data, deleted: false }]
      : [];
  });
  if (live.length === 0) return [];
  const learnerIds = [...new Set(live.map((record) => String(record.data['learnerId'])))];
  const survivorOf = await followMerges(sql, organisationId, learnerIds);
  if (survivorOf.size === 0) return [];
  // Nothing is moved onto a learner since erased or deleted: it would bring their records back.
  const closed = await sql.query<{ entity_id: string }>(
    `SELECT entity_id FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])
       AND (deleted OR data->>'status' = 'erased')`,
    [organisationId, [...new Set(survivorOf.values())]],
  );
  const closedIds = new Set(closed.rows.map((row) => row.entity_id));
  for (const [mergedId, survivorId] of survivorOf) {
    if (closedIds.has(survivorId)) survivorOf.delete(mergedId);
  }

  const survivorIds = [...new Set(survivorOf.values())];
  const naturalTypes = LEARNER_RECORD_TYPES.filter((type) => NATURAL_KEYS[type] !== undefined);
  const survivorRecords = await loadRelated(sql, organisationId, survivorIds, naturalTypes);
  const changes: RecordChange[] = [];
  for (const [mergedId, survivorId] of survivorOf) {
    const moves = planRecordMoves(
      survivorId,
      live.filter((record) => record.data['learnerId'] === mergedId),
      survivorRecords.filter((record) => record.data['learnerId'] === survivorId),
      at,
    );
    changes.push(...moves.changes);
  }
  return changes;
}

/** For each of the learners merged into another, the learner their merges end at. */
async function followMerges(
  sql: Sql,
  organisationId: string,
  learnerIds: readonly string[],
): Promise<Map<string, string>> {
  const mergedInto = new Map<string, string>();
  let asking = [...learnerIds];
  for (let hop = 0; hop < MAX_MERGE_CHAIN && asking.length > 0; hop++) {
    const { rows } = await sql.query<{ entity_id: string; merged_into: string }>(
      `SELECT entity_id, data->>'mergedInto' AS merged_into FROM records
       WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])
         AND data->>'mergedInto' IS NOT NULL`,
      [organisationId, asking],
    );
    for (const row of rows) mergedInto.set(row.entity_id, row.merged_into);
    asking = rows.map((row) => row.merged_into).filter((id) => UUID_TEXT.test(id) && !mergedInto.has(id));
  }
  const survivorOf = new Map<string, string>();
  for (const learnerId of learnerIds) {
    let current = learnerId;
    for (let hop = 0; hop < MAX_MERGE_CHAIN && mergedInto.has(current); hop++) {
      current = mergedInto.get(current)!;
    }
    if (current !== learnerId) survivorOf.set(learnerId, current);
  }
  return survivorOf;
}

type CandidateRow = {
  entity_id: string;
  given_names: string | null;
  family_name: string | null;
  preferred_name: string | null;
  date_of_birth: string | null;
  postcode: string | null;
  created_at: string | null;
};

const ATTENDING_MARKS = ATTENDANCE_MARKS.map((entry) => entry.code).filter(isAttendingMark);

/**
 * The organisation's possible duplicate pairs, strongest first, at most DUPLICATE_PAIR_LIMIT, with
 * what a coordinator needs to decide: names, date of birth, postcode, enrolments and attendance. No
 * contact details and no equality answers. Learners deleted, erased or merged are left out, and so
 * are pairs a coordinator said are two people.
 */
export async function readDuplicatePairs(sql: Sql, organisationId: string): Promise<DuplicatesAnswer> {
  const { rows } = await sql.query<CandidateRow>(
    `SELECT entity_id, data->>'givenNames' AS given_names, data->>'familyName' AS family_name,
            data->>'preferredName' AS preferred_name, data->>'dateOfBirth' AS date_of_birth,
            data->>'postcode' AS postcode, data->>'createdAt' AS created_at
     FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND NOT deleted
       AND data->>'mergedInto' IS NULL AND coalesce(data->>'status', '') <> 'erased'`,
    [organisationId],
  );
  const candidates: DuplicateCandidate[] = rows.map((row) => ({
    id: row.entity_id,
    givenNames: row.given_names ?? '',
    familyName: row.family_name ?? '',
    preferredName: row.preferred_name ?? '',
    dateOfBirth: row.date_of_birth ?? '',
    postcode: row.postcode ?? '',
  }));
  const dismissed = await sql.query<{ first_learner_id: string; second_learner_id: string }>(
    `SELECT first_learner_id, second_learner_id FROM learner_duplicate_dismissals WHERE organisation_id = $1`,
    [organisationId],
  );
  const dismissedKeys = new Set(
    dismissed.rows.map((row) => `${row.first_learner_id}|${row.second_learner_id}`),
  );
  const pairs = findDuplicatePairs(candidates).filter(
    (pair) => !dismissedKeys.has(`${pair.learnerIds[0]}|${pair.learnerIds[1]}`),
  );
  const shown = pairs.slice(0, DUPLICATE_PAIR_LIMIT);

  const ids = [...new Set(shown.flatMap((pair) => pair.learnerIds))];
  const activity = await readActivity(sql, organisationId, ids);
  const rowById = new Map(rows.map((row) => [row.entity_id, row]));
  const learner = (id: string): DuplicateLearner => {
    const row = rowById.get(id);
    const held = activity.get(id);
    return {
      id,
      givenNames: row?.given_names ?? '',
      familyName: row?.family_name ?? '',
      preferredName: row?.preferred_name ?? '',
      dateOfBirth: row?.date_of_birth ?? '',
      postcode: row?.postcode ?? '',
      createdAt: row?.created_at ?? '',
      enrolmentCount: held?.enrolmentCount ?? 0,
      sessionsAttended: held?.sessionsAttended ?? 0,
      programmeTitles: held?.programmeTitles ?? [],
    };
  };
  return {
    pairs: shown.map((pair) => ({
      learners: [learner(pair.learnerIds[0]), learner(pair.learnerIds[1])],
      reasons: pair.reasons,
    })),
    truncated: pairs.length > shown.length,
  };
}

type Activity = { enrolmentCount: number; sessionsAttended: number; programmeTitles: string[] };

/** Each learner's live enrolments (with their programmes' titles) and sessions attended. */
async function readActivity(
  sql: Sql,
  organisationId: string,
  learnerIds: readonly string[],
): Promise<Map<string, Activity>> {
  const activity = new Map<string, Activity>();
  if (learnerIds.length === 0) return activity;
  const of = (learnerId: string) => {
    const held = activity.get(learnerId) ?? { enrolmentCount: 0, sessionsAttended: 0, programmeTitles: [] };
    activity.set(learnerId, held);
    return held;
  };
  const enrolments = await sql.query<{ learner_id: string; title: string | null }>(
    `SELECT e.data->>'learnerId' AS learner_id, p.data->>'title' AS title
     FROM records e
     LEFT JOIN records p ON p.organisation_id = e.organisation_id AND p.entity_type = 'programme'
       AND p.entity_id::text = e.data->>'programmeId'
     WHERE e.organisation_id = $1 AND e.entity_type = 'enrolment' AND NOT e.deleted
       AND e.data ? 'learnerId' AND e.data->>'learnerId' = ANY($2::text[])
     ORDER BY e.data->>'startDate', title`,
    [organisationId, learnerIds],
  );
  for (const row of enrolments.rows) {
    const held = of(row.learner_id);
    held.enrolmentCount += 1;
    if (row.title && !held.programmeTitles.includes(row.title)) held.programmeTitles.push(row.title);
  }
  const attended = await sql.query<{ learner_id: string; attended: number | string }>(
    `SELECT data->>'learnerId' AS learner_id, count(*) AS attended FROM records
     WHERE organisation_id = $1 AND entity_type = 'attendance' AND NOT deleted
       AND data ? 'learnerId' AND data->>'learnerId' = ANY($2::text[])
       AND data->>'mark' = ANY($3::text[])
     GROUP BY 1`,
    [organisationId, learnerIds, ATTENDING_MARKS],
  );
  for (const row of attended.rows) of(row.learner_id).sessionsAttended = Number(row.attended);
  return activity;
}

/**
 * Records that two learners are different people, so they are no longer listed as a pair. Not found
 * when the organisation does not hold both.
 */
export async function dismissDuplicatePair(
  sql: Sql,
  request: { organisationId: string; learnerIds: readonly [string, string]; userId: string },
): Promise<'dismissed' | 'not-found'> {
  const [first, second] = [...request.learnerIds].map((id) => id.toLowerCase()).sort() as [string, string];
  const { rows } = await sql.query<{ held: number | string }>(
    `SELECT count(*) AS held FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])`,
    [request.organisationId, [first, second]],
  );
  if (Number(rows[0]?.held ?? 0) !== 2) return 'not-found';
  await sql.query(
    `INSERT INTO learner_duplicate_dismissals (organisation_id, first_learner_id, second_learner_id, dismissed_by)
     VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
    [request.organisationId, first, second, request.userId],
  );
  return 'dismissed';
}
