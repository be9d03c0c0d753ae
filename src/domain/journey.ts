// Rules of the learner journey that one device can check before it saves: dates that cannot be
// (an outcome before the learner enrolled, a return before the loan), a device lent twice, and the
// follow-up checks a tutor owes after a learner's last session. Clashes only sync can reveal (two
// tablets lending one device offline) are kept and listed by `loanClashes`, never dropped.
import { isAttendingMark } from './attendance';
import { formatDate } from './dates';
import type { Attendance, Enrolment, Loan, LoanDevice, Outcome, Session } from './records';

/** Why an outcome's dates are impossible for this learner, or null when they are possible. */
export function refuseOutcomeDates(
  outcome: Pick<Outcome, 'startDate' | 'endDate'>,
  enrolments: readonly Enrolment[],
): { field: 'startDate' | 'endDate'; message: string } | null {
  // Collected before it starts is possible: at a check the learner says their job starts next month.
  const starts = enrolments.filter((enrolment) => !enrolment.deleted).map((enrolment) => enrolment.startDate);
  const firstStart = starts.sort()[0];
  if (firstStart !== undefined && outcome.startDate < firstStart) {
    return {
      field: 'startDate',
      message: `The outcome cannot start before the learner enrolled (${firstStart}). Check the start date.`,
    };
  }
  if (outcome.endDate !== null && outcome.endDate < outcome.startDate) {
    return { field: 'endDate', message: 'The end date must be on or after the start date.' };
  }
  return null;
}

/** The end of a loan with no known end, for comparing periods. */
const OPEN_END = '9999-12-31';

/** A loan not yet closed: no outcome recorded and not returned. */
export function isOpenLoan(loan: Loan): boolean {
  return !loan.deleted && loan.outcome === null && loan.returnedOn === null;
}

/** The device's latest loan (by the day it was lent, then when it was recorded). */
function latestLoan(loansOfDevice: readonly Loan[]): Loan | undefined {
  return loansOfDevice
    .filter((loan) => !loan.deleted)
    .sort((a, b) => a.issuedOn.localeCompare(b.issuedOn) || a.createdAt.localeCompare(b.createdAt))
    .at(-1);
}

/** Whether this is the device's latest loan (the one a wipe after its return concerns). */
export function isLatestLoan(loan: Loan, loansOfDevice: readonly Loan[]): boolean {
  return latestLoan(loansOfDevice)?.id === loan.id;
}

/**
 * Whether a device came back and has not been wiped since: flagged on the device itself, or (for a
 * return recorded before the flag reached this tablet) its latest loan came back unwiped after the
 * device's last wipe.
 */
export function needsWipe(device: LoanDevice, loansOfDevice: readonly Loan[]): boolean {
  if (device.needsWipe) return true;
  const last = latestLoan(loansOfDevice);
  if (!last || last.returnedOn === null || last.wipedAfterReturn) return false;
  if (last.outcome !== 'returned' && last.outcome !== 'damaged') return false;
  return device.wipedOn === null || device.wipedOn < last.returnedOn;
}

/**
 * Why this device cannot be lent now (or from `issuedOn`, for a loan recorded afterwards), or null
 * when it can. Checked on the lending tablet.
 */
export function refuseLoan(
  device: LoanDevice,
  loansOfDevice: readonly Loan[],
  issuedOn?: string,
): string | null {
  if (device.deleted) return 'This device has been removed from the register.';
  if (loansOfDevice.some(isOpenLoan)) {
    return `Device ${device.assetTag} is already on loan. Record its return before lending it again.`;
  }
  if (needsWipe(device, loansOfDevice)) {
    return `Device ${device.assetTag} has not been wiped since its last loan. Wipe it and record that first.`;
  }
  if (device.status !== 'in-stock') {
    return `Device ${device.assetTag} is not in stock (it is ${device.status.replace('-', ' ')}).`;
  }
  // The new loan is open from `issuedOn`: any loan that ended after that day would overlap it.
  const overlapping = issuedOn
    ? loansOfDevice.find((loan) => !loan.deleted && issuedOn < (loanEnd(loan) ?? OPEN_END))
    : undefined;
  if (overlapping) {
    const end = loanEnd(overlapping);
    const until = end ? ` to ${formatDate(end)}` : '';
    return `Device ${device.assetTag} was on loan from ${formatDate(overlapping.issuedOn)}${until}. Check the date it was lent.`;
  }
  return null;
}

