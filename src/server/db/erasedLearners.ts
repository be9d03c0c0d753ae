// Erasure is final: a push (from a tablet that was offline when a learner was erased) never brings
// their personal data back. applyPush asks which of the learners its changes name are erased, and
// cuts each change to such a learner's record down with guardChangeToErasedLearner (src/domain/erasure.ts).
import { guardChangeToErasedLearner, isErasableType, lockedFieldNames } from '../../domain/erasure';
import type { Sql } from './database';

const UUID_TEXT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type ChangeLike = {
  entityType: string;
  entityId: string;
  fields?: Record<string, unknown>;
};

/** The learner a change is about: the learner itself, or the one its record names (before or after). */
function learnerIdsOf(change: ChangeLike, held: Record<string, unknown> | undefined): string[] {
  if (change.entityType === 'learner') return [change.entityId];
  if (!isErasableType(change.entityType)) return [];
  return [held?.['learnerId'], change.fields?.['learnerId']].filter(
    (id): id is string => typeof id === 'string' && UUID_TEXT.test(id),
  );
}

/** Which of the learners these changes name are erased, in one indexed read. */
export async function loadErasedLearners(
  sql: Sql,
  organisationId: string,
  changes: readonly ChangeLike[],
  heldData: (change: ChangeLike) => Record<string, unknown> | undefined,
): Promise<ReadonlySet<string>> {
  const ids = [...new Set(changes.flatMap((change) => learnerIdsOf(change, heldData(change))))];
  if (ids.length === 0) return new Set();
  const { rows } = await sql.query<{ entity_id: string }>(
    `SELECT entity_id FROM records
     WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = ANY($2::uuid[])
       AND data->>'status' = 'erased'`,
    [organisationId, ids],
  );
  return new Set(rows.map((row) => row.entity_id));
}

/**
 * A change as it may apply given the erased learners: untouched when it names none; else with the
 * personal fields it sets replaced by their erased values, or refused (`refusal`, in plain words)
 * when nothing else is left, and then carrying only its other fields, for the history.
 */
export function guardErasedLearner<C extends ChangeLike & { fields: Record<string, unknown> }>(
  change: C,
  held: Record<string, unknown> | undefined,
  erased: ReadonlySet<string>,
): { change: C; refusal: string | null } {
  if (erased.size === 0 || !learnerIdsOf(change, held).some((id) => erased.has(id))) {
    return { change, refusal: null };
  }
  const guarded = guardChangeToErasedLearner(change.entityType, held, change.fields);
  if (guarded.kind === 'apply') return { change: { ...change, fields: guarded.fields }, refusal: null };
  const locked = new Set(lockedFieldNames(change.entityType));
  const kept = Object.fromEntries(Object.entries(change.fields).filter(([field]) => !locked.has(field)));
  return { change: { ...change, fields: kept }, refusal: guarded.message };
}
