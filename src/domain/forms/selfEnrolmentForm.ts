// A learner's own enrolment form on a kiosk: only what a learner fills in (who they are, how to reach
// them, the optional equality questions, the privacy notice and their consents), with messages
// addressed to them. Submitted, it becomes the tutor's enrolment form with the rest left as "not
// known", so it makes the same records and passes the same rules.
import { z } from 'zod';
import {
  CONTACT_CHANNELS,
  DISABILITY_CATEGORIES,
  ENROLMENT_CONSENT_PURPOSES,
  ETHNICITIES,
  LLDD_ANSWERS,
  PREFERRED_LANGUAGES,
  PREFER_NOT_TO_SAY,
  SEXES,
} from '../codeLists';
import { localIsoDate } from '../dates';
import { KIOSK_ENROLLED_BY } from '../kiosk';
import {
  type EnrolmentContext,
  type EnrolmentFormValues,
  type EnrolmentRecords,
  type ValidEnrolmentForm,
  checkDateOfBirth,
  emptyEnrolmentForm,
  enrolmentFormSchema,
  enrolmentRecordsFromForm,
} from './enrolmentForm';
import {
  EMAIL_FORMAT_MESSAGE,
  PHONE_FORMAT_MESSAGE,
  checkPostcode,
  choice,
  datePartsSchema,
  isEmailLike,
  isPhoneLike,
  optionalChoice,
  optionalText,
  requiredText,
  ticks,
} from './fields';
import { LEARNER_CONTACT_FIELDS } from './learnerContactFields';

const consentShape = Object.fromEntries(
  ENROLMENT_CONSENT_PURPOSES.map((purpose) => [purpose, z.boolean()]),
) as Record<(typeof ENROLMENT_CONSENT_PURPOSES)[number], z.ZodBoolean>;

export const SELF_ENROLMENT_MESSAGES = {
  givenNames: 'Enter your given names',
  familyName: 'Enter your family name',
  dateOfBirth: 'Enter your date of birth',
  postcode: 'Enter your postcode, or tick the box to say you do not have one',
  language: 'Select the language you prefer',
  privacyNotice: 'Tick the box to say you have read the privacy notice',
  contactChannels: 'Select how we can contact you',
} as const;

export const selfEnrolmentFormSchema = z
  .object({
    givenNames: requiredText(SELF_ENROLMENT_MESSAGES.givenNames, 'Given names'),
    familyName: requiredText(SELF_ENROLMENT_MESSAGES.familyName, 'Family name'),
    preferredName: LEARNER_CONTACT_FIELDS.preferredName,
    dateOfBirth: datePartsSchema,
    addressLine1: LEARNER_CONTACT_FIELDS.addressLine1,
    addressLine2: LEARNER_CONTACT_FIELDS.addressLine2,
    town: LEARNER_CONTACT_FIELDS.town,
    postcode: LEARNER_CONTACT_FIELDS.postcode,
    postcodeUnknown: LEARNER_CONTACT_FIELDS.postcodeUnknown,
    phone: LEARNER_CONTACT_FIELDS.phone,
    email: LEARNER_CONTACT_FIELDS.email,
    preferredLanguage: choice(PREFERRED_LANGUAGES, SELF_ENROLMENT_MESSAGES.language),
    needsInterpreter: LEARNER_CONTACT_FIELDS.needsInterpreter,
    bslUser: z.boolean(),
    adjustments: LEARNER_CONTACT_FIELDS.adjustments,
    // Equality, health and disability: every one optional, each with "Prefer not to say".
    ethnicity: optionalChoice(ETHNICITIES),
    ethnicityOther: optionalText('Your ethnic group in your own words', 200),
    sex: optionalChoice(SEXES),
    lldd: optionalChoice(LLDD_ANSWERS),
    disabilityCategories: ticks(DISABILITY_CATEGORIES),
    privacyNoticeRead: z.boolean(),
    consents: z.object(consentShape),
    contactChannels: ticks(CONTACT_CHANNELS),
  })
  .superRefine((values, ctx) => {
    checkDateOfBirth(values.dateOfBirth, ctx, SELF_ENROLMENT_MESSAGES.dateOfBirth);
    if (!values.postcodeUnknown) {
      checkPostcode(values.postcode, 'postcode', ctx, SELF_ENROLMENT_MESSAGES.postcode);
    }
    if (values.phone.trim() && !isPhoneLike(values.phone)) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: PHONE_FORMAT_MESSAGE });
    }
    if (values.email.trim() && !isEmailLike(values.email)) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: EMAIL_FORMAT_MESSAGE });
    }
    if (!values.privacyNoticeRead) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacyNoticeRead'],
        message: SELF_ENROLMENT_MESSAGES.privacyNotice,
      });
    }
    if (asksToBeContacted(values.consents) && values.contactChannels.length === 0) {
      ctx.addIssue({
        code: 'custom',
        path: ['contactChannels'],
        message: SELF_ENROLMENT_MESSAGES.contactChannels,
      });
    }
  });

