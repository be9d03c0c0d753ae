// The dashboard's tallies for one organisation and period, in SQL over `records`: one set-based
// statement, so 100,000 learners and a million marks are read once each. It counts exactly what
// tallyDashboard in src/domain/reports/dashboard.ts counts over a device's records, and the same
// buildDashboardFigures makes the figures, so both sides agree by construction on everything else.
//
// Dates are stored as validated YYYY-MM-DD text and compared as text in the "C" collation (the order
// of the dates themselves), so a malformed value can never make a cast throw: it just never matches.
import {
  buildDashboardFigures,
  type DashboardFigures,
  type DashboardPeriod,
  type DashboardTallies,
  type PlaceTally,
  type ValueTally,
} from '../../domain/reports/dashboard';
import type { Sql } from './database';

const DATE_PATTERN = `'^[0-9]{4}-[0-9]{2}-[0-9]{2}$'`;
const ATTENDED_MARKS = `('P', 'L', 'LE', 'R')`;
/**
 * The learner record at `alias` counts: not deleted nor merged into another. Erased learners count,
 * anonymously (src/domain/erasure.ts): their age is not known.
 */
const IS_COUNTED_LEARNER = (alias: string) => `NOT ${alias}.deleted AND ${alias}.data->>'mergedInto' IS NULL`;
const DASHBOARD_SETTINGS = [
  'SET LOCAL jit = off',
  'SET LOCAL enable_nestloop = off',
  'SET LOCAL enable_mergejoin = off',
  // Memory each hash may use before spilling to disk.
  "SET LOCAL work_mem = '64MB'",
];

/**
 * $1 organisation, $2 first day, $3 last day. Every answer row is (kind, code, label, flag, n, m):
 * kind says which tally it belongs to, n is a count and m minutes where that means something.
 */
