// The enrolment form: what a tutor fills in, its rules and messages, and how one submitted form
// becomes the records of one enrolment (a learner's own form on a kiosk, selfEnrolmentForm.ts, too).
import { z } from 'zod';
import {
  BENEFITS,
  CONSENT_METHODS,
  DISABILITY_CATEGORIES,
  EMPLOYMENT_STATUSES,
  ENROLMENT_CONSENT_PURPOSES,
  GOAL_CATEGORIES,
  HOURS_PER_WEEK,
  PRIOR_ATTAINMENT,
  PRIOR_SKILL_AREAS,
  REFERRAL_SOURCES,
  SKILL_RESULTS,
  UNEMPLOYMENT_LENGTHS,
} from '../codeLists';
import { dayBefore, localIsoDate, parseDateParts } from '../dates';
import { consentId, equalityId, newId } from '../ids';
import type {
  Consent,
  DocumentVersion,
  Enrolment,
  EmploymentStatus,
  EqualityMonitoring,
  Learner,
  LearningGoal,
  Programme,
  RecordBase,
} from '../records';
import {
  CONSENT_FIELDS,
  checkContactChannels,
  checkDateOfBirth,
  emptyLearnerAnswers,
  equalityFields,
  learnerFields,
} from './enrolmentAnswerFields';
import {
  PHONE_FORMAT_MESSAGE,
  checkDateParts,
  choice,
  datePartsSchema,
  isPhoneLike,
  optionalChoice,
  optionalText,
  ticks,
} from './fields';
import { checkLearnerContact, learnerContactFromForm } from './learnerContactFields';

export const MAX_GOALS_ON_FORM = 3;

const goalSchema = z.object({ text: optionalText('Goal', 300), category: optionalChoice(GOAL_CATEGORIES) });

const priorSkillsShape = Object.fromEntries(
  PRIOR_SKILL_AREAS.map((area) => [area.code, optionalChoice(SKILL_RESULTS)]),
) as Record<(typeof PRIOR_SKILL_AREAS)[number]['code'], ReturnType<typeof optionalChoice>>;

export const enrolmentFormSchema = z
  .object({
    // Personal and contact details (the same rules as "Change details" and a learner's own form)
    ...learnerFields({
      givenNames: "Enter the learner's given names",
      familyName: "Enter the learner's family name",
    }),
    // Any well-formed language tag (checked below); a learner's own form takes only the list's.
    preferredLanguage: z.string(),
    emergencyContactName: optionalText('Emergency contact name', 100),
    emergencyContactPhone: z.string(),
    // Course
    startDate: datePartsSchema,
    referralSource: optionalChoice(REFERRAL_SOURCES),
    // Employment and benefits
    employmentStatus: choice(EMPLOYMENT_STATUSES, "Select the learner's employment status"),
    selfEmployed: z.boolean(),
    hoursPerWeek: optionalChoice(HOURS_PER_WEEK),
    unemploymentLength: optionalChoice(UNEMPLOYMENT_LENGTHS),
    benefits: ticks(BENEFITS),
    fullTimeEducationBefore: z.boolean(),
    priorAttainment: optionalChoice(PRIOR_ATTAINMENT),
    // Prior digital skills and goals
    priorSkills: z.object(priorSkillsShape),
    goals: z.array(goalSchema).max(MAX_GOALS_ON_FORM),
    // Equality, health and disability: optional, each with "Prefer not to say", each behind the
    // learner's choice to answer
    answersEthnicity: z.boolean(),
    answersHealth: z.boolean(),
    ...equalityFields('Ethnic group description'),
    primaryDisabilityCategory: optionalChoice(DISABILITY_CATEGORIES),
    // Privacy and consent
    privacyNoticeShown: z.boolean(),
    ...CONSENT_FIELDS,
    consentMethod: choice(CONSENT_METHODS, 'Select how the learner gave their answers'),
  })
  .superRefine((values, ctx) => {
    checkDateOfBirth(values.dateOfBirth, ctx, "Enter the learner's date of birth");
    checkLearnerContact(values, ctx);
    if (values.emergencyContactPhone.trim() && !isPhoneLike(values.emergencyContactPhone)) {
      ctx.addIssue({ code: 'custom', path: ['emergencyContactPhone'], message: PHONE_FORMAT_MESSAGE });
    }
    if (!/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(values.preferredLanguage.trim())) {
      ctx.addIssue({
        code: 'custom',
        path: ['preferredLanguage'],
        message: 'Select the language the learner prefers',
      });
    }
    checkDateParts(values.startDate, 'startDate', 'Start date', ctx, {
      missingMessage: 'Enter the date the learner starts the course',
    });
    values.goals.forEach((goal, index) => {
      if (goal.text.trim() && !goal.category) {
        ctx.addIssue({
          code: 'custom',
          path: ['goals', index, 'category'],
          message: 'Select what kind of goal this is',
        });
      }
    });
    const givesHealthAnswer = values.lldd !== '' || values.disabilityCategories.length > 0;
    if (givesHealthAnswer && !values.answersHealth) {
      ctx.addIssue({
        code: 'custom',
        path: ['answersHealth'],
        message: 'Confirm the learner chose to answer the health questions, or clear the answers',
      });
    }
    if (values.disabilityCategories.length > 0 && values.lldd !== '1') {
      ctx.addIssue({
        code: 'custom',
        path: ['lldd'],
        message: 'Select "Yes" if the learner has a condition you ticked below',
      });
    }
    if (
      values.primaryDisabilityCategory &&
      !values.disabilityCategories.includes(values.primaryDisabilityCategory)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['primaryDisabilityCategory'],
        message: 'Choose the main condition from the ones ticked',
      });
    }
    if (values.ethnicity && !values.answersEthnicity) {
      ctx.addIssue({
        code: 'custom',
        path: ['answersEthnicity'],
        message: 'Confirm the learner chose to answer the ethnic group question, or clear the answer',
      });
    }
    if (!values.privacyNoticeShown) {
      ctx.addIssue({
        code: 'custom',
        path: ['privacyNoticeShown'],
        message: 'Confirm the learner has been shown the privacy notice',
      });
    }
    checkContactChannels(values, ctx, 'Select how the learner is happy to be contacted');
  });

