// Stored shapes of every record this slice keeps, as zod schemas: the same schemas parse data
// arriving from IndexedDB upgrades, imports and (later) the sync server.
import { z } from 'zod';
import {
  ACCESSIBILITY_FEATURES,
  ASSESSMENT_TYPES,
  ASSESSORS,
  ATTENDANCE_MARKS,
  AUTHORISED_ABSENCE_REASONS,
  BENEFITS,
  COMPLETION_STATUSES,
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONTACT_CHANNELS,
  DELIVERY_MODES,
  DIGITAL_FRAMEWORKS,
  DISABILITY_CATEGORIES,
  DOCUMENT_KINDS,
  EMPLOYMENT_STATUSES,
  ENROLMENT_CHANNELS,
  ENROLMENT_OUTCOMES,
  ETHNICITIES,
  FUNCTIONAL_LEVELS,
  FUNDING_STREAMS,
  GOAL_CATEGORIES,
  HOURS_PER_WEEK,
  ITEM_RESULTS,
  LAWFUL_BASES,
  LLDD_ANSWERS,
  LOAN_DEVICE_CONDITIONS,
  LOAN_DEVICE_SOURCES,
  LOAN_DEVICE_STATUSES,
  LOAN_DEVICE_TYPES,
  LOAN_OUTCOMES,
  OUTCOME_CODES,
  OUTCOME_EVIDENCE,
  OUTCOME_TIME_POINTS,
  PASSPORT_LEVELS,
  PRIOR_ATTAINMENT,
  PRIOR_SKILL_AREAS,
  PROGRAMME_LEVELS,
  PROGRAMME_STATUSES,
  PROGRAMME_TYPES,
  REFERRAL_SOURCES,
  SESSION_STATUSES,
  SEXES,
  SKILL_RESULTS,
  TARGET_GROUPS,
  UNEMPLOYMENT_LENGTHS,
  WITHDRAWAL_REASONS,
  codesOf,
} from './codeLists';
import { isIsoDate } from './dates';
import { isItemOfFramework } from './skillsFrameworks';
import { isValidPostcode, normalisePostcode } from './postcode';

export const isoDateSchema = z.string().refine(isIsoDate, 'Enter a real date as YYYY-MM-DD');
export const timestampSchema = z.iso.datetime({ offset: true });
export const idSchema = z.uuid();
/** Postcodes are stored normalised (upper case, no spaces); "" when unknown. */
export const storedPostcodeSchema = z
  .string()
  .refine(
    (value) => value === '' || (value === normalisePostcode(value) && isValidPostcode(value)),
    'Postcode must be stored normalised',
  );

/** Fields every synced record carries. createdAt and updatedAt are the device clock, for display only. */
export const recordBaseSchema = z.object({
  id: idSchema,
  createdAt: timestampSchema,
  updatedAt: timestampSchema,
  deviceId: z.string().min(1),
  deleted: z.boolean(),
});
export type RecordBase = z.infer<typeof recordBaseSchema>;

export const venueSchema = recordBaseSchema.extend({
  name: z.string().trim().min(1),
  address: z.string(),
  postcode: storedPostcodeSchema,
  accessibilityFeatures: z.array(z.enum(codesOf(ACCESSIBILITY_FEATURES))),
  publicWifi: z.boolean(),
  loanDevicesKept: z.boolean(),
  active: z.boolean(),
});
export type Venue = z.infer<typeof venueSchema>;

export const programmeSchema = recordBaseSchema.extend({
  title: z.string().trim().min(1),
  description: z.string(),
  type: z.enum(codesOf(PROGRAMME_TYPES)),
  level: z.enum(codesOf(PROGRAMME_LEVELS)),
  fundingStream: z.enum(codesOf(FUNDING_STREAMS)),
  plannedGuidedLearningHours: z.number().min(0).max(1000),
  defaultVenueId: idSchema.nullable(),
  deliveryMode: z.enum(codesOf(DELIVERY_MODES)),
  targetGroups: z.array(z.enum(codesOf(TARGET_GROUPS))),
  capacity: z.number().int().min(1).max(1000).nullable(),
  startDate: isoDateSchema.nullable(),
  endDate: isoDateSchema.nullable(),
  status: z.enum(codesOf(PROGRAMME_STATUSES)),
});
export type Programme = z.infer<typeof programmeSchema>;