const DASHBOARD_SQL = `
WITH counted_learners AS MATERIALIZED (
  -- Merged learners are left out, and with them everything that names them; erased ones count, age unknown.
  SELECT entity_id AS learner_uuid, entity_id::text AS learner_id,
         CASE WHEN data->>'status' = 'erased' THEN NULL ELSE data->>'dateOfBirth' END AS date_of_birth
  FROM records
  WHERE organisation_id = $1 AND entity_type = 'learner' AND ${IS_COUNTED_LEARNER('records')}
),
enrolments AS (
  SELECT data->>'learnerId' AS learner_id, (data->>'startDate') COLLATE "C" AS start_date,
         (data->>'actualEndDate') COLLATE "C" AS end_date
  FROM records
  WHERE organisation_id = $1 AND entity_type = 'enrolment' AND NOT deleted
    AND data->>'startDate' ~ ${DATE_PATTERN}
),
supported AS MATERIALIZED (
  -- anchor: the start of the learner's first enrolment overlapping the period.
  SELECT l.learner_uuid, l.learner_id, l.date_of_birth, min(e.start_date) AS first_start,
         min(e.start_date) FILTER (WHERE e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $2)) AS anchor
  FROM enrolments e JOIN counted_learners l ON l.learner_id = e.learner_id
  GROUP BY l.learner_uuid, l.learner_id, l.date_of_birth
  HAVING bool_or(e.start_date <= $3 AND (e.end_date IS NULL OR e.end_date >= $2))
),
equality AS (
  SELECT DISTINCT ON (data->>'learnerId') data->>'learnerId' AS learner_id,
         data->>'sex' AS sex, data->>'ethnicity' AS ethnicity, data->>'lldd' AS lldd
  FROM records
  WHERE organisation_id = $1 AND entity_type = 'equalityMonitoring' AND NOT deleted
  ORDER BY data->>'learnerId', entity_id DESC
),
employment AS (
  -- The latest record on or before the anchor, else the earliest; ties to the greatest id.
  SELECT DISTINCT ON (s.learner_id) s.learner_id, r.data->>'status' AS status, r.data->'benefits' AS benefits
  FROM supported s
  JOIN records r ON r.organisation_id = $1 AND r.entity_type = 'employmentStatus' AND NOT r.deleted
                AND r.data->>'learnerId' = s.learner_id
  ORDER BY s.learner_id,
           coalesce((r.data->>'appliesOn') COLLATE "C" <= s.anchor, false) DESC,
           CASE WHEN (r.data->>'appliesOn') COLLATE "C" <= s.anchor THEN (r.data->>'appliesOn') COLLATE "C" END
             DESC NULLS LAST,
           (r.data->>'appliesOn') COLLATE "C" ASC NULLS LAST,
           r.entity_id DESC
),
learner_rows AS MATERIALIZED (
  SELECT s.learner_id,
         s.first_start >= $2 AS is_new,
         CASE WHEN s.date_of_birth ~ ${DATE_PATTERN} THEN
           substr(s.anchor, 1, 4)::int - substr(s.date_of_birth, 1, 4)::int
             - CASE WHEN substr(s.anchor, 6) COLLATE "C" < substr(s.date_of_birth, 6) THEN 1 ELSE 0 END
         END AS age,
         q.sex, q.ethnicity, q.lldd,
         m.learner_id IS NOT NULL AS has_employment, m.status AS employment,
         CASE WHEN jsonb_typeof(m.benefits) = 'array' THEN m.benefits ELSE '[]'::jsonb END AS benefits,
         p.in_priority_area, p.area_name
  FROM supported s
  LEFT JOIN equality q ON q.learner_id = s.learner_id
  LEFT JOIN employment m ON m.learner_id = s.learner_id
  LEFT JOIN learner_priority_areas p ON p.organisation_id = $1 AND p.learner_id = s.learner_uuid
),
marks AS MATERIALIZED (
  -- The period's marks, read once with the session they were at. Joined to records directly, not to
  -- CTEs, so PostgreSQL can share the scan of a million marks among parallel workers.
  SELECT s.entity_id AS session_id, s.venue_id, s.programme_id, s.tutor_names, l.entity_id AS learner_id,
         a.data->>'mark' AS mark,
         CASE WHEN jsonb_typeof(a.data->'minutesAttended') = 'number'
           THEN (a.data->>'minutesAttended')::numeric ELSE 0 END AS minutes
  FROM records a
  JOIN (
    SELECT entity_id, data->>'venueId' AS venue_id, data->>'programmeId' AS programme_id,
           data->'tutorNames' AS tutor_names
    FROM records
    WHERE organisation_id = $1 AND entity_type = 'session' AND NOT deleted
      AND (data->>'date') COLLATE "C" BETWEEN $2 AND $3
      AND (data->>'status') IS DISTINCT FROM 'cancelled'
  ) AS s ON s.entity_id::text = a.data->>'sessionId'
  JOIN records l ON l.organisation_id = $1 AND l.entity_type = 'learner' AND l.entity_id::text = a.data->>'learnerId'
  WHERE a.organisation_id = $1 AND a.entity_type = 'attendance' AND NOT a.deleted
    AND ${IS_COUNTED_LEARNER('l')}
),
attended AS MATERIALIZED (
  -- Each learner's attended minutes per venue, programme and tutors: far fewer rows than marks.
  SELECT venue_id, programme_id, tutor_names, learner_id, sum(minutes) AS minutes
  FROM marks WHERE mark IN ${ATTENDED_MARKS}
  GROUP BY venue_id, programme_id, tutor_names, learner_id
),
named AS (
  SELECT entity_type, entity_id::text AS id, coalesce(data->>'name', data->>'title') AS label
  FROM records
  WHERE organisation_id = $1 AND entity_type IN ('venue', 'programme')
)
SELECT 'headline' AS kind, 'learners' AS code, NULL AS label, NULL::boolean AS flag,
       count(*) AS n, count(*) FILTER (WHERE is_new) AS m
FROM learner_rows
UNION ALL
SELECT 'headline', 'sessions', NULL, NULL, count(*), NULL
FROM (SELECT session_id FROM marks WHERE mark IN ${ATTENDED_MARKS} GROUP BY session_id) AS delivered
UNION ALL
SELECT 'mark', mark, NULL, NULL, count(*), sum(minutes)::bigint FROM marks GROUP BY mark
UNION ALL
-- Each place's learners counted once: grouped by place and learner first, by hashing rather than sorting.
SELECT 'venue', a.venue_id, v.label, NULL, count(*), sum(a.minutes)::bigint
FROM (SELECT venue_id, learner_id, sum(minutes) AS minutes FROM attended GROUP BY venue_id, learner_id) AS a
LEFT JOIN named v ON v.entity_type = 'venue' AND v.id = a.venue_id
GROUP BY a.venue_id, v.label
UNION ALL
SELECT 'programme', a.programme_id, p.label, NULL, count(*), sum(a.minutes)::bigint
FROM (SELECT programme_id, learner_id, sum(minutes) AS minutes FROM attended GROUP BY programme_id, learner_id) AS a
LEFT JOIN named p ON p.entity_type = 'programme' AND p.id = a.programme_id
GROUP BY a.programme_id, p.label
UNION ALL
SELECT 'tutor', a.name, a.name, NULL, count(*), sum(a.minutes)::bigint
FROM (SELECT t.name, a.learner_id, sum(a.minutes) AS minutes
      FROM attended a
      CROSS JOIN LATERAL (
        SELECT DISTINCT name FROM jsonb_array_elements_text(
          CASE WHEN jsonb_typeof(a.tutor_names) = 'array' THEN a.tutor_names ELSE '[]'::jsonb END) AS names(name)
      ) AS t
      GROUP BY t.name, a.learner_id) AS a
GROUP BY a.name
UNION ALL
SELECT 'age', age::text, NULL, NULL, count(*), NULL FROM learner_rows GROUP BY age
UNION ALL
SELECT 'sex', sex, NULL, NULL, count(*), NULL FROM learner_rows GROUP BY sex
UNION ALL
SELECT 'ethnicity', ethnicity, NULL, NULL, count(*), NULL FROM learner_rows GROUP BY ethnicity
UNION ALL
SELECT 'lldd', lldd, NULL, NULL, count(*), NULL FROM learner_rows GROUP BY lldd
UNION ALL
SELECT 'employment', employment, NULL, NULL, count(*), NULL FROM learner_rows GROUP BY employment
UNION ALL
SELECT 'benefit', b.code, NULL, NULL, count(DISTINCT lr.learner_id), NULL
FROM learner_rows lr CROSS JOIN LATERAL jsonb_array_elements_text(lr.benefits) AS b(code)
GROUP BY b.code
UNION ALL
SELECT 'benefit', CASE WHEN has_employment THEN 'none' END, NULL, NULL, count(*), NULL
FROM learner_rows WHERE jsonb_array_length(benefits) = 0
GROUP BY has_employment
UNION ALL
SELECT 'priority', area_name, NULL, in_priority_area, count(*), NULL
FROM learner_rows GROUP BY in_priority_area, area_name
UNION ALL
SELECT 'passport', r.data->>'level', NULL, NULL, count(DISTINCT l.learner_id), NULL
FROM records r JOIN counted_learners l ON l.learner_id = r.data->>'learnerId'
WHERE r.organisation_id = $1 AND r.entity_type = 'passportAward' AND NOT r.deleted
  AND (r.data->>'awardedOn') COLLATE "C" BETWEEN $2 AND $3
GROUP BY r.data->>'level'
UNION ALL
SELECT 'outcome', r.data->>'code', NULL, NULL, count(*), NULL
FROM records r JOIN counted_learners l ON l.learner_id = r.data->>'learnerId'
WHERE r.organisation_id = $1 AND r.entity_type = 'outcome' AND NOT r.deleted
  AND (r.data->>'collectedOn') COLLATE "C" BETWEEN $2 AND $3
GROUP BY r.data->>'code'
`;

