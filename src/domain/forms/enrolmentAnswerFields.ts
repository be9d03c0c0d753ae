// The answers both enrolment forms take, the tutor's (enrolmentForm.ts) and a learner's own on a
// kiosk (selfEnrolmentForm.ts): their zod shapes, their blank values and the rules across them. Only
// the words differ (the learner's or yours), so each form passes in its own messages.
import { z } from 'zod';
import {
  CONTACT_CHANNELS,
  DISABILITY_CATEGORIES,
  ENROLMENT_CONSENT_PURPOSES,
  ETHNICITIES,
  LLDD_ANSWERS,
  SEXES,
} from '../codeLists';
import { localIsoDate } from '../dates';
import {
  type IssueSink,
  checkDateParts,
  datePartsSchema,
  optionalChoice,
  optionalText,
  requiredText,
  ticks,
} from './fields';
import { LEARNER_CONTACT_FIELDS, emptyLearnerContactForm } from './learnerContactFields';

const EARLIEST_BIRTH_YEAR = 1900;

type ConsentPurpose = (typeof ENROLMENT_CONSENT_PURPOSES)[number];
type Consents = Record<ConsentPurpose, boolean>;

const consentShape = Object.fromEntries(
  ENROLMENT_CONSENT_PURPOSES.map((purpose) => [purpose, z.boolean()]),
) as Record<ConsentPurpose, z.ZodBoolean>;

/**
 * Who the learner is, how to reach them and what they need. The preferred language is not among
 * them: each form has its own rule for it.
 */
export function learnerFields(messages: { givenNames: string; familyName: string }) {
  return {
    givenNames: requiredText(messages.givenNames, 'Given names'),
    familyName: requiredText(messages.familyName, 'Family name'),
    dateOfBirth: datePartsSchema,
    ...LEARNER_CONTACT_FIELDS,
    bslUser: z.boolean(),
  };
}

/** The equality answers, every one optional; "in their own words" is named as the form asks it. */
export function equalityFields(ethnicityOtherLabel: string) {
  return {
    ethnicity: optionalChoice(ETHNICITIES),
    ethnicityOther: optionalText(ethnicityOtherLabel, 200),
    sex: optionalChoice(SEXES),
    lldd: optionalChoice(LLDD_ANSWERS),
    disabilityCategories: ticks(DISABILITY_CATEGORIES),
  };
}

/** What the learner agrees to, and how they are happy to be contacted. */
export const CONSENT_FIELDS = {
  consents: z.object(consentShape),
  contactChannels: ticks(CONTACT_CHANNELS),
};

/** Blank answers. Nothing is pre-ticked: consent must be the learner's own act. */
export function emptyLearnerAnswers() {
  return {
    givenNames: '',
    familyName: '',
    dateOfBirth: { day: '', month: '', year: '' },
    ...emptyLearnerContactForm(),
    preferredLanguage: 'en',
    bslUser: false,
    ethnicity: '',
    ethnicityOther: '',
    sex: '',
    lldd: '',
    disabilityCategories: [] as string[],
    consents: Object.fromEntries(ENROLMENT_CONSENT_PURPOSES.map((purpose) => [purpose, false])) as Consents,
    contactChannels: [] as string[],
  };
}

/** Whether the learner agreed to be contacted (so they are asked how). */
export function asksToBeContacted(consents: Consents): boolean {
  return consents['contact-courses'] || consents['contact-surveys'];
}

/** A date of birth as three fields: a real date, in the past, after 1900. */
export function checkDateOfBirth(
  parts: { day: string; month: string; year: string },
  ctx: IssueSink,
  missingMessage: string,
): void {
  const birth = checkDateParts(parts, 'dateOfBirth', 'Date of birth', ctx, { missingMessage });
  if (birth && birth >= localIsoDate()) {
    ctx.addIssue({
      code: 'custom',
      path: ['dateOfBirth', 'day'],
      message: 'Enter a date of birth in the past',
    });
  } else if (birth && Number(birth.slice(0, 4)) < EARLIEST_BIRTH_YEAR) {
    ctx.addIssue({
      code: 'custom',
      path: ['dateOfBirth', 'year'],
      message: `Date of birth must be after ${EARLIEST_BIRTH_YEAR}`,
    });
  }
}

/** Someone who agreed to be contacted says how. */
export function checkContactChannels(
  values: { consents: Consents; contactChannels: readonly string[] },
  ctx: IssueSink,
  message: string,
): void {
  if (asksToBeContacted(values.consents) && values.contactChannels.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['contactChannels'], message });
  }
}
