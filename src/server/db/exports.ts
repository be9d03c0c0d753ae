// The SQL of the CSV exports: keyset-paged reads of learners, enrolments, attendance and outcomes (each
// page one short transaction, ordered by record id, so a million rows never sit in memory and PGlite's
// single queue is free between pages), the 'exported' log of equality answers, and the exports record.
//
// Every export leaves out deleted records and learners who are erased or merged into another, with the
// records that belong to them, as the dashboard's figures do.
//
// A page is first the next `limit` records of its type by id (a range scan of the primary key, fenced
// off in a MATERIALIZED CTE so the planner cannot turn it into a join over the whole table and a sort),
// then its joins by key, which decide which of those rows the export includes. So every page costs the
// same however large the organisation, and a page may hold fewer rows than `limit` (or none) without
// being the last: `next` says where the following page starts.
import { randomUUID } from 'node:crypto';
import type {
  AttendanceExportRow,
  EnrolmentExportRow,
  ExportPeriod,
  ExportRecord,
  LearnerExportRow,
  OutcomeExportRow,
  RecordedExportKind,
} from '../../domain/reports/exports';
import { carriesEqualityAnswers } from '../../domain/reports/exports';
import type { Database, Sql } from './database';

export type ExportPageRequest = {
  organisationId: string;
  period: ExportPeriod | null;
  /** The id of the last row of the previous page; null for the first page. */
  after: string | null;
  limit: number;
};

/** Numbered parameters for a statement built from optional parts. */
function parameters(): { values: unknown[]; add(value: unknown): string } {
  const values: unknown[] = [];
  return {
    values,
    add(value) {
      values.push(value);
      return `$${values.length}`;
    },
  };
}

/** The learner at `alias` counts: not deleted, not erased, not merged into another. */
const countedLearner = (alias: string) =>
  `NOT ${alias}.deleted AND coalesce(${alias}.data->>'status', '') <> 'erased'
   AND ${alias}.data->>'mergedInto' IS NULL`;

/**
 * A record's id field as a uuid, or null when it is not one: a deleted record is stored without
 * being checked against its schema, and one bad value must not make the whole export fail.
 */
const uuidField = (alias: string, field: string) =>
  `(CASE WHEN ${alias}.data->>'${field}' ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
     THEN (${alias}.data->>'${field}')::uuid END)`;

/** Joins the counted learner that the record at `alias` belongs to (l.entity_id is null when none). */
const joinLearner = (alias: string) =>
  `LEFT JOIN records l ON l.organisation_id = ${alias}.organisation_id AND l.entity_type = 'learner'
     AND l.entity_id = ${uuidField(alias, 'learnerId')} AND ${countedLearner('l')}`;

/** Joins a record named by one of `alias`'s fields (deleted or not: its name still says what it was). */
const joinNamed = (as: string, entityType: string, alias: string, field: string) =>
  `LEFT JOIN records ${as} ON ${as}.organisation_id = ${alias}.organisation_id
     AND ${as}.entity_type = '${entityType}' AND ${as}.entity_id = ${uuidField(alias, field)}`;

/**
 * The learner's newest record of a kind (its id is derived from the learner, so there is one). OFFSET 0
 * keeps the candidates a subquery of their own, found through the learner index: left to itself the
 * planner walks the organisation's whole change sequence backwards looking for the newest one.
 */
const latestOfLearner = (organisation: string, condition: string) =>
  `SELECT data FROM (
     SELECT data, change_seq FROM records
     WHERE organisation_id = ${organisation} AND ${condition} AND NOT deleted
       AND data ? 'learnerId' AND data->>'learnerId' = l.entity_id::text
     OFFSET 0
   ) candidates ORDER BY change_seq DESC LIMIT 1`;

/** The enrolment at `alias` overlaps the period: starts by its end and has not ended before its start. */
const overlapsPeriod = (alias: string, from: string, to: string) =>
  `${alias}.data->>'startDate' <= ${to}
   AND (${alias}.data->>'actualEndDate' IS NULL OR ${alias}.data->>'actualEndDate' >= ${from})`;

