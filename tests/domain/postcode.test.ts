import { describe, expect, it } from 'vitest';
import { formatPostcode, isValidPostcode, normalisePostcode } from '../../src/domain/postcode';

describe('normalisePostcode', () => {
  it.each([
    ['l20 3nj', 'L203NJ'],
    [' L203NJ ', 'L203NJ'],
    ['L20  3NJ', 'L203NJ'],
    ['l 2 0 3 n j', 'L203NJ'],
    ['sw1a\t1aa', 'SW1A1AA'],
    ['', ''],
  ])('%j becomes %j', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });
});

describe('isValidPostcode', () => {
  it.each([
    'L20 3NJ',
    'SW1A 1AA',
    'GIR 0AA',
    'M1 1AE',
    'B33 8TH',
    'CR2 6XH',
    'DN55 1PT',
    'EC1A 1BB',
    'W1A 0AX',
  ])('accepts %s', (postcode) => {
    expect(isValidPostcode(postcode)).toBe(true);
  });

  it.each(['l20 3nj', ' L203NJ ', 'ec1a1bb', 'gir 0aa', 'Dn55  1pt'])(
    'accepts %j in any case and spacing',
    (postcode) => {
      expect(isValidPostcode(postcode)).toBe(true);
    },
  );

  it.each([
    ['L20 3N', 'inward part too short'],
    ['123', 'digits only'],
    ['LL20 3NJX', 'too long'],
    ['', 'empty'],
    ['   ', 'only spaces'],
    ['L20 NJ3', 'inward part back to front'],
    ['LI20 3NJ', 'I is never the second letter'],
    ['LZ20 3NJ', 'Z is never the second letter'],
    ['1L20 3NJ', 'starts with a digit'],
    ['L20-3NJ', 'a dash is not spacing'],
  ])('refuses %j (%s)', (postcode) => {
    expect(isValidPostcode(postcode)).toBe(false);
  });
});

describe('formatPostcode', () => {
  it.each([
    ['L203NJ', 'L20 3NJ'],
    ['l20 3nj', 'L20 3NJ'],
    [' sw1a1aa ', 'SW1A 1AA'],
    ['GIR0AA', 'GIR 0AA'],
    ['m11ae', 'M1 1AE'],
    ['EC1A1BB', 'EC1A 1BB'],
  ])('%j is shown as %j', (input, expected) => {
    expect(formatPostcode(input)).toBe(expected);
  });

  it('leaves something too short to split as its normalised form', () => {
    expect(formatPostcode('l20')).toBe('L20');
    expect(formatPostcode('')).toBe('');
  });

  it('formats back to a value that normalises to the stored form', () => {
    for (const stored of ['L203NJ', 'SW1A1AA', 'GIR0AA', 'M11AE', 'B338TH', 'CR26XH', 'DN551PT', 'EC1A1BB']) {
      expect(normalisePostcode(formatPostcode(stored))).toBe(stored);
    }
  });
});
