import { describe, expect, it } from 'vitest';
import { localIsoDate } from '../../../src/domain/dates';
import { CONSENT_STATEMENTS_V1, PRIVACY_NOTICE_V1 } from '../../../src/domain/documents';
import { EMAIL_FORMAT_MESSAGE, PHONE_FORMAT_MESSAGE } from '../../../src/domain/forms/fields';
import {
  MAX_GOALS_ON_FORM,
  emptyEnrolmentForm,
  enrolmentFormSchema,
  enrolmentRecordsFromForm,
  type EnrolmentContext,
  type EnrolmentFormValues,
  type ValidEnrolmentForm,
} from '../../../src/domain/forms/enrolmentForm';
import { consentId, equalityId } from '../../../src/domain/ids';
import { RECORD_SCHEMAS, type EntityType } from '../../../src/domain/records';
import { FIXTURE_IDS } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

const NOW = '2026-11-23T10:00:00.000Z';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A form a tutor has filled in: required answers given, equality questions not answered, nothing consented. */
function validEnrolmentForm(overrides: Partial<EnrolmentFormValues> = {}): EnrolmentFormValues {
  return {
    ...emptyEnrolmentForm('2026-11-23'),
    givenNames: ' Siobhán ',
    familyName: " O'Neill ",
    dateOfBirth: { day: '27', month: '3', year: '1960' },
    addressLine1: ' 12 Marsh Lane ',
    town: 'Bootle',
    postcode: ' l20 3nj ',
    phone: '07700 900982',
    startDate: { day: '30', month: '11', year: '2026' },
    employmentStatus: '11',
    unemploymentLength: '12-23m',
    benefits: ['universal-credit'],
    privacyNoticeShown: true,
    consentMethod: 'tutor-verbal',
    ...overrides,
  };
}

function withGoals(...goals: { text: string; category: string }[]): Partial<EnrolmentFormValues> {
  const blanks = Array.from({ length: MAX_GOALS_ON_FORM - goals.length }, () => ({ text: '', category: '' }));
  return { goals: [...goals, ...blanks] };
}

const CONTEXT: EnrolmentContext = {
  programme: { id: FIXTURE_IDS.programme, fundingStream: 'asf-tailored' },
  privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
  consentStatementsVersionId: CONSENT_STATEMENTS_V1.id,
  deviceId: 'tablet-7',
  enrolledBy: 'Ann Tutor',
  now: NOW,
};

function recordsFrom(overrides: Partial<EnrolmentFormValues> = {}, context: Partial<EnrolmentContext> = {}) {
  const values: ValidEnrolmentForm = parseValid(enrolmentFormSchema, validEnrolmentForm(overrides));
  return enrolmentRecordsFromForm(values, { ...CONTEXT, ...context });
}

describe('emptyEnrolmentForm', () => {
  it('ticks nothing: consent must be an act of the learner', () => {
    const values = emptyEnrolmentForm('2026-11-23');
    expect(values.privacyNoticeShown).toBe(false);
    expect(values.consents).toEqual({ 'contact-courses': false, 'contact-surveys': false, photos: false });
    expect(values.contactChannels).toEqual([]);
    expect(values.answersEthnicity).toBe(false);
    expect(values.answersHealth).toBe(false);
  });

  it('starts today, with three blank goals', () => {
    const values = emptyEnrolmentForm('2026-03-05');
    expect(values.startDate).toEqual({ day: '5', month: '3', year: '2026' });
    expect(values.goals).toHaveLength(MAX_GOALS_ON_FORM);
  });

  it('asks for the required answers when submitted blank', () => {
    expect(formIssues(enrolmentFormSchema, emptyEnrolmentForm('2026-11-23'))).toEqual([
      { path: ['givenNames'], message: "Enter the learner's given names" },
      { path: ['familyName'], message: "Enter the learner's family name" },
      { path: ['employmentStatus'], message: "Select the learner's employment status" },
      { path: ['consentMethod'], message: 'Select how the learner gave their answers' },
      { path: ['dateOfBirth', 'day'], message: "Enter the learner's date of birth" },
      { path: ['postcode'], message: 'Enter a postcode, or tick that the learner has no postcode' },
      { path: ['privacyNoticeShown'], message: 'Confirm the learner has been shown the privacy notice' },
    ]);
  });
});