export type ExportPage<Row> = {
  /** The rows the export includes, in id order. */
  rows: Row[];
  /** Where the next page starts; null when this page reached the end. */
  next: string | null;
};

/** The next `limit` records of one type after the previous page, as the CTE `page`. */
function pageOf(entityType: string, request: ExportPageRequest, add: (v: unknown) => string): string {
  const after = request.after === null ? '' : `AND entity_id > ${add(request.after)}::uuid`;
  return `WITH page AS MATERIALIZED (
    SELECT organisation_id, entity_id, data, deleted FROM records
    WHERE organisation_id = ${add(request.organisationId)} AND entity_type = '${entityType}' ${after}
    ORDER BY entity_id LIMIT ${add(request.limit)}
  )`;
}

/**
 * One page's own short transaction. JIT compilation is turned off: the planner overestimates the
 * per-row lookups of a page, and compiling them takes longer than reading 1,000 rows.
 */
function pageTransaction<T>(database: Database, fn: (sql: Sql) => Promise<T>): Promise<T> {
  return database.transaction(async (sql) => {
    await sql.query('SET LOCAL jit = off');
    return fn(sql);
  });
}

/** The included rows of a page read in full, and where the next one starts. */
function pageResult<Raw extends { id: string; included: boolean }, Row>(
  raw: readonly Raw[],
  limit: number,
  toRow: (row: Raw) => Row,
): ExportPage<Row> {
  const last = raw.at(-1);
  return {
    rows: raw.filter((row) => row.included).map(toRow),
    next: raw.length === limit && last !== undefined ? last.id : null,
  };
}

type LearnerRow = {
  id: string;
  included: boolean;
  given_names: string | null;
  family_name: string | null;
  date_of_birth: string | null;
  postcode: string | null;
  town: string | null;
  phone: string | null;
  email: string | null;
  in_priority_area: boolean | null;
  priority_area_name: string | null;
  enrolment_count: number;
  consent_granted: boolean | null;
  consent_withdrawn_at: string | null;
  consent_channels: unknown;
  has_equality: boolean;
  sex: string | null;
  ethnicity: string | null;
  lldd: string | null;
  primary_disability_category: string | null;
};

export type LearnerPageRequest = ExportPageRequest & {
  includeSpecialCategory: boolean;
  /** Who takes the export, for the special category log; the device only if it is the organisation's. */
  exportedBy: { userId: string; deviceId: string | null };
};

/**
 * A page of learners (with an enrolment overlapping the period, when there is one). When equality
 * answers are included, each learner whose answers this page carries is logged as 'exported' in the
 * same transaction, so no answer leaves the server unlogged.
 */
