// The tablet lock's rules: which PINs may be chosen, what a wrong one costs, the idle time's range,
// which screen shows for each state, and which pages stay reachable while locked.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LOCK_AFTER_MINUTES,
  type LockFacts,
  type LockScreen,
  MAX_PIN_ATTEMPTS,
  PIN_MESSAGES,
  afterWrongPin,
  attemptsLeft,
  isAppOpen,
  isEasyToGuess,
  isLockScreenShown,
  isReachableWhileLocked,
  lockAfterMinutesFrom,
  lockScreenFor,
  newPinProblem,
  pinFormatProblem,
  wrongPinMessage,
} from '../../src/domain/deviceLock';
import { choosePinFormSchema, lockAfterFormSchema, unlockFormSchema } from '../../src/domain/forms/pinForms';

describe('choosing a PIN', () => {
  it('takes 4 to 12 digits that are not easy to guess', () => {
    for (const pin of ['2580', '1357', '9012', '4711', '1212', '120956', '314159265358', '0007']) {
      expect({ pin, problem: newPinProblem(pin) }).toEqual({ pin, problem: null });
    }
  });

  it('refuses all-same digits and runs up or down, saying why', () => {
    for (const pin of [
      '0000',
      '1111',
      '999999',
      '1234',
      '123456',
      '0123456789',
      '4321',
      '9876543210',
      '3456',
    ]) {
      expect({ pin, problem: newPinProblem(pin) }).toEqual({
        pin,
        problem: 'Choose a PIN that is not easy to guess, like 1234 or 1111',
      });
    }
    expect(isEasyToGuess('1235')).toBe(false);
    expect(isEasyToGuess('2468')).toBe(false);
  });

  it('refuses what is not 4 to 12 digits', () => {
    expect(newPinProblem('')).toBe('Enter a PIN');
    expect(newPinProblem('258')).toBe('PIN must be between 4 and 12 numbers');
    expect(newPinProblem('2580258025802')).toBe('PIN must be between 4 and 12 numbers');
    expect(newPinProblem('25a0')).toBe('PIN must only include numbers 0 to 9');
    expect(newPinProblem(' 2580')).toBe('PIN must only include numbers 0 to 9');
    expect(newPinProblem('２５８０')).toBe('PIN must only include numbers 0 to 9');
    expect(pinFormatProblem('1111')).toBeNull();
  });

  it('asks for the same PIN twice in the form, with a message per field', () => {
    const problems = (values: { pin: string; confirmPin: string }) =>
      choosePinFormSchema
        .safeParse(values)
        .error?.issues.map((issue) => [issue.path.join('.'), issue.message]) ?? [];
    expect(problems({ pin: '2580', confirmPin: '2580' })).toEqual([]);
    expect(problems({ pin: '', confirmPin: '' })).toEqual([
      ['pin', PIN_MESSAGES.enterNew],
      ['confirmPin', 'Enter the PIN again'],
    ]);
    expect(problems({ pin: '2580', confirmPin: '2581' })).toEqual([
      ['confirmPin', 'The PINs are different. Enter the same PIN twice'],
    ]);
    // A PIN that cannot be used is the one problem: no "different" on top of it.
    expect(problems({ pin: '1234', confirmPin: '2580' })).toEqual([['pin', PIN_MESSAGES.easyToGuess]]);
  });

  it('checks an unlock PIN only for its form, so an easy PIN set elsewhere still unlocks', () => {
    const problem = (pin: string) => unlockFormSchema.safeParse({ pin }).error?.issues[0]?.message ?? null;
    expect(problem('')).toBe('Enter your PIN');
    expect(problem('12')).toBe('PIN must be between 4 and 12 numbers');
    expect(problem('12ab')).toBe('PIN must only include numbers 0 to 9');
    expect(problem('1111')).toBeNull();
  });
});

describe('wrong PINs', () => {
  it('lock out at the fifth in a row', () => {
    expect(MAX_PIN_ATTEMPTS).toBe(5);
    let failed = 0;
    const seen: [number, boolean, number][] = [];
    for (let attempt = 1; attempt <= MAX_PIN_ATTEMPTS; attempt += 1) {
      const next = afterWrongPin(failed);
      failed = next.failedAttempts;
      seen.push([failed, next.lockedOut, attemptsLeft(failed)]);
    }
    expect(seen).toEqual([
      [1, false, 4],
      [2, false, 3],
      [3, false, 2],
      [4, false, 1],
      [5, true, 0],
    ]);
    expect(attemptsLeft(9)).toBe(0);
  });

  it('say how many tries are left', () => {
    expect(wrongPinMessage(4)).toBe('The PIN is not right. You have 4 more tries');
    expect(wrongPinMessage(1)).toBe('The PIN is not right. You have 1 more try');
  });
});

