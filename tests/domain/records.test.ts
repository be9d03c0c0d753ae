import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  ENTITY_TYPES,
  RECORD_SCHEMAS,
  attendanceSchema,
  consentSchema,
  documentVersionSchema,
  employmentStatusSchema,
  enrolmentSchema,
  equalityMonitoringSchema,
  isoDateSchema,
  learnerSchema,
  learningGoalSchema,
  programmeSchema,
  recordBaseSchema,
  sessionSchema,
  storedPostcodeSchema,
  timestampSchema,
  venueSchema,
} from '../../src/domain/records';
import {
  FIXTURE_IDS,
  makeAttendance,
  makeBase,
  makeConsent,
  makeDocumentVersion,
  makeEmploymentStatus,
  makeEnrolment,
  makeEqualityMonitoring,
  makeLearner,
  makeLearningGoal,
  makeProgramme,
  makeSession,
  makeValidRecords,
  makeVenue,
} from '../fixtures/records';

/** The paths of the issues a value fails with, [] when it parses. */
function failingPaths(schema: z.ZodType, value: unknown): PropertyKey[][] {
  const result = schema.safeParse(value);
  return result.success ? [] : result.error.issues.map((issue) => issue.path);
}

type InvalidCase = [description: string, value: unknown, path: PropertyKey[]];

function describeSchema(name: string, schema: z.ZodType, valid: unknown, invalid: InvalidCase[]): void {
  describe(name, () => {
    it('parses a valid record unchanged', () => {
      const result = schema.safeParse(valid);
      expect(result.error?.issues).toBeUndefined();
      expect(result.data).toEqual(valid);
    });

    it.each(invalid)('refuses %s', (_description, value, path) => {
      expect(failingPaths(schema, value)).toContainEqual(path);
    });
  });
}

function without<T extends object>(record: T, key: keyof T): Omit<T, typeof key> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

describe('RECORD_SCHEMAS', () => {
  it('has a schema for every entity type, and nothing else', () => {
    expect(Object.keys(RECORD_SCHEMAS).sort()).toEqual([...ENTITY_TYPES].sort());
  });

  it.each(ENTITY_TYPES)('parses the valid %s fixture', (type) => {
    const record = makeValidRecords()[type];
    expect(RECORD_SCHEMAS[type].safeParse(record).success).toBe(true);
  });

  it.each(ENTITY_TYPES)('refuses a %s without an id or with a made-up id', (type) => {
    const record = makeValidRecords()[type] as Record<string, unknown>;
    expect(failingPaths(RECORD_SCHEMAS[type], { ...record, id: undefined })).toContainEqual(['id']);
    expect(failingPaths(RECORD_SCHEMAS[type], { ...record, id: 'learner-1' })).toContainEqual(['id']);
  });
});