export async function readLearnerExportPage(
  database: Database,
  request: LearnerPageRequest,
): Promise<ExportPage<LearnerExportRow>> {
  const { values, add } = parameters();
  const page = pageOf('learner', request, add);
  const organisation = add(request.organisationId);
  const period = request.period && { from: add(request.period.from), to: add(request.period.to) };
  const enrolmentsOf = `SELECT 1 FROM records e
     WHERE e.organisation_id = ${organisation} AND e.entity_type = 'enrolment' AND NOT e.deleted
       AND e.data ? 'learnerId' AND e.data->>'learnerId' = l.entity_id::text
       ${period ? `AND ${overlapsPeriod('e', period.from, period.to)}` : ''}`;
  const equality = request.includeSpecialCategory
    ? `LEFT JOIN LATERAL (${latestOfLearner(organisation, `entity_type = 'equalityMonitoring'`)}) eq ON true`
    : `LEFT JOIN LATERAL (SELECT NULL::jsonb AS data) eq ON true`;
  const sql = `${page}
    SELECT l.entity_id AS id,
           (${countedLearner('l')} ${period ? `AND EXISTS (${enrolmentsOf})` : ''}) AS included,
           l.data->>'givenNames' AS given_names, l.data->>'familyName' AS family_name,
           l.data->>'dateOfBirth' AS date_of_birth, l.data->>'postcode' AS postcode,
           l.data->>'town' AS town, l.data->>'phone' AS phone, l.data->>'email' AS email,
           pa.in_priority_area, pa.area_name AS priority_area_name,
           (SELECT count(*) FROM (${enrolmentsOf}) counted) AS enrolment_count,
           (c.data->>'granted')::boolean AS consent_granted,
           c.data->>'withdrawnAt' AS consent_withdrawn_at,
           c.data->'channels' AS consent_channels,
           eq.data IS NOT NULL AS has_equality,
           eq.data->>'sex' AS sex, eq.data->>'ethnicity' AS ethnicity, eq.data->>'lldd' AS lldd,
           eq.data->>'primaryDisabilityCategory' AS primary_disability_category
    FROM page l
    LEFT JOIN learner_priority_areas pa
      ON pa.organisation_id = l.organisation_id AND pa.learner_id = l.entity_id
    LEFT JOIN LATERAL (${latestOfLearner(
      organisation,
      `entity_type = 'consent' AND data->>'purpose' = 'contact-courses'`,
    )}) c ON true
    ${equality}
    ORDER BY l.entity_id`;
  return pageTransaction(database, async (tx) => {
    const { rows } = await tx.query<LearnerRow>(sql, values);
    const result = pageResult(rows, request.limit, toLearnerExportRow);
    if (request.includeSpecialCategory) {
      const exported = result.rows.filter(carriesEqualityAnswers).map((learner) => learner.id);
      await logEqualityExported(tx, request, exported);
    }
    return result;
  });
}

function toLearnerExportRow(row: LearnerRow): LearnerExportRow {
  const channels = Array.isArray(row.consent_channels)
    ? row.consent_channels.filter((channel): channel is string => typeof channel === 'string')
    : [];
  return {
    id: row.id,
    givenNames: row.given_names ?? '',
    familyName: row.family_name ?? '',
    dateOfBirth: row.date_of_birth ?? '',
    postcode: row.postcode ?? '',
    town: row.town ?? '',
    phone: row.phone ?? '',
    email: row.email ?? '',
    inPriorityArea: row.in_priority_area,
    priorityAreaName: row.priority_area_name,
    enrolmentCount: Number(row.enrolment_count),
    contactConsent:
      row.consent_granted === null
        ? null
        : { granted: row.consent_granted, withdrawnAt: row.consent_withdrawn_at, channels },
    equality: row.has_equality
      ? {
          sex: row.sex,
          ethnicity: row.ethnicity,
          lldd: row.lldd,
          primaryDisabilityCategory: row.primary_disability_category,
        }
      : null,
  };
}

/** One 'exported' row per learner whose answers left in this page (special_category_access, 004). */
async function logEqualityExported(
  sql: Sql,
  request: LearnerPageRequest,
  learnerIds: string[],
): Promise<void> {
  if (learnerIds.length === 0) return;
  await sql.query(
    `INSERT INTO special_category_access (organisation_id, learner_id, user_id, device_id, action)
     SELECT $1, learner_id, $2,
            (SELECT id FROM devices WHERE organisation_id = $1 AND id = $3::uuid), 'exported'
     FROM unnest($4::uuid[]) AS exported(learner_id)`,
    [request.organisationId, request.exportedBy.userId, request.exportedBy.deviceId, learnerIds],
  );
}

type EnrolmentRow = {
  id: string;
  included: boolean;
  learner_id: string;
  programme_title: string | null;
  funding_stream: string | null;
  start_date: string | null;
  planned_end_date: string | null;
  actual_end_date: string | null;
  completion_status: string | null;
  outcome: string | null;
  withdrawal_reason: string | null;
};