export const sessionSchema = recordBaseSchema.extend({
  programmeId: idSchema,
  venueId: idSchema,
  tutorNames: z.array(z.string().trim().min(1)).min(1),
  /**
   * The accounts that run the session: they decide which tutors' devices receive it and its register.
   * Empty on sessions made before accounts existed (coordinators only see those).
   */
  tutorIds: z.array(idSchema).default([]),
  /** Local calendar date of the session, for the Today list (the scheduled times are UTC). */
  date: isoDateSchema,
  scheduledStart: timestampSchema,
  scheduledEnd: timestampSchema,
  actualStart: timestampSchema.nullable(),
  actualEnd: timestampSchema.nullable(),
  status: z.enum(codesOf(SESSION_STATUSES)),
  cancelledReason: z.string(),
  /** Notes about the session, never about a person. */
  notes: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const learnerSchema = recordBaseSchema.extend({
  givenNames: z.string().trim().min(1),
  familyName: z.string().trim().min(1),
  preferredName: z.string(),
  dateOfBirth: isoDateSchema,
  addressLines: z.array(z.string()),
  town: z.string(),
  postcode: storedPostcodeSchema,
  postcodeUnknown: z.boolean(),
  phone: z.string(),
  email: z.string(),
  preferredLanguage: z.string().min(2),
  needsInterpreter: z.boolean(),
  bslUser: z.boolean(),
  adjustments: z.string(),
  emergencyContactName: z.string(),
  emergencyContactPhone: z.string(),
  status: z.enum(['active', 'archived', 'erased']),
  mergedInto: idSchema.nullable(),
});
export type Learner = z.infer<typeof learnerSchema>;

/** Special category data, in its own record so it can be hidden and erased on its own. */
export const equalityMonitoringSchema = recordBaseSchema
  .extend({
    learnerId: idSchema,
    ethnicity: z.enum(codesOf(ETHNICITIES)).nullable(),
    ethnicityOther: z.string(),
    sex: z.enum(codesOf(SEXES)).nullable(),
    /** When the learner chose to answer the ethnicity question (null: not asked or declined). */
    ethnicityAnswerChosenAt: timestampSchema.nullable(),
    lldd: z.enum(codesOf(LLDD_ANSWERS)).nullable(),
    disabilityCategories: z.array(z.enum(codesOf(DISABILITY_CATEGORIES))),
    primaryDisabilityCategory: z.enum(codesOf(DISABILITY_CATEGORIES)).nullable(),
    /** A health answer is refused without the time the learner chose to give it. */
    healthAnswerChosenAt: timestampSchema.nullable(),
  })
  .superRefine((value, ctx) => {
    const givesHealthAnswer =
      value.lldd !== null ||
      value.disabilityCategories.length > 0 ||
      value.primaryDisabilityCategory !== null;
    if (givesHealthAnswer && value.healthAnswerChosenAt === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['healthAnswerChosenAt'],
        message: 'A health answer needs the time the learner chose to give it',
      });
    }
    if (
      value.primaryDisabilityCategory !== null &&
      !value.disabilityCategories.includes(value.primaryDisabilityCategory)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['primaryDisabilityCategory'],
        message: 'The primary category must be one of the categories',
      });
    }
    if (value.ethnicity !== null && value.ethnicityAnswerChosenAt === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['ethnicityAnswerChosenAt'],
        message: 'An ethnicity answer needs the time the learner chose to give it',
      });
    }
  });
export type EqualityMonitoring = z.infer<typeof equalityMonitoringSchema>;

