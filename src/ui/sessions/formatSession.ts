// How sessions read on screen: "Tuesday 24 November 2026", "10:00 to 12:00", in the device's time zone.
import { utcToLocalDateTime } from '../../domain/dates';
import type { Session } from '../../domain/records';

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  weekday: 'long',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
});

/** "2026-11-24" → "Tuesday 24 November 2026". Read as a local calendar day, so it never shifts. */
export function formatLongDate(isoDate: string): string {
  const [year, month, day] = isoDate.split('-').map(Number);
  const at = new Date(year ?? 0, (month ?? 1) - 1, day ?? 1);
  // en-GB puts a comma after the weekday; GOV.UK style has none.
  return LONG_DATE.formatToParts(at)
    .filter((part) => part.type !== 'literal')
    .map((part) => part.value)
    .join(' ');
}

/** A UTC timestamp as the device's local "10:00". */
export function formatTime(iso: string): string {
  return utcToLocalDateTime(iso).time;
}

export function formatTimeRange(session: Pick<Session, 'scheduledStart' | 'scheduledEnd'>): string {
  return `${formatTime(session.scheduledStart)} to ${formatTime(session.scheduledEnd)}`;
}
