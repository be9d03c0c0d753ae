// UK postcodes: accept any case and spacing, store normalised, show with one space.

const POSTCODE_PATTERN = /^([A-Z][A-HJ-Y]?[0-9][A-Z0-9]?[0-9][A-Z]{2}|GIR0AA)$/;

/** Upper-case with every space removed: the stored form. */
export function normalisePostcode(input: string): string {
  return input.toUpperCase().replace(/\s+/g, '');
}

/** True when the input, once normalised, has the shape of a UK postcode (format does not prove existence). */
export function isValidPostcode(input: string): boolean {
  return POSTCODE_PATTERN.test(normalisePostcode(input));
}

/** "L203NJ" → "L20 3NJ". */
export function formatPostcode(input: string): string {
  const normalised = normalisePostcode(input);
  if (normalised.length < 5) return normalised;
  return `${normalised.slice(0, -3)} ${normalised.slice(-3)}`;
}
