// A viewer's scope read from the records (the rules themselves are in src/domain/access.ts), the
// SQL condition that keeps a pull or checksum inside it, and its fingerprint for pull answers.
import { createHash } from 'node:crypto';
import {
  LEARNER_OWNED_TYPES,
  ORGANISATION_WIDE_TYPES,
  type ViewScope,
  type Viewer,
} from '../../domain/access';
import type { Sql } from './database';

/** Reads what the viewer may see now: the whole organisation for a coordinator, else their scope. */
export async function loadViewScope(sql: Sql, organisationId: string, viewer: Viewer): Promise<ViewScope> {
  if (viewer.role === 'coordinator') return { kind: 'organisation' };
  const sessions = await sql.query<{ entity_id: string; programme_id: string | null; deleted: boolean }>(
    `SELECT entity_id, data->>'programmeId' AS programme_id, deleted FROM records
     WHERE organisation_id = $1 AND entity_type = 'session' AND data->'tutorIds' @> jsonb_build_array($2::text)`,
    [organisationId, viewer.userId],
  );
  // A deleted session still reaches its tutors (as a tombstone) but brings no learners with it.
  const programmeIds = [
    ...new Set(
      sessions.rows
        .filter((row) => !row.deleted && row.programme_id !== null)
        .map((row) => row.programme_id!),
    ),
  ];
  // Learners merged into one in scope stay in it: a tutor's tablet that was offline during the merge
  // may still push marks for the merged record, which the server then moves to the one kept.
  const learners = await sql.query<{ learner_id: string }>(
    `WITH RECURSIVE direct AS (
       SELECT data->>'learnerId' AS learner_id FROM records
       WHERE organisation_id = $1 AND entity_type = 'enrolment' AND NOT deleted
         AND data->>'programmeId' = ANY($2::text[])
       UNION
       SELECT entity_id::text FROM records
       WHERE organisation_id = $1 AND entity_type = 'learner' AND created_by_user = $3
     ),
     -- Along a chain of merges too (A into B, then B into C); UNION ends it at the first repeat.
     reach(learner_id) AS (
       SELECT learner_id FROM direct
       UNION
       SELECT m.merged_id::text FROM learner_merges m
       JOIN reach r ON m.survivor_id::text = r.learner_id
       WHERE m.organisation_id = $1
     )
     SELECT learner_id FROM reach`,
    [organisationId, programmeIds, viewer.userId],
  );
  return {
    kind: 'tutor',
    sessionIds: new Set(sessions.rows.map((row) => row.entity_id)),
    learnerIds: new Set(learners.rows.map((row) => row.learner_id)),
  };
}

/**
 * Changes whenever what the viewer may see changes: their role, whether they see special category
 * answers, or the sessions and learners in their scope.
 */
export function scopeFingerprint(viewer: Viewer, scope: ViewScope): string {
  const hash = createHash('sha256');
  hash.update(`${viewer.role}|${viewer.maySeeSpecialCategory ? 'special' : 'plain'}|${scope.kind}\n`);
  if (scope.kind === 'tutor') {
    hash.update([...scope.sessionIds].sort().join(','));
    hash.update('\n');
    hash.update([...scope.learnerIds].sort().join(','));
  }
  return hash.digest('base64url').slice(0, 22);
}

/**
 * A WHERE condition on `records` that keeps the rows in scope, and its parameters numbered from
 * `firstParam`. Mirrors isVisible in src/domain/access.ts, which the tests check it against.
 */
export function scopeCondition(
  scope: ViewScope,
  firstParam: number,
): { condition: string; params: unknown[] } {
  if (scope.kind === 'organisation') return { condition: 'true', params: [] };
  const [wide, owned, sessions, learners] = [0, 1, 2, 3].map((offset) => `$${firstParam + offset}`);
  return {
    condition: `(entity_type = ANY(${wide}::text[])
      OR (entity_type = 'session' AND entity_id::text = ANY(${sessions}::text[]))
      OR (entity_type = 'learner' AND entity_id::text = ANY(${learners}::text[]))
      OR (entity_type = ANY(${owned}::text[]) AND data->>'learnerId' = ANY(${learners}::text[]))
      OR (entity_type = 'attendance' AND data->>'sessionId' = ANY(${sessions}::text[])
          AND data->>'learnerId' = ANY(${learners}::text[])))`,
    params: [ORGANISATION_WIDE_TYPES, LEARNER_OWNED_TYPES, [...scope.sessionIds], [...scope.learnerIds]],
  };
}
