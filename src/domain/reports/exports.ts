// What each CSV export (funder return) holds: its kinds, the period filter, and the columns of each
// kind with plain titles and codes turned into labels. The server reads the rows a page at a time and
// writes them with these columns (src/server/exports/routes.ts); nothing here touches storage.
//
// Data protection decides two groups of columns:
// - Phone and email only when the learner's consent to "contact about courses" is granted, not
//   withdrawn, and names that channel ("exports respect current contact preferences"); else blank.
// - Equality answers (special category data) only for a caller who may see them; every learner whose
//   answers leave the server this way is logged as 'exported' in special_category_access.
// Sealed free text (outcome notes, goal text, assessment evidence, adjustments) is never exported.
import { z } from 'zod';
import {
  ATTENDANCE_MARKS,
  AUTHORISED_ABSENCE_REASONS,
  COMPLETION_STATUSES,
  DISABILITY_CATEGORIES,
  ENROLMENT_OUTCOMES,
  ETHNICITIES,
  FUNDING_STREAMS,
  LLDD_ANSWERS,
  OUTCOME_CODES,
  OUTCOME_EVIDENCE,
  OUTCOME_TIME_POINTS,
  SEXES,
  WITHDRAWAL_REASONS,
  ilrEthnicityCode,
  labelOf,
  type CodeListEntry,
} from '../codeLists';
import type { CsvValue } from '../csv';
import { isIsoDate } from '../dates';
import { formatPostcode } from '../postcode';
import type { DashboardFigures } from './dashboard';
import {
  HIDDEN_COUNT,
  SMALL_COUNT,
  SUPPRESSION_NOTE,
  SUPPRESSION_THRESHOLD,
  type ShownCount,
  suppressSmallCounts,
} from './suppression';