/** A page of enrolments (overlapping the period, when there is one). */
export async function readEnrolmentExportPage(
  database: Database,
  request: ExportPageRequest,
): Promise<ExportPage<EnrolmentExportRow>> {
  const { values, add } = parameters();
  const page = pageOf('enrolment', request, add);
  const period = request.period
    ? `AND ${overlapsPeriod('e', add(request.period.from), add(request.period.to))}`
    : '';
  const { rows } = await pageTransaction(database, (sql) =>
    sql.query<EnrolmentRow>(
      `${page}
       SELECT e.entity_id AS id, (NOT e.deleted AND l.entity_id IS NOT NULL ${period}) AS included,
              e.data->>'learnerId' AS learner_id, p.data->>'title' AS programme_title,
              e.data->>'fundingStream' AS funding_stream, e.data->>'startDate' AS start_date,
              e.data->>'plannedEndDate' AS planned_end_date, e.data->>'actualEndDate' AS actual_end_date,
              e.data->>'completionStatus' AS completion_status, e.data->>'outcome' AS outcome,
              e.data->>'withdrawalReason' AS withdrawal_reason
       FROM page e
       ${joinLearner('e')}
       ${joinNamed('p', 'programme', 'e', 'programmeId')}
       ORDER BY e.entity_id`,
      values,
    ),
  );
  return pageResult(rows, request.limit, (row) => ({
    id: row.id,
    learnerId: row.learner_id,
    programmeTitle: row.programme_title,
    fundingStream: row.funding_stream ?? '',
    startDate: row.start_date ?? '',
    plannedEndDate: row.planned_end_date,
    actualEndDate: row.actual_end_date,
    completionStatus: row.completion_status ?? '',
    outcome: row.outcome ?? '',
    withdrawalReason: row.withdrawal_reason,
  }));
}

type AttendanceRow = {
  id: string;
  included: boolean;
  session_date: string | null;
  programme_title: string | null;
  venue_name: string | null;
  learner_id: string;
  mark: string | null;
  absence_reason: string | null;
  minutes_attended: number | null;
  marked_late: boolean | null;
};

/** A page of attendance marks at sessions that are not deleted (dated in the period, when there is one). */
export async function readAttendanceExportPage(
  database: Database,
  request: ExportPageRequest,
): Promise<ExportPage<AttendanceExportRow>> {
  const { values, add } = parameters();
  const page = pageOf('attendance', request, add);
  const period = request.period
    ? `AND s.data->>'date' BETWEEN ${add(request.period.from)} AND ${add(request.period.to)}`
    : '';
  const { rows } = await pageTransaction(database, (sql) =>
    sql.query<AttendanceRow>(
      `${page}
       SELECT a.entity_id AS id,
              (NOT a.deleted AND s.entity_id IS NOT NULL AND l.entity_id IS NOT NULL ${period}) AS included,
              s.data->>'date' AS session_date, p.data->>'title' AS programme_title,
              v.data->>'name' AS venue_name, a.data->>'learnerId' AS learner_id, a.data->>'mark' AS mark,
              a.data->>'absenceReason' AS absence_reason,
              (a.data->>'minutesAttended')::integer AS minutes_attended,
              (a.data->>'markedLate')::boolean AS marked_late
       FROM page a
       LEFT JOIN records s ON s.organisation_id = a.organisation_id AND s.entity_type = 'session'
         AND s.entity_id = ${uuidField('a', 'sessionId')} AND NOT s.deleted
       ${joinLearner('a')}
       ${joinNamed('p', 'programme', 's', 'programmeId')}
       ${joinNamed('v', 'venue', 's', 'venueId')}
       ORDER BY a.entity_id`,
      values,
    ),
  );
  return pageResult(rows, request.limit, (row) => ({
    id: row.id,
    sessionDate: row.session_date ?? '',
    programmeTitle: row.programme_title,
    venueName: row.venue_name,
    learnerId: row.learner_id,
    mark: row.mark ?? '',
    absenceReason: row.absence_reason,
    minutesAttended: row.minutes_attended ?? 0,
    markedLate: row.marked_late === true,
  }));
}

