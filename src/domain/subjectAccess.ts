// A subject access request (data protection rule 6): everything held on one learner, as one JSON
// file a coordinator downloads and gives them. Pure: the server reads the rows
// (src/server/db/subjectAccess.ts), this puts them in plain words. Codes get their labels beside
// them, references to other records the name of what they point to, and the documents the learner
// was shown are included with their text.
import {
  ASSESSMENT_TYPES,
  ASSESSORS,
  ATTENDANCE_MARKS,
  AUTHORISED_ABSENCE_REASONS,
  BENEFITS,
  COMPLETION_STATUSES,
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONTACT_CHANNELS,
  type CodeListEntry,
  DIGITAL_FRAMEWORKS,
  DISABILITY_CATEGORIES,
  EMPLOYMENT_STATUSES,
  ENROLMENT_CHANNELS,
  ENROLMENT_OUTCOMES,
  ETHNICITIES,
  FUNCTIONAL_LEVELS,
  FUNDING_STREAMS,
  GOAL_CATEGORIES,
  HOURS_PER_WEEK,
  LAWFUL_BASES,
  LLDD_ANSWERS,
  LOAN_DEVICE_CONDITIONS,
  LOAN_OUTCOMES,
  OUTCOME_CODES,
  OUTCOME_EVIDENCE,
  OUTCOME_TIME_POINTS,
  PASSPORT_LEVELS,
  PREFERRED_LANGUAGES,
  PRIOR_ATTAINMENT,
  REFERRAL_SOURCES,
  SEXES,
  UNEMPLOYMENT_LENGTHS,
  WITHDRAWAL_REASONS,
} from './codeLists';
import { SPECIAL_CATEGORY_FIELDS } from './access';
import { HIDDEN_VALUE, accessActionWords, entityWords, fieldWords, outcomeWords } from './history';

/** The shape of the file; a later change to it gets a new number. */
export const SUBJECT_ACCESS_FORMAT_VERSION = 1;

/** Rule 6: a subject access request is answered within one calendar month (extendable by two). */
export const SUBJECT_ACCESS_DUE_MONTHS = 1;

type Data = Record<string, unknown>;
type CodeList = readonly CodeListEntry[];

/** Each type's code fields and the list that labels them. */
const CODE_FIELDS: Readonly<Record<string, Readonly<Record<string, CodeList>>>> = {
  learner: { preferredLanguage: PREFERRED_LANGUAGES },
  equalityMonitoring: {
    ethnicity: ETHNICITIES,
    sex: SEXES,
    lldd: LLDD_ANSWERS,
    disabilityCategories: DISABILITY_CATEGORIES,
    primaryDisabilityCategory: DISABILITY_CATEGORIES,
  },
  employmentStatus: {
    status: EMPLOYMENT_STATUSES,
    hoursPerWeek: HOURS_PER_WEEK,
    unemploymentLength: UNEMPLOYMENT_LENGTHS,
    benefits: BENEFITS,
  },
  enrolment: {
    channel: ENROLMENT_CHANNELS,
    referralSource: REFERRAL_SOURCES,
    fundingStream: FUNDING_STREAMS,
    priorAttainment: PRIOR_ATTAINMENT,
    completionStatus: COMPLETION_STATUSES,
    outcome: ENROLMENT_OUTCOMES,
    withdrawalReason: WITHDRAWAL_REASONS,
  },
  learningGoal: { category: GOAL_CATEGORIES },
  consent: {
    purpose: CONSENT_PURPOSES,
    channels: CONTACT_CHANNELS,
    lawfulBasis: LAWFUL_BASES,
    method: CONSENT_METHODS,
  },
  attendance: { mark: ATTENDANCE_MARKS, absenceReason: AUTHORISED_ABSENCE_REASONS },
  skillsAssessment: {
    type: ASSESSMENT_TYPES,
    assessor: ASSESSORS,
    framework: DIGITAL_FRAMEWORKS,
    literacyLevel: FUNCTIONAL_LEVELS,
    numeracyLevel: FUNCTIONAL_LEVELS,
    communicationLevel: FUNCTIONAL_LEVELS,
  },
  passportAward: { level: PASSPORT_LEVELS },
  outcome: { code: OUTCOME_CODES, timePoint: OUTCOME_TIME_POINTS, evidence: OUTCOME_EVIDENCE },
  loan: { returnCondition: LOAN_DEVICE_CONDITIONS, outcome: LOAN_OUTCOMES },
};