describe('enrolmentFormSchema', () => {
  it('accepts a filled-in form', () => {
    expect(formIssues(enrolmentFormSchema, validEnrolmentForm())).toEqual([]);
  });

  it('accepts a form with every optional answer given', () => {
    const values = validEnrolmentForm({
      preferredName: 'Shiv',
      email: 'Siobhan@Example.com',
      phone: '+44 (0)7700 900982',
      preferredLanguage: 'en-GB',
      emergencyContactName: 'Ciarán',
      emergencyContactPhone: '01632 960 001',
      referralSource: 'jobcentre-plus',
      employmentStatus: '10',
      selfEmployed: true,
      hoursPerWeek: '0-10',
      priorAttainment: '1',
      priorSkills: {
        ...emptyEnrolmentForm().priorSkills,
        foundation: 'independent',
        communicating: 'with-help',
      },
      ...withGoals({ text: 'Video call my grandchildren', category: 'communication' }),
      answersEthnicity: true,
      ethnicity: '34-roma',
      sex: 'F',
      answersHealth: true,
      lldd: '1',
      disabilityCategories: ['4', '12'],
      primaryDisabilityCategory: '12',
      consents: { 'contact-courses': true, 'contact-surveys': false, photos: true },
      contactChannels: ['email'],
      consentMethod: 'learner-tablet',
    });
    expect(formIssues(enrolmentFormSchema, values)).toEqual([]);
  });

  it('skips the postcode check when the learner has no postcode', () => {
    expect(
      formIssues(enrolmentFormSchema, validEnrolmentForm({ postcode: '', postcodeUnknown: true })),
    ).toEqual([]);
    expect(
      formIssues(enrolmentFormSchema, validEnrolmentForm({ postcode: 'not known', postcodeUnknown: true })),
    ).toEqual([]);
  });

  it('accepts photos consent without a contact channel', () => {
    const values = validEnrolmentForm({
      consents: { 'contact-courses': false, 'contact-surveys': false, photos: true },
    });
    expect(formIssues(enrolmentFormSchema, values)).toEqual([]);
  });

  it('accepts "prefer not to say" for health without ticking conditions', () => {
    expect(formIssues(enrolmentFormSchema, validEnrolmentForm({ answersHealth: true, lldd: '9' }))).toEqual(
      [],
    );
  });

  it('accepts a goal category without text (the goal is then left out)', () => {
    expect(
      formIssues(enrolmentFormSchema, validEnrolmentForm(withGoals({ text: '', category: 'digital' }))),
    ).toEqual([]);
  });

  it.each<[string, Partial<EnrolmentFormValues>, PropertyKey[], string]>([
    ['missing given names', { givenNames: '  ' }, ['givenNames'], "Enter the learner's given names"],
    ['missing family name', { familyName: '' }, ['familyName'], "Enter the learner's family name"],
    [
      'given names that are too long',
      { givenNames: 'a'.repeat(201) },
      ['givenNames'],
      'Given names must be 200 characters or fewer',
    ],
    [
      'a preferred name that is too long',
      { preferredName: 'a'.repeat(101) },
      ['preferredName'],
      'Preferred name must be 100 characters or fewer',
    ],
    [
      'no date of birth',
      { dateOfBirth: { day: '', month: '', year: '' } },
      ['dateOfBirth', 'day'],
      "Enter the learner's date of birth",
    ],
    [
      'a date of birth missing the day',
      { dateOfBirth: { day: '', month: '3', year: '1960' } },
      ['dateOfBirth', 'day'],
      'Date of birth must include a day',
    ],
    [
      'a date of birth missing the month',
      { dateOfBirth: { day: '27', month: '', year: '1960' } },
      ['dateOfBirth', 'month'],
      'Date of birth must include a month',
    ],
    [
      'a date of birth missing the year',
      { dateOfBirth: { day: '27', month: '3', year: '' } },
      ['dateOfBirth', 'year'],
      'Date of birth must include a year',
    ],
    [
      'a date of birth in words',
      { dateOfBirth: { day: '27', month: 'March', year: '1960' } },
      ['dateOfBirth', 'day'],
      'Date of birth must be a real date, in numbers',
    ],
    [
      'a two-digit year of birth',
      { dateOfBirth: { day: '27', month: '3', year: '60' } },
      ['dateOfBirth', 'year'],
      'Year must include 4 numbers',
    ],
    [
      'a date of birth that never happened',
      { dateOfBirth: { day: '29', month: '2', year: '1961' } },
      ['dateOfBirth', 'day'],
      'Date of birth must be a real date',
    ],
    [
      'a date of birth before 1900',
      { dateOfBirth: { day: '31', month: '12', year: '1899' } },
      ['dateOfBirth', 'year'],
      'Date of birth must be after 1900',
    ],
    [
      'no postcode',
      { postcode: '  ' },
      ['postcode'],
      'Enter a postcode, or tick that the learner has no postcode',
    ],
    ['a bad postcode', { postcode: 'L20 3N' }, ['postcode'], 'Enter a real postcode, like L20 3NJ'],
    ['a phone number in words', { phone: 'call after 5' }, ['phone'], PHONE_FORMAT_MESSAGE],
    ['a phone number that is too short', { phone: '0770 0900' }, ['phone'], PHONE_FORMAT_MESSAGE],
    ['an email without a domain', { email: 'siobhan@' }, ['email'], EMAIL_FORMAT_MESSAGE],
    ['an email with a space', { email: 'siobhan oneill@example.com' }, ['email'], EMAIL_FORMAT_MESSAGE],
    [
      'a bad emergency contact phone',
      { emergencyContactPhone: 'ask her son' },
      ['emergencyContactPhone'],
      PHONE_FORMAT_MESSAGE,
    ],
    [
      'no preferred language',
      { preferredLanguage: '' },
      ['preferredLanguage'],
      'Select the language the learner prefers',
    ],
    [
      'a language name instead of a code',
      { preferredLanguage: 'English' },
      ['preferredLanguage'],
      'Select the language the learner prefers',
    ],
    [
      'no start date',
      { startDate: { day: '', month: '', year: '' } },
      ['startDate', 'day'],
      'Enter the date the learner starts the course',
    ],
    [
      'a start date missing the year',
      { startDate: { day: '30', month: '11', year: '' } },
      ['startDate', 'year'],
      'Start date must include a year',
    ],
    [
      'a start date that never happened',
      { startDate: { day: '31', month: '11', year: '2026' } },
      ['startDate', 'day'],
      'Start date must be a real date',
    ],
    [
      'no employment status',
      { employmentStatus: '' },
      ['employmentStatus'],
      "Select the learner's employment status",
    ],
    [
      'an unknown employment status',
      { employmentStatus: '13' },
      ['employmentStatus'],
      "Select the learner's employment status",
    ],
    ['an unknown benefit', { benefits: ['pip'] }, ['benefits', 0], 'Select from the options given'],
    [
      'an unknown referral source',
      { referralSource: 'newspaper' },
      ['referralSource'],
      'Select one of the options',
    ],
    [
      'an unknown prior attainment',
      { priorAttainment: '4' },
      ['priorAttainment'],
      'Select one of the options',
    ],
    [
      'privacy notice not confirmed',
      { privacyNoticeShown: false },
      ['privacyNoticeShown'],
      'Confirm the learner has been shown the privacy notice',
    ],
    [
      'no consent method',
      { consentMethod: '' },
      ['consentMethod'],
      'Select how the learner gave their answers',
    ],
    [
      'a health answer without answersHealth',
      { lldd: '2' },
      ['answersHealth'],
      'Confirm the learner chose to answer the health questions, or clear the answers',
    ],
    [
      'a condition ticked without "Yes"',
      { answersHealth: true, lldd: '2', disabilityCategories: ['4'] },
      ['lldd'],
      'Select "Yes" if the learner has a condition you ticked below',
    ],
    [
      'a primary condition not among those ticked',
      { answersHealth: true, lldd: '1', disabilityCategories: ['4', '12'], primaryDisabilityCategory: '5' },
      ['primaryDisabilityCategory'],
      'Choose the main condition from the ones ticked',
    ],
    [
      'an ethnic group without answersEthnicity',
      { ethnicity: '31' },
      ['answersEthnicity'],
      'Confirm the learner chose to answer the ethnic group question, or clear the answer',
    ],
    [
      'an unknown ethnic group',
      { answersEthnicity: true, ethnicity: '99' },
      ['ethnicity'],
      'Select one of the options',
    ],
    [
      'goal text without a category',
      withGoals({ text: 'Use email', category: 'digital' }, { text: 'Apply for jobs online', category: '' }),
      ['goals', 1, 'category'],
      'Select what kind of goal this is',
    ],
    [
      'contact about courses without a channel',
      { consents: { 'contact-courses': true, 'contact-surveys': false, photos: false } },
      ['contactChannels'],
      'Select how the learner is happy to be contacted',
    ],
    [
      'contact for surveys without a channel',
      { consents: { 'contact-courses': false, 'contact-surveys': true, photos: false } },
      ['contactChannels'],
      'Select how the learner is happy to be contacted',
    ],
  ])('refuses %s', (_description, overrides, path, message) => {
    expect(formIssues(enrolmentFormSchema, validEnrolmentForm(overrides))).toEqual([{ path, message }]);
  });

  it('refuses a date of birth in the future', () => {
    const nextYear = String(new Date().getFullYear() + 1);
    expect(
      formIssues(
        enrolmentFormSchema,
        validEnrolmentForm({ dateOfBirth: { day: '1', month: '1', year: nextYear } }),
      ),
    ).toEqual([{ path: ['dateOfBirth', 'day'], message: 'Enter a date of birth in the past' }]);
  });

  it('refuses a date of birth of today', () => {
    const [year = '', month = '', day = ''] = localIsoDate().split('-');
    expect(
      formIssues(enrolmentFormSchema, validEnrolmentForm({ dateOfBirth: { day, month, year } })),
    ).toEqual([{ path: ['dateOfBirth', 'day'], message: 'Enter a date of birth in the past' }]);
  });

  it('refuses more goals than the form shows', () => {
    const goals = Array.from({ length: MAX_GOALS_ON_FORM + 1 }, () => ({ text: '', category: '' }));
    expect(formIssues(enrolmentFormSchema, validEnrolmentForm({ goals })).map((issue) => issue.path)).toEqual(
      [['goals']],
    );
  });

  it('reports every problem at once, for the error summary', () => {
    const issues = formIssues(
      enrolmentFormSchema,
      validEnrolmentForm({ givenNames: '', postcode: 'nowhere', email: 'x', privacyNoticeShown: false }),
    );
    expect(issues.map((issue) => issue.path)).toEqual([
      ['givenNames'],
      ['postcode'],
      ['email'],
      ['privacyNoticeShown'],
    ]);
  });
});

