import { describe, expect, it } from 'vitest';
import {
  EMPTY_VENUE_FORM,
  venueFieldsFromForm,
  venueFormFromRecord,
  venueFormSchema,
  type VenueFormValues,
} from '../../../src/domain/forms/venueForm';
import { POSTCODE_FORMAT_MESSAGE } from '../../../src/domain/forms/fields';
import { venueSchema } from '../../../src/domain/records';
import { FIXTURE_IDS, makeBase, makeVenue, withoutBase } from '../../fixtures/records';
import { formIssues, parseValid } from './formIssues';

function validVenueForm(overrides: Partial<VenueFormValues> = {}): VenueFormValues {
  return {
    name: ' Bootle Library ',
    address: ' 220 Stanley Road, Bootle ',
    postcode: 'l20 3nj',
    accessibilityFeatures: ['step-free', 'quiet-room'],
    publicWifi: 'yes',
    loanDevicesKept: 'no',
    active: true,
    ...overrides,
  };
}

describe('venueFormSchema', () => {
  it('accepts a filled-in form', () => {
    expect(formIssues(venueFormSchema, validVenueForm())).toEqual([]);
  });

  it('trims the name', () => {
    expect(parseValid(venueFormSchema, validVenueForm()).name).toBe('Bootle Library');
  });

  it('reads no ticked features (react-hook-form gives false) as an empty list', () => {
    expect(
      parseValid(venueFormSchema, validVenueForm({ accessibilityFeatures: false })).accessibilityFeatures,
    ).toEqual([]);
  });

  it('reads one ticked feature given as a string as a list of one', () => {
    expect(
      parseValid(venueFormSchema, validVenueForm({ accessibilityFeatures: 'parking' })).accessibilityFeatures,
    ).toEqual(['parking']);
  });

  it('lets Wi-Fi and loan devices be left unanswered', () => {
    expect(formIssues(venueFormSchema, validVenueForm({ publicWifi: '', loanDevicesKept: '' }))).toEqual([]);
  });

  it('asks for the name and postcode on an empty form', () => {
    expect(formIssues(venueFormSchema, EMPTY_VENUE_FORM)).toEqual([
      { path: ['name'], message: "Enter the venue's name" },
      { path: ['postcode'], message: "Enter the venue's postcode" },
    ]);
  });

  it.each<[string, Partial<VenueFormValues>, PropertyKey[], string]>([
    ['a blank name', { name: '   ' }, ['name'], "Enter the venue's name"],
    ['a name that is too long', { name: 'a'.repeat(201) }, ['name'], 'Name must be 200 characters or fewer'],
    [
      'an address that is too long',
      { address: 'a'.repeat(501) },
      ['address'],
      'Address must be 500 characters or fewer',
    ],
    ['no postcode', { postcode: ' ' }, ['postcode'], "Enter the venue's postcode"],
    ['a postcode that is not one', { postcode: 'L20 3N' }, ['postcode'], POSTCODE_FORMAT_MESSAGE],
    [
      'an unknown feature',
      { accessibilityFeatures: ['lift'] },
      ['accessibilityFeatures', 0],
      'Select from the options given',
    ],
  ])('refuses %s', (_description, overrides, path, message) => {
    expect(formIssues(venueFormSchema, validVenueForm(overrides))).toEqual([{ path, message }]);
  });

  it('states the postcode format message', () => {
    expect(POSTCODE_FORMAT_MESSAGE).toBe('Enter a real postcode, like L20 3NJ');
  });

  it('refuses a yes/no answer that is not yes or no', () => {
    const issues = formIssues(venueFormSchema, { ...validVenueForm(), publicWifi: 'maybe' });
    expect(issues.map((issue) => issue.path)).toEqual([['publicWifi']]);
  });
});

describe('venueFieldsFromForm', () => {
  it('normalises the postcode, trims the address and turns yes/no into booleans', () => {
    const fields = venueFieldsFromForm(parseValid(venueFormSchema, validVenueForm()));
    expect(fields).toEqual({
      name: 'Bootle Library',
      address: '220 Stanley Road, Bootle',
      postcode: 'L203NJ',
      accessibilityFeatures: ['step-free', 'quiet-room'],
      publicWifi: true,
      loanDevicesKept: false,
      active: true,
    });
  });

  it('makes a record that parses with venueSchema', () => {
    const fields = venueFieldsFromForm(parseValid(venueFormSchema, validVenueForm({ publicWifi: '' })));
    expect(fields.publicWifi).toBe(false);
    const record = { ...makeBase(FIXTURE_IDS.venue), ...fields };
    expect(venueSchema.safeParse(record).success).toBe(true);
  });
});

describe('venueFormFromRecord', () => {
  it('gives values that are valid and convert back to the same fields', () => {
    const venue = makeVenue();
    const values = venueFormFromRecord(venue);
    expect(values).toEqual({
      name: 'Bootle Library',
      address: '220 Stanley Road, Bootle',
      postcode: 'L203NJ',
      accessibilityFeatures: ['step-free', 'hearing-loop'],
      publicWifi: 'yes',
      loanDevicesKept: 'no',
      active: true,
    });
    expect(venueFieldsFromForm(parseValid(venueFormSchema, values))).toEqual(withoutBase(venue));
  });

  it('copies the features list rather than sharing it', () => {
    const venue = makeVenue();
    expect(venueFormFromRecord(venue).accessibilityFeatures).not.toBe(venue.accessibilityFeatures);
  });
});
