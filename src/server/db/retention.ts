// The SQL of retention: the periods a coordinator set per funding stream (a stream with none keeps its
// default, src/domain/retention.ts), each learner's last activity and funding streams read in one
// statement, and the log of runs. Anonymising a learner is their erasure (src/server/db/erasure.ts).
import { FUNDING_STREAMS, codesOf } from '../../domain/codeLists';
import { LEARNER_OWNED_TYPES } from '../../domain/access';
import {
  DEFAULT_RETENTION,
  type FundingStream,
  type LearnerActivity,
  type RetentionPeriods,
  type RetentionRun,
  type RetentionSummary,
  defaultRetentionPeriods,
  isDueForAnonymising,
} from '../../domain/retention';
import type { Sql } from './database';
import { eraseLearner } from './erasure';

/** Dated fields of a learner's records that say they were active then (edits and clocks do not). */
const ACTIVITY_FIELDS = [
  'startDate',
  'plannedEndDate',
  'actualEndDate',
  'enrolledAt',
  'appliesOn',
  'setOn',
  'reviewedOn',
  'achievedOn',
  'assessedOn',
  'awardedOn',
  'collectedOn',
  'endDate',
  'issuedOn',
  'agreedAt',
  'dueBack',
  'returnedOn',
  'capturedAt',
  'withdrawnAt',
  'markedAt',
];

/** Runs listed with the settings. */
const RUNS_SHOWN = 10;

type PeriodRow = {
  funding_stream: string;
  years: number;
  updated_at: Date | string;
  updated_by_name: string | null;
};

async function readPeriodRows(sql: Sql, organisationId: string): Promise<PeriodRow[]> {
  const { rows } = await sql.query<PeriodRow>(
    `SELECT p.funding_stream, p.years, p.updated_at, u.name AS updated_by_name
     FROM retention_periods p LEFT JOIN users u ON u.id = p.updated_by
     WHERE p.organisation_id = $1`,
    [organisationId],
  );
  return rows;
}

/** The organisation's period for every stream: what it set, else the default. */
export async function readRetentionPeriods(sql: Sql, organisationId: string): Promise<RetentionPeriods> {
  const periods = defaultRetentionPeriods();
  for (const row of await readPeriodRows(sql, organisationId)) {
    if (row.funding_stream in periods) periods[row.funding_stream as FundingStream] = Number(row.years);
  }
  return periods;
}

