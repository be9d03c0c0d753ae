// Calendar dates (YYYY-MM-DD, no time zone) and the GOV.UK three-field date input.
// A date of birth is never a timestamp: a timestamp shifts the day in British Summer Time.

export type DateParts = { day: string; month: string; year: string };

export type DatePartsProblem =
  | 'missing'
  | 'missing-day'
  | 'missing-month'
  | 'missing-year'
  | 'not-a-number'
  | 'year-not-four-digits'
  | 'not-a-real-date';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

export function isRealDate(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= daysInMonth;
}

export function isIsoDate(value: string): boolean {
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  return isRealDate(Number(match[1]), Number(match[2]), Number(match[3]));
}

/** Reads the three fields; returns the ISO date or what is wrong with them. */
export function parseDateParts(
  parts: DateParts,
): { ok: true; date: string } | { ok: false; problem: DatePartsProblem } {
  const day = parts.day.trim();
  const month = parts.month.trim();
  const year = parts.year.trim();
  if (!day && !month && !year) return { ok: false, problem: 'missing' };
  if (!day) return { ok: false, problem: 'missing-day' };
  if (!month) return { ok: false, problem: 'missing-month' };
  if (!year) return { ok: false, problem: 'missing-year' };
  if (![day, month, year].every((part) => /^\d+$/.test(part))) return { ok: false, problem: 'not-a-number' };
  if (year.length !== 4) return { ok: false, problem: 'year-not-four-digits' };
  const [d, m, y] = [Number(day), Number(month), Number(year)];
  if (!isRealDate(y, m, d)) return { ok: false, problem: 'not-a-real-date' };
  return { ok: true, date: `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` };
}

export function datePartsFromIso(date: string): DateParts {
  const match = ISO_DATE.exec(date);
  if (!match) return { day: '', month: '', year: '' };
  return { day: String(Number(match[3])), month: String(Number(match[2])), year: match[1] ?? '' };
}

/** The calendar date on the device's clock, in its local time zone. */
export function localIsoDate(at: Date = new Date()): string {
  return `${pad(at.getFullYear(), 4)}-${pad(at.getMonth() + 1, 2)}-${pad(at.getDate(), 2)}`;
}

/** Joins a local calendar date and a local "HH:MM" time into a UTC ISO timestamp. */
export function localDateTimeToUtc(date: string, time: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  return new Date(y ?? 0, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0).toISOString();
}

/** Splits a UTC ISO timestamp into the device's local calendar date and "HH:MM". */
export function utcToLocalDateTime(iso: string): { date: string; time: string } {
  const at = new Date(iso);
  return { date: localIsoDate(at), time: `${pad(at.getHours(), 2)}:${pad(at.getMinutes(), 2)}` };
}

/** Whole years between a date of birth and a day (both ISO dates). */
export function ageOn(dateOfBirth: string, on: string): number {
  const [by, bm, bd] = dateOfBirth.split('-').map(Number);
  const [oy, om, od] = on.split('-').map(Number);
  let age = (oy ?? 0) - (by ?? 0);
  if ((om ?? 0) < (bm ?? 0) || ((om ?? 0) === (bm ?? 0) && (od ?? 0) < (bd ?? 0))) age -= 1;
  return age;
}

/** The ISO date one day before the given one (employment status is "the day before learning starts"). */
export function dayBefore(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const previous = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, (d ?? 1) - 1));
  return previous.toISOString().slice(0, 10);
}

/** Reads a date typed in a search box: "27/3/1960", "27 3 1960", "27-03-1960" or "1960-03-27". */
export function parseTypedDate(text: string): string | null {
  const trimmed = text.trim();
  if (isIsoDate(trimmed)) return trimmed;
  const match = /^(\d{1,2})[\s/.-]+(\d{1,2})[\s/.-]+(\d{4})$/.exec(trimmed);
  if (!match) return null;
  const parsed = parseDateParts({ day: match[1] ?? '', month: match[2] ?? '', year: match[3] ?? '' });
  return parsed.ok ? parsed.date : null;
}

/** Month names for dates in words. */
export const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

/** A calendar date (YYYY-MM-DD) in words, the GOV.UK way ("27 March 1960"), read without a time zone. */
export function formatDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!match) return isoDate;
  return `${Number(match[3])} ${MONTH_NAMES[Number(match[2]) - 1] ?? ''} ${match[1]}`;
}