type OutcomeRow = {
  id: string;
  included: boolean;
  learner_id: string;
  code: string | null;
  start_date: string | null;
  end_date: string | null;
  collected_on: string | null;
  time_point: string | null;
  evidence: string | null;
};

/** A page of outcomes (collected in the period, when there is one). The notes are never read. */
export async function readOutcomeExportPage(
  database: Database,
  request: ExportPageRequest,
): Promise<ExportPage<OutcomeExportRow>> {
  const { values, add } = parameters();
  const page = pageOf('outcome', request, add);
  const period = request.period
    ? `AND o.data->>'collectedOn' BETWEEN ${add(request.period.from)} AND ${add(request.period.to)}`
    : '';
  const { rows } = await pageTransaction(database, (sql) =>
    sql.query<OutcomeRow>(
      `${page}
       SELECT o.entity_id AS id, (NOT o.deleted AND l.entity_id IS NOT NULL ${period}) AS included,
              o.data->>'learnerId' AS learner_id, o.data->>'code' AS code,
              o.data->>'startDate' AS start_date, o.data->>'endDate' AS end_date,
              o.data->>'collectedOn' AS collected_on, o.data->>'timePoint' AS time_point,
              o.data->>'evidence' AS evidence
       FROM page o
       ${joinLearner('o')}
       ORDER BY o.entity_id`,
      values,
    ),
  );
  return pageResult(rows, request.limit, (row) => ({
    id: row.id,
    learnerId: row.learner_id,
    code: row.code ?? '',
    startDate: row.start_date ?? '',
    endDate: row.end_date,
    collectedOn: row.collected_on ?? '',
    timePoint: row.time_point ?? '',
    evidence: row.evidence ?? '',
  }));
}

export type ExportToRecord = {
  organisationId: string;
  userId: string;
  kind: RecordedExportKind;
  period: ExportPeriod | null;
  rowCount: number;
  specialCategoryIncluded: boolean;
  status: ExportRecord['status'];
  startedAt: Date;
};

/** Records one export as it ends (finished_at is now). */
export async function recordExport(database: Database, record: ExportToRecord): Promise<void> {
  await database.query(
    `INSERT INTO exports (id, organisation_id, user_id, kind, period_from, period_to, row_count,
                          special_category_included, status, started_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [
      randomUUID(),
      record.organisationId,
      record.userId,
      record.kind,
      record.period?.from ?? null,
      record.period?.to ?? null,
      record.rowCount,
      record.specialCategoryIncluded,
      record.status,
      record.startedAt.toISOString(),
    ],
  );
}

type ExportListRow = {
  id: string;
  kind: ExportRecord['kind'];
  period_from: string | null;
  period_to: string | null;
  row_count: number;
  special_category_included: boolean;
  status: ExportRecord['status'];
  started_at: Date | string;
  finished_at: Date | string;
  user_name: string;
};

/** The organisation's most recent exports, newest first, with who took each. */
export async function listRecentExports(
  database: Database,
  organisationId: string,
  limit: number,
): Promise<ExportRecord[]> {
  const { rows } = await database.query<ExportListRow>(
    `SELECT x.id, x.kind, to_char(x.period_from, 'YYYY-MM-DD') AS period_from,
            to_char(x.period_to, 'YYYY-MM-DD') AS period_to, x.row_count, x.special_category_included,
            x.status, x.started_at, x.finished_at, u.name AS user_name
     FROM exports x JOIN users u ON u.id = x.user_id
     WHERE x.organisation_id = $1
     ORDER BY x.finished_at DESC, x.id DESC
     LIMIT $2`,
    [organisationId, limit],
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    from: row.period_from,
    to: row.period_to,
    rowCount: row.row_count,
    specialCategoryIncluded: row.special_category_included,
    status: row.status,
    startedAt: new Date(row.started_at).toISOString(),
    finishedAt: new Date(row.finished_at).toISOString(),
    userName: row.user_name,
  }));
}