describe('shared field schemas', () => {
  it('isoDateSchema takes real YYYY-MM-DD dates only', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2023-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse('1960-3-27').success).toBe(false);
    expect(isoDateSchema.safeParse('1960-03-27T00:00:00.000Z').success).toBe(false);
  });

  it('timestampSchema takes ISO-8601 date-times with Z or an offset', () => {
    expect(timestampSchema.safeParse('2026-11-23T10:00:00.000Z').success).toBe(true);
    expect(timestampSchema.safeParse('2026-07-01T10:00:00+01:00').success).toBe(true);
    expect(timestampSchema.safeParse('2026-11-23').success).toBe(false);
    expect(timestampSchema.safeParse('23/11/2026 10:00').success).toBe(false);
  });

  it('storedPostcodeSchema takes a normalised postcode or "" only', () => {
    expect(storedPostcodeSchema.safeParse('L203NJ').success).toBe(true);
    expect(storedPostcodeSchema.safeParse('GIR0AA').success).toBe(true);
    expect(storedPostcodeSchema.safeParse('').success).toBe(true);
    const spaced = storedPostcodeSchema.safeParse('L20 3NJ');
    expect(spaced.error?.issues[0]?.message).toBe('Postcode must be stored normalised');
    expect(storedPostcodeSchema.safeParse('l203nj').success).toBe(false);
    expect(storedPostcodeSchema.safeParse('L203N').success).toBe(false);
  });

  it('recordBaseSchema needs every base field', () => {
    const base = makeBase(FIXTURE_IDS.learner);
    expect(recordBaseSchema.safeParse(base).success).toBe(true);
    expect(failingPaths(recordBaseSchema, { ...base, createdAt: '2026-11-23' })).toContainEqual([
      'createdAt',
    ]);
    expect(failingPaths(recordBaseSchema, { ...base, updatedAt: 'now' })).toContainEqual(['updatedAt']);
    expect(failingPaths(recordBaseSchema, { ...base, deviceId: '' })).toContainEqual(['deviceId']);
    expect(failingPaths(recordBaseSchema, without(base, 'deleted'))).toContainEqual(['deleted']);
    expect(failingPaths(recordBaseSchema, { ...base, deleted: 'no' })).toContainEqual(['deleted']);
  });
});

describeSchema('venueSchema', venueSchema, makeVenue(), [
  ['a postcode stored with a space', makeVenue({ postcode: 'L20 3NJ' }), ['postcode']],
  ['a postcode stored in lower case', makeVenue({ postcode: 'l203nj' }), ['postcode']],
  ['a postcode that is not a postcode', makeVenue({ postcode: 'L203N' }), ['postcode']],
  ['a blank name', makeVenue({ name: '   ' }), ['name']],
  [
    'an unknown accessibility feature',
    { ...makeVenue(), accessibilityFeatures: ['lift'] },
    ['accessibilityFeatures', 0],
  ],
  ['public Wi-Fi as "yes"', { ...makeVenue(), publicWifi: 'yes' }, ['publicWifi']],
]);

describe('venueSchema with no postcode', () => {
  it('accepts "" (unknown)', () => {
    expect(venueSchema.safeParse(makeVenue({ postcode: '' })).success).toBe(true);
  });
});

describeSchema('programmeSchema', programmeSchema, makeProgramme(), [
  ['an unknown type', { ...makeProgramme(), type: 'course' }, ['type']],
  ['an unknown level', { ...makeProgramme(), level: 'level-2' }, ['level']],
  ['an unknown funding stream', { ...makeProgramme(), fundingStream: 'esf' }, ['fundingStream']],
  ['an unknown delivery mode', { ...makeProgramme(), deliveryMode: 'by-post' }, ['deliveryMode']],
  ['an unknown target group', { ...makeProgramme(), targetGroups: ['pensioners'] }, ['targetGroups', 0]],
  ['an unknown status', { ...makeProgramme(), status: 'cancelled' }, ['status']],
  ['a start date that is not a real date', makeProgramme({ startDate: '2026-02-30' }), ['startDate']],
  ['an end date as a timestamp', makeProgramme({ endDate: '2027-01-11T00:00:00.000Z' }), ['endDate']],
  [
    'negative guided learning hours',
    makeProgramme({ plannedGuidedLearningHours: -1 }),
    ['plannedGuidedLearningHours'],
  ],
  [
    'more than 1000 guided learning hours',
    makeProgramme({ plannedGuidedLearningHours: 1001 }),
    ['plannedGuidedLearningHours'],
  ],
  ['a capacity of 0', makeProgramme({ capacity: 0 }), ['capacity']],
  ['a fractional capacity', makeProgramme({ capacity: 1.5 }), ['capacity']],
  [
    'a default venue that is not an id',
    makeProgramme({ defaultVenueId: 'bootle-library' }),
    ['defaultVenueId'],
  ],
  ['an empty title', makeProgramme({ title: '' }), ['title']],
]);