export const employmentStatusSchema = recordBaseSchema.extend({
  learnerId: idSchema,
  /** The day the status applies to: at enrolment, the day before learning starts. */
  appliesOn: isoDateSchema,
  status: z.enum(codesOf(EMPLOYMENT_STATUSES)),
  selfEmployed: z.boolean(),
  hoursPerWeek: z.enum(codesOf(HOURS_PER_WEEK)).nullable(),
  unemploymentLength: z.enum(codesOf(UNEMPLOYMENT_LENGTHS)).nullable(),
  benefits: z.array(z.enum(codesOf(BENEFITS))),
  fullTimeEducationBefore: z.boolean(),
});
export type EmploymentStatus = z.infer<typeof employmentStatusSchema>;

export const priorSkillsSchema = z.partialRecord(
  z.enum(codesOf(PRIOR_SKILL_AREAS)),
  z.enum(codesOf(SKILL_RESULTS)),
);

export const enrolmentSchema = recordBaseSchema.extend({
  learnerId: idSchema,
  programmeId: idSchema,
  enrolledAt: timestampSchema,
  enrolledBy: z.string(),
  channel: z.enum(codesOf(ENROLMENT_CHANNELS)),
  referralSource: z.enum(codesOf(REFERRAL_SOURCES)).nullable(),
  startDate: isoDateSchema,
  plannedEndDate: isoDateSchema.nullable(),
  fundingStream: z.enum(codesOf(FUNDING_STREAMS)),
  /** Required: no enrolment saves without the privacy-notice version that was shown. */
  privacyNoticeVersionId: idSchema,
  priorAttainment: z.enum(codesOf(PRIOR_ATTAINMENT)).nullable(),
  priorDigitalSkills: priorSkillsSchema,
  completionStatus: z.enum(codesOf(COMPLETION_STATUSES)),
  actualEndDate: isoDateSchema.nullable(),
  outcome: z.enum(codesOf(ENROLMENT_OUTCOMES)),
  withdrawalReason: z.enum(codesOf(WITHDRAWAL_REASONS)).nullable(),
});
export type Enrolment = z.infer<typeof enrolmentSchema>;

/** A learning goal is its own record so two tutors adding goals offline both keep theirs. */
export const learningGoalSchema = recordBaseSchema.extend({
  learnerId: idSchema,
  enrolmentId: idSchema.nullable(),
  text: z.string().trim().min(1),
  category: z.enum(codesOf(GOAL_CATEGORIES)),
  setOn: isoDateSchema,
  reviewedOn: isoDateSchema.nullable(),
  achievedOn: isoDateSchema.nullable(),
});
export type LearningGoal = z.infer<typeof learningGoalSchema>;

export const consentSchema = recordBaseSchema.extend({
  learnerId: idSchema,
  purpose: z.enum(codesOf(CONSENT_PURPOSES)),
  granted: z.boolean(),
  channels: z.array(z.enum(codesOf(CONTACT_CHANNELS))),
  lawfulBasis: z.enum(codesOf(LAWFUL_BASES)),
  method: z.enum(codesOf(CONSENT_METHODS)),
  documentVersionId: idSchema,
  language: z.string().min(2),
  capturedAt: timestampSchema,
  capturedBy: z.string(),
  withdrawnAt: timestampSchema.nullable(),
});
export type Consent = z.infer<typeof consentSchema>;

export const documentVersionSchema = z.object({
  id: idSchema,
  kind: z.enum(codesOf(DOCUMENT_KINDS)),
  version: z.number().int().min(1),
  language: z.string().min(2),
  title: z.string(),
  text: z.string().min(1),
  /** SHA-256 of the text, hex: proves which words a learner was shown. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  publishedAt: timestampSchema,
});
export type DocumentVersion = z.infer<typeof documentVersionSchema>;

export const attendanceSchema = recordBaseSchema
  .extend({
    sessionId: idSchema,
    learnerId: idSchema,
    mark: z.enum(codesOf(ATTENDANCE_MARKS)),
    absenceReason: z.enum(codesOf(AUTHORISED_ABSENCE_REASONS)).nullable(),
    minutesAttended: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    markedBy: z.string(),
    markedAt: timestampSchema,
    /** Marked more than 24 hours after the session's scheduled end. */
    markedLate: z.boolean(),
  })
  .refine((value) => value.mark !== 'AA' || value.absenceReason !== null, {
    message: 'An authorised absence needs a reason',
    path: ['absenceReason'],
  });
