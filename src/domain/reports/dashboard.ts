// The coordinator dashboard's figures and their one definition. Both sides count the same raw tallies
// (the server in SQL over the whole organisation, src/server/db/dashboard.ts; a device here, over the
// records it holds) and buildDashboardFigures turns tallies into figures, so buckets, labels, rounding
// and row order cannot drift apart. A device's answer covers only its own records and says so.
import { z } from 'zod';
import {
  ATTENDANCE_MARKS,
  BENEFITS,
  EMPLOYMENT_STATUSES,
  ETHNICITIES,
  OUTCOME_CODES,
  PASSPORT_LEVELS,
  PREFER_NOT_TO_SAY,
  SEXES,
  codesOf,
} from '../codeLists';
import { isIsoDate } from '../dates';
import type {
  Attendance,
  AttendanceMark,
  EmploymentStatus,
  Enrolment,
  EqualityMonitoring,
  Learner,
  Outcome,
  PassportAward,
  Programme,
  Session,
  Venue,
} from '../records';

// ---- The period ----

/** The longest period a dashboard covers: ten years, so a typing slip cannot ask for centuries. */
export const DASHBOARD_MAX_YEARS = 10;

const periodDateSchema = (which: 'first' | 'last', parameter: 'from' | 'to') =>
  z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? `Give the ${which} day of the period as ${parameter}=YYYY-MM-DD`
          : `The ${which} day of the period must be a date as YYYY-MM-DD`,
    })
    .refine(isIsoDate, `The ${which} day of the period must be a real date as YYYY-MM-DD`);

/** A period of whole days, both included. */
export const dashboardPeriodSchema = z
  .object({ from: periodDateSchema('first', 'from'), to: periodDateSchema('last', 'to') })
  .superRefine((period, ctx) => {
    if (period.to < period.from) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: 'The period must end on or after the day it starts',
      });
      return;
    }
    // ISO dates compare as text; a 29 February start allows up to 28 February ten years on.
    const limit = `${String(Number(period.from.slice(0, 4)) + DASHBOARD_MAX_YEARS).padStart(4, '0')}${period.from.slice(4)}`;
    if (period.to > limit) {
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `The period can be at most ${DASHBOARD_MAX_YEARS} years long`,
      });
    }
  });
export type DashboardPeriod = z.infer<typeof dashboardPeriodSchema>;

// ---- Buckets and their labels ----

/** Age bands on the start date of the learner's first enrolment in the period (ours, with the funders' 16–24 and 50+). */
export const AGE_BANDS = [
  { code: 'under-16', label: 'Under 16' },
  { code: '16-24', label: '16 to 24' },
  { code: '25-34', label: '25 to 34' },
  { code: '35-49', label: '35 to 49' },
  { code: '50-64', label: '50 to 64' },
  { code: '65-plus', label: '65 and over' },
  { code: 'not-known', label: 'Age not known' },
] as const;
export type AgeBand = (typeof AGE_BANDS)[number]['code'];

export const NOT_PROVIDED = 'not-provided';
export const NOT_KNOWN = 'not-known';

const SEX_ROWS = [
  ...SEXES.filter((entry) => entry.code !== PREFER_NOT_TO_SAY),
  { code: NOT_PROVIDED, label: 'Not provided or prefer not to say' },
] as const;

/** The stored ethnicity codes (Roma apart, as the GSS categories have it), then ILR 99. */
const ETHNICITY_ROWS = [
  ...ETHNICITIES.filter((entry) => entry.code !== PREFER_NOT_TO_SAY),
  { code: '99', label: 'Not provided or prefer not to say' },
] as const;

const DISABILITY_ROWS = [
  { code: '1', label: 'Yes: a learning difficulty, disability or health problem' },
  { code: '2', label: 'No' },
  { code: '9', label: 'Not provided or prefer not to say' },
] as const;

const BENEFIT_ROWS = [
  ...BENEFITS,
  { code: 'none', label: 'No benefits' },
  { code: NOT_KNOWN, label: 'No employment record' },
] as const;

const PRIORITY_AREA_ROWS = [
  { code: 'in', label: 'In a priority area' },
  { code: 'not-in', label: 'Not in a priority area' },
  { code: NOT_KNOWN, label: 'Not known' },
] as const;

