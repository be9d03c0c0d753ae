import { describe, expect, it } from 'vitest';
import {
  EMPTY_PROGRAMME_FORM,
  programmeFieldsFromForm,
  programmeFormFromRecord,
  programmeFormSchema,
  type ProgrammeFormValues,
} from '../../../src/domain/forms/programmeForm';
import { programmeSchema } from '../../../src/domain/records';
import { FIXTURE_IDS, makeBase, makeProgramme, withoutBase } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

const HOURS_MESSAGE = 'Planned guided learning hours must be a number from 0 to 1000, like 12';
const CAPACITY_MESSAGE = 'Capacity must be a whole number from 1 to 1000, like 12';

function validProgrammeForm(overrides: Partial<ProgrammeFormValues> = {}): ProgrammeFormValues {
  return {
    title: ' Getting started with a tablet ',
    description: ' Six weekly sessions. ',
    type: 'tailored-learning',
    level: 'entry-3',
    fundingStream: 'asf-tailored',
    plannedGuidedLearningHours: '12',
    defaultVenueId: FIXTURE_IDS.venue,
    deliveryMode: 'face-to-face',
    targetGroups: ['50-plus'],
    capacity: '10',
    startDate: '2026-11-30',
    endDate: '2027-01-11',
    status: 'open',
    ...overrides,
  };
}

describe('programmeFormSchema', () => {
  it('accepts a filled-in form', () => {
    expect(formIssues(programmeFormSchema, validProgrammeForm())).toEqual([]);
  });

  it('accepts a form with the optional fields left blank', () => {
    const values = validProgrammeForm({
      description: '',
      defaultVenueId: '',
      targetGroups: false,
      capacity: '',
      startDate: '',
      endDate: '',
    });
    expect(formIssues(programmeFormSchema, values)).toEqual([]);
  });

  it.each(['0', '1000', '7.5', ' 12 '])('accepts %j planned hours', (hours) => {
    expect(
      formIssues(programmeFormSchema, validProgrammeForm({ plannedGuidedLearningHours: hours })),
    ).toEqual([]);
  });

  it.each(['1', '1000', ' 12 '])('accepts a capacity of %j', (capacity) => {
    expect(formIssues(programmeFormSchema, validProgrammeForm({ capacity }))).toEqual([]);
  });

  it('accepts an end date on the start date', () => {
    expect(
      formIssues(programmeFormSchema, validProgrammeForm({ startDate: '2026-11-30', endDate: '2026-11-30' })),
    ).toEqual([]);
  });

  it('asks for every required answer on an empty form', () => {
    expect(formIssues(programmeFormSchema, EMPTY_PROGRAMME_FORM)).toEqual([
      { path: ['title'], message: 'Enter a title for the programme' },
      { path: ['type'], message: 'Select the type of programme' },
      { path: ['level'], message: 'Select the level of the programme' },
      { path: ['fundingStream'], message: 'Select how the programme is funded' },
      { path: ['plannedGuidedLearningHours'], message: 'Enter the planned guided learning hours' },
    ]);
  });

  it.each<[string, Partial<ProgrammeFormValues>, PropertyKey[], string]>([
    ['a blank title', { title: '  ' }, ['title'], 'Enter a title for the programme'],
    [
      'a title that is too long',
      { title: 'a'.repeat(201) },
      ['title'],
      'Title must be 200 characters or fewer',
    ],
    [
      'a description that is too long',
      { description: 'a'.repeat(2001) },
      ['description'],
      'Description must be 2000 characters or fewer',
    ],
    ['an unknown type', { type: 'course' }, ['type'], 'Select the type of programme'],
    ['an unknown level', { level: 'level-2' }, ['level'], 'Select the level of the programme'],
    ['no funding stream', { fundingStream: '' }, ['fundingStream'], 'Select how the programme is funded'],
    ['no delivery mode', { deliveryMode: '' }, ['deliveryMode'], 'Select how the programme is delivered'],
    ['no status', { status: '' }, ['status'], 'Select the status of the programme'],
    [
      'no planned hours',
      { plannedGuidedLearningHours: ' ' },
      ['plannedGuidedLearningHours'],
      'Enter the planned guided learning hours',
    ],
    [
      'planned hours in words',
      { plannedGuidedLearningHours: 'twelve' },
      ['plannedGuidedLearningHours'],
      HOURS_MESSAGE,
    ],
    [
      'negative planned hours',
      { plannedGuidedLearningHours: '-1' },
      ['plannedGuidedLearningHours'],
      HOURS_MESSAGE,
    ],
    [
      'over 1000 planned hours',
      { plannedGuidedLearningHours: '1000.5' },
      ['plannedGuidedLearningHours'],
      HOURS_MESSAGE,
    ],
    ['a capacity of 0', { capacity: '0' }, ['capacity'], CAPACITY_MESSAGE],
    ['a fractional capacity', { capacity: '1.5' }, ['capacity'], CAPACITY_MESSAGE],
    ['a capacity over 1000', { capacity: '1001' }, ['capacity'], CAPACITY_MESSAGE],
    ['a capacity in words', { capacity: 'ten' }, ['capacity'], CAPACITY_MESSAGE],
    ['a start date that is not real', { startDate: '2026-02-30' }, ['startDate'], 'Enter a real date'],
    ['an end date in the wrong format', { endDate: '11/01/2027' }, ['endDate'], 'Enter a real date'],
    [
      'an end date before the start date',
      { startDate: '2026-11-30', endDate: '2026-11-29' },
      ['endDate'],
      'End date must be the same as or after the start date',
    ],
    [
      'an unknown target group',
      { targetGroups: ['pensioners'] },
      ['targetGroups', 0],
      'Select from the options given',
    ],
  ])('refuses %s', (_description, overrides, path, message) => {
    expect(formIssues(programmeFormSchema, validProgrammeForm(overrides))).toEqual([{ path, message }]);
  });
});