/** Why a return cannot be recorded as given, or null. */
export function refuseReturn(loan: Loan, returnedOn: string): string | null {
  if (returnedOn < loan.issuedOn) {
    return `The return date cannot be before the device was lent (${loan.issuedOn}).`;
  }
  return null;
}

/** Open loans whose due date has passed, most overdue first. */
export function overdueLoans(loans: readonly Loan[], today: string): Loan[] {
  return loans
    .filter((loan) => isOpenLoan(loan) && loan.dueBack < today)
    .sort((a, b) => a.dueBack.localeCompare(b.dueBack));
}

/**
 * The day a loan ended, or null when no day is known: still out, or given away or lost without a return
 * date. Open-ended, such a loan clashes with any later one until a coordinator looks.
 */
function loanEnd(loan: Loan): string | null {
  return loan.returnedOn;
}

/**
 * Devices lent to two learners at once: loans of one device whose periods overlap. Only sync can make
 * these (each tablet refuses the second loan itself), so they are kept and shown to a coordinator.
 */
export function loanClashes(loans: readonly Loan[]): { loanDeviceId: string; loans: Loan[] }[] {
  const byDevice = new Map<string, Loan[]>();
  for (const loan of loans) {
    if (loan.deleted) continue;
    byDevice.set(loan.loanDeviceId, [...(byDevice.get(loan.loanDeviceId) ?? []), loan]);
  }
  const clashes: { loanDeviceId: string; loans: Loan[] }[] = [];
  for (const [loanDeviceId, deviceLoans] of byDevice) {
    const overlapping = deviceLoans.filter((loan) =>
      deviceLoans.some((other) => other.id !== loan.id && periodsOverlap(loan, other)),
    );
    if (overlapping.length > 0) {
      clashes.push({ loanDeviceId, loans: overlapping.sort((a, b) => a.issuedOn.localeCompare(b.issuedOn)) });
    }
  }
  return clashes;
}

function periodsOverlap(a: Loan, b: Loan): boolean {
  const aEnd = loanEnd(a) ?? OPEN_END;
  const bEnd = loanEnd(b) ?? OPEN_END;
  // A loan returned on the day the next one starts does not clash with it.
  return a.issuedOn < bEnd && b.issuedOn < aEnd;
}

/** Adds whole calendar months to a YYYY-MM-DD date, keeping to the month's last day when needed. */
export function addMonths(date: string, months: number): string {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const at = new Date(`${date}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() + days);
  return at.toISOString().slice(0, 10);
}

/** The follow-up checks after a learner's last session attended (ours: 4 weeks, 3 and 6 months). */
export const FOLLOW_UP_CHECKS = [
  { code: '4-weeks', label: '4-week check', due: (last: string) => addDays(last, 28) },
  { code: '3-months', label: '3-month check', due: (last: string) => addMonths(last, 3) },
  { code: '6-months', label: '6-month check', due: (last: string) => addMonths(last, 6) },
] as const;

/** Listed this many days before a check is due, so the tutor can plan the call. */
export const FOLLOW_UP_NOTICE_DAYS = 7;

export type FollowUp = {
  learnerId: string;
  check: (typeof FOLLOW_UP_CHECKS)[number]['code'];
  label: string;
  lastAttended: string;
  dueOn: string;
  overdue: boolean;
};

/**
 * The follow-up a learner is owed today, or null: the latest check that has come due (or is due
 * within the notice period) with no outcome collected since it came within notice. A later check
 * replaces an earlier one left undone, so the list shows one line per learner.
 */
export function followUpFor(
  learnerId: string,
  marks: readonly { mark: Attendance; session: Session | undefined }[],
  outcomes: readonly Outcome[],
  today: string,
): FollowUp | null {
  const attended = marks
    .filter(({ mark, session }) => !mark.deleted && session && isAttendingMark(mark.mark))
    .map(({ session }) => session!.date)
    .sort();
  const lastAttended = attended.at(-1);
  if (lastAttended === undefined) return null;
  const collected = outcomes.filter((outcome) => !outcome.deleted).map((outcome) => outcome.collectedOn);
  const listFrom = addDays(today, FOLLOW_UP_NOTICE_DAYS);
  for (const check of [...FOLLOW_UP_CHECKS].reverse()) {
    const dueOn = check.due(lastAttended);
    if (dueOn > listFrom) continue;
    const windowOpens = addDays(dueOn, -FOLLOW_UP_NOTICE_DAYS);
    if (collected.some((on) => on >= windowOpens)) return null;
    return { learnerId, check: check.code, label: check.label, lastAttended, dueOn, overdue: dueOn < today };
  }
  return null;
}
