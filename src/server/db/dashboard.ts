// The dashboard's tallies for one organisation and period, in SQL: one set-based statement over the
// summaries src/server/db/dashboardSummaries.ts keeps (brought up to date first, in the same
// transaction), so 100,000 learners and a million marks take well under a second. It counts exactly what
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
import { refreshDashboardSummaries } from './dashboardSummaries';

/**
 * A place row whose days span ($2 to $3) overlaps the period counts when it lies wholly inside it, or
 * when one of its days does.
 */
const PLACE_IN_PERIOD = `p.first_day <= $3 AND p.last_day >= $2
  AND ((p.first_day >= $2 AND p.last_day <= $3)
       OR EXISTS (SELECT 1 FROM unnest(p.days) AS d(day) WHERE d.day BETWEEN $2 AND $3))`;
const DASHBOARD_SETTINGS = [
  'SET LOCAL jit = off',
  'SET LOCAL enable_nestloop = off',
  'SET LOCAL enable_mergejoin = off',
  // Set otherwise for small rebuilds of the summaries, earlier in the transaction.
  'SET LOCAL enable_hashjoin = on',
  'SET LOCAL enable_seqscan = on',
  // Memory each hash may use before spilling to disk.
  "SET LOCAL work_mem = '64MB'",
];

/**
 * $1 organisation, $2 first day, $3 last day, over the summaries (src/server/db/dashboardSummaries.ts).
 * Every answer row is (kind, code, label, flag, n, m): kind says which tally it belongs to, n is a
 * count and m minutes where that means something.
 */
const DASHBOARD_SQL = `
WITH learner_rows AS MATERIALIZED (
  -- Each learner as on the start of their first enrolment overlapping the period.
  SELECT e.learner_id, e.first_start >= $2 AS is_new, e.age, e.sex, e.ethnicity, e.lldd,
         e.has_employment, e.employment, e.benefits, p.in_priority_area, p.area_name
  FROM (
    SELECT DISTINCT ON (learner_id) *
    FROM dashboard_enrolments
    WHERE organisation_id = $1 AND start_date <= $3 AND (end_date IS NULL OR end_date >= $2)
    ORDER BY learner_id, start_date
  ) AS e
  LEFT JOIN learner_priority_areas p ON p.organisation_id = $1 AND p.learner_id = e.learner_id
),
sessions AS MATERIALIZED (
  SELECT session_id, venue_id, programme_id, tutor_names, attended_marks, attended_minutes
  FROM dashboard_sessions
  WHERE organisation_id = $1 AND day BETWEEN $2 AND $3
),
place_learners AS (
  -- Each learner once per place: a row is one learner's days at one place.
  SELECT p.kind, p.place, count(*) AS learners
  FROM dashboard_learner_places p
  WHERE p.organisation_id = $1 AND ${PLACE_IN_PERIOD}
  GROUP BY p.kind, p.place
),
place_minutes AS (
  SELECT 'venue' AS kind, venue_id AS place, sum(attended_minutes) AS minutes FROM sessions GROUP BY venue_id
  UNION ALL
  SELECT 'programme', programme_id, sum(attended_minutes) FROM sessions GROUP BY programme_id
  UNION ALL
  SELECT 'tutor', t.name, sum(s.attended_minutes)
  FROM sessions s CROSS JOIN LATERAL unnest(s.tutor_names) AS t(name)
  GROUP BY t.name
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
SELECT 'headline', 'sessions', NULL, NULL, count(*), NULL FROM sessions WHERE attended_marks > 0
UNION ALL
SELECT 'mark', mark, NULL, NULL, sum(marks), sum(minutes)::bigint
FROM dashboard_session_marks
WHERE organisation_id = $1 AND day BETWEEN $2 AND $3
GROUP BY mark
UNION ALL
SELECT pl.kind, pl.place,
       CASE pl.kind WHEN 'tutor' THEN pl.place ELSE n.label END,
       NULL, pl.learners, coalesce(pm.minutes, 0)::bigint
FROM place_learners pl
LEFT JOIN place_minutes pm ON pm.kind = pl.kind AND pm.place IS NOT DISTINCT FROM pl.place
LEFT JOIN named n ON n.entity_type = pl.kind AND n.id = pl.place
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
-- Each learner's benefits are distinct (see dashboard_employment).
SELECT 'benefit', b.code, NULL, NULL, count(*), NULL
FROM learner_rows lr CROSS JOIN LATERAL unnest(lr.benefits) AS b(code)
GROUP BY b.code
UNION ALL
SELECT 'benefit', CASE WHEN has_employment THEN 'none' END, NULL, NULL, count(*), NULL
FROM learner_rows WHERE cardinality(benefits) = 0
GROUP BY has_employment
UNION ALL
SELECT 'priority', area_name, NULL, in_priority_area, count(*), NULL
FROM learner_rows GROUP BY in_priority_area, area_name
UNION ALL
SELECT 'passport', level, NULL, NULL, count(DISTINCT learner_id), NULL
FROM dashboard_passports
WHERE organisation_id = $1 AND awarded_on BETWEEN $2 AND $3
GROUP BY level
UNION ALL
SELECT 'outcome', code, NULL, NULL, count(*), NULL
FROM dashboard_outcomes
WHERE organisation_id = $1 AND collected_on BETWEEN $2 AND $3
GROUP BY code
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
  await refreshDashboardSummaries(sql, organisationId);
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