describe('enrolmentRecordsFromForm', () => {
  it('makes a learner with trimmed names, an ISO date of birth and a normalised postcode', () => {
    const { learner } = recordsFrom();
    expect(learner).toMatchObject({
      givenNames: 'Siobhán',
      familyName: "O'Neill",
      dateOfBirth: '1960-03-27',
      addressLines: ['12 Marsh Lane'],
      town: 'Bootle',
      postcode: 'L203NJ',
      postcodeUnknown: false,
      phone: '07700 900982',
      preferredLanguage: 'en',
      status: 'active',
      mergedInto: null,
      createdAt: NOW,
      updatedAt: NOW,
      deviceId: 'tablet-7',
      deleted: false,
    });
    expect(learner.id).toMatch(UUID);
  });

  it('stores no postcode when the learner has none, whatever was typed', () => {
    const { learner } = recordsFrom({ postcode: 'not known', postcodeUnknown: true });
    expect(learner).toMatchObject({ postcode: '', postcodeUnknown: true });
  });

  it('keeps an existing learner id', () => {
    const { learner, enrolment, consents } = recordsFrom({}, { learnerId: FIXTURE_IDS.learner });
    expect(learner.id).toBe(FIXTURE_IDS.learner);
    expect(enrolment.learnerId).toBe(FIXTURE_IDS.learner);
    expect(consents.every((consent) => consent.learnerId === FIXTURE_IDS.learner)).toBe(true);
  });

  it('makes an enrolment with the privacy notice version shown and the programme funding', () => {
    const { learner, enrolment } = recordsFrom();
    expect(enrolment).toMatchObject({
      learnerId: learner.id,
      programmeId: FIXTURE_IDS.programme,
      enrolledAt: NOW,
      enrolledBy: 'Ann Tutor',
      channel: 'tutor',
      referralSource: null,
      startDate: '2026-11-30',
      fundingStream: 'asf-tailored',
      privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
      priorAttainment: null,
      priorDigitalSkills: {},
      completionStatus: '1',
      outcome: '8',
      actualEndDate: null,
      withdrawalReason: null,
    });
    expect(enrolment.id).toMatch(UUID);
    expect(enrolment.id).not.toBe(learner.id);
  });

  it('keeps only the prior skills that were answered', () => {
    const priorSkills = {
      ...emptyEnrolmentForm().priorSkills,
      foundation: 'independent',
      transacting: 'cannot-yet',
    };
    expect(recordsFrom({ priorSkills }).enrolment.priorDigitalSkills).toEqual({
      foundation: 'independent',
      transacting: 'cannot-yet',
    });
  });

  it.each([
    [{ day: '30', month: '11', year: '2026' }, '2026-11-29'],
    [{ day: '1', month: '12', year: '2026' }, '2026-11-30'],
    [{ day: '1', month: '1', year: '2027' }, '2026-12-31'],
    [{ day: '1', month: '3', year: '2028' }, '2028-02-29'],
  ])('records the employment status on the day before a start of %j', (startDate, appliesOn) => {
    expect(recordsFrom({ startDate }).employmentStatus.appliesOn).toBe(appliesOn);
  });

  it('records the employment details that fit the status', () => {
    const unemployed = recordsFrom({ selfEmployed: true, hoursPerWeek: '0-10' }).employmentStatus;
    expect(unemployed).toMatchObject({
      status: '11',
      selfEmployed: false,
      hoursPerWeek: null,
      unemploymentLength: '12-23m',
      benefits: ['universal-credit'],
    });
    const employed = recordsFrom({
      employmentStatus: '10',
      selfEmployed: true,
      hoursPerWeek: '11-20',
    }).employmentStatus;
    expect(employed).toMatchObject({
      status: '10',
      selfEmployed: true,
      hoursPerWeek: '11-20',
      unemploymentLength: null,
    });
  });

  it('makes one consent row per purpose, with derived ids, granted false when not ticked', () => {
    const { learner, consents } = recordsFrom();
    expect(consents.map((consent) => consent.purpose)).toEqual([
      'privacy-notice',
      'contact-courses',
      'contact-surveys',
      'photos',
    ]);
    for (const consent of consents) {
      expect(consent.id).toBe(consentId(learner.id, consent.purpose));
      expect(consent).toMatchObject({
        learnerId: learner.id,
        method: 'tutor-verbal',
        language: 'en',
        capturedAt: NOW,
        capturedBy: 'Ann Tutor',
        withdrawnAt: null,
      });
    }
    const [privacy, ...asked] = consents;
    expect(privacy).toMatchObject({
      granted: true,
      lawfulBasis: 'public-task',
      documentVersionId: PRIVACY_NOTICE_V1.id,
      channels: [],
    });
    for (const consent of asked) {
      expect(consent).toMatchObject({
        granted: false,
        lawfulBasis: 'consent',
        documentVersionId: CONSENT_STATEMENTS_V1.id,
        channels: [],
      });
    }
  });

  it('gives the contact channels only to contact consents that were ticked', () => {
    const { consents } = recordsFrom({
      consents: { 'contact-courses': true, 'contact-surveys': false, photos: true },
      contactChannels: ['email', 'post'],
    });
    const byPurpose = Object.fromEntries(consents.map((consent) => [consent.purpose, consent]));
    expect(byPurpose['contact-courses']).toMatchObject({ granted: true, channels: ['email', 'post'] });
    expect(byPurpose['contact-surveys']).toMatchObject({ granted: false, channels: [] });
    expect(byPurpose.photos).toMatchObject({ granted: true, channels: [] });
  });

  it('makes the same consent ids for the same learner on two devices', () => {
    const a = recordsFrom({}, { learnerId: FIXTURE_IDS.learner, deviceId: 'tablet-1' });
    const b = recordsFrom({}, { learnerId: FIXTURE_IDS.learner, deviceId: 'tablet-2' });
    expect(a.consents.map((consent) => consent.id)).toEqual(b.consents.map((consent) => consent.id));
  });

  it('makes no equality record when nothing was answered', () => {
    expect(recordsFrom().equalityMonitoring).toBeNull();
  });

  it('makes the equality record with the time the learner chose to answer', () => {
    const { learner, equalityMonitoring } = recordsFrom({
      answersEthnicity: true,
      ethnicity: '98',
      ethnicityOther: ' Kurdish ',
      answersHealth: true,
      lldd: '1',
      disabilityCategories: ['4', '12'],
      primaryDisabilityCategory: '12',
    });
    expect(equalityMonitoring).toMatchObject({
      id: equalityId(learner.id),
      learnerId: learner.id,
      ethnicity: '98',
      ethnicityOther: 'Kurdish',
      sex: null,
      ethnicityAnswerChosenAt: NOW,
      lldd: '1',
      disabilityCategories: ['4', '12'],
      primaryDisabilityCategory: '12',
      healthAnswerChosenAt: NOW,
    });
  });

  it('records only the questions the learner chose to answer', () => {
    const { equalityMonitoring } = recordsFrom({ sex: 'prefer-not-to-say' });
    expect(equalityMonitoring).toMatchObject({
      sex: 'prefer-not-to-say',
      ethnicity: null,
      ethnicityOther: '',
      ethnicityAnswerChosenAt: null,
      lldd: null,
      disabilityCategories: [],
      primaryDisabilityCategory: null,
      healthAnswerChosenAt: null,
    });
  });

  it('makes goals only for goals with text, set on the start date', () => {
    const { learner, enrolment, learningGoals } = recordsFrom(
      withGoals(
        { text: ' Video call my grandchildren ', category: 'communication' },
        { text: '   ', category: 'digital' },
        { text: 'Apply for jobs online', category: 'employability' },
      ),
    );
    expect(learningGoals).toHaveLength(2);
    expect(learningGoals.map(({ text, category }) => ({ text, category }))).toEqual([
      { text: 'Video call my grandchildren', category: 'communication' },
      { text: 'Apply for jobs online', category: 'employability' },
    ]);
    for (const goal of learningGoals) {
      expect(goal).toMatchObject({
        learnerId: learner.id,
        enrolmentId: enrolment.id,
        setOn: '2026-11-30',
        achievedOn: null,
      });
    }
    expect(new Set(learningGoals.map((goal) => goal.id)).size).toBe(2);
  });

  it('makes no goals when none were written', () => {
    expect(recordsFrom().learningGoals).toEqual([]);
  });

  it.each([
    ['a minimal form', {}],
    [
      'a full form',
      {
        preferredName: 'Shiv',
        email: 'siobhan@example.com',
        addressLine2: 'Orrell',
        emergencyContactName: 'Ciarán',
        emergencyContactPhone: '01632 960 001',
        referralSource: 'gp-social-prescriber',
        employmentStatus: '10',
        selfEmployed: true,
        hoursPerWeek: '31-plus',
        priorAttainment: '9',
        priorSkills: { ...emptyEnrolmentForm().priorSkills, 'safe-legal': 'not-assessed' },
        ...withGoals({ text: 'Use email', category: 'digital' }),
        answersEthnicity: true,
        ethnicity: '34-roma',
        sex: 'M',
        answersHealth: true,
        lldd: '1',
        disabilityCategories: ['14'],
        primaryDisabilityCategory: '14',
        consents: { 'contact-courses': true, 'contact-surveys': true, photos: true },
        contactChannels: ['phone'],
        consentMethod: 'signed-paper',
      },
    ],
    ['a learner with no postcode', { postcode: '', postcodeUnknown: true, answersHealth: true, lldd: '9' }],
  ] satisfies [string, Partial<EnrolmentFormValues>][])(
    'makes records that all parse with their schemas (%s)',
    (_name, overrides) => {
      const records = recordsFrom(overrides);
      const rows: [EntityType, unknown][] = [
        ['learner', records.learner],
        ['enrolment', records.enrolment],
        ['employmentStatus', records.employmentStatus],
        ...records.consents.map((consent): [EntityType, unknown] => ['consent', consent]),
        ...records.learningGoals.map((goal): [EntityType, unknown] => ['learningGoal', goal]),
      ];
      if (records.equalityMonitoring) rows.push(['equalityMonitoring', records.equalityMonitoring]);
      for (const [type, record] of rows) {
        const result = RECORD_SCHEMAS[type].safeParse(record);
        expect({ type, issues: result.error?.issues }).toEqual({ type, issues: undefined });
        expect(result.data).toEqual(record);
      }
    },
  );

  it('refuses a form that was not validated', () => {
    const values = {
      ...parseValid(enrolmentFormSchema, validEnrolmentForm()),
      startDate: { day: '31', month: '2', year: '2027' },
    };
    expect(() => enrolmentRecordsFromForm(values, CONTEXT)).toThrow(
      'enrolmentRecordsFromForm needs a validated form',
    );
  });
});
