// The skills assessment form: its values (every input gives a string), the rules checked on submit
// with GOV.UK messages, and the record a valid form becomes. (It would sit in src/domain/forms with
// the other form schemas; it lives beside its page while the journey UI is built.)
import { z } from 'zod';
import {
  ASSESSMENT_TYPES,
  ASSESSORS,
  DIGITAL_FRAMEWORKS,
  FUNCTIONAL_LEVELS,
  ITEM_RESULTS,
  codesOf,
} from '../codeLists';
import { localIsoDate, parseDateParts } from '../dates';
import { checkDateParts, choice, datePartsSchema, optionalChoice, optionalText } from './fields';
import type { SkillsAssessment } from '../records';
import { EDS_2018_ITEMS, NSEDS_2019_ITEMS, type DigitalFramework } from '../skillsFrameworks';

/**
 * react-hook-form reads dots in a field name as nesting, and statement codes have dots
 * ("foundation.turn-on"), so each statement's field is named by its code with the dots swapped.
 */
export function statementField(code: string): string {
  return code.replaceAll('.', '__');
}

function codeOfStatementField(field: string): string {
  return field.replaceAll('__', '.');
}

/** Each framework's results are kept apart in the form, so switching framework never mixes them. */
export const RESULTS_FIELD = { 'eds-2018': 'results2018', 'nseds-2019': 'results2019' } as const;

/** Where the "record at least one result" problem is shown and linked to from the error summary. */
export const STATEMENTS_ANCHOR = 'statements';

const itemResult = z.enum(codesOf(ITEM_RESULTS));

function notAssessed(items: readonly { code: string }[]): Record<string, 'not-assessed'> {
  return Object.fromEntries(items.map((item) => [statementField(item.code), 'not-assessed' as const]));
}

export const assessmentFormSchema = z
  .object({
    type: choice(ASSESSMENT_TYPES, 'Select the type of assessment'),
    assessor: choice(ASSESSORS, 'Select who judged the results'),
    assessedOn: datePartsSchema,
    framework: choice(DIGITAL_FRAMEWORKS, 'Select the framework the statements come from'),
    results2018: z.record(z.string(), itemResult),
    results2019: z.record(z.string(), itemResult),
    literacyLevel: optionalChoice(FUNCTIONAL_LEVELS),
    numeracyLevel: optionalChoice(FUNCTIONAL_LEVELS),
    communicationLevel: optionalChoice(FUNCTIONAL_LEVELS),
    evidence: optionalText('Evidence', 2000),
    enrolmentId: z.string(),
  })
  .superRefine((values, ctx) => {
    const assessedOn = checkDateParts(values.assessedOn, 'assessedOn', 'Date assessed', ctx, {
      missingMessage: 'Enter the date of the assessment',
    });
    // Today on the device's clock when the tutor presses save (the form may have been open since yesterday).
    if (assessedOn !== null && assessedOn > localIsoDate()) {
      ctx.addIssue({
        code: 'custom',
        path: ['assessedOn', 'day'],
        message: 'Date assessed must be today or in the past',
      });
    }
    const framework = values.framework as DigitalFramework;
    if (!Object.hasOwn(RESULTS_FIELD, framework)) return;
    const results = Object.values(values[RESULTS_FIELD[framework]]);
    const levels = [values.literacyLevel, values.numeracyLevel, values.communicationLevel];
    if (results.every((result) => result === 'not-assessed') && levels.every((level) => level === '')) {
      ctx.addIssue({
        code: 'custom',
        path: [STATEMENTS_ANCHOR],
        message: 'Record a result for at least one statement, or a literacy, numeracy or communication level',
      });
    }
  });

export type AssessmentFormValues = z.input<typeof assessmentFormSchema>;
export type ValidAssessmentForm = z.output<typeof assessmentFormSchema>;

/** A new form: assessed today, on the 2018 framework (the one the passport reads), nothing assessed yet. */
export function emptyAssessmentForm(today: string): AssessmentFormValues {
  const [year = '', month = '', day = ''] = today.split('-');
  return {
    type: '',
    assessor: '',
    assessedOn: { day: String(Number(day)), month: String(Number(month)), year },
    framework: 'eds-2018',
    results2018: notAssessed(EDS_2018_ITEMS),
    results2019: notAssessed(NSEDS_2019_ITEMS),
    literacyLevel: '',
    numeracyLevel: '',
    communicationLevel: '',
    evidence: '',
    enrolmentId: '',
  };
}

type NewAssessment = Omit<SkillsAssessment, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

const levelOrNull = (level: string) => (level === '' ? null : (level as SkillsAssessment['literacyLevel']));

/** The record a valid form saves: only the chosen framework's results, "not assessed" levels as null. */
export function assessmentFromForm(
  values: ValidAssessmentForm,
  context: { learnerId: string; enrolmentId: string | null; assessedBy: string },
): NewAssessment {
  const framework = values.framework as DigitalFramework;
  const date = parseDateParts(values.assessedOn);
  if (!date.ok) throw new Error('assessmentFromForm needs a form that passed its schema');
  const itemResults = Object.fromEntries(
    Object.entries(values[RESULTS_FIELD[framework]]).map(([field, result]) => [
      codeOfStatementField(field),
      result,
    ]),
  );
  return {
    learnerId: context.learnerId,
    enrolmentId: context.enrolmentId,
    type: values.type as SkillsAssessment['type'],
    assessor: values.assessor as SkillsAssessment['assessor'],
    assessedOn: date.date,
    assessedBy: context.assessedBy,
    framework,
    itemResults,
    literacyLevel: levelOrNull(values.literacyLevel),
    numeracyLevel: levelOrNull(values.numeracyLevel),
    communicationLevel: levelOrNull(values.communicationLevel),
    evidence: values.evidence.trim(),
  };
}