export async function saveRetentionPeriods(
  sql: Sql,
  request: { organisationId: string; userId: string; periods: Partial<Record<FundingStream, number>> },
): Promise<void> {
  const entries = Object.entries(request.periods);
  if (entries.length === 0) return;
  await sql.query(
    `INSERT INTO retention_periods (organisation_id, funding_stream, years, updated_by, updated_at)
     SELECT $1, p.funding_stream, p.years, $2, now()
     FROM jsonb_to_recordset($3::jsonb) AS p(funding_stream text, years smallint)
     ON CONFLICT (organisation_id, funding_stream) DO UPDATE
       SET years = excluded.years, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
    [
      request.organisationId,
      request.userId,
      JSON.stringify(entries.map(([fundingStream, years]) => ({ funding_stream: fundingStream, years }))),
    ],
  );
}

/**
 * Each learner's last activity (the latest date on their records, the sessions they were marked at,
 * or the day they were first recorded) and the funding streams of their enrolments. Learners erased
 * already, or merged into another (they go with the one kept), are left out. `learnerIds` narrows it.
 */
export async function readLearnerActivity(
  sql: Sql,
  organisationId: string,
  learnerIds: readonly string[] | null = null,
): Promise<LearnerActivity[]> {
  const { rows } = await sql.query<{
    learner_id: string;
    last_activity: string | null;
    streams: string[] | null;
  }>(
    `WITH learners AS MATERIALIZED (
       SELECT entity_id::text AS learner_id, substr(data->>'createdAt', 1, 10) AS created_on
       FROM records
       WHERE organisation_id = $1 AND entity_type = 'learner'
         AND coalesce(data->>'status', '') <> 'erased' AND data->>'mergedInto' IS NULL
         AND ($2::text[] IS NULL OR entity_id::text = ANY($2::text[]))
     ),
     days AS (
       SELECT learner_id, created_on AS day FROM learners
       UNION ALL
       SELECT r.data->>'learnerId', substr(d.value, 1, 10)
       FROM records r
       CROSS JOIN LATERAL jsonb_each_text(r.data) AS d(key, value)
       WHERE r.organisation_id = $1 AND r.entity_type = ANY($3::text[]) AND NOT r.deleted
         AND r.data->>'learnerId' IN (SELECT learner_id FROM learners)
         AND d.key = ANY($4::text[])
       UNION ALL
       SELECT a.data->>'learnerId', s.data->>'date'
       FROM records a
       JOIN records s ON s.organisation_id = a.organisation_id AND s.entity_type = 'session'
                     AND s.entity_id::text = a.data->>'sessionId'
       WHERE a.organisation_id = $1 AND a.entity_type = 'attendance' AND NOT a.deleted
         AND a.data->>'learnerId' IN (SELECT learner_id FROM learners)
     ),
     latest AS (
       SELECT learner_id, max(day COLLATE "C") AS last_activity FROM days
       WHERE day ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'
       GROUP BY learner_id
     ),
     streams AS (
       SELECT data->>'learnerId' AS learner_id, array_agg(DISTINCT data->>'fundingStream') AS streams
       FROM records
       WHERE organisation_id = $1 AND entity_type = 'enrolment' AND NOT deleted
         AND data->>'learnerId' IN (SELECT learner_id FROM learners) AND data ? 'fundingStream'
       GROUP BY data->>'learnerId'
     )
     SELECT l.learner_id, t.last_activity, s.streams
     FROM learners l
     LEFT JOIN latest t ON t.learner_id = l.learner_id
     LEFT JOIN streams s ON s.learner_id = l.learner_id
     ORDER BY l.learner_id`,
    [
      organisationId,
      learnerIds === null ? null : [...learnerIds],
      [...LEARNER_OWNED_TYPES, 'attendance'],
      ACTIVITY_FIELDS,
    ],
  );
  return rows.map((row) => ({
    learnerId: row.learner_id,
    lastActivity: row.last_activity,
    streams: row.streams ?? [],
  }));
}

/** The learners whose retention has ended on `asOf` (YYYY-MM-DD). */
export async function learnersDueForAnonymising(
  sql: Sql,
  organisationId: string,
  asOf: string,
  learnerIds: readonly string[] | null = null,
): Promise<string[]> {
  const periods = await readRetentionPeriods(sql, organisationId);
  const activity = await readLearnerActivity(sql, organisationId, learnerIds);
  return activity
    .filter((learner) => isDueForAnonymising(learner, periods, asOf))
    .map((learner) => learner.learnerId);
}

export async function recordRetentionRun(
  sql: Sql,
  run: { organisationId: string; userId: string; asOf: string; learnersAnonymised: number },
): Promise<void> {
  await sql.query(
    `INSERT INTO retention_runs (organisation_id, run_by, as_of, learners_anonymised) VALUES ($1, $2, $3, $4)`,
    [run.organisationId, run.userId, run.asOf, run.learnersAnonymised],
  );
}

async function readRuns(sql: Sql, organisationId: string): Promise<RetentionRun[]> {
  const { rows } = await sql.query<{
    run_at: Date | string;
    run_by_name: string | null;
    as_of: Date | string;
    learners_anonymised: number;
  }>(
    `SELECT r.run_at, u.name AS run_by_name, r.as_of::text AS as_of, r.learners_anonymised
     FROM retention_runs r LEFT JOIN users u ON u.id = r.run_by
     WHERE r.organisation_id = $1 ORDER BY r.run_at DESC, r.id DESC LIMIT $2`,
    [organisationId, RUNS_SHOWN],
  );
  return rows.map((row) => ({
    runAt: new Date(row.run_at).toISOString(),
    runByName: row.run_by_name,
    asOf: String(row.as_of),
    learnersAnonymised: Number(row.learners_anonymised),
  }));
}

/** The periods (set or default), how many learners are due as of `asOf`, and the last runs. */
export async function readRetentionSummary(
  sql: Sql,
  organisationId: string,
  asOf: string,
): Promise<RetentionSummary> {
  const rows = new Map((await readPeriodRows(sql, organisationId)).map((row) => [row.funding_stream, row]));
  const periods = await readRetentionPeriods(sql, organisationId);
  return {
    periods: codesOf(FUNDING_STREAMS).map((fundingStream) => {
      const row = rows.get(fundingStream);
      return {
        fundingStream,
        label: FUNDING_STREAMS.find((entry) => entry.code === fundingStream)?.label ?? fundingStream,
        years: periods[fundingStream],
        defaultYears: DEFAULT_RETENTION[fundingStream].years,
        why: DEFAULT_RETENTION[fundingStream].why,
        updatedAt: row ? new Date(row.updated_at).toISOString() : null,
        updatedByName: row?.updated_by_name ?? null,
      };
    }),
    asOf,
    dueCount: (await learnersDueForAnonymising(sql, organisationId, asOf)).length,
    runs: await readRuns(sql, organisationId),
  };
}

/**
 * Anonymises one learner found due, in the caller's transaction, by erasing them, after checking
 * again under the organisation's lock (a push since the list was read may have brought new activity).
 */
export async function anonymiseIfStillDue(
  sql: Sql,
  request: { organisationId: string; learnerId: string; userId: string; asOf: string; nowMillis: number },
): Promise<boolean> {
  await sql.query('SELECT 1 FROM organisations WHERE id = $1 FOR UPDATE', [request.organisationId]);
  const due = await learnersDueForAnonymising(sql, request.organisationId, request.asOf, [request.learnerId]);
  if (!due.includes(request.learnerId)) return false;
  const outcome = await eraseLearner(sql, {
    organisationId: request.organisationId,
    learnerId: request.learnerId,
    userId: request.userId,
    reason: 'retention',
    nowMillis: request.nowMillis,
  });
  return outcome.kind === 'erased';
}
