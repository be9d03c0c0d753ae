// The SQL of a subject access request: every row held on one learner (their records and every record
// naming them, of any learner merged into them too, with what those records point to), their change
// history in full, who received, exported or viewed their equality answers, and the erasure if any.
// src/domain/subjectAccess.ts puts it in plain words. Taking the file is logged, ids only.
import type { Viewer } from '../../domain/access';
import { SHIPPED_DOCUMENT_VERSIONS } from '../../domain/documents';
import { ERASABLE_TYPES } from '../../domain/erasure';
import {
  type DocumentText,
  type StoredRecord,
  buildSubjectAccessDocument,
  subjectAccessFileName,
} from '../../domain/subjectAccess';
import type { Sql } from './database';
import { learnersOfPerson, loadPersonRecords } from './erasure';

type HistoryRow = {
  received_at: Date | string;
  user_name: string | null;
  device_id: string | null;
  entity_type: string;
  entity_id: string;
  field: string | null;
  old_value: unknown;
  new_value: unknown;
  outcome: string;
};

const iso = (value: Date | string) => new Date(value).toISOString();

const idsOf = (records: readonly StoredRecord[], field: string) => [
  ...new Set(
    records.map((record) => record.data[field]).filter((id): id is string => typeof id === 'string'),
  ),
];

/** The records of one type with the given ids, as id → data. */
async function recordsById(
  sql: Sql,
  organisationId: string,
  entityType: string,
  ids: readonly string[],
): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql.query<{ entity_id: string; data: Record<string, unknown> }>(
    `SELECT entity_id, data FROM records
     WHERE organisation_id = $1 AND entity_type = $2 AND entity_id::text = ANY($3::text[])`,
    [organisationId, entityType, ids],
  );
  return new Map(rows.map((row) => [row.entity_id, row.data]));
}

async function readHistory(
  sql: Sql,
  organisationId: string,
  records: readonly StoredRecord[],
  learnerIds: readonly string[],
): Promise<HistoryRow[]> {
  const { rows } = await sql.query<HistoryRow>(
    `WITH entities AS (
       SELECT k.entity_type, k.entity_id FROM unnest($2::text[], $3::uuid[]) AS k(entity_type, entity_id)
       UNION
       SELECT h.entity_type, h.entity_id FROM change_history h
       WHERE h.organisation_id = $1 AND h.field = '*' AND h.new_value->>'learnerId' = ANY($4::text[])
         AND h.entity_type = ANY($5::text[])
     )
     SELECT h.received_at, u.name AS user_name, h.device_id, h.entity_type, h.entity_id, h.field,
            h.old_value, h.new_value, h.outcome
     FROM change_history h
     JOIN entities e ON e.entity_type = h.entity_type AND e.entity_id = h.entity_id
     LEFT JOIN users u ON u.id = h.user_id
     WHERE h.organisation_id = $1
     ORDER BY h.received_at, h.id`,
    [
      organisationId,
      records.map((record) => record.entityType),
      records.map((record) => record.entityId),
      learnerIds,
      [...ERASABLE_TYPES],
    ],
  );
  return rows;
}

/**
 * Everything held on the learner, as the file's name and JSON text, in the caller's transaction; null
 * when the organisation does not hold them. Equality answers are in it only for a coordinator who may
 * see them, and then logged as exported; the file itself is logged too.
 */
