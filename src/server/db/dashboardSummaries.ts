// The dashboard's summaries (migration 012): narrow tables derived from `records` per learner and per
// session, so the dashboard counts a hundred thousand learners and a million marks in well under a
// second. Writes to `records` mark what they touched as stale (a trigger); this rebuilds the stale
// learners and sessions from `records`, and runs before every dashboard read, in its transaction.
//
// The rules are the ones src/domain/reports/dashboard.ts counts by on a device: a learner counts unless
// deleted or merged into another; an erased one counts with no date of birth; only enrolments with a
// start date count; a mark counts unless deleted, its session deleted or cancelled, or its learner not
// counted; P, L, LE and R are attended.
import type { Database, Sql } from './database';

const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_PATTERN = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
/**
 * A jsonb text field as a uuid, or null when it is not one (a cast would throw): records name each
 * other by uuid, and comparing uuids lets a join use the primary keys.
 */
const AS_UUID = (text: string) => `CASE WHEN ${text} ~ '${UUID_PATTERN.source}' THEN (${text})::uuid END`;
export const ATTENDED_MARKS_SQL = `('P', 'L', 'LE', 'R')`;
/** A minutesAttended that is not a number counts as none, as on a device. */
const MINUTES_OF = (alias: string) =>
  `CASE WHEN jsonb_typeof(${alias}.data->'minutesAttended') = 'number'
     THEN (${alias}.data->>'minutesAttended')::numeric ELSE 0 END`;

/** $1 organisation, $2 learner ids (text[]): who rebuilds, and the sessions their marks are at. */
const SESSIONS_OF_LEARNERS = `
SELECT DISTINCT data->>'sessionId' AS id FROM records
WHERE organisation_id = $1 AND entity_type = 'attendance' AND data ? 'learnerId'
  AND data->>'learnerId' = ANY($2::text[])`;

/** $1 organisation, $2 session ids (text[]): the learners marked at them. */
const LEARNERS_OF_SESSIONS = `
SELECT DISTINCT data->>'learnerId' AS id FROM records
WHERE organisation_id = $1 AND entity_type = 'attendance' AND data->>'sessionId' = ANY($2::text[])`;

/** Copies counted learners' records of one type into `table`: its id, and `fields` as column: field. */
function copyOfLearnersRecords(
  table: string,
  idColumn: string,
  entityType: string,
  fields: Record<string, string>,
): string {
  const columns = Object.keys(fields).join(', ');
  const values = Object.values(fields)
    .map((field) => `r.data->>'${field}'`)
    .join(', ');
  return `INSERT INTO ${table} (organisation_id, learner_id, ${idColumn}, ${columns})
   SELECT $1, l.learner_id, r.entity_id, ${values}
   FROM records r
   JOIN dashboard_learners l ON l.organisation_id = $1 AND l.learner_id = ${AS_UUID("r.data->>'learnerId'")}
   WHERE r.organisation_id = $1 AND r.entity_type = '${entityType}' AND NOT r.deleted
     AND r.data ? 'learnerId' AND r.data->>'learnerId' = ANY($2::text[])`;
}

