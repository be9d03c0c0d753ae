// Register rules: which marks count as attending, the minutes they give towards guided learning
// hours, and when a mark counts as made late.
import type { AttendanceMark } from './records';
import { ATTENDANCE_MARKS } from './codeLists';

/** The marks a tutor sets with one tap; the others are in a menu. */
export const ONE_TAP_MARKS = ['P', 'L', 'U'] as const satisfies readonly AttendanceMark[];
export const MENU_MARKS = ATTENDANCE_MARKS.map((entry) => entry.code).filter(
  (code) => !(ONE_TAP_MARKS as readonly string[]).includes(code),
) as AttendanceMark[];

/** A register is due within 24 hours of the session; a mark made after that is flagged late. */
export const REGISTER_DUE_WITHIN_MS = 24 * 60 * 60 * 1000;

const ATTENDING_MARKS: readonly AttendanceMark[] = ['P', 'L', 'LE', 'R'];

export function isAttendingMark(mark: AttendanceMark): boolean {
  return ATTENDING_MARKS.includes(mark);
}

export function sessionMinutes(session: {
  scheduledStart: string;
  scheduledEnd: string;
  actualStart: string | null;
  actualEnd: string | null;
}): number {
  const start = Date.parse(session.actualStart ?? session.scheduledStart);
  const end = Date.parse(session.actualEnd ?? session.scheduledEnd);
  return Math.max(0, Math.round((end - start) / 60000));
}

/** Minutes towards guided learning hours: the session's length for those who attended, else none. */
export function defaultMinutesFor(mark: AttendanceMark, lengthOfSession: number): number {
  return isAttendingMark(mark) ? lengthOfSession : 0;
}

export function isMarkedLate(scheduledEnd: string, markedAt: string): boolean {
  return Date.parse(markedAt) - Date.parse(scheduledEnd) > REGISTER_DUE_WITHIN_MS;
}

/** (ours) A learner who arrives more than this long after the session started is marked late. */
export const LATE_AFTER_START_MS = 15 * 60 * 1000;

/** The mark for a learner who arrives (signs in) at `at`: present, or late after the grace time. */
export function arrivalMark(
  session: { scheduledStart: string; actualStart: string | null },
  at: string,
): 'P' | 'L' {
  const start = Date.parse(session.actualStart ?? session.scheduledStart);
  return Date.parse(at) - start > LATE_AFTER_START_MS ? 'L' : 'P';
}