export type EnrolmentFormValues = z.input<typeof enrolmentFormSchema>;
export type ValidEnrolmentForm = z.output<typeof enrolmentFormSchema>;

/** A blank form. Nothing is pre-ticked: consent must be an act of the learner. */
export function emptyEnrolmentForm(today: string = localIsoDate()): EnrolmentFormValues {
  const [year, month, day] = today.split('-');
  return {
    ...emptyLearnerAnswers(),
    emergencyContactName: '',
    emergencyContactPhone: '',
    startDate: { day: String(Number(day)), month: String(Number(month)), year: year ?? '' },
    referralSource: '',
    employmentStatus: '',
    selfEmployed: false,
    hoursPerWeek: '',
    unemploymentLength: '',
    benefits: [],
    fullTimeEducationBefore: false,
    priorAttainment: '',
    priorSkills: Object.fromEntries(
      PRIOR_SKILL_AREAS.map((area) => [area.code, '']),
    ) as EnrolmentFormValues['priorSkills'],
    goals: Array.from({ length: MAX_GOALS_ON_FORM }, () => ({ text: '', category: '' })),
    answersEthnicity: false,
    answersHealth: false,
    primaryDisabilityCategory: '',
    privacyNoticeShown: false,
    consentMethod: '',
  };
}

/** Everything one enrolment writes, as records ready to store (all in one transaction). */
export type EnrolmentRecords = {
  learner: Learner;
  enrolment: Enrolment;
  employmentStatus: EmploymentStatus;
  equalityMonitoring: EqualityMonitoring | null;
  consents: Consent[];
  learningGoals: LearningGoal[];
};

export type EnrolmentContext = {
  programme: Pick<Programme, 'id' | 'fundingStream'>;
  privacyNoticeVersionId: string;
  consentStatementsVersionId: string;
  /** The language of the privacy notice and consent wording shown (what the consent rows record). */
  documentLanguage?: string;
  deviceId: string;
  enrolledBy: string;
  now: string;
  /** An existing learner enrolling on another programme keeps their id. */
  learnerId?: string;
  /** How the enrolment was made: a tutor's form unless said otherwise (a learner on a kiosk). */
  channel?: Enrolment['channel'];
};

/** The privacy notice and consent statements a form shows, as the device holds them (null: not held). */
export type EnrolmentDocuments = { notice: DocumentVersion | null; statements: DocumentVersion | null };

/** What the records say of the documents shown, or null when either is not on the device. */
export function documentsContext(
  documents: EnrolmentDocuments | undefined,
): Pick<
  EnrolmentContext,
  'privacyNoticeVersionId' | 'consentStatementsVersionId' | 'documentLanguage'
> | null {
  if (!documents?.notice || !documents.statements) return null;
  return {
    privacyNoticeVersionId: documents.notice.id,
    consentStatementsVersionId: documents.statements.id,
    documentLanguage: documents.notice.language,
  };
}

function isoFromParts(parts: { day: string; month: string; year: string }): string {
  const parsed = parseDateParts(parts);
  if (!parsed.ok) throw new Error('enrolmentRecordsFromForm needs a validated form');
  return parsed.date;
}

