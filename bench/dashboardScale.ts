// The dashboard at scale: 100,000 learners and 1,000,000 attendance marks generated with SQL straight
// into a throwaway PostgreSQL database (jsonb shaped as the app stores them), then the whole
// dashboard (readDashboard: bringing its summaries up to date, then its statement) timed against a
// baseline on the same data: counting the attendance rows. Also timed: the first build of the
// summaries from nothing, and the first dashboard after a day's marks change (what the summaries
// rebuild then). Run alone with `tsx bench/dashboardScale.ts`; bench/run.ts runs it too.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { type RunningServer, startServer } from '../tests/helpers/server';
import { createThrowawayDatabase } from '../tests/helpers/serverDb';
import { type Database, openDatabase } from '../src/server/db/database';
import { readDashboard } from '../src/server/db/dashboard';
import type { DashboardPeriod } from '../src/domain/reports/dashboard';

export const SCALE_LEARNERS = 100_000;
export const SCALE_MARKS = 1_000_000;
const SESSIONS = 100_000;
const MARKS_PER_SESSION = SCALE_MARKS / SESSIONS;
const SESSIONS_PER_COURSE = 10;
/** Learner i is on course i / 10 (its ten learners), which starts on this day after 1 January 2025. */
const COURSE_START_DAY = `((i / ${MARKS_PER_SESSION}) * 7) % 660`;
export const SCALE_REPEATS = 3;
/** The goal of the issue: the whole dashboard within a second. */
export const DASHBOARD_GOAL_MS = 1000;

/** Sessions run over two years; a dashboard is usually asked for one. */
export const SCALE_PERIODS: { label: string; period: DashboardPeriod }[] = [
  { label: 'one year (half the marks)', period: { from: '2026-01-01', to: '2026-12-31' } },
  { label: 'both years (every mark)', period: { from: '2025-01-01', to: '2026-12-31' } },
];

/** A stable uuid per kind and number, so records can name each other. */
const uuidOf = (kind: string, number: string) => `md5('${kind}' || ${number})::uuid`;
const dayAfter = (first: string, days: string) => `to_char(date '${first}' + (${days})::int, 'YYYY-MM-DD')`;
const BASE = (id: string) =>
  `'id', ${id}, 'createdAt', '2026-01-05T10:00:00.000Z', 'updatedAt', '2026-01-05T10:00:00.000Z',
   'deviceId', 'bench-tablet', 'deleted', false`;

/**
 * Each statement fills one entity type of the organisation set up through the API; change_seq only
 * has to be unique and increasing per type block.
 */
