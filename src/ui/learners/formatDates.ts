// Dates in words, the GOV.UK way: "27 March 1960", "3 March 2026 at 2:15pm".

// Calendar dates are put in words in src/domain/dates.ts (form messages need them too).
import { MONTH_NAMES } from '../../domain/dates';
export { formatDate } from '../../domain/dates';

/** A moment (UTC timestamp) as this device's local date and time. */
export function formatDateTime(timestamp: string): string {
  const at = new Date(timestamp);
  if (Number.isNaN(at.getTime())) return timestamp;
  const hours = at.getHours();
  const minutes = String(at.getMinutes()).padStart(2, '0');
  const time = `${hours % 12 || 12}:${minutes}${hours < 12 ? 'am' : 'pm'}`;
  return `${at.getDate()} ${MONTH_NAMES[at.getMonth()]} ${at.getFullYear()} at ${time}`;
}