type TallyRow = {
  kind: string;
  code: string | null;
  label: string | null;
  flag: boolean | null;
  n: number;
  m: number | null;
};

const ATTENDED: ReadonlySet<string | null> = new Set(['P', 'L', 'LE', 'R']);

/** The organisation's tallies for the period, read in one statement. */
export async function readDashboardTallies(
  sql: Sql,
  organisationId: string,
  period: DashboardPeriod,
): Promise<DashboardTallies> {
  // The planner cannot estimate joins on jsonb fields (it guesses a few hundred learners where there
  // are 100,000): a nested loop chosen on that guess ran for minutes at scale. Whole-organisation
  // counts want hash joins and in-memory hashes; and JIT compiling this statement cost seconds more
  // than it saved. For this transaction only.
  for (const setting of DASHBOARD_SETTINGS) await sql.query(setting);
  const { rows } = await sql.query<TallyRow>(DASHBOARD_SQL, [organisationId, period.from, period.to]);
  const of = (kind: string) => rows.filter((row) => row.kind === kind);
  const headline = (code: string) => of('headline').find((row) => row.code === code);
  const places = (kind: string): PlaceTally[] =>
    of(kind).map((row) => ({
      code: row.code ?? '',
      label: row.label,
      learners: row.n,
      minutes: row.m ?? 0,
    }));
  const values = (kind: string): ValueTally[] =>
    of(kind).map((row) => ({ value: row.code, learners: row.n }));
  return {
    learnersSupported: headline('learners')?.n ?? 0,
    newLearners: headline('learners')?.m ?? 0,
    sessionsDelivered: headline('sessions')?.n ?? 0,
    marks: of('mark').map((row) => ({ mark: row.code ?? '', marks: row.n })),
    attendedMinutes: of('mark')
      .filter((row) => ATTENDED.has(row.code))
      .reduce((sum, row) => sum + (row.m ?? 0), 0),
    passports: of('passport').map((row) => ({ level: row.code ?? '', learners: row.n })),
    outcomes: of('outcome').map((row) => ({ code: row.code ?? '', outcomes: row.n })),
    venue: places('venue'),
    programme: places('programme'),
    tutor: places('tutor'),
    ages: of('age').map((row) => ({ age: row.code === null ? null : Number(row.code), learners: row.n })),
    sex: values('sex'),
    ethnicity: values('ethnicity'),
    lldd: values('lldd'),
    employment: values('employment'),
    benefit: values('benefit'),
    priority: of('priority').map((row) => ({
      inPriorityArea: row.flag,
      areaName: row.code,
      learners: row.n,
    })),
  };
}

/** The whole organisation's dashboard for the period, as the route answers it. */
export async function readDashboard(
  sql: Sql,
  organisationId: string,
  period: DashboardPeriod,
): Promise<DashboardFigures> {
  return buildDashboardFigures(await readDashboardTallies(sql, organisationId, period), period, 'server');
}
