// The SQL of a learner's history for a coordinator: the change history of the learner and of every
// record that belongs to them, who received, exported or viewed their special category answers, and
// the log line written when this history shows those answers.
import { LEARNER_OWNED_TYPES, type Viewer } from '../../domain/access';
import {
  HIDDEN_VALUE,
  HISTORY_ACCESS_LIMIT,
  HISTORY_CHANGE_LIMIT,
  type HistoryChange,
  type LearnerHistory,
  type SpecialCategoryAccess,
  type SpecialCategoryAction,
} from '../../domain/history';
import type { Sql } from '../db/database';

/** The types whose records belong to one learner through their `learnerId`. */
const LEARNER_RECORD_TYPES: readonly string[] = [...LEARNER_OWNED_TYPES, 'attendance'];

/** Whether the organisation holds the learner (a tombstone counts: its history is still there). */
export async function learnerExists(sql: Sql, organisationId: string, learnerId: string): Promise<boolean> {
  const { rows } = await sql.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM records
                    WHERE organisation_id = $1 AND entity_type = 'learner' AND entity_id = $2) AS found`,
    [organisationId, learnerId],
  );
  return rows[0]?.found === true;
}

type DeviceColumns = {
  device_id: string | null;
  device_registered_by: string | null;
  device_lost_at: Date | string | null;
};

type ChangeRow = DeviceColumns & {
  received_at: Date | string;
  user_name: string | null;
  entity_type: string;
  entity_id: string;
  field: string | null;
  old_value: unknown;
  new_value: unknown;
  outcome: string;
};

type AccessRow = DeviceColumns & {
  at: Date | string;
  user_name: string | null;
  action: string;
};

/** The device columns of a row whose `device_id` is `alias.device_id`. */
const DEVICE_SELECT = `d.id AS device_id, ru.name AS device_registered_by, d.lost_at AS device_lost_at`;
const DEVICE_JOIN = (alias: string) =>
  `LEFT JOIN devices d ON d.id = ${alias}.device_id AND d.organisation_id = ${alias}.organisation_id
   LEFT JOIN users ru ON ru.id = d.registered_by`;

/** "Device 1a2b3c4d, registered by Sam Okafor (reported lost)": enough to find it on the Devices page. */
function deviceLabelOf(row: DeviceColumns): { deviceLabel?: string } {
  if (row.device_id === null) return {};
  const registered = row.device_registered_by ? `, registered by ${row.device_registered_by}` : '';
  const lost = row.device_lost_at !== null ? ' (reported lost)' : '';
  return { deviceLabel: `Device ${row.device_id.slice(0, 8)}${registered}${lost}` };
}

/**
 * Every change the server received to the learner and to the records that belong to them, newest
 * first, at most HISTORY_CHANGE_LIMIT. Records that belong to them: those whose `learnerId` names
 * them now, and new records naming them that were refused (so never stored, but kept in history).
 */
async function readChanges(
  sql: Sql,
  organisationId: string,
  learnerId: string,
): Promise<{ rows: ChangeRow[]; truncated: boolean }> {
  const { rows } = await sql.query<ChangeRow>(
    `WITH entities AS (
       SELECT 'learner'::text AS entity_type, $2::uuid AS entity_id
       UNION
       SELECT entity_type, entity_id FROM records
       WHERE organisation_id = $1 AND data ? 'learnerId' AND data->>'learnerId' = $2::text
         AND entity_type = ANY($3::text[])
       UNION
       SELECT h.entity_type, h.entity_id FROM change_history h
       WHERE h.organisation_id = $1 AND h.field = '*' AND h.new_value->>'learnerId' = $2::text
         AND h.entity_type = ANY($3::text[])
         AND NOT EXISTS (SELECT 1 FROM records r WHERE r.organisation_id = $1
                           AND r.entity_type = h.entity_type AND r.entity_id = h.entity_id)
     )
     SELECT h.received_at, u.name AS user_name, ${DEVICE_SELECT}, h.entity_type, h.entity_id, h.field,
            h.old_value, h.new_value, h.outcome
     FROM change_history h
     JOIN entities e ON e.entity_type = h.entity_type AND e.entity_id = h.entity_id
     LEFT JOIN users u ON u.id = h.user_id
     ${DEVICE_JOIN('h')}
     WHERE h.organisation_id = $1
     ORDER BY h.received_at DESC, h.id DESC
     LIMIT $4`,
    [organisationId, learnerId, LEARNER_RECORD_TYPES, HISTORY_CHANGE_LIMIT + 1],
  );
  return { rows: rows.slice(0, HISTORY_CHANGE_LIMIT), truncated: rows.length > HISTORY_CHANGE_LIMIT };
}

async function readAccess(
  sql: Sql,
  organisationId: string,
  learnerId: string,
): Promise<{ rows: AccessRow[]; truncated: boolean }> {
  const { rows } = await sql.query<AccessRow>(
    `SELECT a.at, u.name AS user_name, ${DEVICE_SELECT}, a.action
     FROM special_category_access a
     LEFT JOIN users u ON u.id = a.user_id
     ${DEVICE_JOIN('a')}
     WHERE a.organisation_id = $1 AND a.learner_id = $2
     ORDER BY a.at DESC, a.id DESC
     LIMIT $3`,
    [organisationId, learnerId, HISTORY_ACCESS_LIMIT + 1],
  );
  return { rows: rows.slice(0, HISTORY_ACCESS_LIMIT), truncated: rows.length > HISTORY_ACCESS_LIMIT };
}

/** Logs one access to a learner's special category answers; the device only if it is the organisation's. */
export async function logSpecialCategoryAccess(
  sql: Sql,
  access: {
    organisationId: string;
    learnerId: string;
    userId: string;
    deviceId: string | null;
    action: SpecialCategoryAction;
  },
): Promise<void> {
  await sql.query(
    `INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
     VALUES ($1, $2, $3, (SELECT id FROM devices WHERE organisation_id = $1 AND id = $4::uuid), $5)`,
    [access.organisationId, access.learnerId, access.userId, access.deviceId, access.action],
  );
}

const hide = (value: unknown) => (value === null || value === undefined ? null : HIDDEN_VALUE);

/**
 * The learner's history for a coordinator, in the caller's transaction. Equality answers are shown
 * only to a viewer who may see special category data, and showing them is logged ('viewed') before
 * the access list is read, so the list includes this viewing.
 */
export async function readLearnerHistory(
  sql: Sql,
  request: { organisationId: string; learnerId: string; viewer: Viewer; deviceId: string | null },
): Promise<LearnerHistory> {
  const { organisationId, learnerId, viewer } = request;
  const changes = await readChanges(sql, organisationId, learnerId);
  const showsAnswers = changes.rows.some(
    (row) => row.entity_type === 'equalityMonitoring' && (row.old_value !== null || row.new_value !== null),
  );
  if (showsAnswers && viewer.maySeeSpecialCategory) {
    await logSpecialCategoryAccess(sql, {
      organisationId,
      learnerId,
      userId: viewer.userId,
      deviceId: request.deviceId,
      action: 'viewed',
    });
  }
  const access = await readAccess(sql, organisationId, learnerId);
  return {
    changes: changes.rows.map((row): HistoryChange => {
      const hidden = row.entity_type === 'equalityMonitoring' && !viewer.maySeeSpecialCategory;
      return {
        at: new Date(row.received_at).toISOString(),
        userName: row.user_name,
        deviceId: row.device_id,
        ...deviceLabelOf(row),
        entityType: row.entity_type,
        entityId: row.entity_id,
        field: row.field,
        oldValue: hidden ? hide(row.old_value) : (row.old_value ?? null),
        newValue: hidden ? hide(row.new_value) : (row.new_value ?? null),
        outcome: row.outcome,
      };
    }),
    truncated: changes.truncated,
    specialCategoryAccess: access.rows.map((row): SpecialCategoryAccess => ({
      at: new Date(row.at).toISOString(),
      userName: row.user_name,
      deviceId: row.device_id,
      ...deviceLabelOf(row),
      action: row.action,
    })),
    specialCategoryAccessTruncated: access.truncated,
  };
}