const generateStatements = (organisationId: string): string[] => [
  // 20 venues, 50 programmes.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'venue', ${uuidOf('venue', 'i')}, jsonb_build_object(${BASE(uuidOf('venue', 'i'))},
     'name', 'Venue ' || i, 'address', i || ' High Street', 'postcode', 'L203NJ',
     'accessibilityFeatures', '["step-free"]'::jsonb, 'publicWifi', true, 'loanDevicesKept', false, 'active', true), i
   FROM generate_series(0, 19) AS i`,
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'programme', ${uuidOf('programme', 'i')}, jsonb_build_object(${BASE(uuidOf('programme', 'i'))},
     'title', 'Programme ' || i, 'description', 'Weekly sessions', 'type', 'tailored-learning', 'level', 'entry-3',
     'fundingStream', 'asf-tailored', 'plannedGuidedLearningHours', 12, 'defaultVenueId', ${uuidOf('venue', 'i % 20')},
     'deliveryMode', 'face-to-face', 'targetGroups', '["50-plus"]'::jsonb, 'capacity', 12,
     'startDate', '2025-01-01', 'endDate', '2026-12-31', 'status', 'running'), 100 + i
   FROM generate_series(0, 49) AS i`,
  // 100,000 sessions: 10,000 courses of ten weekly sessions, starting over two years; 2% cancelled.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'session', ${uuidOf('session', 'i')}, jsonb_build_object(${BASE(uuidOf('session', 'i'))},
     'programmeId', ${uuidOf('programme', 'c % 50')}, 'venueId', ${uuidOf('venue', 'c % 20')},
     'tutorNames', jsonb_build_array('Tutor ' || (c % 40)), 'tutorIds', '[]'::jsonb,
     'date', ${dayAfter('2025-01-01', 'day')},
     'scheduledStart', ${dayAfter('2025-01-01', 'day')} || 'T10:00:00.000Z',
     'scheduledEnd', ${dayAfter('2025-01-01', 'day')} || 'T12:00:00.000Z',
     'actualStart', null, 'actualEnd', null,
     'status', CASE WHEN i % 50 = 0 THEN 'cancelled' ELSE 'delivered' END,
     'cancelledReason', '', 'notes', ''), 1000 + i
   FROM generate_series(0, ${SESSIONS - 1}) AS i,
        LATERAL (SELECT i / ${SESSIONS_PER_COURSE} AS c) AS course,
        LATERAL (SELECT (c * 7) % 660 + (i % ${SESSIONS_PER_COURSE}) * 7 AS day) AS scheduled`,
  // 100,000 learners: 0.5% erased, 0.5% merged into another.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'learner', ${uuidOf('learner', 'i')}, jsonb_build_object(${BASE(uuidOf('learner', 'i'))},
     'givenNames', 'Given' || i, 'familyName', 'Family' || i, 'preferredName', '',
     'dateOfBirth', ${dayAfter('1940-01-01', '(i * 37) % 25000')},
     'addressLines', jsonb_build_array(i || ' Marsh Lane'), 'town', 'Bootle', 'postcode', 'L203NJ',
     'postcodeUnknown', false, 'phone', '07700 900' || lpad((i % 1000)::text, 3, '0'),
     'email', 'learner' || i || '@example.org', 'preferredLanguage', 'en', 'needsInterpreter', false,
     'bslUser', false, 'adjustments', '', 'emergencyContactName', '', 'emergencyContactPhone', '',
     'status', CASE WHEN i % 200 = 1 THEN 'erased' ELSE 'active' END,
     'mergedInto', CASE WHEN i % 200 = 2 THEN to_jsonb(${uuidOf('learner', 'i - 1')}) ELSE 'null'::jsonb END),
     200000 + i
   FROM generate_series(0, ${SCALE_LEARNERS - 1}) AS i`,
  // 150,000 enrolments: one per learner, a second for every other one; 30% ended after 90 days.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'enrolment', ${uuidOf('enrolment', 'e')}, jsonb_build_object(${BASE(uuidOf('enrolment', 'e'))},
     'learnerId', ${uuidOf('learner', 'i')}, 'programmeId', ${uuidOf('programme', 'e % 50')},
     'enrolledAt', '2025-01-01T10:00:00.000Z', 'enrolledBy', 'Tutor', 'channel', 'tutor',
     'referralSource', 'self', 'startDate', ${dayAfter('2025-01-01', 'start_day')}, 'plannedEndDate', null,
     'fundingStream', 'asf-tailored', 'privacyNoticeVersionId', ${uuidOf('document', '1')},
     'priorAttainment', '99', 'priorDigitalSkills', '{}'::jsonb, 'completionStatus', '1',
     'actualEndDate', CASE WHEN e % 10 < 3 THEN to_jsonb(${dayAfter('2025-01-01', 'start_day + 90')}) ELSE 'null'::jsonb END,
     'outcome', '8', 'withdrawalReason', null), 400000 + e
   FROM (SELECT i, i AS e, ${COURSE_START_DAY} AS start_day FROM generate_series(0, ${SCALE_LEARNERS - 1}) AS i
         UNION ALL
         SELECT i, ${SCALE_LEARNERS} + i, ${COURSE_START_DAY} + 30
         FROM generate_series(0, ${SCALE_LEARNERS - 1}, 2) AS i) AS e`,
  // Equality answers for 90% of learners.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'equalityMonitoring', ${uuidOf('equality', 'i')},
     jsonb_build_object(${BASE(uuidOf('equality', 'i'))}, 'learnerId', ${uuidOf('learner', 'i')},
     'ethnicity', (ARRAY['31','32','34','39','40','41','44','45','47','98','prefer-not-to-say'])[1 + i % 11],
     'ethnicityOther', '', 'sex', (ARRAY['F','M','prefer-not-to-say'])[1 + i % 3],
     'ethnicityAnswerChosenAt', '2026-01-05T10:00:00.000Z', 'lldd', (ARRAY['1','2','9'])[1 + i % 3],
     'disabilityCategories', '[]'::jsonb, 'primaryDisabilityCategory', null,
     'healthAnswerChosenAt', '2026-01-05T10:00:00.000Z'), 700000 + i
   FROM generate_series(0, ${SCALE_LEARNERS - 1}) AS i WHERE i % 10 <> 0`,
  // One employment status per learner, the day before they started.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'employmentStatus', ${uuidOf('employment', 'i')},
     jsonb_build_object(${BASE(uuidOf('employment', 'i'))}, 'learnerId', ${uuidOf('learner', 'i')},
     'appliesOn', ${dayAfter('2024-12-31', COURSE_START_DAY)}, 'status', (ARRAY['10','11','12','98'])[1 + i % 4],
     'selfEmployed', false, 'hoursPerWeek', null, 'unemploymentLength', null,
     'benefits', (ARRAY['[]', '["universal-credit"]', '["jsa"]', '["esa","other"]', '[]'])[1 + i % 5]::jsonb,
     'fullTimeEducationBefore', false), 800000 + i
   FROM generate_series(0, ${SCALE_LEARNERS - 1}) AS i`,
  // 1,000,000 marks: each course's ten learners at each of its sessions.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'attendance', ${uuidOf('attendance', 's * 100 + k')},
     jsonb_build_object(${BASE(uuidOf('attendance', 's * 100 + k'))}, 'sessionId', ${uuidOf('session', 's')},
     'learnerId', ${uuidOf('learner', `(s / ${SESSIONS_PER_COURSE} * ${MARKS_PER_SESSION} + k) % ${SCALE_LEARNERS}`)},
     'mark', mark, 'absenceReason', CASE WHEN mark = 'AA' THEN 'illness' END,
     'minutesAttended', CASE WHEN mark IN ('P', 'L', 'LE', 'R') THEN 120 ELSE 0 END,
     'markedBy', 'Tutor', 'markedAt', '2026-01-05T12:05:00.000Z', 'markedLate', false),
     1000000 + s * 100 + k
   FROM generate_series(0, ${SESSIONS - 1}) AS s, generate_series(0, ${MARKS_PER_SESSION - 1}) AS k,
        LATERAL (SELECT (ARRAY['P','P','P','P','P','P','P','P','P','P','P','P','P','P','L','LE','R','AA','U','X'])
                        [1 + (s + k * 3) % 20] AS mark) AS m`,
  // 20,000 passport awards and 30,000 outcomes.
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'passportAward', ${uuidOf('award', 'i')},
     jsonb_build_object(${BASE(uuidOf('award', 'i'))}, 'learnerId', ${uuidOf('learner', 'i * 5')},
     'level', (ARRAY['bronze','silver','gold'])[1 + i % 3], 'ruleVersion', 1,
     'awardedOn', ${dayAfter('2025-03-01', 'i % 650')}, 'awardedBy', 'Tutor', 'basis', '[]'::jsonb), 20000000 + i
   FROM generate_series(0, 19999) AS i`,
  `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
   SELECT '${organisationId}', 'outcome', ${uuidOf('outcome', 'i')},
     jsonb_build_object(${BASE(uuidOf('outcome', 'i'))}, 'learnerId', ${uuidOf('learner', 'i * 3')},
     'enrolmentId', null, 'code', (ARRAY['EMP1','EMP2','EDU5','VOL1','SOFT-confident','INT'])[1 + i % 6],
     'startDate', ${dayAfter('2025-03-01', 'i % 650')}, 'endDate', null,
     'collectedOn', ${dayAfter('2025-03-01', 'i % 650')}, 'timePoint', 'within-4-weeks',
     'evidence', 'self-declaration', 'notes', ''), 21000000 + i
   FROM generate_series(0, 29999) AS i`,
  // Priority areas decided for 60% of learners.
  `INSERT INTO learner_priority_areas (organisation_id, learner_id, in_priority_area, area_name)
   SELECT '${organisationId}', ${uuidOf('learner', 'i')}, i % 3 = 0,
     CASE WHEN i % 3 = 0 THEN 'L' || (20 + i % 10) END
   FROM generate_series(0, ${SCALE_LEARNERS - 1}) AS i WHERE i % 5 < 3`,
];

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

/** Median of SCALE_REPEATS after one warm-up run, so both sides read from the same warm cache. */
async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  await fn();
  const times: number[] = [];
  for (let run = 0; run < SCALE_REPEATS; run += 1) times.push(await timed(fn));
  return median(times);
}

/** Marks changed before the "after changes" rows: a quiet hour, and a busy day across the organisation. */
export const SCALE_CHANGED_MARKS = [10, 1000] as const;

export type DashboardScaleResult = {
  generateMs: number;
  /** The first dashboard read, which builds every summary from `records`. */
  firstBuildMs: number;
  baselineMs: number;
  periods: { label: string; ms: number; learnersSupported: number; marks: number }[];
  /** The first dashboard (one year) after this many marks changed: what they touched is rebuilt. */
  afterChanges: { marks: number; ms: number }[];
  /**
   * Marks downloaded as CSV from the running server, with its memory before and at its peak: one
   * year's, then every one. Bounded memory shows as the same peak for twice the rows.
   */
  attendanceExports: ExportDownload[];
};

/** The bench's coordinator, set up through the API so exports can be downloaded as a user would. */
const BENCH_COORDINATOR = {
  organisationName: 'Bench partnership',
  organisationType: 'council',
  name: 'Bench Coordinator',
  email: 'coordinator@bench.example',
  password: 'a-long-bench-password',
};

async function setUpOrganisation(serverUrl: string): Promise<{ organisationId: string; cookie: string }> {
  const response = await fetch(`${serverUrl}/api/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(BENCH_COORDINATOR),
  });
  if (response.status !== 201)
    throw new Error(`Set-up answered ${response.status}: ${await response.text()}`);
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const { user } = (await response.json()) as { user: { organisationId: string } };
  return { organisationId: user.organisationId, cookie };
}

