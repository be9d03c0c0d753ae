import { describe, expect, it } from 'vitest';
import {
  EMAIL_FORMAT_MESSAGE,
  PHONE_FORMAT_MESSAGE,
  POSTCODE_FORMAT_MESSAGE,
} from '../../../src/domain/forms/fields';
import { enrolmentFormSchema } from '../../../src/domain/forms/enrolmentForm';
import { POSTCODE_MISSING_MESSAGE } from '../../../src/domain/forms/learnerContactFields';
import {
  type LearnerDetailsFormValues,
  changedLearnerDetails,
  learnerDetailsFormFromRecord,
  learnerDetailsFormSchema,
  learnerDetailsFromForm,
} from '../../../src/domain/forms/learnerDetailsForm';
import { learnerSchema } from '../../../src/domain/records';
import { filledEnrolmentForm } from '../../fixtures/db';
import { makeLearner } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

function validForm(overrides: Partial<LearnerDetailsFormValues> = {}): LearnerDetailsFormValues {
  return {
    preferredName: ' Shiv ',
    addressLine1: ' 12 Marsh Lane ',
    addressLine2: '',
    town: ' Bootle ',
    postcode: 'l20 3nj',
    postcodeUnknown: false,
    phone: ' 07700 900982 ',
    email: ' siobhan@example.com ',
    needsInterpreter: false,
    adjustments: ' Large text on screen ',
    ...overrides,
  };
}

describe('learnerDetailsFormSchema', () => {
  it('accepts a filled-in form', () => {
    expect(formIssues(learnerDetailsFormSchema, validForm())).toEqual([]);
  });

  it('lets phone, email, address and adjustments be left empty', () => {
    const values = validForm({ phone: '', email: '', addressLine1: '', town: '', adjustments: '' });
    expect(formIssues(learnerDetailsFormSchema, values)).toEqual([]);
  });

  it.each<[string, Partial<LearnerDetailsFormValues>, PropertyKey[], string]>([
    ['no postcode', { postcode: '  ' }, ['postcode'], POSTCODE_MISSING_MESSAGE],
    ['a postcode that is not one', { postcode: 'L20' }, ['postcode'], POSTCODE_FORMAT_MESSAGE],
    ['a phone number with letters', { phone: '07700 9OO982' }, ['phone'], PHONE_FORMAT_MESSAGE],
    ['a phone number too short', { phone: '0770' }, ['phone'], PHONE_FORMAT_MESSAGE],
    ['an email without @', { email: 'siobhan.example.com' }, ['email'], EMAIL_FORMAT_MESSAGE],
    [
      'a preferred name too long',
      { preferredName: 'x'.repeat(101) },
      ['preferredName'],
      'Preferred name must be 100 characters or fewer',
    ],
    ['a town too long', { town: 'x'.repeat(101) }, ['town'], 'Town or city must be 100 characters or fewer'],
    [
      'adjustments too long',
      { adjustments: 'x'.repeat(1001) },
      ['adjustments'],
      'Adjustments must be 1000 characters or fewer',
    ],
  ])('refuses %s', (_what, overrides, path, message) => {
    expect(formIssues(learnerDetailsFormSchema, validForm(overrides))).toEqual([{ path, message }]);
  });

  it('gives the enrolment form’s messages for the same answers (one set of rules)', () => {
    const wrong = { postcode: 'nope', phone: 'call me', email: 'at home' };
    const fields = ['postcode', 'phone', 'email'];
    const enrolmentIssues = formIssues(enrolmentFormSchema, filledEnrolmentForm(wrong)).filter((issue) =>
      fields.includes(String(issue.path[0])),
    );
    expect(formIssues(learnerDetailsFormSchema, validForm(wrong))).toEqual(enrolmentIssues);
    expect(enrolmentIssues).toHaveLength(3);
  });

  it('needs no postcode when the learner has none, and then ignores what is in the box', () => {
    const values = parseValid(learnerDetailsFormSchema, validForm({ postcodeUnknown: true, postcode: 'x' }));
    expect(learnerDetailsFromForm(values)).toMatchObject({ postcode: '', postcodeUnknown: true });
  });
});

describe('learnerDetailsFromForm', () => {
  it('trims the answers, normalises the postcode and drops empty address lines', () => {
    expect(learnerDetailsFromForm(parseValid(learnerDetailsFormSchema, validForm()))).toEqual({
      preferredName: 'Shiv',
      addressLines: ['12 Marsh Lane'],
      town: 'Bootle',
      postcode: 'L203NJ',
      postcodeUnknown: false,
      phone: '07700 900982',
      email: 'siobhan@example.com',
      needsInterpreter: false,
      adjustments: 'Large text on screen',
    });
  });

  it('gives fields the learner record accepts', () => {
    const details = learnerDetailsFromForm(parseValid(learnerDetailsFormSchema, validForm()));
    expect(learnerSchema.safeParse({ ...makeLearner(), ...details }).success).toBe(true);
  });
});

describe('learnerDetailsFormFromRecord', () => {
  it('shows the record as people write it, and saving it unchanged gives the same fields', () => {
    const learner = makeLearner({ addressLines: ['Flat 2', '12 Marsh Lane'], needsInterpreter: true });
    const form = learnerDetailsFormFromRecord(learner);
    expect(form).toMatchObject({
      addressLine1: 'Flat 2',
      addressLine2: '12 Marsh Lane',
      postcode: 'L20 3NJ',
    });
    const details = learnerDetailsFromForm(parseValid(learnerDetailsFormSchema, form));
    expect({ ...learner, ...details }).toEqual(learner);
  });

  it('shows an unknown postcode as an empty box with the tick', () => {
    const form = learnerDetailsFormFromRecord(makeLearner({ postcode: '', postcodeUnknown: true }));
    expect(form).toMatchObject({ postcode: '', postcodeUnknown: true });
    expect(formIssues(learnerDetailsFormSchema, form)).toEqual([]);
  });
});

describe('changedLearnerDetails', () => {
  const shown = makeLearner();
  const saved = (values: LearnerDetailsFormValues) =>
    learnerDetailsFromForm(parseValid(learnerDetailsFormSchema, values));

  it('gives only the fields the tutor changed', () => {
    const form = { ...learnerDetailsFormFromRecord(shown), town: 'Litherland', addressLine2: 'Flat 2' };
    expect(changedLearnerDetails(shown, saved(form))).toEqual({
      town: 'Litherland',
      addressLines: ['12 Marsh Lane', 'Flat 2'],
    });
  });

  it('gives nothing for a form saved as it was shown (the postcode written "L20 3NJ" included)', () => {
    expect(changedLearnerDetails(shown, saved(learnerDetailsFormFromRecord(shown)))).toEqual({});
  });

  it('never gives back a field left alone, whatever a sync has done to it since', () => {
    // The form was filled from `shown`; a sync has since brought another tablet's phone. The form
    // still holds the old phone, which must not be saved over the new one.
    const form = { ...learnerDetailsFormFromRecord(shown), town: 'Seaforth' };
    expect(Object.keys(changedLearnerDetails(shown, saved(form)))).toEqual(['town']);
  });

  it('gives a cleared field as empty', () => {
    const form = { ...learnerDetailsFormFromRecord(shown), phone: '', needsInterpreter: true };
    expect(changedLearnerDetails(shown, saved(form))).toEqual({ phone: '', needsInterpreter: true });
  });
});