export async function takeSubjectAccessExport(
  sql: Sql,
  request: {
    organisationId: string;
    learnerId: string;
    viewer: Viewer;
    deviceId: string | null;
    nowMillis: number;
  },
): Promise<{ fileName: string; json: string } | null> {
  const { organisationId, learnerId, viewer } = request;
  const learnerIds = await learnersOfPerson(sql, organisationId, learnerId);
  const stored: StoredRecord[] = (await loadPersonRecords(sql, organisationId, learnerIds)).map((row) => ({
    entityType: row.entity_type,
    entityId: row.entity_id,
    data: row.data,
    deleted: row.deleted,
  }));
  const learner = stored.find((record) => record.entityType === 'learner' && record.entityId === learnerId);
  if (!learner) return null;
  // Learners merged into this one are the same person: their records are listed with the rest.
  const records = stored.filter((record) => record !== learner);

  const sessions = await recordsById(sql, organisationId, 'session', idsOf(records, 'sessionId'));
  const sessionRows = [...sessions.values()];
  const programmes = await recordsById(sql, organisationId, 'programme', [
    ...idsOf(records, 'programmeId'),
    ...sessionRows.map((session) => String(session['programmeId'])),
  ]);
  const venues = await recordsById(sql, organisationId, 'venue', [
    ...idsOf(records, 'venueId'),
    ...sessionRows.map((session) => String(session['venueId'])),
  ]);
  const loanDevices = await recordsById(sql, organisationId, 'loanDevice', idsOf(records, 'loanDeviceId'));
  const documentIds = ['documentVersionId', 'privacyNoticeVersionId', 'termsVersionId'].flatMap((field) =>
    idsOf(records, field),
  );
  const heldDocuments = await recordsById(sql, organisationId, 'documentVersion', documentIds);
  const documents = new Map<string, DocumentText>();
  for (const id of documentIds) {
    const document = heldDocuments.get(id) ?? SHIPPED_DOCUMENT_VERSIONS.find((shipped) => shipped.id === id);
    if (document) documents.set(id, document as unknown as DocumentText);
  }

  const showsSpecialCategory = viewer.maySeeSpecialCategory;
  const holdsAnswers = records.some((record) => record.entityType === 'equalityMonitoring');
  if (showsSpecialCategory && holdsAnswers) {
    await sql.query(
      `INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
       VALUES ($1, $2, $3, (SELECT id FROM devices WHERE organisation_id = $1 AND id::text = $4), 'exported')`,
      [organisationId, learnerId, viewer.userId, request.deviceId],
    );
  }
  const history = await readHistory(sql, organisationId, [learner, ...records], learnerIds);
  const access = await sql.query<{
    at: Date | string;
    user_name: string | null;
    device_id: string | null;
    action: string;
  }>(
    `SELECT a.at, u.name AS user_name, a.device_id, a.action FROM special_category_access a
     LEFT JOIN users u ON u.id = a.user_id
     WHERE a.organisation_id = $1 AND a.learner_id = ANY($2::uuid[])
     ORDER BY a.at, a.id`,
    [organisationId, learnerIds],
  );
  const previous = await sql.query<{ exported_at: Date | string; user_name: string | null }>(
    `SELECT s.exported_at, u.name AS user_name FROM subject_access_exports s
     LEFT JOIN users u ON u.id = s.exported_by
     WHERE s.organisation_id = $1 AND s.learner_id = $2 ORDER BY s.exported_at, s.id`,
    [organisationId, learnerId],
  );
  const erasure = await sql.query<{ erased_at: Date | string; reason: string }>(
    `SELECT erased_at, reason FROM learner_erasures WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])
     ORDER BY erased_at LIMIT 1`,
    [organisationId, learnerIds],
  );
  const names = await sql.query<{ organisation_name: string; user_name: string | null }>(
    `SELECT o.name AS organisation_name, (SELECT name FROM users WHERE id = $2) AS user_name
     FROM organisations o WHERE o.id = $1`,
    [organisationId, viewer.userId],
  );
  const exportedAt = new Date(request.nowMillis).toISOString();
  await sql.query(
    `INSERT INTO subject_access_exports (organisation_id, learner_id, exported_by, exported_at)
     VALUES ($1, $2, $3, $4)`,
    [organisationId, learnerId, viewer.userId, exportedAt],
  );

  const document = buildSubjectAccessDocument({
    organisationName: names.rows[0]?.organisation_name ?? '',
    learnerId,
    exportedAt,
    exportedByName: names.rows[0]?.user_name ?? '',
    learner,
    records,
    programmes: new Map([...programmes].map(([id, data]) => [id, String(data['title'] ?? '')])),
    venues: new Map([...venues].map(([id, data]) => [id, String(data['name'] ?? '')])),
    sessions: new Map(
      [...sessions].map(([id, data]) => [
        id,
        {
          date: String(data['date'] ?? ''),
          programmeId: String(data['programmeId'] ?? ''),
          venueId: String(data['venueId'] ?? ''),
        },
      ]),
    ),
    loanDevices: new Map([...loanDevices].map(([id, data]) => [id, String(data['assetTag'] ?? '')])),
    documents,
    history: history.map((row) => ({
      at: iso(row.received_at),
      userName: row.user_name,
      deviceId: row.device_id,
      entityType: row.entity_type,
      entityId: row.entity_id,
      field: row.field,
      oldValue: row.old_value,
      newValue: row.new_value,
      outcome: row.outcome,
    })),
    specialCategoryAccess: access.rows.map((row) => ({
      at: iso(row.at),
      userName: row.user_name,
      deviceId: row.device_id,
      action: row.action,
    })),
    previousExports: previous.rows.map((row) => ({ at: iso(row.exported_at), userName: row.user_name })),
    erasure: erasure.rows[0] ? { at: iso(erasure.rows[0].erased_at), reason: erasure.rows[0].reason } : null,
    showsSpecialCategory,
  });
  return {
    fileName: subjectAccessFileName(learnerId, exportedAt),
    json: `${JSON.stringify(document, null, 2)}\n`,
  };
}