/** The sections of the file, in the order a person reads them, by record type. */
const SECTIONS: readonly { entityType: string; title: string }[] = [
  { entityType: 'equalityMonitoring', title: 'Equality monitoring' },
  { entityType: 'employmentStatus', title: 'Employment and benefits' },
  { entityType: 'enrolment', title: 'Enrolments' },
  { entityType: 'learningGoal', title: 'Learning goals' },
  { entityType: 'consent', title: 'Consents' },
  { entityType: 'attendance', title: 'Attendance' },
  { entityType: 'skillsAssessment', title: 'Skills assessments' },
  { entityType: 'passportAward', title: 'Digital Skills Passport awards' },
  { entityType: 'outcome', title: 'Outcomes' },
  { entityType: 'loan', title: 'Device loans' },
];

export type StoredRecord = { entityType: string; entityId: string; data: Data; deleted: boolean };

export type DocumentText = {
  id: string;
  kind: string;
  title: string;
  version: number;
  language: string;
  text: string;
  sha256: string;
};

/** What the server read, as plain values. */
export type SubjectAccessInput = {
  organisationName: string;
  learnerId: string;
  exportedAt: string;
  exportedByName: string;
  /** The learner's own record (null only for a learner the server never held, which is not asked). */
  learner: StoredRecord | null;
  /** Every record naming them, tombstones included. */
  records: readonly StoredRecord[];
  programmes: ReadonlyMap<string, string>;
  venues: ReadonlyMap<string, string>;
  sessions: ReadonlyMap<string, { date: string; programmeId: string; venueId: string }>;
  loanDevices: ReadonlyMap<string, string>;
  documents: ReadonlyMap<string, DocumentText>;
  history: readonly {
    at: string;
    userName: string | null;
    deviceId: string | null;
    entityType: string;
    entityId: string;
    field: string | null;
    oldValue: unknown;
    newValue: unknown;
    outcome: string;
  }[];
  specialCategoryAccess: readonly {
    at: string;
    userName: string | null;
    deviceId: string | null;
    action: string;
  }[];
  previousExports: readonly { at: string; userName: string | null }[];
  erasure: { at: string; reason: string } | null;
  /** Whether the coordinator taking the file may see equality answers: if not, they are hidden. */
  showsSpecialCategory: boolean;
};

function labelOfCode(list: CodeList, code: unknown): unknown {
  if (Array.isArray(code)) return code.map((item) => labelOfCode(list, item));
  if (typeof code !== 'string') return code;
  return list.find((entry) => entry.code === code)?.label ?? code;
}

const REFERENCE_FIELDS = ['documentVersionId', 'privacyNoticeVersionId', 'termsVersionId'] as const;