/** A process's resident memory now, or at its peak since the peak was last reset (Linux), in MB. */
function residentMb(pid: number, which: 'VmRSS' | 'VmHWM'): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(new RegExp(`${which}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return kilobytes / 1024;
}

export type ExportDownload = {
  label: string;
  rows: number;
  megabytes: number;
  ms: number;
  rssBeforeMb: number;
  rssPeakMb: number;
};

/** Downloads an attendance export, reading it as it streams, with the server's memory around it. */
async function downloadAttendanceExport(
  server: RunningServer,
  cookie: string,
  label: string,
  query: string,
): Promise<ExportDownload> {
  // Writing 5 resets the peak (VmHWM) to the memory in use now: the peak is then this download's.
  writeFileSync(`/proc/${server.pid}/clear_refs`, '5');
  const rssBeforeMb = residentMb(server.pid, 'VmRSS');
  const started = performance.now();
  const response = await fetch(`${server.url}/api/exports/attendance.csv${query}`, { headers: { cookie } });
  if (response.status !== 200 || !response.body) throw new Error(`The export answered ${response.status}`);
  let bytes = 0;
  let lines = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.byteLength;
    for (const byte of value) if (byte === 0x0a) lines += 1;
  }
  return {
    label,
    rows: lines - 1,
    megabytes: bytes / 1024 / 1024,
    ms: performance.now() - started,
    rssBeforeMb,
    rssPeakMb: residentMb(server.pid, 'VmHWM'),
  };
}

/** Flips `count` marks between P and L, ten per session, as tablets pushing a register would. */
async function changeMarks(database: Database, organisationId: string, count: number): Promise<void> {
  await database.query(
    `UPDATE records
     SET data = jsonb_set(data, '{mark}', to_jsonb(CASE WHEN data->>'mark' = 'P' THEN 'L' ELSE 'P' END))
     WHERE organisation_id = $1 AND entity_type = 'attendance'
       AND change_seq IN (SELECT 1000000 + s * 100 + k FROM generate_series(0, $2 - 1) AS s,
                                                            generate_series(0, ${MARKS_PER_SESSION - 1}) AS k)`,
    [organisationId, count / MARKS_PER_SESSION],
  );
}

async function generate(database: Database, organisationId: string): Promise<number> {
  return timed(async () => {
    for (const statement of generateStatements(organisationId)) await database.query(statement);
    // As autovacuum would leave a table that has settled: statistics and the visibility map.
    await database.query('VACUUM ANALYZE records');
    await database.query('VACUUM ANALYZE learner_priority_areas');
  });
}

export async function benchDashboardScale(): Promise<DashboardScaleResult> {
  const throwaway = await createThrowawayDatabase();
  try {
    const server = await startServer({ env: { DATABASE_URL: throwaway.url } });
    try {
      const { organisationId, cookie } = await setUpOrganisation(server.url);
      const database = await openDatabase({ databaseUrl: throwaway.url });
      try {
        const generateMs = await generate(database, organisationId);
        const [firstPeriod] = SCALE_PERIODS;
        if (!firstPeriod) throw new Error('No period to time');
        const read = (period: DashboardPeriod) =>
          database.transaction((sql) => readDashboard(sql, organisationId, period));
        const firstBuildMs = await timed(() => read(firstPeriod.period));
        // As autovacuum would leave the summaries once settled.
        await database.query('VACUUM ANALYZE');
        const baselineMs = await medianMs(() =>
          database.query(`SELECT count(*) FROM records WHERE entity_type = 'attendance'`),
        );
        const periods: DashboardScaleResult['periods'] = [];
        for (const { label, period } of SCALE_PERIODS) {
          let figures = await read(period);
          const ms = await medianMs(async () => {
            figures = await read(period);
          });
          const marks = Object.values(figures.attendance.marks).reduce((sum, count) => sum + count, 0);
          periods.push({ label, ms, learnersSupported: figures.learnersSupported, marks });
        }
        const afterChanges: DashboardScaleResult['afterChanges'] = [];
        for (const marks of SCALE_CHANGED_MARKS) {
          await changeMarks(database, organisationId, marks);
          afterChanges.push({ marks, ms: await timed(() => read(firstPeriod.period)) });
        }
        const attendanceExports = [
          await downloadAttendanceExport(server, cookie, 'one year', '?from=2026-01-01&to=2026-12-31'),
          await downloadAttendanceExport(server, cookie, 'every mark', ''),
        ];
        // The export leaves out erased and merged learners' marks (0.5% each here).
        const { rows: expected } = await database.query<{ marks: number }>(
          `SELECT count(*) AS marks FROM records a
           JOIN records l ON l.organisation_id = a.organisation_id AND l.entity_type = 'learner'
                         AND l.entity_id::text = a.data->>'learnerId'
           WHERE a.organisation_id = $1 AND a.entity_type = 'attendance' AND NOT a.deleted
             AND NOT l.deleted AND l.data->>'status' <> 'erased' AND l.data->>'mergedInto' IS NULL`,
          [organisationId],
        );
        const everyMark = attendanceExports[1]?.rows;
        if (everyMark !== expected[0]?.marks) {
          throw new Error(`The export held ${everyMark} marks, not ${expected[0]?.marks}`);
        }
        return { generateMs, firstBuildMs, baselineMs, periods, afterChanges, attendanceExports };
      } finally {
        await database.close();
      }
    } finally {
      await server.stop();
    }
  } finally {
    await throwaway.drop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const result = await benchDashboardScale();
  console.log(
    `Generated ${SCALE_LEARNERS.toLocaleString('en-GB')} learners and ${SCALE_MARKS.toLocaleString('en-GB')} marks in ${(result.generateMs / 1000).toFixed(1)} s`,
  );
  console.table(
    result.periods.map((row) => ({
      measure: `Whole dashboard, ${row.label} (median of ${SCALE_REPEATS})`,
      ms: row.ms.toFixed(1),
      baselineMs: result.baselineMs.toFixed(1),
      ratio: (row.ms / result.baselineMs).toFixed(2),
      goal: `< ${DASHBOARD_GOAL_MS} ms`,
      met: row.ms < DASHBOARD_GOAL_MS ? 'yes' : 'NO',
      learnersSupported: row.learnersSupported,
      marksCounted: row.marks,
    })),
  );
  console.log(`First dashboard, building every summary: ${(result.firstBuildMs / 1000).toFixed(1)} s`);
  for (const row of result.afterChanges) {
    console.log(
      `First dashboard after ${row.marks.toLocaleString('en-GB')} marks changed: ${row.ms.toFixed(0)} ms`,
    );
  }
  for (const download of result.attendanceExports) {
    console.log(
      `Attendance export, ${download.label}: ${download.rows.toLocaleString('en-GB')} rows, ${download.megabytes.toFixed(0)} MB in ${(download.ms / 1000).toFixed(1)} s; server memory ${download.rssBeforeMb.toFixed(0)} MB before, ${download.rssPeakMb.toFixed(0)} MB at its peak`,
    );
  }
  console.log("Baseline: SELECT count(*) FROM records WHERE entity_type = 'attendance', same data and run.");
}
