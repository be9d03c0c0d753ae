// The lock on a shared tablet: a PIN of each person's own, asked after one online sign-in and at
// every reload, new tab or idle spell; five wrong PINs lock the tablet until the next online
// sign-in. Pure rules only: the PIN's key and verifier are in src/crypto/pin.ts, the rows in
// src/db/deviceLock.ts, the forms in forms/pinForms.ts, the screens in src/ui/lock/. No zod: the
// lock decides the first screen.

export const MIN_PIN_LENGTH = 4;
export const MAX_PIN_LENGTH = 12;
/** Wrong PINs in a row before the tablet locks until the next online sign-in. */
export const MAX_PIN_ATTEMPTS = 5;

export const MIN_LOCK_AFTER_MINUTES = 1;
export const MAX_LOCK_AFTER_MINUTES = 60;
/** How long the app may sit unused before it asks for the PIN again, unless Settings says otherwise. */
export const DEFAULT_LOCK_AFTER_MINUTES = 5;

export const PIN_MESSAGES = {
  enterNew: 'Enter a PIN',
  enterYours: 'Enter your PIN',
  digitsOnly: 'PIN must only include numbers 0 to 9',
  length: `PIN must be between ${MIN_PIN_LENGTH} and ${MAX_PIN_LENGTH} numbers`,
  easyToGuess: 'Choose a PIN that is not easy to guess, like 1234 or 1111',
  enterAgain: 'Enter the PIN again',
  different: 'The PINs are different. Enter the same PIN twice',
} as const;

/** Every digit the same (0000), or each digit one up or one down from the last (1234, 987654). */
export function isEasyToGuess(pin: string): boolean {
  const digits = [...pin].map(Number);
  const steps = digits.slice(1).map((digit, index) => digit - digits[index]!);
  if (steps.length === 0) return true;
  return (
    steps.every((step) => step === 0) ||
    steps.every((step) => step === 1) ||
    steps.every((step) => step === -1)
  );
}

/** Why a PIN someone is choosing cannot be used, or null when it can. */
export function newPinProblem(pin: string): string | null {
  if (pin === '') return PIN_MESSAGES.enterNew;
  return pinFormatProblem(pin) ?? (isEasyToGuess(pin) ? PIN_MESSAGES.easyToGuess : null);
}

/**
 * Why what was typed cannot be a PIN at all (letters, too short, too long), or null. Typed to unlock,
 * such a PIN is refused without costing a try: it cannot be anyone's PIN.
 */
export function pinFormatProblem(pin: string): string | null {
  if (!/^[0-9]*$/.test(pin)) return PIN_MESSAGES.digitsOnly;
  if (pin.length < MIN_PIN_LENGTH || pin.length > MAX_PIN_LENGTH) return PIN_MESSAGES.length;
  return null;
}

/** Tries left after `failedAttempts` wrong PINs in a row (never below 0). */
export function attemptsLeft(failedAttempts: number): number {
  return Math.max(0, MAX_PIN_ATTEMPTS - failedAttempts);
}

/** What a wrong PIN does: one more failed attempt, and at the limit the tablet locks out. */
export function afterWrongPin(failedAttempts: number): { failedAttempts: number; lockedOut: boolean } {
  const next = failedAttempts + 1;
  return { failedAttempts: next, lockedOut: next >= MAX_PIN_ATTEMPTS };
}

/** "The PIN is not right. You have 4 more tries". */
export function wrongPinMessage(left: number): string {
  return `The PIN is not right. You have ${left} more ${left === 1 ? 'try' : 'tries'}`;
}

export const LOCKED_OUT_MESSAGE =
  'Too many wrong PINs. Connect to the internet and sign in with your password to unlock this tablet.';

export function isAllowedLockAfterMinutes(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= MIN_LOCK_AFTER_MINUTES &&
    value <= MAX_LOCK_AFTER_MINUTES
  );
}

/** The stored setting, or the default when it was never set (or is not one this app allows). */
export function lockAfterMinutesFrom(stored: unknown): number {
  return isAllowedLockAfterMinutes(stored) ? stored : DEFAULT_LOCK_AFTER_MINUTES;
}

/**
 * What the app shows instead of (or as) the page:
 * - 'no-user': no one has signed in and chosen a PIN on this device; the app works as before, unlocked;
 * - 'choose-pin': the signed-in person has no PIN on this device yet (or lost it to a lockout);
 * - 'unlock': they have one, and this tab has not been unlocked (reload, new tab, idle, "Lock now");
 * - 'locked-out': five wrong PINs; only an online sign-in opens the tablet again;
 * - 'open': unlocked.
 */
export type LockScreen = 'no-user' | 'choose-pin' | 'unlock' | 'locked-out' | 'open';

export type LockFacts = {
  /** Who is signed in on this device (the sync state's user), or null. */
  signedInUser: { id: string } | null;
  /** Whether that person has a PIN on this device. */
  pinSetForUser: boolean;
  /** Whether their PIN is locked out by too many wrong tries. */
  lockedOut: boolean;
  /** Whether this tab was unlocked for them (by their PIN, or by signing in). */
  unlocked: boolean;
};

export function lockScreenFor(facts: LockFacts): LockScreen {
  if (!facts.signedInUser) return 'no-user';
  if (facts.pinSetForUser && facts.lockedOut) return 'locked-out';
  if (!facts.pinSetForUser) return 'choose-pin';
  return facts.unlocked ? 'open' : 'unlock';
}

/** Whether the screen shows the app itself (no lock screen in its place). */
export function isAppOpen(screen: LockScreen): boolean {
  return screen === 'open' || screen === 'no-user';
}

/**
 * Pages that stay reachable while the app is locked: signing in (as oneself after a lockout, or as
 * someone else), setting up an organisation and accepting an invitation. None shows anyone's records.
 */
export function isReachableWhileLocked(pathname: string): boolean {
  const path = pathname.replace(/\/+$/, '');
  return path === '/sign-in' || path === '/setup' || /^\/invite\/[^/]+$/.test(path);
}

/** Whether a lock screen takes the page's place: the app is locked and the page is not one of those above. */
export function isLockScreenShown(screen: LockScreen, pathname: string): boolean {
  return !isAppOpen(screen) && !isReachableWhileLocked(pathname);
}
