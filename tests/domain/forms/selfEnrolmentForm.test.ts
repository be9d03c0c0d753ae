import { describe, expect, it } from 'vitest';
import { PREFER_NOT_TO_SAY } from '../../../src/domain/codeLists';
import { CONSENT_STATEMENTS_V1, PRIVACY_NOTICE_V1 } from '../../../src/domain/documents';
import { POSTCODE_FORMAT_MESSAGE } from '../../../src/domain/forms/fields';
import {
  SELF_ENROLMENT_MESSAGES,
  type SelfEnrolmentFormValues,
  emptySelfEnrolmentForm,
  enrolmentFormFromSelfEnrolment,
  selfEnrolmentFormSchema,
  selfEnrolmentRecords,
} from '../../../src/domain/forms/selfEnrolmentForm';
import { KIOSK_ENROLLED_BY } from '../../../src/domain/kiosk';
import { RECORD_SCHEMAS } from '../../../src/domain/records';
import { FIXTURE_IDS } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

const NOW = '2026-11-30T10:05:00.000Z';

/** What a learner types on the kiosk: the required answers only, equality questions left empty. */
function learnerAnswers(overrides: Partial<SelfEnrolmentFormValues> = {}): SelfEnrolmentFormValues {
  return {
    ...emptySelfEnrolmentForm(),
    givenNames: ' Grace ',
    familyName: ' Adeyemi ',
    dateOfBirth: { day: '2', month: '7', year: '1974' },
    addressLine1: '4 Derby Road',
    town: 'Bootle',
    postcode: 'l21 8hb',
    privacyNoticeRead: true,
    ...overrides,
  };
}

function records(overrides: Partial<SelfEnrolmentFormValues> = {}) {
  return selfEnrolmentRecords(parseValid(selfEnrolmentFormSchema, learnerAnswers(overrides)), {
    programme: { id: FIXTURE_IDS.programme, fundingStream: 'asf-tailored' },
    privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
    consentStatementsVersionId: CONSENT_STATEMENTS_V1.id,
    deviceId: 'tablet-7',
    now: NOW,
  });
}

describe("the learner's own enrolment form", () => {
  it('starts blank, with nothing ticked: consent must be the learner’s own act', () => {
    const empty = emptySelfEnrolmentForm();
    expect(empty.privacyNoticeRead).toBe(false);
    expect(Object.values(empty.consents)).toEqual([false, false, false]);
    expect(empty.givenNames).toBe('');
    expect(empty.ethnicity).toBe('');
  });

  it('asks a learner who sent it blank for what is needed, in words addressed to them', () => {
    const messages = formIssues(selfEnrolmentFormSchema, emptySelfEnrolmentForm()).map(
      (issue) => issue.message,
    );
    expect(messages).toEqual(
      expect.arrayContaining([
        SELF_ENROLMENT_MESSAGES.givenNames,
        SELF_ENROLMENT_MESSAGES.familyName,
        SELF_ENROLMENT_MESSAGES.dateOfBirth,
        SELF_ENROLMENT_MESSAGES.postcode,
        SELF_ENROLMENT_MESSAGES.privacyNotice,
      ]),
    );
    expect(messages).toHaveLength(5);
  });

  it('checks the postcode, and asks how to contact someone who agreed to be contacted', () => {
    expect(formIssues(selfEnrolmentFormSchema, learnerAnswers({ postcode: 'nowhere' }))).toEqual([
      { path: ['postcode'], message: POSTCODE_FORMAT_MESSAGE },
    ]);
    expect(
      formIssues(selfEnrolmentFormSchema, learnerAnswers({ postcode: '', postcodeUnknown: true })),
    ).toEqual([]);
    const agreed = { 'contact-courses': true, 'contact-surveys': false, photos: false };
    expect(formIssues(selfEnrolmentFormSchema, learnerAnswers({ consents: agreed }))).toEqual([
      { path: ['contactChannels'], message: SELF_ENROLMENT_MESSAGES.contactChannels },
    ]);
  });

  it('makes a new learner enrolled by themselves on the self-service channel, starting today', () => {
    const made = records();
    expect(made.learner).toMatchObject({ givenNames: 'Grace', familyName: 'Adeyemi', postcode: 'L218HB' });
    expect(made.enrolment).toMatchObject({
      channel: 'self-service',
      enrolledBy: KIOSK_ENROLLED_BY,
      startDate: '2026-11-30',
      privacyNoticeVersionId: PRIVACY_NOTICE_V1.id,
    });
    // What only a tutor asks is left as not known, for them to add.
    expect(made.employmentStatus.status).toBe('98');
    expect(made.learningGoals).toEqual([]);
    expect(made.equalityMonitoring).toBeNull();
    for (const consent of made.consents) {
      expect(consent).toMatchObject({ method: 'learner-tablet', capturedBy: KIOSK_ENROLLED_BY });
    }
    expect(
      made.consents.filter((consent) => consent.purpose !== 'privacy-notice').map((c) => c.granted),
    ).toEqual([false, false, false]);
    expect(RECORD_SCHEMAS.enrolment.safeParse(made.enrolment).success).toBe(true);
    expect(RECORD_SCHEMAS.learner.safeParse(made.learner).success).toBe(true);
  });

  it('records an equality answer, "Prefer not to say" included, as the learner’s choice to answer', () => {
    const made = records({ ethnicity: PREFER_NOT_TO_SAY, sex: 'F', lldd: '9' });
    expect(made.equalityMonitoring).toMatchObject({
      ethnicity: PREFER_NOT_TO_SAY,
      ethnicityAnswerChosenAt: NOW,
      sex: 'F',
      lldd: '9',
      healthAnswerChosenAt: NOW,
    });
    expect(RECORD_SCHEMAS.equalityMonitoring.safeParse(made.equalityMonitoring).success).toBe(true);
  });

  it('keeps nothing of an answer the learner hid again', () => {
    const form = enrolmentFormFromSelfEnrolment(
      parseValid(
        selfEnrolmentFormSchema,
        learnerAnswers({
          lldd: '2',
          disabilityCategories: ['12'],
          ethnicity: PREFER_NOT_TO_SAY,
          ethnicityOther: 'typed before',
          contactChannels: ['email'],
        }),
      ),
      '2026-11-30',
    );
    expect(form.disabilityCategories).toEqual([]);
    expect(form.ethnicityOther).toBe('');
    expect(form.contactChannels).toEqual([]);
    expect(form.consentMethod).toBe('learner-tablet');
  });

  it('keeps the conditions under "Yes", and the ways to contact someone who agreed', () => {
    const made = records({
      lldd: '1',
      disabilityCategories: ['12', '5'],
      consents: { 'contact-courses': true, 'contact-surveys': false, photos: true },
      contactChannels: ['phone'],
      phone: '07700 900982',
    });
    expect(made.equalityMonitoring?.disabilityCategories).toEqual(['12', '5']);
    const courses = made.consents.find((consent) => consent.purpose === 'contact-courses');
    expect(courses).toMatchObject({ granted: true, channels: ['phone'] });
    expect(made.consents.find((consent) => consent.purpose === 'photos')).toMatchObject({ granted: true });
  });
});