export type Attendance = z.infer<typeof attendanceSchema>;
export type AttendanceMark = Attendance['mark'];
export type AbsenceReason = NonNullable<Attendance['absenceReason']>;

/**
 * One skills assessment: digital statements on one framework (never mixing the two), and levels in
 * literacy, numeracy and communication, with how the results were judged and the evidence noted.
 */
export const skillsAssessmentSchema = recordBaseSchema
  .extend({
    learnerId: idSchema,
    enrolmentId: idSchema.nullable(),
    type: z.enum(codesOf(ASSESSMENT_TYPES)),
    assessor: z.enum(codesOf(ASSESSORS)),
    assessedOn: isoDateSchema,
    assessedBy: z.string(),
    framework: z.enum(codesOf(DIGITAL_FRAMEWORKS)),
    itemResults: z.record(z.string(), z.enum(codesOf(ITEM_RESULTS))),
    literacyLevel: z.enum(codesOf(FUNCTIONAL_LEVELS)).nullable(),
    numeracyLevel: z.enum(codesOf(FUNCTIONAL_LEVELS)).nullable(),
    communicationLevel: z.enum(codesOf(FUNCTIONAL_LEVELS)).nullable(),
    /** What the tutor saw or was shown: free text about the learner, so sealed at rest. */
    evidence: z.string(),
  })
  .superRefine((value, ctx) => {
    for (const code of Object.keys(value.itemResults)) {
      if (!isItemOfFramework(value.framework, code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['itemResults', code],
          message: `"${code}" is not a statement of the framework this assessment uses`,
        });
      }
    }
  });
export type SkillsAssessment = z.infer<typeof skillsAssessmentSchema>;
export type ItemResult = SkillsAssessment['itemResults'][string];
export type FunctionalLevel = NonNullable<SkillsAssessment['literacyLevel']>;

/** A Digital Skills Passport level awarded under one version of the rules (its id derives from all three). */
export const passportAwardSchema = recordBaseSchema.extend({
  learnerId: idSchema,
  level: z.enum(codesOf(PASSPORT_LEVELS)),
  ruleVersion: z.number().int().min(1),
  awardedOn: isoDateSchema,
  awardedBy: z.string(),
  /** The results and records the rules found, in words, as they stood at the award. */
  basis: z.array(z.string()),
});
export type PassportAward = z.infer<typeof passportAwardSchema>;
export type PassportLevel = PassportAward['level'];

/** A destination or progression outcome, dated, with its evidence. */
export const outcomeSchema = recordBaseSchema
  .extend({
    learnerId: idSchema,
    enrolmentId: idSchema.nullable(),
    code: z.enum(codesOf(OUTCOME_CODES)),
    startDate: isoDateSchema,
    endDate: isoDateSchema.nullable(),
    collectedOn: isoDateSchema,
    timePoint: z.enum(codesOf(OUTCOME_TIME_POINTS)),
    evidence: z.enum(codesOf(OUTCOME_EVIDENCE)),
    /** Employer, course or other detail about the learner: sealed at rest. */
    notes: z.string(),
  })
  .superRefine((value, ctx) => {
    if (value.endDate !== null && value.endDate < value.startDate) {
      ctx.addIssue({
        code: 'custom',
        path: ['endDate'],
        message: 'The end date must be on or after the start date',
      });
    }
  });
export type Outcome = z.infer<typeof outcomeSchema>;