describe('programmeFieldsFromForm', () => {
  it('turns the strings into numbers, trims and keeps the codes', () => {
    expect(programmeFieldsFromForm(parseValid(programmeFormSchema, validProgrammeForm()))).toEqual({
      title: 'Getting started with a tablet',
      description: 'Six weekly sessions.',
      type: 'tailored-learning',
      level: 'entry-3',
      fundingStream: 'asf-tailored',
      plannedGuidedLearningHours: 12,
      defaultVenueId: FIXTURE_IDS.venue,
      deliveryMode: 'face-to-face',
      targetGroups: ['50-plus'],
      capacity: 10,
      startDate: '2026-11-30',
      endDate: '2027-01-11',
      status: 'open',
    });
  });

  it('gives null for blank optional fields', () => {
    const values = validProgrammeForm({
      defaultVenueId: '',
      capacity: ' ',
      startDate: '',
      endDate: '',
      targetGroups: false,
    });
    const fields = programmeFieldsFromForm(parseValid(programmeFormSchema, values));
    expect(fields).toMatchObject({
      defaultVenueId: null,
      capacity: null,
      startDate: null,
      endDate: null,
      targetGroups: [],
    });
  });

  it('makes records that parse with programmeSchema', () => {
    for (const values of [
      validProgrammeForm(),
      validProgrammeForm({ defaultVenueId: '', capacity: '', plannedGuidedLearningHours: '7.5' }),
    ]) {
      const record = {
        ...makeBase(FIXTURE_IDS.programme),
        ...programmeFieldsFromForm(parseValid(programmeFormSchema, values)),
      };
      expect(programmeSchema.safeParse(record).error?.issues).toBeUndefined();
    }
  });
});

describe('programmeFormFromRecord', () => {
  it('gives valid values that convert back to the same fields', () => {
    const programme = makeProgramme();
    const values = programmeFormFromRecord(programme);
    expect(values).toMatchObject({
      plannedGuidedLearningHours: '12',
      capacity: '10',
      defaultVenueId: FIXTURE_IDS.venue,
    });
    expect(programmeFieldsFromForm(parseValid(programmeFormSchema, values))).toEqual(withoutBase(programme));
  });

  it('shows nulls as blank fields', () => {
    const programme = makeProgramme({ capacity: null, defaultVenueId: null, startDate: null, endDate: null });
    expect(programmeFormFromRecord(programme)).toMatchObject({
      capacity: '',
      defaultVenueId: '',
      startDate: '',
      endDate: '',
    });
    expect(
      programmeFieldsFromForm(parseValid(programmeFormSchema, programmeFormFromRecord(programme))),
    ).toEqual(withoutBase(programme));
  });
});