/** A record in plain words: every field kept, a label beside each code, names beside references. */
function describeRecord(input: SubjectAccessInput, record: StoredRecord, hidden: boolean): Data {
  const described: Data = {};
  const codes = CODE_FIELDS[record.entityType] ?? {};
  for (const [field, value] of Object.entries(record.data)) {
    if (hidden && (SPECIAL_CATEGORY_FIELDS as readonly string[]).includes(field)) {
      described[field] = value === null ? null : HIDDEN_VALUE;
      continue;
    }
    described[field] = value;
    const list = codes[field];
    if (list && value !== null && value !== undefined) described[`${field}Label`] = labelOfCode(list, value);
  }
  const data = record.data;
  const programme = input.programmes.get(String(data['programmeId']));
  if (programme) described['programmeTitle'] = programme;
  const venue = input.venues.get(String(data['venueId']));
  if (venue) described['venueName'] = venue;
  const session = input.sessions.get(String(data['sessionId']));
  if (session) {
    described['session'] = {
      date: session.date,
      programmeTitle: input.programmes.get(session.programmeId) ?? null,
      venueName: input.venues.get(session.venueId) ?? null,
    };
  }
  const loanDevice = input.loanDevices.get(String(data['loanDeviceId']));
  if (loanDevice) described['loanDeviceAssetTag'] = loanDevice;
  for (const field of REFERENCE_FIELDS) {
    const document = input.documents.get(String(data[field]));
    if (document)
      described[`${field.replace(/Id$/, '')}Title`] = `${document.title} (version ${document.version})`;
  }
  if (record.deleted) described['deleted'] = true;
  return described;
}

/** The file's content: one object, sections titled in plain English. */
export function buildSubjectAccessDocument(input: SubjectAccessInput): Data {
  const hidden = !input.showsSpecialCategory;
  const sections: Data = {};
  for (const { entityType, title } of SECTIONS) {
    sections[title] = input.records
      .filter((record) => record.entityType === entityType)
      .map((record) => describeRecord(input, record, hidden && entityType === 'equalityMonitoring'));
  }
  const documentIds = new Set(
    input.records.flatMap((record) => REFERENCE_FIELDS.map((field) => String(record.data[field]))),
  );
  return {
    about:
      'Everything Outreach Register holds about one learner, for a subject access request. Codes have ' +
      'their meaning beside them (fields ending in "Label"); "deleted": true marks a record deleted ' +
      'but still held.',
    formatVersion: SUBJECT_ACCESS_FORMAT_VERSION,
    organisation: input.organisationName,
    learnerId: input.learnerId,
    exportedAt: input.exportedAt,
    exportedBy: input.exportedByName,
    ...(hidden
      ? {
          note:
            'The equality and health answers are hidden: the coordinator who took this file may not see ' +
            'them. A coordinator allowed to see them can take the complete file.',
        }
      : {}),
    ...(input.erasure
      ? {
          erasure: {
            at: input.erasure.at,
            reason:
              input.erasure.reason === 'retention'
                ? 'Anonymised at the end of the retention period'
                : 'Erased at the learner’s request',
          },
        }
      : {}),
    'Personal details': input.learner ? describeRecord(input, input.learner, false) : null,
    ...sections,
    'Documents shown to the learner': [...input.documents.values()]
      .filter((document) => documentIds.has(document.id))
      .map((document) => ({ ...document })),
    'Change history': input.history.map((change) => {
      const hiddenValue = hidden && change.entityType === 'equalityMonitoring';
      const hide = (value: unknown) => (value === null || value === undefined ? null : HIDDEN_VALUE);
      return {
        at: change.at,
        by: change.userName,
        deviceId: change.deviceId,
        record: entityWords(change.entityType),
        recordId: change.entityId,
        field: fieldWords(change.field),
        from: hiddenValue ? hide(change.oldValue) : change.oldValue,
        to: hiddenValue ? hide(change.newValue) : change.newValue,
        outcome: outcomeWords(change.outcome),
      };
    }),
    'Who received, exported or viewed the equality answers': input.specialCategoryAccess.map((access) => ({
      at: access.at,
      by: access.userName,
      deviceId: access.deviceId,
      what: accessActionWords(access.action),
    })),
    'Earlier subject access files': input.previousExports.map((taken) => ({
      at: taken.at,
      by: taken.userName,
    })),
  };
}

/** "subject-access-<learner id>-<date>.json" (an id, not a name: the file name is seen in lists). */
export function subjectAccessFileName(learnerId: string, exportedAt: string): string {
  return `subject-access-${learnerId}-${exportedAt.slice(0, 10)}.json`;
}
