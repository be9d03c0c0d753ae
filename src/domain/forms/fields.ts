// Building blocks for form schemas: every value an HTML input gives is a string, a boolean or a
// list of strings; each rule carries the GOV.UK-style message shown beside the field.
import { z } from 'zod';
import type { CodeListEntry } from '../codeLists';
import { parseDateParts, type DatePartsProblem } from '../dates';
import { isValidPostcode } from '../postcode';

export function requiredText(message: string, label: string, maxLength = 200) {
  return z
    .string()
    .trim()
    .min(1, message)
    .max(maxLength, `${label} must be ${maxLength} characters or fewer`);
}

export function optionalText(label: string, maxLength = 500) {
  return z.string().max(maxLength, `${label} must be ${maxLength} characters or fewer`);
}

/** A radio group or select: "" until chosen. */
export function choice(list: readonly CodeListEntry[], message: string) {
  const codes = list.map((entry) => entry.code);
  return z.string().refine((value) => codes.includes(value), message);
}

export function optionalChoice(list: readonly CodeListEntry[]) {
  const codes = list.map((entry) => entry.code);
  return z.string().refine((value) => value === '' || codes.includes(value), 'Select one of the options');
}

/** A group of tick boxes. react-hook-form gives false when none of several is ticked. */
export function ticks(list: readonly CodeListEntry[]) {
  const codes = list.map((entry) => entry.code);
  return z.preprocess(
    (value) =>
      value === false || value === undefined || value === null
        ? []
        : typeof value === 'string'
          ? [value]
          : value,
    z.array(z.string().refine((code) => codes.includes(code), 'Select from the options given')),
  );
}

export const yesNo = z.enum(['yes', 'no', '']);

export const datePartsSchema = z.object({ day: z.string(), month: z.string(), year: z.string() });

const DATE_PROBLEM_FIELD: Record<DatePartsProblem, 'day' | 'month' | 'year'> = {
  missing: 'day',
  'missing-day': 'day',
  'missing-month': 'month',
  'missing-year': 'year',
  'not-a-number': 'day',
  'year-not-four-digits': 'year',
  'not-a-real-date': 'day',
};

/** GOV.UK messages for a three-field date, named like "Date of birth". */
export function datePartsMessage(label: string, problem: DatePartsProblem): string {
  switch (problem) {
    case 'missing':
      return `Enter ${label.toLowerCase()}`;
    case 'missing-day':
      return `${label} must include a day`;
    case 'missing-month':
      return `${label} must include a month`;
    case 'missing-year':
      return `${label} must include a year`;
    case 'not-a-number':
      return `${label} must be a real date, in numbers`;
    case 'year-not-four-digits':
      return 'Year must include 4 numbers';
    case 'not-a-real-date':
      return `${label} must be a real date`;
  }
}

/** Where a form schema's refinement reports problems (zod's refinement context has this shape). */
export type IssueSink = {
  addIssue: (issue: { code: 'custom'; path: (string | number)[]; message: string }) => void;
};

/** Checks a three-field date, reporting on the field to fix first; returns the ISO date or null. */
export function checkDateParts(
  parts: { day: string; month: string; year: string },
  path: string,
  label: string,
  ctx: IssueSink,
  options: { optional?: boolean; missingMessage?: string } = {},
): string | null {
  const parsed = parseDateParts(parts);
  if (parsed.ok) return parsed.date;
  if (parsed.problem === 'missing' && options.optional) return null;
  ctx.addIssue({
    code: 'custom',
    path: [path, DATE_PROBLEM_FIELD[parsed.problem]],
    message:
      parsed.problem === 'missing' && options.missingMessage
        ? options.missingMessage
        : datePartsMessage(label, parsed.problem),
  });
  return null;
}

export const POSTCODE_FORMAT_MESSAGE = 'Enter a real postcode, like L20 3NJ';

export function checkPostcode(value: string, path: string, ctx: IssueSink, missingMessage: string): void {
  if (!value.trim()) {
    ctx.addIssue({ code: 'custom', path: [path], message: missingMessage });
  } else if (!isValidPostcode(value)) {
    ctx.addIssue({ code: 'custom', path: [path], message: POSTCODE_FORMAT_MESSAGE });
  }
}

const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export function isEmailLike(value: string): boolean {
  return EMAIL_PATTERN.test(value.trim());
}

/** UK or international numbers: digits with spaces, brackets, dashes and a leading +, 10 to 15 digits. */
export function isPhoneLike(value: string): boolean {
  const trimmed = value.trim();
  if (!/^\+?[\d\s()-]+$/.test(trimmed)) return false;
  const digits = trimmed.replace(/\D/g, '').length;
  return digits >= 10 && digits <= 15;
}

export const PHONE_FORMAT_MESSAGE = 'Enter a telephone number, like 01632 960 001 or 07700 900 982';
export const EMAIL_FORMAT_MESSAGE = 'Enter an email address in the correct format, like name@example.com';