describe('programmeSchema with optional fields left out', () => {
  it('accepts null capacity, dates and default venue', () => {
    const programme = makeProgramme({ capacity: null, startDate: null, endDate: null, defaultVenueId: null });
    expect(programmeSchema.safeParse(programme).success).toBe(true);
  });
});

describeSchema('sessionSchema', sessionSchema, makeSession(), [
  ['no tutor', makeSession({ tutorNames: [] }), ['tutorNames']],
  ['a blank tutor name', makeSession({ tutorNames: ['  '] }), ['tutorNames', 0]],
  ['a date in the wrong format', makeSession({ date: '30/11/2026' }), ['date']],
  ['a scheduled start that is not a timestamp', makeSession({ scheduledStart: '10:00' }), ['scheduledStart']],
  ['an actual end that is not a timestamp', makeSession({ actualEnd: '12:00' }), ['actualEnd']],
  ['an unknown status', { ...makeSession(), status: 'postponed' }, ['status']],
  ['a programme id that is not an id', makeSession({ programmeId: 'p1' }), ['programmeId']],
]);

describeSchema('learnerSchema', learnerSchema, makeLearner(), [
  ['a postcode stored with a space', makeLearner({ postcode: 'L20 3NJ' }), ['postcode']],
  ['a postcode that is not a postcode', makeLearner({ postcode: 'L203N' }), ['postcode']],
  ['a date of birth without leading zeros', makeLearner({ dateOfBirth: '1960-3-27' }), ['dateOfBirth']],
  [
    'a date of birth as a timestamp',
    makeLearner({ dateOfBirth: '1960-03-26T23:00:00.000Z' }),
    ['dateOfBirth'],
  ],
  ['a date of birth that never happened', makeLearner({ dateOfBirth: '1959-02-29' }), ['dateOfBirth']],
  ['blank given names', makeLearner({ givenNames: ' ' }), ['givenNames']],
  ['no family name', makeLearner({ familyName: '' }), ['familyName']],
  ['an unknown status', { ...makeLearner(), status: 'deleted' }, ['status']],
  ['a one-letter language', makeLearner({ preferredLanguage: 'e' }), ['preferredLanguage']],
  ['merged into something that is not an id', makeLearner({ mergedInto: 'learner-2' }), ['mergedInto']],
]);

describe('learnerSchema names', () => {
  it('accepts apostrophes, hyphens and diacritics', () => {
    const learner = makeLearner({ givenNames: 'Zoë Anne-Marie', familyName: "Ní Bhriain-O'Neill" });
    expect(learnerSchema.safeParse(learner).success).toBe(true);
  });
});

describeSchema('equalityMonitoringSchema', equalityMonitoringSchema, makeEqualityMonitoring(), [
  [
    'an ethnicity code not in the list (99 is stored as prefer-not-to-say)',
    { ...makeEqualityMonitoring(), ethnicity: '99' },
    ['ethnicity'],
  ],
  ['an unknown sex code', { ...makeEqualityMonitoring(), sex: 'X' }, ['sex']],
  ['an unknown LLDD answer', { ...makeEqualityMonitoring(), lldd: '3' }, ['lldd']],
  [
    'an unknown disability category',
    { ...makeEqualityMonitoring(), disabilityCategories: ['3'] },
    ['disabilityCategories', 0],
  ],
  [
    'an unknown primary category',
    { ...makeEqualityMonitoring(), primaryDisabilityCategory: '99' },
    ['primaryDisabilityCategory'],
  ],
  [
    'a health answer time that is not a timestamp',
    makeEqualityMonitoring({ healthAnswerChosenAt: 'today' }),
    ['healthAnswerChosenAt'],
  ],
  ['a learner id that is not an id', makeEqualityMonitoring({ learnerId: 'x' }), ['learnerId']],
]);