export type SelfEnrolmentFormValues = z.input<typeof selfEnrolmentFormSchema>;
export type ValidSelfEnrolmentForm = z.output<typeof selfEnrolmentFormSchema>;

/** Whether the learner agreed to be contacted (so they are asked how). */
export function asksToBeContacted(consents: SelfEnrolmentFormValues['consents']): boolean {
  return consents['contact-courses'] || consents['contact-surveys'];
}

/** A blank form for the next person. Nothing is pre-ticked: consent must be the learner's own act. */
export function emptySelfEnrolmentForm(): SelfEnrolmentFormValues {
  return {
    givenNames: '',
    familyName: '',
    preferredName: '',
    dateOfBirth: { day: '', month: '', year: '' },
    addressLine1: '',
    addressLine2: '',
    town: '',
    postcode: '',
    postcodeUnknown: false,
    phone: '',
    email: '',
    preferredLanguage: 'en',
    needsInterpreter: false,
    bslUser: false,
    adjustments: '',
    ethnicity: '',
    ethnicityOther: '',
    sex: '',
    lldd: '',
    disabilityCategories: [],
    privacyNoticeRead: false,
    consents: Object.fromEntries(
      ENROLMENT_CONSENT_PURPOSES.map((purpose) => [purpose, false]),
    ) as SelfEnrolmentFormValues['consents'],
    contactChannels: [],
  };
}

/**
 * The answers as they will be saved: a question the learner's answers hid (the conditions under
 * "Yes", the ways to contact them) keeps nothing, and "in your own words" goes with a chosen group.
 */
export function savedSelfEnrolmentAnswers(values: ValidSelfEnrolmentForm): ValidSelfEnrolmentForm {
  return {
    ...values,
    ethnicityOther:
      values.ethnicity && values.ethnicity !== PREFER_NOT_TO_SAY ? values.ethnicityOther.trim() : '',
    disabilityCategories: values.lldd === '1' ? values.disabilityCategories : [],
    contactChannels: asksToBeContacted(values.consents) ? values.contactChannels : [],
  };
}

/**
 * The tutor's enrolment form as the learner's answers fill it. Answering an equality question on the
 * tablet is itself the learner's choice to answer it; what only a tutor asks (employment, the course,
 * goals) is left as "not known" for the tutor to add; the learner ticked the boxes on this tablet.
 * Checked against the tutor's form's own rules, so the records are as sound as a tutor's.
 */
export function enrolmentFormFromSelfEnrolment(
  values: ValidSelfEnrolmentForm,
  today: string = localIsoDate(),
): ValidEnrolmentForm {
  const saved = savedSelfEnrolmentAnswers(values);
  const form: EnrolmentFormValues = {
    ...emptyEnrolmentForm(today),
    givenNames: saved.givenNames,
    familyName: saved.familyName,
    preferredName: saved.preferredName,
    dateOfBirth: saved.dateOfBirth,
    addressLine1: saved.addressLine1,
    addressLine2: saved.addressLine2,
    town: saved.town,
    postcode: saved.postcode,
    postcodeUnknown: saved.postcodeUnknown,
    phone: saved.phone,
    email: saved.email,
    preferredLanguage: saved.preferredLanguage,
    needsInterpreter: saved.needsInterpreter,
    bslUser: saved.bslUser,
    adjustments: saved.adjustments,
    employmentStatus: '98',
    answersEthnicity: saved.ethnicity !== '',
    ethnicity: saved.ethnicity,
    ethnicityOther: saved.ethnicityOther,
    sex: saved.sex,
    answersHealth: saved.lldd !== '',
    lldd: saved.lldd,
    disabilityCategories: saved.disabilityCategories,
    privacyNoticeShown: saved.privacyNoticeRead,
    consents: saved.consents,
    contactChannels: saved.contactChannels,
    consentMethod: 'learner-tablet',
  };
  return enrolmentFormSchema.parse(form);
}

export type SelfEnrolmentContext = Omit<EnrolmentContext, 'enrolledBy' | 'channel' | 'learnerId'>;

/**
 * The records of a learner's self-enrolment: always a new learner (the kiosk never looks anyone up,
 * so no one else's details are shown), enrolled by themselves through the self-service channel,
 * starting on the day they enrol.
 */
export function selfEnrolmentRecords(
  values: ValidSelfEnrolmentForm,
  context: SelfEnrolmentContext,
): EnrolmentRecords {
  return enrolmentRecordsFromForm(
    enrolmentFormFromSelfEnrolment(values, localIsoDate(new Date(context.now))),
    {
      ...context,
      enrolledBy: KIOSK_ENROLLED_BY,
      channel: 'self-service',
    },
  );
}
