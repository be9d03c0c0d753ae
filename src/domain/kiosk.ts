// Kiosk mode: a tutor hands the tablet to learners for one session, to enrol themselves ("Learner
// self-enrolment") or to sign in ("Sign-in sheet"). While it is on, every page shows only the kiosk,
// and leaving it needs a PIN. Pure rules only: the stored row is in src/db/kiosk.ts, the screens in
// src/ui/kiosk/, the learner's form in forms/selfEnrolmentForm.ts.
import { arrivalMark, isAttendingMark } from './attendance';
import type { LockScreen } from './deviceLock';
import type { AttendanceMark, Learner, Session } from './records';

export const KIOSK_MODES = [
  { code: 'self-enrolment', label: 'Learner self-enrolment' },
  { code: 'sign-in-sheet', label: 'Sign-in sheet' },
] as const;
export type KioskMode = (typeof KIOSK_MODES)[number]['code'];

/**
 * Minutes without a touch or a key before a learner's unfinished answers are cleared, so the next
 * person never sees them. Shorter than the tablet's own lock: a learner walking away is the norm.
 */
export const KIOSK_IDLE_MINUTES = 2;
export const KIOSK_IDLE_MS = KIOSK_IDLE_MINUTES * 60_000;

/** How long the thank-you stays before the screen resets by itself for the next person. */
export const KIOSK_THANK_YOU_SECONDS = 15;
export const KIOSK_THANK_YOU_MS = KIOSK_THANK_YOU_SECONDS * 1000;
/** The sign-in sheet's thank-you is shorter: the next learner is usually waiting. */
export const KIOSK_SIGNED_IN_SECONDS = 5;
export const KIOSK_SIGNED_IN_MS = KIOSK_SIGNED_IN_SECONDS * 1000;

/** Who the records say enrolled a learner, and gave their consents, on the kiosk: the learner. */
export const KIOSK_ENROLLED_BY = 'The learner, on a tablet';
/** Who the register says marked a learner who signed in on the kiosk's sign-in sheet. */
export const KIOSK_SIGNED_IN_BY = 'The learner, on the sign-in sheet';

/**
 * What a tab shows while the kiosk is on, in place of every page:
 * - 'learner': the learner's form or sign-in sheet (the tab is unlocked);
 * - 'paused': "Ask your tutor to continue" and a PIN (a reload or a new tab starts locked);
 * - 'locked-out': too many wrong PINs; only the password (online) opens the tablet again;
 * - 'sign-in': the sign-in page, reachable only then, so the tutor can do that;
 * - 'choose-pin': after that sign-in, the tutor chooses a new PIN.
 */
export type KioskScreen = 'learner' | 'paused' | 'locked-out' | 'sign-in' | 'choose-pin';

function isSignInPage(pathname: string): boolean {
  return pathname.replace(/\/+$/, '') === '/sign-in';
}

/**
 * The kiosk's screen for the tablet lock's state, or null when the kiosk is not in force: with no
 * PIN on the tablet ('no-user', e.g. after it was erased) no one could ever leave it, and there is
 * nothing a PIN protects. The idle lock's screen never shows: a learner may take their time, and
 * their answers are cleared by the kiosk's own idle time instead.
 */
export function kioskScreenFor(lock: LockScreen, pathname: string): KioskScreen | null {
  switch (lock) {
    case 'no-user':
      return null;
    case 'open':
      return 'learner';
    case 'unlock':
      return 'paused';
    case 'locked-out':
      return isSignInPage(pathname) ? 'sign-in' : 'locked-out';
    case 'choose-pin':
      return isSignInPage(pathname) ? 'sign-in' : 'choose-pin';
  }
}

export type KioskStartFacts = {
  lock: LockScreen;
  session: Pick<Session, 'date' | 'status'>;
  /** Today's local date, YYYY-MM-DD. */
  today: string;
};

/**
 * Why a tutor cannot hand this session's tablet to learners now, in plain words, or null when they
 * can. Leaving needs a PIN, so only someone with a PIN here, with the app open, may start it; and a
 * learner signs in (or is marked present on enrolling) for today's session only.
 */
export function kioskStartProblem({ lock, session, today }: KioskStartFacts): string | null {
  if (lock === 'no-user') {
    return 'Sign in and choose a PIN for this tablet first. You need your PIN to stop learners using it.';
  }
  if (lock !== 'open') return 'Unlock the app with your PIN first.';
  if (session.status === 'cancelled') return 'This session was cancelled.';
  if (session.date !== today) return 'Learners can only use the tablet on the day of the session.';
  return null;
}

type NamedLearner = Pick<Learner, 'id' | 'givenNames' | 'familyName' | 'preferredName'>;

function firstName(learner: NamedLearner): string {
  return learner.preferredName.trim() || (learner.givenNames.trim().split(/\s+/)[0] ?? '');
}

function fold(text: string): string {
  return text.normalize('NFC').toLocaleLowerCase('en-GB');
}

function commonPrefixLength(a: string[], b: string[]): number {
  let length = 0;
  while (length < a.length && length < b.length && a[length] === b[length]) length += 1;
  return length;
}

/**
 * What the sign-in sheet shows of each learner: the name they go by and the first letter of their
 * family name ("Grace A."), no more, since everyone in the room can read it. Two learners who would
 * look the same get just enough further letters to tell them apart ("John Sm.", "John St.").
 */
export function signInNames(learners: readonly NamedLearner[]): Map<string, string> {
  const people = learners.map((learner) => ({
    id: learner.id,
    first: firstName(learner),
    family: [...learner.familyName.trim()],
  }));
  const names = new Map<string, string>();
  for (const person of people) {
    const family = person.family.map(fold);
    const needed = people
      .filter((other) => other.id !== person.id && fold(other.first) === fold(person.first))
      .reduce((most, other) => Math.max(most, commonPrefixLength(family, other.family.map(fold)) + 1), 1);
    const shown = person.family.slice(0, needed).join('');
    names.set(
      person.id,
      needed >= person.family.length ? `${person.first} ${shown}` : `${person.first} ${shown}.`,
    );
  }
  return names;
}

/**
 * The mark a learner's own sign-in records (present, or late after the grace time), or null when they
 * are already marked as attending: a second tap, or the tutor's mark, is left as it is.
 */
export function signInMark(
  session: Pick<Session, 'scheduledStart' | 'actualStart'>,
  current: AttendanceMark | undefined,
  at: string,
): 'P' | 'L' | null {
  if (current !== undefined && isAttendingMark(current)) return null;
  return arrivalMark(session, at);
}