const ATTENDED_MARKS: ReadonlySet<string> = new Set<AttendanceMark>(['P', 'L', 'LE', 'R']);
const ABSENT_MARKS: ReadonlySet<string> = new Set<AttendanceMark>(['AA', 'U']);

export function isAttendedMark(mark: string): boolean {
  return ATTENDED_MARKS.has(mark);
}

export function ageBandOf(age: number | null): AgeBand {
  if (age === null) return 'not-known';
  if (age < 16) return 'under-16';
  if (age <= 24) return '16-24';
  if (age <= 34) return '25-34';
  if (age <= 49) return '35-49';
  if (age <= 64) return '50-64';
  return '65-plus';
}

export function sexBucketOf(sex: string | null | undefined): string {
  return sex === 'F' || sex === 'M' ? sex : NOT_PROVIDED;
}

const STORED_ETHNICITIES: ReadonlySet<string | null | undefined> = new Set(
  ETHNICITIES.map((entry) => entry.code).filter((code) => code !== PREFER_NOT_TO_SAY),
);

export function ethnicityBucketOf(ethnicity: string | null | undefined): string {
  return STORED_ETHNICITIES.has(ethnicity) && ethnicity ? ethnicity : '99';
}

export function disabilityBucketOf(lldd: string | null | undefined): string {
  return lldd === '1' || lldd === '2' ? lldd : '9';
}

/** null: the learner has no employment record. */
export function employmentBucketOf(status: string | null | undefined): string {
  return EMPLOYMENT_STATUSES.some((row) => row.code === status) && status ? status : '98';
}

/** A date as stored (YYYY-MM-DD); anything else never matches a period (the SQL checks the same). */
const DATE_TEXT = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

function isDateText(value: unknown): value is string {
  return typeof value === 'string' && DATE_TEXT.test(value);
}

