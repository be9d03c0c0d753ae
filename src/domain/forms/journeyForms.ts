// The learner-journey forms as typed (goals, a goal's achieved date, outcomes): their zod schemas,
// empty values and the records they become. The outcome form checks its dates against the learner's
// enrolments with the same rule the store applies (refuseOutcomeDates), so a refusal is shown beside
// the field to fix, in that field's words.
import { z } from 'zod';
import { GOAL_CATEGORIES, OUTCOME_CODES, OUTCOME_EVIDENCE, OUTCOME_TIME_POINTS } from '../codeLists';
import { type DateParts, datePartsFromIso, formatDate, localIsoDate, parseDateParts } from '../dates';
import { checkDateParts, choice, datePartsSchema, optionalText, requiredText } from './fields';
import { refuseOutcomeDates } from '../journey';
import type { Enrolment, LearningGoal, Outcome } from '../records';

const EMPTY_DATE: DateParts = { day: '', month: '', year: '' };

/** The ISO date of three fields a schema has already checked. */
export function isoFromParts(parts: DateParts): string {
  const parsed = parseDateParts(parts);
  if (!parsed.ok) throw new Error('isoFromParts needs date fields the form schema has checked');
  return parsed.date;
}

/**
 * The enrolment a goal or outcome belongs to: the learner's one continuing enrolment. With none, or
 * several at once, it belongs to the learner alone (null) rather than to a guessed course.
 */
export function currentEnrolmentId(enrolments: readonly Enrolment[]): string | null {
  const continuing = enrolments.filter(
    (enrolment) => !enrolment.deleted && enrolment.completionStatus === '1',
  );
  return continuing.length === 1 ? (continuing[0]?.id ?? null) : null;
}

// ---- Adding a goal ----

export const goalFormSchema = z
  .object({
    goalText: requiredText('Enter what the learner wants to achieve', 'Goal', 300),
    goalCategory: choice(GOAL_CATEGORIES, 'Select what kind of goal this is'),
    goalSetOn: datePartsSchema,
  })
  .superRefine((values, ctx) => {
    checkDateParts(values.goalSetOn, 'goalSetOn', 'Date set', ctx, {
      missingMessage: 'Enter the date the goal was set',
    });
  });
export type GoalFormValues = z.input<typeof goalFormSchema>;

export function emptyGoalForm(today: string = localIsoDate()): GoalFormValues {
  return { goalText: '', goalCategory: '', goalSetOn: datePartsFromIso(today) };
}

export function goalFromForm(
  values: z.output<typeof goalFormSchema>,
  learnerId: string,
  enrolmentId: string | null,
): Omit<LearningGoal, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'> {
  return {
    learnerId,
    enrolmentId,
    text: values.goalText.trim(),
    category: values.goalCategory as LearningGoal['category'],
    setOn: isoFromParts(values.goalSetOn),
    reviewedOn: null,
    achievedOn: null,
  };
}

// ---- Marking a goal achieved ----

/** The achieved date may not come before the goal was set (the store refuses it too). */
export function goalAchievedFormSchema(setOn: string) {
  return z.object({ goalAchievedOn: datePartsSchema }).superRefine((values, ctx) => {
    const achievedOn = checkDateParts(values.goalAchievedOn, 'goalAchievedOn', 'Date achieved', ctx, {
      missingMessage: 'Enter the date the learner achieved the goal',
    });
    if (achievedOn !== null && achievedOn < setOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['goalAchievedOn'],
        message: 'The date achieved must be on or after the date the goal was set',
      });
    }
  });
}
export type GoalAchievedFormValues = { goalAchievedOn: DateParts };

// ---- Recording an outcome ----

/** The outcome form's fields in page order, for the error summary. */
export const OUTCOME_FIELD_ORDER = [
  'code',
  'startDate',
  'endDate',
  'collectedOn',
  'timePoint',
  'evidence',
  'notes',
] as const;

export const OUTCOME_DATE_FIELDS = ['startDate', 'endDate', 'collectedOn'] as const;

const outcomeFormObject = z.object({
  code: choice(OUTCOME_CODES, 'Select the outcome'),
  startDate: datePartsSchema,
  endDate: datePartsSchema,
  collectedOn: datePartsSchema,
  timePoint: choice(OUTCOME_TIME_POINTS, 'Select when the outcome was collected'),
  evidence: choice(OUTCOME_EVIDENCE, 'Select the evidence of the outcome'),
  notes: optionalText('Notes', 2000),
});
export type OutcomeFormValues = z.input<typeof outcomeFormObject>;
export type ValidOutcomeForm = z.output<typeof outcomeFormObject>;