/** Each statement takes $1 organisation and $2 the learners (uuid[]) to rebuild. */
const REBUILD_LEARNERS = [
  `DELETE FROM dashboard_learners WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_enrolments WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_employment WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_learner_places WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_passports WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_outcomes WHERE organisation_id = $1 AND learner_id = ANY($2::uuid[])`,
  // Equality answers from the learner's latest equality record (the greatest id, as on a device).
  `INSERT INTO dashboard_learners (organisation_id, learner_id, date_of_birth, sex, ethnicity, lldd)
   SELECT $1, l.entity_id,
          CASE WHEN l.data->>'status' = 'erased' THEN NULL ELSE l.data->>'dateOfBirth' END,
          q.sex, q.ethnicity, q.lldd
   FROM records l
   LEFT JOIN (
     SELECT DISTINCT ON (data->>'learnerId') data->>'learnerId' AS learner_id,
            data->>'sex' AS sex, data->>'ethnicity' AS ethnicity, data->>'lldd' AS lldd
     FROM records
     WHERE organisation_id = $1 AND entity_type = 'equalityMonitoring' AND NOT deleted
       AND data ? 'learnerId' AND data->>'learnerId' = ANY($2::text[])
     ORDER BY data->>'learnerId', entity_id DESC
   ) AS q ON q.learner_id = l.entity_id::text
   WHERE l.organisation_id = $1 AND l.entity_type = 'learner' AND l.entity_id = ANY($2::uuid[])
     AND NOT l.deleted AND l.data->>'mergedInto' IS NULL`,
  // One status per day (the greatest id); the first dated one also answers for every day before it;
  // an undated one only when there is no dated one.
  `INSERT INTO dashboard_employment (organisation_id, learner_id, record_id, applies_from, applies_until,
                                     status, benefits)
   WITH statuses AS (
     SELECT l.learner_id, r.entity_id, (r.data->>'appliesOn') COLLATE "C" AS applies_on, r.data->>'status' AS status,
            ARRAY(SELECT DISTINCT code FROM jsonb_array_elements_text(
              CASE WHEN jsonb_typeof(r.data->'benefits') = 'array' THEN r.data->'benefits' ELSE '[]'::jsonb END
            ) AS codes(code) ORDER BY code) AS benefits,
            row_number() OVER (PARTITION BY l.learner_id, r.data->>'appliesOn' ORDER BY r.entity_id DESC) AS rank_on_day
     FROM records r
     JOIN dashboard_learners l ON l.organisation_id = $1 AND l.learner_id = ${AS_UUID("r.data->>'learnerId'")}
     WHERE r.organisation_id = $1 AND r.entity_type = 'employmentStatus' AND NOT r.deleted
       AND r.data ? 'learnerId' AND r.data->>'learnerId' = ANY($2::text[])
   ),
   spans AS (
     SELECT *,
            row_number() OVER by_day AS position,
            lead(applies_on) OVER by_day AS next_applies_on,
            bool_or(applies_on IS NOT NULL) OVER (PARTITION BY learner_id) AS any_dated
     FROM statuses WHERE rank_on_day = 1
     WINDOW by_day AS (PARTITION BY learner_id ORDER BY applies_on ASC NULLS LAST)
   )
   SELECT $1, learner_id, entity_id,
          CASE WHEN position = 1 THEN '' ELSE applies_on END,
          CASE WHEN applies_on IS NULL THEN '~' ELSE coalesce(next_applies_on, '~') END,
          status, benefits
   FROM spans
   WHERE applies_on IS NOT NULL OR NOT any_dated`,
  // After the employment statuses: each enrolment with the learner as on its start date.
  `INSERT INTO dashboard_enrolments (organisation_id, learner_id, enrolment_id, start_date, end_date, first_start,
                                     age, sex, ethnicity, lldd, has_employment, employment, benefits)
   SELECT $1, l.learner_id, e.entity_id, e.start_date, e.end_date,
          min(e.start_date) OVER (PARTITION BY l.learner_id),
          CASE WHEN l.date_of_birth ~ ${DATE_PATTERN} THEN
            substr(e.start_date, 1, 4)::int - substr(l.date_of_birth, 1, 4)::int
              - CASE WHEN substr(e.start_date, 6) < substr(l.date_of_birth, 6) THEN 1 ELSE 0 END
          END,
          l.sex, l.ethnicity, l.lldd, m.learner_id IS NOT NULL, m.status, coalesce(m.benefits, '{}'::text[])
   FROM (
     SELECT entity_id, data->>'learnerId' AS learner_id, (data->>'startDate') COLLATE "C" AS start_date,
            (data->>'actualEndDate') COLLATE "C" AS end_date
     FROM records
     WHERE organisation_id = $1 AND entity_type = 'enrolment' AND NOT deleted
       AND data ? 'learnerId' AND data->>'learnerId' = ANY($2::text[])
       AND data->>'startDate' ~ ${DATE_PATTERN}
   ) AS e
   JOIN dashboard_learners l ON l.organisation_id = $1 AND l.learner_id = ${AS_UUID('e.learner_id')}
   LEFT JOIN dashboard_employment m ON m.organisation_id = $1 AND m.learner_id = l.learner_id
                                   AND e.start_date >= m.applies_from AND e.start_date < m.applies_until`,
  copyOfLearnersRecords('dashboard_passports', 'award_id', 'passportAward', {
    level: 'level',
    awarded_on: 'awardedOn',
  }),
  copyOfLearnersRecords('dashboard_outcomes', 'outcome_id', 'outcome', {
    code: 'code',
    collected_on: 'collectedOn',
  }),
  // The days of attended marks per venue, programme and tutor (each name once per session).
  `INSERT INTO dashboard_learner_places (organisation_id, learner_id, kind, place, first_day, last_day, days)
   SELECT $1, learner_id, kind, place, min(day), max(day), array_agg(DISTINCT day ORDER BY day)
   FROM (
     SELECT l.learner_id, (s.data->>'date') COLLATE "C" AS day, s.data->>'venueId' AS venue_id,
            s.data->>'programmeId' AS programme_id,
            CASE WHEN jsonb_typeof(s.data->'tutorNames') = 'array' THEN s.data->'tutorNames' ELSE '[]'::jsonb END
              AS tutor_names
     FROM records a
     JOIN dashboard_learners l ON l.organisation_id = $1 AND l.learner_id = ${AS_UUID("a.data->>'learnerId'")}
     JOIN records s ON s.organisation_id = $1 AND s.entity_type = 'session' AND s.entity_id = ${AS_UUID("a.data->>'sessionId'")}
     WHERE a.organisation_id = $1 AND a.entity_type = 'attendance' AND NOT a.deleted
       AND a.data ? 'learnerId' AND a.data->>'learnerId' = ANY($2::text[])
       AND a.data->>'mark' IN ${ATTENDED_MARKS_SQL}
       AND NOT s.deleted AND (s.data->>'status') IS DISTINCT FROM 'cancelled' AND s.data->>'date' IS NOT NULL
   ) AS marks
   CROSS JOIN LATERAL (
     SELECT 'venue' AS kind, venue_id AS place
     UNION ALL SELECT 'programme', programme_id
     UNION ALL SELECT DISTINCT 'tutor', name FROM jsonb_array_elements_text(tutor_names) AS names(name)
   ) AS places
   GROUP BY learner_id, kind, place`,
];