/** Whole years on a day, from two stored dates; null when the birth date is not one. */
export function ageOnDay(dateOfBirth: unknown, on: string): number | null {
  if (!isDateText(dateOfBirth)) return null;
  const years = Number(on.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return on.slice(5) < dateOfBirth.slice(5) ? years - 1 : years;
}

// ---- The figures ----

export const DASHBOARD_BREAKDOWNS = [
  { key: 'venue', title: 'Venue' },
  { key: 'programme', title: 'Programme' },
  { key: 'tutor', title: 'Tutor' },
  { key: 'ageBand', title: 'Age band' },
  { key: 'sex', title: 'Sex' },
  { key: 'ethnicity', title: 'Ethnicity' },
  { key: 'disability', title: 'Learning difficulty, disability or health problem' },
  { key: 'employment', title: 'Employment status' },
  { key: 'benefit', title: 'Benefits' },
  { key: 'priorityArea', title: 'Priority area' },
  // Apart from priorityArea, so suppressing a small area is balanced within the areas, not against "not known".
  { key: 'priorityAreaName', title: 'Priority areas reached' },
] as const;
export type DashboardBreakdownKey = (typeof DASHBOARD_BREAKDOWNS)[number]['key'];

const count = z.number().int().min(0);

const breakdownRowSchema = z.object({
  code: z.string(),
  label: z.string(),
  learners: count,
  /** Guided learning hours there (venue, programme and tutor only). */
  hours: z.number().min(0).optional(),
});
export type DashboardBreakdownRow = z.infer<typeof breakdownRowSchema>;

const countRowSchema = z.object({ code: z.string(), label: z.string(), count });
export type DashboardCountRow = z.infer<typeof countRowSchema>;

/** What the browser parses the server's answer with, and what computeDashboard returns. */
export const dashboardFiguresSchema = z.object({
  source: z.enum(['server', 'device']),
  /**
   * True when the sex, ethnicity and disability breakdowns were left out: the viewer may not see
   * equality answers, and small counts by those would point at people.
   */
  equalityHidden: z.boolean().default(false),
  period: dashboardPeriodSchema,
  learnersSupported: count,
  newLearners: count,
  aged16To24: count,
  aged50Plus: count,
  sessionsDelivered: count,
  attendance: z.object({
    attended: count,
    expected: count,
    /** attended / expected to three decimal places; null when nothing was expected. */
    rate: z.number().min(0).max(1).nullable(),
    marks: z.record(z.enum(codesOf(ATTENDANCE_MARKS)), count),
  }),
  guidedLearningHours: z.number().min(0),
  /** Learners awarded each level in the period. */
  passports: z.array(countRowSchema),
  /** Outcome records collected in the period, one row per code. */
  outcomes: z.array(countRowSchema),
  breakdowns: z.array(
    z.object({
      key: z.enum(DASHBOARD_BREAKDOWNS.map((entry) => entry.key) as [DashboardBreakdownKey]),
      title: z.string(),
      rows: z.array(breakdownRowSchema),
    }),
  ),
});
export type DashboardFigures = z.infer<typeof dashboardFiguresSchema>;
export type DashboardSource = DashboardFigures['source'];

// ---- Tallies: what the server's SQL and computeDashboard both count ----

/** Learners and attended minutes at one venue, programme or tutor; label null when its record is missing. */
export type PlaceTally = { code: string; label: string | null; learners: number; minutes: number };
/** Supported learners by a raw stored value (null: no answer or no record). */
export type ValueTally = { value: string | null; learners: number };

export type DashboardTallies = {
  learnersSupported: number;
  newLearners: number;
  sessionsDelivered: number;
  /** Marks at the period's sessions by raw mark. */
  marks: { mark: string; marks: number }[];
  attendedMinutes: number;
  /** Learners awarded, by raw level. */
  passports: { level: string; learners: number }[];
  /** Outcome records, by raw code. */
  outcomes: { code: string; outcomes: number }[];
  venue: PlaceTally[];
  programme: PlaceTally[];
  tutor: PlaceTally[];
  ages: { age: number | null; learners: number }[];
  sex: ValueTally[];
  ethnicity: ValueTally[];
  lldd: ValueTally[];
  /** The chosen employment record's status; value null for learners with no record. */
  employment: ValueTally[];
  /** Learners per benefit code in the chosen record; 'none' (empty list) and null (no record) too. */
  benefit: ValueTally[];
  priority: { inPriorityArea: boolean | null; areaName: string | null; learners: number }[];
};

function sumInto(totals: Map<string, number>, key: string, amount: number): void {
  totals.set(key, (totals.get(key) ?? 0) + amount);
}

function rowsOf(
  list: readonly { code: string; label: string }[],
  tallies: readonly ValueTally[],
  bucketOf: (value: string | null) => string,
): DashboardBreakdownRow[] {
  const totals = new Map<string, number>();
  for (const tally of tallies) sumInto(totals, bucketOf(tally.value), tally.learners);
  return list.map((entry) => ({
    code: entry.code,
    label: entry.label,
    learners: totals.get(entry.code) ?? 0,
  }));
}

function byLabel(a: { label: string; code: string }, b: { label: string; code: string }): number {
  return a.label.localeCompare(b.label, 'en-GB') || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function hoursOf(minutes: number): number {
  // Whole tenths of an hour, half up: minutes / 6 is exact where minutes / 60 * 10 is not.
  return Math.round(minutes / 6) / 10;
}

function placeRows(places: readonly PlaceTally[], missingLabel: string): DashboardBreakdownRow[] {
  return places
    .filter((place) => place.learners > 0)
    .map((place) => ({
      code: place.code,
      label: place.label ?? missingLabel,
      learners: place.learners,
      hours: hoursOf(place.minutes),
    }))
    .sort(byLabel);
}

/** The figures from tallies: the one place that buckets, labels, rounds and orders them. */
export function buildDashboardFigures(
  tallies: DashboardTallies,
  period: DashboardPeriod,
  source: DashboardSource,
): DashboardFigures {
  const marks = Object.fromEntries(ATTENDANCE_MARKS.map((entry) => [entry.code, 0])) as Record<
    AttendanceMark,
    number
  >;
  for (const tally of tallies.marks) {
    if (Object.hasOwn(marks, tally.mark)) marks[tally.mark as AttendanceMark] += tally.marks;
  }
  const attended = ATTENDANCE_MARKS.filter((entry) => ATTENDED_MARKS.has(entry.code)).reduce(
    (sum, entry) => sum + marks[entry.code],
    0,
  );
  const expected =
    attended +
    ATTENDANCE_MARKS.filter((entry) => ABSENT_MARKS.has(entry.code)).reduce(
      (sum, entry) => sum + marks[entry.code],
      0,
    );

  const ageRows = rowsOf(
    AGE_BANDS,
    tallies.ages.map((tally) => ({ value: ageBandOf(tally.age), learners: tally.learners })),
    (band) => band ?? 'not-known',
  );
  const learnersIn = (code: AgeBand) => ageRows.find((row) => row.code === code)?.learners ?? 0;

  const priorityTotals = new Map<string, number>();
  const areaTotals = new Map<string, number>();
  for (const tally of tallies.priority) {
    const bucket = tally.inPriorityArea === null ? NOT_KNOWN : tally.inPriorityArea ? 'in' : 'not-in';
    sumInto(priorityTotals, bucket, tally.learners);
    if (tally.inPriorityArea === true && tally.areaName !== null && tally.areaName !== '') {
      sumInto(areaTotals, tally.areaName, tally.learners);
    }
  }

  const passportTotals = new Map<string, number>();
  for (const tally of tallies.passports) sumInto(passportTotals, tally.level, tally.learners);
  const outcomeTotals = new Map<string, number>();
  for (const tally of tallies.outcomes) sumInto(outcomeTotals, tally.code, tally.outcomes);

  const rowsByKey: Record<DashboardBreakdownKey, DashboardBreakdownRow[]> = {
    venue: placeRows(tallies.venue, 'Venue not on record'),
    programme: placeRows(tallies.programme, 'Programme not on record'),
    tutor: placeRows(tallies.tutor, 'Tutor not named'),
    ageBand: ageRows,
    sex: rowsOf(SEX_ROWS, tallies.sex, sexBucketOf),
    ethnicity: rowsOf(ETHNICITY_ROWS, tallies.ethnicity, ethnicityBucketOf),
    disability: rowsOf(DISABILITY_ROWS, tallies.lldd, disabilityBucketOf),
    employment: rowsOf(EMPLOYMENT_STATUSES, tallies.employment, employmentBucketOf),
    // Unknown benefit codes have no row: a valid record never has one.
    benefit: rowsOf(BENEFIT_ROWS, tallies.benefit, (value) => value ?? NOT_KNOWN),
    priorityArea: PRIORITY_AREA_ROWS.map((entry) => ({
      code: entry.code,
      label: entry.label,
      learners: priorityTotals.get(entry.code) ?? 0,
    })),
    priorityAreaName: [...areaTotals]
      .map(([name, learners]) => ({ code: name, label: name, learners }))
      .sort(byLabel),
  };

  return {
    source,
    equalityHidden: false,
    period: { from: period.from, to: period.to },
    learnersSupported: tallies.learnersSupported,
    newLearners: tallies.newLearners,
    aged16To24: learnersIn('16-24'),
    aged50Plus: learnersIn('50-64') + learnersIn('65-plus'),
    sessionsDelivered: tallies.sessionsDelivered,
    attendance: {
      attended,
      expected,
      rate: expected === 0 ? null : Math.round((attended / expected) * 1000) / 1000,
      marks,
    },
    guidedLearningHours: hoursOf(tallies.attendedMinutes),
    passports: PASSPORT_LEVELS.map((entry) => ({
      code: entry.code,
      label: entry.label,
      count: passportTotals.get(entry.code) ?? 0,
    })),
    outcomes: OUTCOME_CODES.map((entry) => ({
      code: entry.code,
      label: entry.label,
      count: outcomeTotals.get(entry.code) ?? 0,
    })),
    breakdowns: DASHBOARD_BREAKDOWNS.map((entry) => ({
      key: entry.key,
      title: entry.title,
      rows: rowsByKey[entry.key],
    })),
  };
}

// ---- Counting on a device ----

type Maybe<T> = { [K in keyof T]?: T[K] | null | undefined };

/** The fields the dashboard reads; whole records fit. Equality answers may be absent (redacted). */
export type DashboardRecords = {
  learners: readonly (Pick<Learner, 'id' | 'deleted' | 'dateOfBirth' | 'status'> &
    Maybe<Pick<Learner, 'mergedInto'>>)[];
  enrolments: readonly Pick<Enrolment, 'learnerId' | 'deleted' | 'startDate' | 'actualEndDate'>[];
  sessions: readonly Pick<
    Session,
    'id' | 'deleted' | 'date' | 'status' | 'venueId' | 'programmeId' | 'tutorNames'
  >[];
  attendance: readonly Pick<Attendance, 'sessionId' | 'learnerId' | 'deleted' | 'mark' | 'minutesAttended'>[];
  equalityMonitoring: readonly (Pick<EqualityMonitoring, 'id' | 'learnerId' | 'deleted'> &
    Maybe<Pick<EqualityMonitoring, 'sex' | 'ethnicity' | 'lldd'>>)[];
  employmentStatuses: readonly Pick<
    EmploymentStatus,
    'id' | 'learnerId' | 'deleted' | 'appliesOn' | 'status' | 'benefits'
  >[];
  passportAwards: readonly Pick<PassportAward, 'learnerId' | 'deleted' | 'level' | 'awardedOn'>[];
  outcomes: readonly Pick<Outcome, 'learnerId' | 'deleted' | 'code' | 'collectedOn'>[];
  venues: readonly Pick<Venue, 'id' | 'name'>[];
  programmes: readonly Pick<Programme, 'id' | 'title'>[];
  /** The server's priority-area decision per learner id; a learner missing from it is "not known". */
  priorityAreas?: ReadonlyMap<string, { inPriorityArea: boolean; areaName: string | null }>;
};

function isInPeriod(date: unknown, period: DashboardPeriod): boolean {
  return typeof date === 'string' && date >= period.from && date <= period.to;
}

/** Record ids compared as the server orders its uuid column. */
function laterId(a: string, b: string): boolean {
  return a.toLowerCase() > b.toLowerCase();
}

function countEach<T>(values: Iterable<T>): [T, number][] {
  const totals = new Map<T, number>();
  for (const value of values) totals.set(value, (totals.get(value) ?? 0) + 1);
  return [...totals];
}

function tallyValues(values: Iterable<string | null>): ValueTally[] {
  return countEach(values).map(([value, learners]) => ({ value, learners }));
}

function tallyPlaces(
  pairs: Iterable<{ code: string; learnerId: string; minutes: number }>,
  labels: ReadonlyMap<string, string>,
  labelByCode: boolean,
): PlaceTally[] {
  const places = new Map<string, { learners: Set<string>; minutes: number }>();
  for (const pair of pairs) {
    const place = places.get(pair.code) ?? { learners: new Set<string>(), minutes: 0 };
    place.learners.add(pair.learnerId);
    place.minutes += pair.minutes;
    places.set(pair.code, place);
  }
  return [...places].map(([code, place]) => ({
    code,
    label: labelByCode ? code : (labels.get(code) ?? null),
    learners: place.learners.size,
    minutes: place.minutes,
  }));
}

/** The tallies of the dashboard over the records given (the server counts the same in SQL). */
export function tallyDashboard(records: DashboardRecords, period: DashboardPeriod): DashboardTallies {
  // Merged learners, and everything that names them, are left out (the record kept holds it all).
  // Erased learners still count, anonymously (src/domain/erasure.ts): their age is not known.
  const learners = new Map(
    records.learners
      .filter(
        (learner) => !learner.deleted && (learner.mergedInto === null || learner.mergedInto === undefined),
      )
      .map((learner) => [learner.id, learner]),
  );
  const isCounted = (record: { learnerId: string; deleted: boolean }) =>
    !record.deleted && learners.has(record.learnerId);

  // Each learner's first enrolment of all, and their first one overlapping the period.
  const firstStart = new Map<string, string>();
  const firstStartInPeriod = new Map<string, string>();
  for (const enrolment of records.enrolments) {
    if (!isCounted(enrolment) || !isDateText(enrolment.startDate)) continue;
    const { learnerId, startDate, actualEndDate } = enrolment;
    if (startDate < (firstStart.get(learnerId) ?? '~')) firstStart.set(learnerId, startDate);
    // No end date (null, or absent as in SQL) means still learning.
    const stillLearning = actualEndDate === null || actualEndDate === undefined;
    const overlaps = startDate <= period.to && (stillLearning || actualEndDate >= period.from);
    if (overlaps && startDate < (firstStartInPeriod.get(learnerId) ?? '~')) {
      firstStartInPeriod.set(learnerId, startDate);
    }
  }
  const supported = [...firstStartInPeriod.keys()];

  const equalityOf = new Map<string, DashboardRecords['equalityMonitoring'][number]>();
  for (const answers of records.equalityMonitoring) {
    if (!isCounted(answers)) continue;
    const held = equalityOf.get(answers.learnerId);
    if (!held || laterId(answers.id, held.id)) equalityOf.set(answers.learnerId, answers);
  }

  const employmentsOf = new Map<string, DashboardRecords['employmentStatuses'][number][]>();
  for (const employment of records.employmentStatuses) {
    if (!isCounted(employment)) continue;
    employmentsOf.set(employment.learnerId, [...(employmentsOf.get(employment.learnerId) ?? []), employment]);
  }
  /** The latest record on or before the day learning started, else the learner's earliest. */
  const employmentOf = (learnerId: string, anchor: string) => {
    let chosen: DashboardRecords['employmentStatuses'][number] | undefined;
    let chosenIsBefore = false;
    for (const candidate of employmentsOf.get(learnerId) ?? []) {
      const isBefore = typeof candidate.appliesOn === 'string' && candidate.appliesOn <= anchor;
      if (chosen === undefined) {
        [chosen, chosenIsBefore] = [candidate, isBefore];
        continue;
      }
      const better =
        isBefore !== chosenIsBefore
          ? isBefore
          : candidate.appliesOn === chosen.appliesOn
            ? laterId(candidate.id, chosen.id)
            : isBefore
              ? candidate.appliesOn > chosen.appliesOn
              : candidate.appliesOn < chosen.appliesOn;
      if (better) [chosen, chosenIsBefore] = [candidate, isBefore];
    }
    return chosen;
  };

  const ages: (number | null)[] = [];
  const employment: (string | null)[] = [];
  const benefit: (string | null)[] = [];
  const priority = new Map<
    string,
    { inPriorityArea: boolean | null; areaName: string | null; learners: number }
  >();
  for (const learnerId of supported) {
    const anchor = firstStartInPeriod.get(learnerId)!;
    const counted = learners.get(learnerId);
    ages.push(counted?.status === 'erased' ? null : ageOnDay(counted?.dateOfBirth, anchor));
    const chosen = employmentOf(learnerId, anchor);
    employment.push(chosen?.status ?? null);
    if (!chosen) benefit.push(null);
    else if (!Array.isArray(chosen.benefits) || chosen.benefits.length === 0) benefit.push('none');
    else benefit.push(...new Set(chosen.benefits));
    const area = records.priorityAreas?.get(learnerId);
    const key = area ? `${area.inPriorityArea}|${area.areaName ?? ''}` : NOT_KNOWN;
    const held = priority.get(key) ?? {
      inPriorityArea: area?.inPriorityArea ?? null,
      areaName: area?.areaName ?? null,
      learners: 0,
    };
    held.learners += 1;
    priority.set(key, held);
  }

  // Attendance at the period's sessions that were not cancelled.
  const sessions = new Map(
    records.sessions
      .filter(
        (session) => !session.deleted && session.status !== 'cancelled' && isInPeriod(session.date, period),
      )
      .map((session) => [session.id, session]),
  );
  const markTotals = new Map<string, number>();
  const delivered = new Set<string>();
  const attendedAt: { session: (typeof records.sessions)[number]; learnerId: string; minutes: number }[] = [];
  let attendedMinutes = 0;
  for (const mark of records.attendance) {
    const session = sessions.get(mark.sessionId);
    if (!session || !isCounted(mark)) continue;
    sumInto(markTotals, mark.mark, 1);
    if (!isAttendedMark(mark.mark)) continue;
    const minutes = typeof mark.minutesAttended === 'number' ? mark.minutesAttended : 0;
    attendedMinutes += minutes;
    delivered.add(session.id);
    attendedAt.push({ session, learnerId: mark.learnerId, minutes });
  }

  const passports = new Map<string, Set<string>>();
  for (const award of records.passportAwards) {
    if (!isCounted(award) || !isInPeriod(award.awardedOn, period)) continue;
    passports.set(award.level, (passports.get(award.level) ?? new Set()).add(award.learnerId));
  }
  const outcomes = new Map<string, number>();
  for (const outcome of records.outcomes) {
    if (isCounted(outcome) && isInPeriod(outcome.collectedOn, period)) sumInto(outcomes, outcome.code, 1);
  }

  const venueNames = new Map(records.venues.map((venue) => [venue.id, venue.name]));
  const programmeTitles = new Map(records.programmes.map((programme) => [programme.id, programme.title]));
  return {
    learnersSupported: supported.length,
    newLearners: supported.filter((learnerId) => isInPeriod(firstStart.get(learnerId), period)).length,
    sessionsDelivered: delivered.size,
    marks: [...markTotals].map(([mark, marks]) => ({ mark, marks })),
    attendedMinutes,
    passports: [...passports].map(([level, awarded]) => ({ level, learners: awarded.size })),
    outcomes: [...outcomes].map(([code, count]) => ({ code, outcomes: count })),
    venue: tallyPlaces(
      attendedAt.map(({ session, learnerId, minutes }) => ({ code: session.venueId, learnerId, minutes })),
      venueNames,
      false,
    ),
    programme: tallyPlaces(
      attendedAt.map(({ session, learnerId, minutes }) => ({
        code: session.programmeId,
        learnerId,
        minutes,
      })),
      programmeTitles,
      false,
    ),
    tutor: tallyPlaces(
      attendedAt.flatMap(({ session, learnerId, minutes }) =>
        [...new Set(session.tutorNames)].map((name) => ({ code: name, learnerId, minutes })),
      ),
      new Map(),
      true,
    ),
    ages: countEach(ages).map(([age, learners]) => ({ age, learners })),
    sex: tallyValues(supported.map((learnerId) => equalityOf.get(learnerId)?.sex ?? null)),
    ethnicity: tallyValues(supported.map((learnerId) => equalityOf.get(learnerId)?.ethnicity ?? null)),
    lldd: tallyValues(supported.map((learnerId) => equalityOf.get(learnerId)?.lldd ?? null)),
    employment: tallyValues(employment),
    benefit: tallyValues(benefit),
    priority: [...priority.values()],
  };
}

/**
 * The dashboard over the records a device holds (not the whole organisation: the source says so).
 * The server answers the same figures for the whole organisation from SQL.
 */
export function computeDashboard(
  records: DashboardRecords,
  period: DashboardPeriod,
  source: DashboardSource = 'device',
): DashboardFigures {
  return buildDashboardFigures(tallyDashboard(records, period), period, source);
}

/** The breakdowns drawn from equality monitoring (special category data). */
export const EQUALITY_BREAKDOWNS: readonly DashboardBreakdownKey[] = ['sex', 'ethnicity', 'disability'];

/**
 * The figures without the equality breakdowns, for a coordinator not allowed to see equality answers:
 * in the app counts are not suppressed, so "1 learner of Bangladeshi heritage at Bootle" would name them.
 */
export function withoutEqualityBreakdowns(figures: DashboardFigures): DashboardFigures {
  return {
    ...figures,
    equalityHidden: true,
    breakdowns: figures.breakdowns.filter((breakdown) => !EQUALITY_BREAKDOWNS.includes(breakdown.key)),
  };
}

/**
 * Whether a device's equality records carry the answers: a device whose user may not see them holds
 * them redacted ("answered" or not, no answers), and counting those would show everyone as "not provided".
 */
export function holdsEqualityAnswers(records: Pick<DashboardRecords, 'equalityMonitoring'>): boolean {
  return records.equalityMonitoring.every(
    (record) => 'sex' in record || 'ethnicity' in record || 'lldd' in record,
  );
}