/** The row-by-row exports, each at GET /api/exports/<kind>.csv. */
export const EXPORT_KINDS = ['learners', 'enrolments', 'attendance', 'outcomes'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

/** Every kind the exports table records: the row exports and the summary return. */
export const RECORDED_EXPORT_KINDS = [...EXPORT_KINDS, 'summary'] as const;
export type RecordedExportKind = (typeof RECORDED_EXPORT_KINDS)[number];

/** Rows read from the database per page (each page its own short transaction). */
export const EXPORT_PAGE_SIZE = 1000;

/** How many recent exports GET /api/exports lists. */
export const RECENT_EXPORTS_LIMIT = 100;

/** Both days included, as the dashboard's periods. */
export type ExportPeriod = { from: string; to: string };

export type PeriodProblem =
  'period-incomplete' | 'period-not-a-date' | 'period-backwards' | 'period-required';

const PERIOD_MESSAGES: Readonly<Record<PeriodProblem, string>> = {
  'period-incomplete': 'Give both from and to (YYYY-MM-DD), or neither for all time.',
  'period-not-a-date': 'Give from and to as real dates in the form YYYY-MM-DD.',
  'period-backwards': 'The period must end on or after the day it starts.',
  'period-required': 'Give the period with from and to (YYYY-MM-DD).',
};

export function periodProblemMessage(problem: PeriodProblem): string {
  return PERIOD_MESSAGES[problem];
}

/**
 * The period a query asks for: null for all time (neither given), or what is wrong with it. A query
 * parameter given twice arrives as an array, which is not a date.
 */
export function parseExportPeriod(
  query: { from?: unknown; to?: unknown },
  options: { required: boolean } = { required: false },
): { ok: true; period: ExportPeriod | null } | { ok: false; problem: PeriodProblem } {
  const { from, to } = query;
  if (from === undefined && to === undefined) {
    return options.required ? { ok: false, problem: 'period-required' } : { ok: true, period: null };
  }
  if (from === undefined || to === undefined) return { ok: false, problem: 'period-incomplete' };
  if (typeof from !== 'string' || typeof to !== 'string' || !isIsoDate(from) || !isIsoDate(to)) {
    return { ok: false, problem: 'period-not-a-date' };
  }
  if (to < from) return { ok: false, problem: 'period-backwards' };
  return { ok: true, period: { from, to } };
}

/** The download's name: the kind, the period if any, and the day it was taken. */
export function exportFileName(kind: RecordedExportKind, period: ExportPeriod | null, today: string): string {
  const covers = period ? `-${period.from}-to-${period.to}` : '';
  return `outreach-${kind}${covers}-taken-${today}.csv`;
}

export type ExportColumn<Row> = { readonly title: string; readonly value: (row: Row) => CsvValue };

export function columnTitles<Row>(columns: readonly ExportColumn<Row>[]): string[] {
  return columns.map((column) => column.title);
}

export function columnValues<Row>(columns: readonly ExportColumn<Row>[], row: Row): CsvValue[] {
  return columns.map((column) => column.value(row));
}

const yesNo = (value: boolean): string => (value ? 'Yes' : 'No');
/** A code's label; a code the list no longer holds (an older ILR year) is shown as it is. */
const labelOrCode = (list: readonly CodeListEntry[], code: string | null): string =>
  code === null ? '' : labelOf(list, code) || code;

// ---- Learners ----

/** The learner's current "contact about courses" consent row, as stored. */
export type ContactConsent = { granted: boolean; withdrawnAt: string | null; channels: readonly string[] };

export type EqualityAnswers = {
  sex: string | null;
  ethnicity: string | null;
  lldd: string | null;
  primaryDisabilityCategory: string | null;
};

export type LearnerExportRow = {
  id: string;
  givenNames: string;
  familyName: string;
  dateOfBirth: string;
  /** Normalised (no space), "" when unknown. */
  postcode: string;
  town: string;
  phone: string;
  email: string;
  /** From the server's priority-area decision; null when none was made (not known). */
  inPriorityArea: boolean | null;
  priorityAreaName: string | null;
  /** Enrolments in the period when the export has one, else all of them. */
  enrolmentCount: number;
  contactConsent: ContactConsent | null;
  /** Null when the learner has no equality record, or the export leaves these columns out. */
  equality: EqualityAnswers | null;
};

/** Whether the learner may be contacted about courses by this channel now. */
export function mayContact(consent: ContactConsent | null, channel: 'phone' | 'email' | 'post'): boolean {
  return (
    consent !== null && consent.granted && consent.withdrawnAt === null && consent.channels.includes(channel)
  );
}

/** Whether an exported learner row carries any equality answer (and so is logged as exported). */
export function carriesEqualityAnswers(row: Pick<LearnerExportRow, 'equality'>): boolean {
  const answers = row.equality;
  if (answers === null) return false;
  return Object.values(answers).some((value) => value !== null);
}

const LEARNER_COLUMNS: readonly ExportColumn<LearnerExportRow>[] = [
  { title: 'Learner ID', value: (row) => row.id },
  { title: 'Given names', value: (row) => row.givenNames },
  { title: 'Family name', value: (row) => row.familyName },
  { title: 'Date of birth', value: (row) => row.dateOfBirth },
  { title: 'Postcode', value: (row) => (row.postcode ? formatPostcode(row.postcode) : '') },
  { title: 'Town', value: (row) => row.town },
  {
    title: 'In a priority area',
    value: (row) => (row.inPriorityArea === null ? 'Not known' : yesNo(row.inPriorityArea)),
  },
  { title: 'Priority area', value: (row) => (row.inPriorityArea ? (row.priorityAreaName ?? '') : '') },
  { title: 'Enrolments', value: (row) => row.enrolmentCount },
  { title: 'Phone', value: (row) => (mayContact(row.contactConsent, 'phone') ? row.phone : '') },
  { title: 'Email', value: (row) => (mayContact(row.contactConsent, 'email') ? row.email : '') },
];

/** Blank when the learner did not answer; "Prefer not to say" when that was their answer. */
const EQUALITY_COLUMNS: readonly ExportColumn<LearnerExportRow>[] = [
  { title: 'Sex', value: (row) => labelOrCode(SEXES, row.equality?.sex ?? null) },
  { title: 'Ethnicity', value: (row) => labelOrCode(ETHNICITIES, row.equality?.ethnicity ?? null) },
  {
    title: 'Ethnicity (ILR code)',
    value: (row) => ilrEthnicityCode(row.equality?.ethnicity ?? undefined),
  },
  {
    title: 'Learning difficulty, disability or health problem',
    value: (row) => labelOrCode(LLDD_ANSWERS, row.equality?.lldd ?? null),
  },
  {
    title: 'Main disability or difficulty',
    value: (row) => labelOrCode(DISABILITY_CATEGORIES, row.equality?.primaryDisabilityCategory ?? null),
  },
];

export function learnerColumns(options: {
  includeSpecialCategory: boolean;
}): readonly ExportColumn<LearnerExportRow>[] {
  return options.includeSpecialCategory ? [...LEARNER_COLUMNS, ...EQUALITY_COLUMNS] : LEARNER_COLUMNS;
}

// ---- Enrolments (ILR-like: one row per learning aim) ----

export type EnrolmentExportRow = {
  id: string;
  learnerId: string;
  programmeTitle: string | null;
  fundingStream: string;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
  completionStatus: string;
  outcome: string;
  withdrawalReason: string | null;
};

export const ENROLMENT_COLUMNS: readonly ExportColumn<EnrolmentExportRow>[] = [
  { title: 'Enrolment ID', value: (row) => row.id },
  { title: 'Learner ID', value: (row) => row.learnerId },
  { title: 'Programme', value: (row) => row.programmeTitle ?? '' },
  { title: 'Funding stream', value: (row) => labelOrCode(FUNDING_STREAMS, row.fundingStream) },
  { title: 'Start date', value: (row) => row.startDate },
  { title: 'Planned end date', value: (row) => row.plannedEndDate ?? '' },
  { title: 'Actual end date', value: (row) => row.actualEndDate ?? '' },
  { title: 'Completion status', value: (row) => labelOrCode(COMPLETION_STATUSES, row.completionStatus) },
  { title: 'Outcome', value: (row) => labelOrCode(ENROLMENT_OUTCOMES, row.outcome) },
  { title: 'Withdrawal reason', value: (row) => labelOrCode(WITHDRAWAL_REASONS, row.withdrawalReason) },
];

// ---- Attendance ----

export type AttendanceExportRow = {
  id: string;
  sessionDate: string;
  programmeTitle: string | null;
  venueName: string | null;
  learnerId: string;
  mark: string;
  absenceReason: string | null;
  minutesAttended: number;
  markedLate: boolean;
};

export const ATTENDANCE_COLUMNS: readonly ExportColumn<AttendanceExportRow>[] = [
  { title: 'Session date', value: (row) => row.sessionDate },
  { title: 'Programme', value: (row) => row.programmeTitle ?? '' },
  { title: 'Venue', value: (row) => row.venueName ?? '' },
  { title: 'Learner ID', value: (row) => row.learnerId },
  { title: 'Mark', value: (row) => labelOrCode(ATTENDANCE_MARKS, row.mark) },
  { title: 'Absence reason', value: (row) => labelOrCode(AUTHORISED_ABSENCE_REASONS, row.absenceReason) },
  { title: 'Minutes attended', value: (row) => row.minutesAttended },
  { title: 'Marked late', value: (row) => yesNo(row.markedLate) },
];

// ---- Outcomes (never the notes: they are sealed free text about the learner) ----

export type OutcomeExportRow = {
  id: string;
  learnerId: string;
  code: string;
  startDate: string;
  endDate: string | null;
  collectedOn: string;
  timePoint: string;
  evidence: string;
};

export const OUTCOME_COLUMNS: readonly ExportColumn<OutcomeExportRow>[] = [
  { title: 'Learner ID', value: (row) => row.learnerId },
  { title: 'Outcome code', value: (row) => row.code },
  { title: 'Outcome', value: (row) => labelOrCode(OUTCOME_CODES, row.code) },
  { title: 'Start date', value: (row) => row.startDate },
  { title: 'End date', value: (row) => row.endDate ?? '' },
  { title: 'Collected on', value: (row) => row.collectedOn },
  { title: 'Time point', value: (row) => labelOrCode(OUTCOME_TIME_POINTS, row.timePoint) },
  { title: 'Evidence', value: (row) => labelOrCode(OUTCOME_EVIDENCE, row.evidence) },
];

// ---- The summary return: the dashboard's figures for a period, every count suppressed ----

export const SUMMARY_TITLES = ['Section', 'Measure', 'Value'] as const;
export type SummaryRow = readonly [section: string, measure: string, value: CsvValue];

/** A count that stands alone: "<5" when 1 to 4. */
function shownAlone(count: number): ShownCount {
  return suppressSmallCounts([count])[0] ?? count;
}

/**
 * The sum of cells of a suppressed breakdown. Shown only when every cell is: else the sum and the
 * cells shown beside it would give a hidden cell away (50 to 64 shown, 65 and over "<5", 50 and over 13).
 */
function shownSum(cells: readonly { count: number; shown: ShownCount }[]): ShownCount {
  const total = cells.reduce((sum, cell) => sum + cell.count, 0);
  if (cells.every((cell) => typeof cell.shown === 'number')) return total;
  return total < SUPPRESSION_THRESHOLD ? SMALL_COUNT : HIDDEN_COUNT;
}

/**
 * The rows of the summary return, in the order the dashboard shows them. Counts of people, sessions,
 * marks, awards and outcomes are suppressed: a breakdown as one (so its total cannot reveal a small
 * cell), a headline figure on its own. The attendance rate is hidden when fewer than 5 attendances
 * were expected; guided learning hours are not counts of anyone and are shown as they are.
 */
export function summaryReturnRows(figures: DashboardFigures): SummaryRow[] {
  const rows: SummaryRow[] = [
    ['Period', 'First day', figures.period.from],
    ['Period', 'Last day', figures.period.to],
  ];
  const breakdown = (section: string, cells: readonly { measure: string; count: number }[]) => {
    const shown = suppressSmallCounts(cells.map((cell) => cell.count));
    cells.forEach((cell, index) => rows.push([section, cell.measure, shown[index] ?? HIDDEN_COUNT]));
    return cells.map((cell, index) => ({ ...cell, shown: shown[index] ?? HIDDEN_COUNT }));
  };

  const ageRows = figures.breakdowns.find((entry) => entry.key === 'ageBand')?.rows ?? [];
  const ages = suppressSmallCounts(ageRows.map((row) => row.learners));
  const ageCells = (...codes: string[]) =>
    ageRows.flatMap((row, index) =>
      codes.includes(row.code) ? [{ count: row.learners, shown: ages[index] ?? HIDDEN_COUNT }] : [],
    );

  const { attendance } = figures;
  const headline = 'Headline figures';
  rows.push(
    [headline, 'Learners supported', shownAlone(figures.learnersSupported)],
    [headline, 'New learners', shownAlone(figures.newLearners)],
    [headline, 'Learners aged 16 to 24', shownSum(ageCells('16-24'))],
    [headline, 'Learners aged 50 and over', shownSum(ageCells('50-64', '65-plus'))],
    [headline, 'Sessions delivered', shownAlone(figures.sessionsDelivered)],
    [headline, 'Attendances (present, late, left early or remote)', shownAlone(attendance.attended)],
    [headline, 'Expected attendances (attended or absent)', shownAlone(attendance.expected)],
    [
      headline,
      'Attendance rate (%)',
      attendance.rate === null
        ? ''
        : attendance.expected < SUPPRESSION_THRESHOLD
          ? HIDDEN_COUNT
          : Math.round(attendance.rate * 1000) / 10,
    ],
    [headline, 'Guided learning hours', figures.guidedLearningHours],
  );

  breakdown(
    'Attendance marks',
    ATTENDANCE_MARKS.map((entry) => ({ measure: entry.label, count: attendance.marks[entry.code] })),
  );
  breakdown(
    'Digital Skills Passports awarded',
    figures.passports.map((row) => ({ measure: row.label, count: row.count })),
  );
  breakdown(
    'Outcomes collected',
    figures.outcomes.map((row) => ({ measure: row.label, count: row.count })),
  );
  for (const entry of figures.breakdowns) {
    breakdown(
      `Learners: ${entry.title}`,
      entry.rows.map((row) => ({ measure: row.label, count: row.learners })),
    );
    if (entry.rows.some((row) => row.hours !== undefined)) {
      for (const row of entry.rows) {
        rows.push([`Guided learning hours: ${entry.title}`, row.label, row.hours ?? 0]);
      }
    }
  }
  rows.push(['Notes', 'Small counts', SUPPRESSION_NOTE]);
  return rows;
}

// ---- The record of exports (GET /api/exports) ----

export const EXPORT_STATUSES = ['completed', 'incomplete'] as const;

export const exportRecordSchema = z.object({
  id: z.uuid(),
  kind: z.enum(RECORDED_EXPORT_KINDS),
  from: z.string().nullable(),
  to: z.string().nullable(),
  rowCount: z.number().int().min(0),
  specialCategoryIncluded: z.boolean(),
  /** 'incomplete': the download broke off (the client left, or a page failed) before its end. */
  status: z.enum(EXPORT_STATUSES),
  startedAt: z.string(),
  finishedAt: z.string(),
  userName: z.string(),
});
export type ExportRecord = z.infer<typeof exportRecordSchema>;

/** The answer of GET /api/exports, for the browser's client to parse. */
export const exportListSchema = z.object({ exports: z.array(exportRecordSchema) });