/** Each statement takes $1 organisation and $2 the sessions (uuid[]) to rebuild; learners are current. */
const REBUILD_SESSIONS = [
  `DELETE FROM dashboard_sessions WHERE organisation_id = $1 AND session_id = ANY($2::uuid[])`,
  `DELETE FROM dashboard_session_marks WHERE organisation_id = $1 AND session_id = ANY($2::uuid[])`,
  // The sessions' marks once, into both tables.
  `WITH rebuilt_marks AS (
     SELECT s.entity_id AS session_id, (s.data->>'date') COLLATE "C" AS day, s.data->>'venueId' AS venue_id,
            s.data->>'programmeId' AS programme_id,
            ARRAY(SELECT DISTINCT name FROM jsonb_array_elements_text(
              CASE WHEN jsonb_typeof(s.data->'tutorNames') = 'array' THEN s.data->'tutorNames' ELSE '[]'::jsonb END
            ) AS names(name) ORDER BY name) AS tutor_names,
            a.data->>'mark' AS mark, ${MINUTES_OF('a')} AS minutes, a.entity_id IS NOT NULL AS marked
     FROM records s
     LEFT JOIN LATERAL (
       SELECT a.entity_id, a.data FROM records a
       JOIN dashboard_learners l ON l.organisation_id = $1 AND l.learner_id = ${AS_UUID("a.data->>'learnerId'")}
       WHERE a.organisation_id = $1 AND a.entity_type = 'attendance' AND NOT a.deleted
         AND a.data->>'sessionId' = s.entity_id::text
     ) AS a ON true
     WHERE s.organisation_id = $1 AND s.entity_type = 'session' AND s.entity_id = ANY($2::uuid[])
       AND NOT s.deleted AND (s.data->>'status') IS DISTINCT FROM 'cancelled'
   ),
   sessions AS (
     INSERT INTO dashboard_sessions (organisation_id, session_id, day, venue_id, programme_id, tutor_names,
                                     attended_marks, attended_minutes)
     SELECT $1, session_id, day, venue_id, programme_id, tutor_names,
            count(*) FILTER (WHERE mark IN ${ATTENDED_MARKS_SQL}),
            coalesce(sum(minutes) FILTER (WHERE mark IN ${ATTENDED_MARKS_SQL}), 0)
     FROM rebuilt_marks
     GROUP BY session_id, day, venue_id, programme_id, tutor_names
   )
   INSERT INTO dashboard_session_marks (organisation_id, session_id, day, mark, marks, minutes)
   SELECT $1, session_id, day, mark, count(*), sum(minutes)
   FROM rebuilt_marks WHERE marked
   GROUP BY session_id, day, mark`,
];