describe('equalityMonitoringSchema and the time the learner chose to answer', () => {
  it('accepts a record with nothing answered', () => {
    const record = makeEqualityMonitoring({
      ethnicity: null,
      sex: null,
      ethnicityAnswerChosenAt: null,
      lldd: null,
      disabilityCategories: [],
      primaryDisabilityCategory: null,
      healthAnswerChosenAt: null,
    });
    expect(equalityMonitoringSchema.safeParse(record).success).toBe(true);
  });

  it('refuses a health answer without the time the learner chose to give it', () => {
    const record = makeEqualityMonitoring({ healthAnswerChosenAt: null });
    expect(failingPaths(equalityMonitoringSchema, record)).toContainEqual(['healthAnswerChosenAt']);
  });
});

describeSchema('employmentStatusSchema', employmentStatusSchema, makeEmploymentStatus(), [
  ['an unknown status code', { ...makeEmploymentStatus(), status: '13' }, ['status']],
  ['a status given as a number', { ...makeEmploymentStatus(), status: 11 }, ['status']],
  ['an applies-on date that is not real', makeEmploymentStatus({ appliesOn: '2026-13-01' }), ['appliesOn']],
  ['unknown hours a week', { ...makeEmploymentStatus(), hoursPerWeek: '40' }, ['hoursPerWeek']],
  [
    'an unknown unemployment length',
    { ...makeEmploymentStatus(), unemploymentLength: '1y' },
    ['unemploymentLength'],
  ],
  ['an unknown benefit', { ...makeEmploymentStatus(), benefits: ['pip'] }, ['benefits', 0]],
]);

describeSchema('enrolmentSchema', enrolmentSchema, makeEnrolment(), [
  [
    'no privacy-notice version',
    without(makeEnrolment(), 'privacyNoticeVersionId'),
    ['privacyNoticeVersionId'],
  ],
  [
    'a blank privacy-notice version',
    makeEnrolment({ privacyNoticeVersionId: '' }),
    ['privacyNoticeVersionId'],
  ],
  ['an unknown completion status', { ...makeEnrolment(), completionStatus: '4' }, ['completionStatus']],
  ['an unknown outcome', { ...makeEnrolment(), outcome: '9' }, ['outcome']],
  ['an unknown withdrawal reason', { ...makeEnrolment(), withdrawalReason: '1' }, ['withdrawalReason']],
  ['an unknown channel', { ...makeEnrolment(), channel: 'phone' }, ['channel']],
  ['an unknown referral source', { ...makeEnrolment(), referralSource: 'newspaper' }, ['referralSource']],
  ['an unknown prior attainment', { ...makeEnrolment(), priorAttainment: '4' }, ['priorAttainment']],
  ['a start date in the wrong format', makeEnrolment({ startDate: '30/11/2026' }), ['startDate']],
  [
    'an unknown skill result',
    { ...makeEnrolment(), priorDigitalSkills: { foundation: 'expert' } },
    ['priorDigitalSkills', 'foundation'],
  ],
  [
    'an unknown skill area',
    { ...makeEnrolment(), priorDigitalSkills: { typing: 'independent' } },
    ['priorDigitalSkills'],
  ],
  ['an enrolled-at that is a date, not a time', makeEnrolment({ enrolledAt: '2026-11-23' }), ['enrolledAt']],
]);

describe('enrolmentSchema with a finished enrolment', () => {
  it('accepts a withdrawal with its reason and end date', () => {
    const enrolment = makeEnrolment({
      completionStatus: '3',
      actualEndDate: '2026-12-14',
      outcome: '3',
      withdrawalReason: '3',
      priorDigitalSkills: {},
    });
    expect(enrolmentSchema.safeParse(enrolment).success).toBe(true);
  });
});

describeSchema('learningGoalSchema', learningGoalSchema, makeLearningGoal(), [
  ['an unknown category', { ...makeLearningGoal(), category: 'career' }, ['category']],
  ['blank text', makeLearningGoal({ text: '   ' }), ['text']],
  ['a set-on date that is not real', makeLearningGoal({ setOn: '2026-11-31' }), ['setOn']],
  ['an achieved-on timestamp', makeLearningGoal({ achievedOn: '2026-12-01T10:00:00.000Z' }), ['achievedOn']],
]);

