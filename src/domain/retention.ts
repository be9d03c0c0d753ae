// Retention (data protection rule 5): how long a learner's personal data is kept after their last
// activity, per funding stream, and who is due to be anonymised. A learner on several streams is kept
// for the longest of their periods; one with no enrolment, for the unfunded period. Anonymising is the
// erasure of src/domain/erasure.ts, so the anonymous counts stay. Pure: the server reads last activity
// in SQL (src/server/db/retention.ts) and decides here.
import { z } from 'zod';
import { FUNDING_STREAMS, codesOf } from './codeLists';
import { isIsoDate } from './dates';

export type FundingStream = (typeof FUNDING_STREAMS)[number]['code'];

export const MIN_RETENTION_YEARS = 1;
export const MAX_RETENTION_YEARS = 50;

/** The stream a learner with no enrolment (or none with a stream) is kept for. */
export const STREAM_WITHOUT_ENROLMENT: FundingStream = 'unfunded';

/**
 * The periods a coordinator starts from, with why. Rule 5: six years for ESFA-funded learning, three
 * years after last activity when unfunded (ours). Measured here from the learner's last activity (an
 * enrolment's end is one), which is never earlier than the end of the agreement that funded it.
 */
export const DEFAULT_RETENTION: Readonly<Record<FundingStream, { years: number; why: string }>> = {
  'asf-tailored': { years: 6, why: 'ESFA-funded: six years, for the funder’s audit' },
  'eds-entitlement': { years: 6, why: 'ESFA-funded: six years, for the funder’s audit' },
  ukspf: { years: 6, why: 'Public grant audited like ESFA funding: six years' },
  'dcms-grant': { years: 6, why: 'Public grant audited like ESFA funding: six years' },
  'local-grant': { years: 3, why: 'Local grants rarely ask for longer: three years (ours)' },
  unfunded: { years: 3, why: 'Not funded: three years after last activity (ours)' },
  'esf-legacy': {
    years: 10,
    why: 'European Social Fund 2014–2020 records were to be kept to the end of 2030: ten years covers it',
  },
};

export type RetentionPeriods = Readonly<Record<FundingStream, number>>;

export function defaultRetentionPeriods(): Record<FundingStream, number> {
  return Object.fromEntries(
    codesOf(FUNDING_STREAMS).map((stream) => [stream, DEFAULT_RETENTION[stream].years]),
  ) as Record<FundingStream, number>;
}

const yearsSchema = z
  .number({ error: 'Enter a whole number of years' })
  .int('Enter a whole number of years')
  .min(MIN_RETENTION_YEARS, `Enter at least ${MIN_RETENTION_YEARS} year`)
  .max(MAX_RETENTION_YEARS, `Enter at most ${MAX_RETENTION_YEARS} years`);

/** PUT /api/retention: the years for some or all streams (a stream left out keeps its period). */
export const retentionSettingsRequestSchema = z.object({
  periods: z.partialRecord(z.enum(codesOf(FUNDING_STREAMS)), yearsSchema),
});
export type RetentionSettingsRequest = z.infer<typeof retentionSettingsRequestSchema>;

export const retentionRunSchema = z.object({
  runAt: z.iso.datetime({ offset: true }),
  runByName: z.string().nullable(),
  asOf: z.string(),
  learnersAnonymised: z.number().int().min(0),
});
export type RetentionRun = z.infer<typeof retentionRunSchema>;

/** GET and PUT /api/retention. */
export const retentionSummarySchema = z.object({
  periods: z.array(
    z.object({
      fundingStream: z.enum(codesOf(FUNDING_STREAMS)),
      label: z.string(),
      years: z.number().int(),
      defaultYears: z.number().int(),
      why: z.string(),
      updatedAt: z.iso.datetime({ offset: true }).nullable(),
      updatedByName: z.string().nullable(),
    }),
  ),
  asOf: z.string(),
  /** Learners whose retention has ended as of `asOf`: what a run would anonymise now. */
  dueCount: z.number().int().min(0),
  runs: z.array(retentionRunSchema),
});
export type RetentionSummary = z.infer<typeof retentionSummarySchema>;

/** POST /api/retention/run. */
export const retentionRunAnswerSchema = z.object({
  asOf: z.string(),
  learnersAnonymised: z.number().int().min(0),
});
export type RetentionRunAnswer = z.infer<typeof retentionRunAnswerSchema>;

/** The date `years` after an ISO date (29 February becomes 28 February in a year without one). */
export function addYears(isoDate: string, years: number): string {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  const target = year + years;
  const lastDay = new Date(Date.UTC(target, month, 0)).getUTCDate();
  return `${String(target).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(Math.min(day, lastDay)).padStart(2, '0')}`;
}

function isFundingStream(value: string): value is FundingStream {
  return (codesOf(FUNDING_STREAMS) as readonly string[]).includes(value);
}

/** The years a learner on these streams is kept for: the longest of them (unfunded when none). */
export function retentionYearsFor(streams: readonly string[], periods: RetentionPeriods): number {
  const known = streams.filter(isFundingStream);
  const applying = known.length > 0 ? known : [STREAM_WITHOUT_ENROLMENT];
  return Math.max(...applying.map((stream) => periods[stream]));
}

/** A learner's activity as the server reads it: their latest dated record, and their enrolments' streams. */
export type LearnerActivity = { learnerId: string; lastActivity: string | null; streams: readonly string[] };

/**
 * Whether the learner's retention has ended on `today`: their period has passed since their last
 * activity, for every stream they are on. A learner with no date at all is never due (nothing to
 * measure from).
 */
export function isDueForAnonymising(
  activity: LearnerActivity,
  periods: RetentionPeriods,
  today: string,
): boolean {
  if (activity.lastActivity === null || !isIsoDate(activity.lastActivity)) return false;
  return addYears(activity.lastActivity, retentionYearsFor(activity.streams, periods)) < today;
}