/** Learners and sessions beyond which a rebuild reads whole tables rather than looking each one up. */
const LARGE_REBUILD = 2000;

/** Distinct ids, as written (records name each other in text), leaving out any that is not a uuid. */
function uuidsOf(ids: Iterable<string | null>): string[] {
  return [...new Set([...ids].filter((id): id is string => id !== null && UUID_PATTERN.test(id)))];
}

/**
 * A few learners are best found through the indexes, one by one; many (a first build, a day's
 * imports) by reading each table once and hashing. The planner misjudges lookups by jsonb fields (it
 * read all of `records` to rebuild ten learners), so it is told which. JIT compiling these statements
 * costs far more than it saves. For the rest of the transaction: the caller sets what it needs after.
 */
async function planFor(sql: Sql, many: boolean): Promise<void> {
  for (const [setting, value] of [
    ['enable_nestloop', many ? 'off' : 'on'],
    ['enable_hashjoin', many ? 'on' : 'off'],
    ['enable_mergejoin', 'off'],
    ['enable_seqscan', many ? 'on' : 'off'],
    ['jit', 'off'],
  ] as const) {
    await sql.query(`SELECT set_config($1, $2, true)`, [setting, value]);
  }
}

export type SummariesRebuilt = { learners: number; sessions: number };

/**
 * Rebuilds what writes since the last call left stale, for one organisation. Learners first (the
 * sessions' counts need to know who counts), each with the sessions they were marked at, and each
 * stale session with the learners marked at it (a session that moved changes their places).
 */
export async function refreshDashboardSummaries(
  sql: Sql,
  organisationId: string,
  /** Learners and sessions beyond which whole tables are read (tests set it to try both ways). */
  largeRebuild = LARGE_REBUILD,
): Promise<SummariesRebuilt> {
  const { rows: stale } = await sql.query<{ kind: string; id: string }>(
    `DELETE FROM dashboard_stale WHERE organisation_id = $1 RETURNING kind, id`,
    [organisationId],
  );
  if (stale.length === 0) return { learners: 0, sessions: 0 };
  const staleLearners = uuidsOf(stale.filter((row) => row.kind === 'learner').map((row) => row.id));
  const staleSessions = uuidsOf(stale.filter((row) => row.kind === 'session').map((row) => row.id));
  await planFor(sql, stale.length > largeRebuild);
  const markedLearners = await sql.query<{ id: string | null }>(LEARNERS_OF_SESSIONS, [
    organisationId,
    staleSessions,
  ]);
  const markedSessions = await sql.query<{ id: string | null }>(SESSIONS_OF_LEARNERS, [
    organisationId,
    staleLearners,
  ]);
  const learners = uuidsOf([...staleLearners, ...markedLearners.rows.map((row) => row.id)]);
  const sessions = uuidsOf([...staleSessions, ...markedSessions.rows.map((row) => row.id)]);
  await planFor(sql, learners.length + sessions.length > largeRebuild);
  for (const statement of REBUILD_LEARNERS) await sql.query(statement, [organisationId, learners]);
  for (const statement of REBUILD_SESSIONS) await sql.query(statement, [organisationId, sessions]);
  return { learners: learners.length, sessions: sessions.length };
}

/**
 * Every organisation's summaries brought up to date, at start: after this migration (or a restore)
 * the first build reads every record, which at a million marks takes a minute, and should not fall
 * to a coordinator's request (or a proxy's time limit).
 */
export async function refreshAllDashboardSummaries(
  database: Pick<Database, 'query' | 'transaction'>,
): Promise<SummariesRebuilt> {
  const { rows } = await database.query<{ organisation_id: string }>(
    `SELECT DISTINCT organisation_id FROM dashboard_stale`,
  );
  const total: SummariesRebuilt = { learners: 0, sessions: 0 };
  for (const { organisation_id: organisationId } of rows) {
    const rebuilt = await database.transaction((sql) => refreshDashboardSummaries(sql, organisationId));
    total.learners += rebuilt.learners;
    total.sessions += rebuilt.sessions;
  }
  return total;
}