describe('lock after', () => {
  it('is 5 minutes unless set to a whole number from 1 to 60', () => {
    expect(DEFAULT_LOCK_AFTER_MINUTES).toBe(5);
    expect(lockAfterMinutesFrom(undefined)).toBe(5);
    expect(lockAfterMinutesFrom(1)).toBe(1);
    expect(lockAfterMinutesFrom(60)).toBe(60);
    for (const stored of [0, 61, 2.5, '10', null, -1, Number.NaN])
      expect(lockAfterMinutesFrom(stored)).toBe(5);
  });

  it('is typed as whole minutes from 1 to 60', () => {
    const parse = (typed: string) => lockAfterFormSchema.safeParse({ lockAfterMinutes: typed });
    expect(parse(' 1 ').data).toEqual({ lockAfterMinutes: 1 });
    expect(parse('60').data).toEqual({ lockAfterMinutes: 60 });
    expect(parse('').error?.issues[0]?.message).toBe('Enter how many minutes');
    expect(parse('0').error?.issues[0]?.message).toBe('Lock after must be between 1 and 60 minutes');
    expect(parse('61').error?.issues[0]?.message).toBe('Lock after must be between 1 and 60 minutes');
    expect(parse('2.5').error?.issues[0]?.message).toBe(
      'Lock after must be a whole number of minutes, like 5',
    );
    expect(parse('five').error?.issues[0]?.message).toBe(
      'Lock after must be a whole number of minutes, like 5',
    );
  });
});

describe('which screen shows', () => {
  const user = { id: 'u-1' };
  const facts = (overrides: Partial<LockFacts>): LockFacts => ({
    signedInUser: user,
    pinSetForUser: true,
    lockedOut: false,
    unlocked: false,
    ...overrides,
  });

  it('leaves the app as it was when no one is signed in, whatever else is true', () => {
    for (const pinSetForUser of [true, false]) {
      for (const lockedOut of [true, false]) {
        for (const unlocked of [true, false]) {
          expect(lockScreenFor({ signedInUser: null, pinSetForUser, lockedOut, unlocked })).toBe('no-user');
        }
      }
    }
  });

  it('asks for a PIN to be chosen, then for the PIN, and opens once unlocked', () => {
    const cases: [Partial<LockFacts>, LockScreen][] = [
      [{ pinSetForUser: false }, 'choose-pin'],
      [{ pinSetForUser: false, unlocked: true }, 'choose-pin'],
      [{}, 'unlock'],
      [{ unlocked: true }, 'open'],
      [{ lockedOut: true }, 'locked-out'],
      // Locked out in another tab while this one was open: locked out here too.
      [{ lockedOut: true, unlocked: true }, 'locked-out'],
    ];
    for (const [overrides, screen] of cases)
      expect({ overrides, screen: lockScreenFor(facts(overrides)) }).toEqual({ overrides, screen });
  });

  it('shows the app itself only when open or no one is signed in', () => {
    expect(isAppOpen('open')).toBe(true);
    expect(isAppOpen('no-user')).toBe(true);
    for (const screen of ['choose-pin', 'unlock', 'locked-out'] as const)
      expect(isAppOpen(screen)).toBe(false);
  });

  it('keeps sign-in, set-up and invitations reachable while locked, and nothing else', () => {
    for (const path of ['/sign-in', '/sign-in/', '/setup', '/invite/ABCD-EFGH-JKLM']) {
      expect({ path, reachable: isReachableWhileLocked(path) }).toEqual({ path, reachable: true });
    }
    for (const path of [
      '/',
      '/learners',
      '/sync',
      '/settings',
      '/invite',
      '/invite/a/b',
      '/sign-in-else',
      '/people',
    ]) {
      expect({ path, reachable: isReachableWhileLocked(path) }).toEqual({ path, reachable: false });
    }
    expect(isLockScreenShown('unlock', '/learners/abc')).toBe(true);
    expect(isLockScreenShown('unlock', '/sign-in')).toBe(false);
    expect(isLockScreenShown('locked-out', '/')).toBe(true);
    expect(isLockScreenShown('open', '/learners/abc')).toBe(false);
    expect(isLockScreenShown('no-user', '/learners/abc')).toBe(false);
  });
});