describeSchema('consentSchema', consentSchema, makeConsent(), [
  ['an unknown purpose', { ...makeConsent(), purpose: 'marketing' }, ['purpose']],
  ['an unknown channel', { ...makeConsent(), channels: ['sms'] }, ['channels', 0]],
  ['an unknown lawful basis', { ...makeConsent(), lawfulBasis: 'vital-interests' }, ['lawfulBasis']],
  ['an unknown method', { ...makeConsent(), method: 'implied' }, ['method']],
  ['no document version', makeConsent({ documentVersionId: '' }), ['documentVersionId']],
  ['a captured-at that is not a time', makeConsent({ capturedAt: 'now' }), ['capturedAt']],
  ['granted as "yes"', { ...makeConsent(), granted: 'yes' }, ['granted']],
]);

describe('consentSchema withdrawal', () => {
  it('accepts a withdrawn consent', () => {
    expect(consentSchema.safeParse(makeConsent({ withdrawnAt: '2026-12-01T09:00:00.000Z' })).success).toBe(
      true,
    );
  });
});

describeSchema('documentVersionSchema', documentVersionSchema, makeDocumentVersion(), [
  ['an upper-case hash', makeDocumentVersion({ sha256: 'A'.repeat(64) }), ['sha256']],
  ['a short hash', makeDocumentVersion({ sha256: 'abc123' }), ['sha256']],
  ['version 0', makeDocumentVersion({ version: 0 }), ['version']],
  ['an unknown kind', { ...makeDocumentVersion(), kind: 'terms' }, ['kind']],
  ['empty text', makeDocumentVersion({ text: '' }), ['text']],
  ['a published-at that is a date', makeDocumentVersion({ publishedAt: '2026-11-01' }), ['publishedAt']],
]);

describeSchema('attendanceSchema', attendanceSchema, makeAttendance(), [
  ['AA without a reason', makeAttendance({ mark: 'AA', absenceReason: null }), ['absenceReason']],
  ['an unknown mark', { ...makeAttendance(), mark: 'A' }, ['mark']],
  [
    'an unknown absence reason',
    { ...makeAttendance(), mark: 'AA', absenceReason: 'holiday' },
    ['absenceReason'],
  ],
  ['more minutes than a day has', makeAttendance({ minutesAttended: 24 * 60 + 1 }), ['minutesAttended']],
  ['fractional minutes', makeAttendance({ minutesAttended: 1.5 }), ['minutesAttended']],
  ['negative minutes', makeAttendance({ minutesAttended: -5 }), ['minutesAttended']],
  ['a marked-at that is not a time', makeAttendance({ markedAt: '30/11/2026' }), ['markedAt']],
]);

describe('attendanceSchema authorised absence', () => {
  it('gives the GOV.UK-style message for AA without a reason', () => {
    const result = attendanceSchema.safeParse(
      makeAttendance({ mark: 'AA', absenceReason: null, minutesAttended: 0 }),
    );
    expect(result.error?.issues.map(({ path, message }) => ({ path, message }))).toEqual([
      { path: ['absenceReason'], message: 'An authorised absence needs a reason' },
    ]);
  });

  it('accepts AA with a reason', () => {
    const record = makeAttendance({ mark: 'AA', absenceReason: 'medical-appointment', minutesAttended: 0 });
    expect(attendanceSchema.safeParse(record).success).toBe(true);
  });

  it.each(['P', 'L', 'U', 'LE', 'R', 'X', 'W'] as const)('accepts %s without a reason', (mark) => {
    expect(attendanceSchema.safeParse(makeAttendance({ mark, absenceReason: null })).success).toBe(true);
  });
});