/**
 * The outcome form's schema for a learner with these enrolments: each date must be real, and the
 * dates possible for the learner (refuseOutcomeDates, the rule recordOutcome applies when saving).
 * An impossible date is reported on the whole date field it names.
 */
export function outcomeFormSchema(enrolments: readonly Enrolment[]) {
  return outcomeFormObject.superRefine((values, ctx) => {
    const startDate = checkDateParts(values.startDate, 'startDate', 'Start date', ctx, {
      missingMessage: 'Enter the date the outcome started',
    });
    // The end date is optional: left blank, the outcome is ongoing.
    const endGiven = hasAnyPart(values.endDate);
    const endDate = endGiven ? checkDateParts(values.endDate, 'endDate', 'End date', ctx) : null;
    const collectedOn = checkDateParts(values.collectedOn, 'collectedOn', 'Date collected', ctx, {
      missingMessage: 'Enter the date you found out about the outcome',
    });
    if (startDate === null || collectedOn === null || (endGiven && endDate === null)) return;
    const refusal = refuseOutcomeDates({ startDate, endDate }, enrolments);
    if (refusal) {
      ctx.addIssue({
        code: 'custom',
        path: [refusal.field],
        message: outcomeDateMessage(refusal.field, enrolments),
      });
    }
  });
}

/** The refused date in the form's words: the field's label, and the enrolment's date written out. */
function outcomeDateMessage(field: 'startDate' | 'endDate', enrolments: readonly Enrolment[]): string {
  switch (field) {
    case 'startDate': {
      const firstStart = enrolments
        .filter((enrolment) => !enrolment.deleted)
        .map((enrolment) => enrolment.startDate)
        .sort()[0];
      return `Start date must be the same as or after ${formatDate(firstStart ?? '')}, when the learner first enrolled`;
    }
    case 'endDate':
      return 'End date must be the same as or after the start date';
  }
}

function hasAnyPart(parts: DateParts): boolean {
  return Boolean(parts.day.trim() || parts.month.trim() || parts.year.trim());
}

export function emptyOutcomeForm(today: string = localIsoDate()): OutcomeFormValues {
  return {
    code: '',
    startDate: EMPTY_DATE,
    endDate: EMPTY_DATE,
    collectedOn: datePartsFromIso(today),
    timePoint: '',
    evidence: '',
    notes: '',
  };
}

export function outcomeFromForm(
  values: ValidOutcomeForm,
  learnerId: string,
  enrolmentId: string | null,
): Omit<Outcome, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'> {
  return {
    learnerId,
    enrolmentId,
    code: values.code as Outcome['code'],
    startDate: isoFromParts(values.startDate),
    endDate: hasAnyPart(values.endDate) ? isoFromParts(values.endDate) : null,
    collectedOn: isoFromParts(values.collectedOn),
    timePoint: values.timePoint as Outcome['timePoint'],
    evidence: values.evidence as Outcome['evidence'],
    notes: values.notes.trim(),
  };
}

/**
 * The outcome codes in the groups a tutor looks for them by. Every code falls in exactly one group
 * (by its prefix), so a code added to the list later still shows, under "Other outcomes".
 */
const OUTCOME_GROUPS = [
  { label: 'Paid work', matches: (code: string) => code.startsWith('EMP') },
  { label: 'Education and training', matches: (code: string) => code.startsWith('EDU') },
  { label: 'Volunteering', matches: (code: string) => code.startsWith('VOL') },
  { label: 'Not in paid work', matches: (code: string) => code.startsWith('NPE') },
  { label: 'Work experience and interviews', matches: (code: string) => code === 'WEX' || code === 'INT' },
  { label: 'Soft outcomes', matches: (code: string) => code.startsWith('SOFT-') },
  { label: 'Not known', matches: (code: string) => code.startsWith('OTH') },
] as const;

export function groupedOutcomeCodes(): { label: string; options: { value: string; label: string }[] }[] {
  const groups = OUTCOME_GROUPS.map((group) => ({
    label: group.label,
    options: OUTCOME_CODES.filter((entry) => group.matches(entry.code)).map((entry) => ({
      value: entry.code,
      label: entry.label,
    })),
  }));
  const grouped = new Set(groups.flatMap((group) => group.options.map((option) => option.value)));
  const others = OUTCOME_CODES.filter((entry) => !grouped.has(entry.code)).map((entry) => ({
    value: entry.code,
    label: entry.label,
  }));
  return [...groups, { label: 'Other outcomes', options: others }].filter(
    (group) => group.options.length > 0,
  );
}