/** A device the organisation lends (not a tablet running this app: those are the sync "devices"). */
export const loanDeviceSchema = recordBaseSchema.extend({
  assetTag: z.string().trim().min(1),
  type: z.enum(codesOf(LOAN_DEVICE_TYPES)),
  makeModel: z.string(),
  serial: z.string(),
  source: z.enum(codesOf(LOAN_DEVICE_SOURCES)),
  condition: z.enum(codesOf(LOAN_DEVICE_CONDITIONS)),
  status: z.enum(codesOf(LOAN_DEVICE_STATUSES)),
  wipedOn: isoDateSchema.nullable(),
  /**
   * Came back from a loan and not wiped since. Kept on the device, which every tutor receives, not
   * only on the loan, which only tutors of that learner see: no tablet lends it until it is wiped.
   */
  needsWipe: z.boolean(),
  venueId: idSchema.nullable(),
});
export type LoanDevice = z.infer<typeof loanDeviceSchema>;

export const simSchema = recordBaseSchema.extend({
  provider: z.string().trim().min(1),
  reference: z.string().trim().min(1),
  allowance: z.string(),
  activatedOn: isoDateSchema.nullable(),
  expiresOn: isoDateSchema.nullable(),
  active: z.boolean(),
});
export type Sim = z.infer<typeof simSchema>;

/** A device (and perhaps a SIM) lent to a learner, under the loan agreement they accepted. */
export const loanSchema = recordBaseSchema
  .extend({
    learnerId: idSchema,
    loanDeviceId: idSchema,
    simId: idSchema.nullable(),
    issuedOn: isoDateSchema,
    issuedBy: z.string(),
    venueId: idSchema.nullable(),
    /** The device-loan consent row: how the learner agreed (it holds their latest agreement). */
    agreementConsentId: idSchema,
    /** The loan terms this loan was agreed under, and when: a later loan's agreement never rewrites them. */
    termsVersionId: idSchema,
    agreedAt: timestampSchema,
    dueBack: isoDateSchema,
    returnedOn: isoDateSchema.nullable(),
    returnCondition: z.enum(codesOf(LOAN_DEVICE_CONDITIONS)).nullable(),
    /** Required before the device is lent again: nothing of this learner left on it. */
    wipedAfterReturn: z.boolean(),
    outcome: z.enum(codesOf(LOAN_OUTCOMES)).nullable(),
    /** About the device's state, never about the learner's circumstances; sealed all the same. */
    notes: z.string(),
  })
  .superRefine((value, ctx) => {
    if (value.dueBack < value.issuedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueBack'],
        message: 'The due date must be on or after the day it was lent',
      });
    }
    if (value.returnedOn !== null && value.returnedOn < value.issuedOn) {
      ctx.addIssue({
        code: 'custom',
        path: ['returnedOn'],
        message: 'The return date must be on or after the day it was lent',
      });
    }
    if ((value.outcome === 'returned' || value.outcome === 'damaged') && value.returnedOn === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['returnedOn'],
        message: 'A returned device needs its return date',
      });
    }
  });
export type Loan = z.infer<typeof loanSchema>;

/** Every record type this slice syncs, by the name the outbox and (later) the wire use. */
export const ENTITY_TYPES = [
  'venue',
  'programme',
  'session',
  'learner',
  'equalityMonitoring',
  'employmentStatus',
  'enrolment',
  'learningGoal',
  'consent',
  'attendance',
  'skillsAssessment',
  'passportAward',
  'outcome',
  'loanDevice',
  'sim',
  'loan',
] as const;
export type EntityType = (typeof ENTITY_TYPES)[number];

export const RECORD_SCHEMAS = {
  venue: venueSchema,
  programme: programmeSchema,
  session: sessionSchema,
  learner: learnerSchema,
  equalityMonitoring: equalityMonitoringSchema,
  employmentStatus: employmentStatusSchema,
  enrolment: enrolmentSchema,
  learningGoal: learningGoalSchema,
  consent: consentSchema,
  attendance: attendanceSchema,
  skillsAssessment: skillsAssessmentSchema,
  passportAward: passportAwardSchema,
  outcome: outcomeSchema,
  loanDevice: loanDeviceSchema,
  sim: simSchema,
  loan: loanSchema,
} as const satisfies Record<EntityType, z.ZodType>;
