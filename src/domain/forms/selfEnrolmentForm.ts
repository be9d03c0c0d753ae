// A learner's own enrolment form on a kiosk: only what a learner fills in (who they are, how to reach
// them, the optional equality questions, the privacy notice and their consents), with messages
// addressed to them. Submitted, it becomes the tutor's enrolment form with the rest left as "not
// known", so it makes the same records and passes the same rules.
import { z } from 'zod';
import { PREFERRED_LANGUAGES, PREFER_NOT_TO_SAY } from '../codeLists';
import { localIsoDate } from '../dates';
import { KIOSK_ENROLLED_BY } from '../kiosk';
import {
  CONSENT_FIELDS,
  asksToBeContacted,
  checkContactChannels,
  checkDateOfBirth,
  emptyLearnerAnswers,
  equalityFields,
  learnerFields,
} from './enrolmentAnswerFields';
import {
  type EnrolmentContext,
  type EnrolmentFormValues,
  type EnrolmentRecords,
  type ValidEnrolmentForm,
  emptyEnrolmentForm,
  enrolmentFormSchema,
  enrolmentRecordsFromForm,
} from './enrolmentForm';
import { choice } from './fields';
import { checkLearnerContact } from './learnerContactFields';

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
    ...learnerFields(SELF_ENROLMENT_MESSAGES),
    // Only the languages the form offers (a tutor's form takes any language tag).
    preferredLanguage: choice(PREFERRED_LANGUAGES, SELF_ENROLMENT_MESSAGES.language),
    // Equality, health and disability: every one optional, each with "Prefer not to say". There is
    // no "chooses to answer" tick: answering on the tablet is itself the learner's choice.
    ...equalityFields('Your ethnic group in your own words'),
    privacyNoticeRead: z.boolean(),
    ...CONSENT_FIELDS,
  })
  .superRefine((values, ctx) => {
    checkDateOfBirth(values.dateOfBirth, ctx, SELF_ENROLMENT_MESSAGES.dateOfBirth);
    checkLearnerContact(values, ctx, SELF_ENROLMENT_MESSAGES.postcode);
    if (!values.privacyNoticeRead) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacyNoticeRead'],
        message: SELF_ENROLMENT_MESSAGES.privacyNotice,
      });
    }
    checkContactChannels(values, ctx, SELF_ENROLMENT_MESSAGES.contactChannels);
  });

export type SelfEnrolmentFormValues = z.input<typeof selfEnrolmentFormSchema>;
export type ValidSelfEnrolmentForm = z.output<typeof selfEnrolmentFormSchema>;

/** A blank form for the next person. Nothing is pre-ticked: consent must be the learner's own act. */
export function emptySelfEnrolmentForm(): SelfEnrolmentFormValues {
  return { ...emptyLearnerAnswers(), privacyNoticeRead: false };
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
  const { privacyNoticeRead, ...answers } = savedSelfEnrolmentAnswers(values);
  const form: EnrolmentFormValues = {
    ...emptyEnrolmentForm(today),
    ...answers,
    employmentStatus: '98',
    answersEthnicity: answers.ethnicity !== '',
    answersHealth: answers.lldd !== '',
    privacyNoticeShown: privacyNoticeRead,
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