export function enrolmentRecordsFromForm(
  values: ValidEnrolmentForm,
  context: EnrolmentContext,
): EnrolmentRecords {
  const base = (id: string): RecordBase => ({
    id,
    createdAt: context.now,
    updatedAt: context.now,
    deviceId: context.deviceId,
    deleted: false,
  });
  const learnerId = context.learnerId ?? newId();
  const startDate = isoFromParts(values.startDate);
  const learner: Learner = {
    ...base(learnerId),
    givenNames: values.givenNames,
    familyName: values.familyName,
    ...learnerContactFromForm(values),
    dateOfBirth: isoFromParts(values.dateOfBirth),
    preferredLanguage: values.preferredLanguage.trim(),
    bslUser: values.bslUser,
    emergencyContactName: values.emergencyContactName.trim(),
    emergencyContactPhone: values.emergencyContactPhone.trim(),
    status: 'active',
    mergedInto: null,
  };
  const enrolmentId = newId();
  const priorDigitalSkills = Object.fromEntries(
    Object.entries(values.priorSkills).filter(([, result]) => result !== ''),
  ) as Enrolment['priorDigitalSkills'];
  const enrolment: Enrolment = {
    ...base(enrolmentId),
    learnerId,
    programmeId: context.programme.id,
    enrolledAt: context.now,
    enrolledBy: context.enrolledBy,
    channel: context.channel ?? 'tutor',
    referralSource: (values.referralSource || null) as Enrolment['referralSource'],
    startDate,
    plannedEndDate: null,
    fundingStream: context.programme.fundingStream,
    privacyNoticeVersionId: context.privacyNoticeVersionId,
    priorAttainment: (values.priorAttainment || null) as Enrolment['priorAttainment'],
    priorDigitalSkills,
    completionStatus: '1',
    actualEndDate: null,
    outcome: '8',
    withdrawalReason: null,
  };
  const employmentStatus: EmploymentStatus = {
    ...base(newId()),
    learnerId,
    appliesOn: dayBefore(startDate),
    status: values.employmentStatus as EmploymentStatus['status'],
    selfEmployed: values.employmentStatus === '10' && values.selfEmployed,
    hoursPerWeek:
      values.employmentStatus === '10'
        ? ((values.hoursPerWeek || null) as EmploymentStatus['hoursPerWeek'])
        : null,
    unemploymentLength:
      values.employmentStatus === '10'
        ? null
        : ((values.unemploymentLength || null) as EmploymentStatus['unemploymentLength']),
    benefits: values.benefits as EmploymentStatus['benefits'],
    fullTimeEducationBefore: values.fullTimeEducationBefore,
  };
  const answeredEquality = values.answersEthnicity || values.answersHealth || values.sex !== '';
  const equalityMonitoring: EqualityMonitoring | null = answeredEquality
    ? {
        ...base(equalityId(learnerId)),
        learnerId,
        ethnicity: values.answersEthnicity
          ? ((values.ethnicity || null) as EqualityMonitoring['ethnicity'])
          : null,
        ethnicityOther: values.answersEthnicity ? values.ethnicityOther.trim() : '',
        sex: (values.sex || null) as EqualityMonitoring['sex'],
        ethnicityAnswerChosenAt: values.answersEthnicity ? context.now : null,
        lldd: values.answersHealth ? ((values.lldd || null) as EqualityMonitoring['lldd']) : null,
        disabilityCategories: values.answersHealth
          ? (values.disabilityCategories as EqualityMonitoring['disabilityCategories'])
          : [],
        primaryDisabilityCategory: values.answersHealth
          ? ((values.primaryDisabilityCategory || null) as EqualityMonitoring['primaryDisabilityCategory'])
          : null,
        healthAnswerChosenAt: values.answersHealth ? context.now : null,
      }
    : null;
  const consentBase = {
    learnerId,
    lawfulBasis: 'consent' as const,
    method: values.consentMethod as Consent['method'],
    language: context.documentLanguage ?? 'en',
    capturedAt: context.now,
    capturedBy: context.enrolledBy,
    withdrawnAt: null,
  };
  const consents: Consent[] = [
    {
      ...base(consentId(learnerId, 'privacy-notice')),
      ...consentBase,
      purpose: 'privacy-notice',
      granted: true,
      channels: [],
      // The privacy notice is information, not consent: acknowledged under public task.
      lawfulBasis: 'public-task',
      documentVersionId: context.privacyNoticeVersionId,
    },
    ...ENROLMENT_CONSENT_PURPOSES.map((purpose): Consent => ({
      ...base(consentId(learnerId, purpose)),
      ...consentBase,
      purpose,
      granted: values.consents[purpose],
      channels:
        purpose === 'photos' || !values.consents[purpose]
          ? []
          : (values.contactChannels as Consent['channels']),
      documentVersionId: context.consentStatementsVersionId,
    })),
  ];
  const learningGoals: LearningGoal[] = values.goals
    .filter((goal) => goal.text.trim())
    .map((goal) => ({
      ...base(newId()),
      learnerId,
      enrolmentId,
      text: goal.text.trim(),
      category: goal.category as LearningGoal['category'],
      setOn: startDate,
      reviewedOn: null,
      achievedOn: null,
    }));
  return { learner, enrolment, employmentStatus, equalityMonitoring, consents, learningGoals };
}
