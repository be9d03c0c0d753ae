import { describe, expect, it } from 'vitest';
import { arrivalMark, LATE_AFTER_START_MS } from '../../src/domain/attendance';
import type { LockScreen } from '../../src/domain/deviceLock';
import {
  KIOSK_IDLE_MINUTES,
  KIOSK_IDLE_MS,
  KIOSK_MODES,
  KIOSK_SIGNED_IN_MS,
  KIOSK_THANK_YOU_MS,
  kioskScreenFor,
  kioskStartProblem,
  signInMark,
  signInNames,
} from '../../src/domain/kiosk';
import { makeLearner, makeSession } from '../fixtures/records';

const TODAY = '2026-11-30';
const SESSION = makeSession({
  date: TODAY,
  scheduledStart: '2026-11-30T10:00:00.000Z',
  scheduledEnd: '2026-11-30T12:00:00.000Z',
});

function learner(id: string, givenNames: string, familyName: string, preferredName = '') {
  return makeLearner({ id, givenNames, familyName, preferredName });
}

describe('what a tab shows while the kiosk is on', () => {
  it('shows the learner screen only in a tab that is unlocked', () => {
    expect(kioskScreenFor('open', '/')).toBe('learner');
    expect(kioskScreenFor('open', '/learners')).toBe('learner');
  });

  it('shows the paused screen on every address in a tab that is not unlocked (reload, new tab)', () => {
    for (const path of [
      '/',
      '/learners',
      '/people',
      '/settings',
      '/sync',
      '/sign-in',
      '/setup',
      '/invite/abc',
    ]) {
      expect(kioskScreenFor('unlock', path), path).toBe('paused');
    }
  });

  it('after too many wrong PINs, reaches only the sign-in page, for the tutor to sign in with their password', () => {
    expect(kioskScreenFor('locked-out', '/sign-in')).toBe('sign-in');
    expect(kioskScreenFor('locked-out', '/sign-in/')).toBe('sign-in');
    expect(kioskScreenFor('locked-out', '/setup')).toBe('locked-out');
    expect(kioskScreenFor('locked-out', '/invite/abc')).toBe('locked-out');
    expect(kioskScreenFor('locked-out', '/learners')).toBe('locked-out');
    expect(kioskScreenFor('choose-pin', '/sync')).toBe('choose-pin');
    expect(kioskScreenFor('choose-pin', '/sign-in')).toBe('sign-in');
  });

  it('is not in force on a tablet where no one has a PIN: no one could leave it', () => {
    expect(kioskScreenFor('no-user', '/')).toBeNull();
  });

  it('never shows the idle lock: the learner screen stays while the tablet would otherwise lock', () => {
    const screens: LockScreen[] = ['no-user', 'choose-pin', 'unlock', 'locked-out', 'open'];
    const shown = screens.map((screen) => kioskScreenFor(screen, '/'));
    expect(shown).toEqual([null, 'choose-pin', 'paused', 'locked-out', 'learner']);
  });
});

describe('starting the kiosk', () => {
  it('is offered to someone with a PIN and the app open, for a session today', () => {
    expect(kioskStartProblem({ lock: 'open', session: SESSION, today: TODAY })).toBeNull();
  });

  it('says why not when no one has a PIN here, since leaving needs one', () => {
    expect(kioskStartProblem({ lock: 'no-user', session: SESSION, today: TODAY })).toMatch(/choose a PIN/);
  });

  it('is not offered while locked, for a cancelled session or on another day', () => {
    expect(kioskStartProblem({ lock: 'unlock', session: SESSION, today: TODAY })).toMatch(/Unlock/);
    expect(
      kioskStartProblem({ lock: 'open', session: { ...SESSION, status: 'cancelled' }, today: TODAY }),
    ).toBe('This session was cancelled.');
    expect(kioskStartProblem({ lock: 'open', session: SESSION, today: '2026-12-01' })).toBe(
      'Learners can only use the tablet on the day of the session.',
    );
  });

  it('has the two modes a tutor chooses from', () => {
    expect(KIOSK_MODES.map((mode) => mode.label)).toEqual(['Learner self-enrolment', 'Sign-in sheet']);
  });
});

describe('the kiosk times', () => {
  it('clears an unfinished form after two minutes without use, and the thank-you by itself', () => {
    expect(KIOSK_IDLE_MINUTES).toBe(2);
    expect(KIOSK_IDLE_MS).toBe(120_000);
    expect(KIOSK_THANK_YOU_MS).toBeLessThan(KIOSK_IDLE_MS);
    expect(KIOSK_SIGNED_IN_MS).toBeLessThanOrEqual(KIOSK_THANK_YOU_MS);
  });
});

describe('names on the sign-in sheet', () => {
  it('shows the name a learner goes by and the first letter of the family name, no more', () => {
    const names = signInNames([
      learner('a', 'Grace Abiola', 'Adeyemi'),
      learner('b', 'Siobhán', "O'Neill", 'Shiv'),
      learner('c', 'Kwame', 'Mensah'),
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'Grace A.', b: 'Shiv O.', c: 'Kwame M.' });
  });

  it('adds letters only until two learners who would look the same can be told apart', () => {
    const names = signInNames([
      learner('a', 'John', 'Smith'),
      learner('b', 'john', 'Stone'),
      learner('c', 'John', 'Adams'),
      learner('d', 'Mary', 'Smith'),
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'John Sm.', b: 'john St.', c: 'John A.', d: 'Mary S.' });
  });

  it('shows a whole family name only when nothing shorter tells two learners apart', () => {
    const names = signInNames([
      learner('a', 'Ann', 'Lee'),
      learner('b', 'Ann', 'Leeds'),
      learner('c', 'Ann', 'Lee'),
    ]);
    expect(Object.fromEntries(names)).toEqual({ a: 'Ann Lee', b: 'Ann Leed.', c: 'Ann Lee' });
  });
});

describe('the mark a learner signing in gets', () => {
  it('is present until the grace time after the start has passed, then late', () => {
    const start = Date.parse(SESSION.scheduledStart);
    expect(signInMark(SESSION, undefined, '2026-11-30T09:50:00.000Z')).toBe('P');
    expect(signInMark(SESSION, undefined, new Date(start + LATE_AFTER_START_MS).toISOString())).toBe('P');
    expect(signInMark(SESSION, undefined, new Date(start + LATE_AFTER_START_MS + 1000).toISOString())).toBe(
      'L',
    );
  });

  it('counts from the actual start when the session started late', () => {
    const startedLate = { ...SESSION, actualStart: '2026-11-30T10:30:00.000Z' };
    expect(arrivalMark(startedLate, '2026-11-30T10:40:00.000Z')).toBe('P');
    expect(arrivalMark(SESSION, '2026-11-30T10:40:00.000Z')).toBe('L');
  });

  it('leaves a learner already marked as attending as they are, but marks one marked absent', () => {
    const during = '2026-11-30T10:05:00.000Z';
    expect(signInMark(SESSION, 'P', during)).toBeNull();
    expect(signInMark(SESSION, 'L', during)).toBeNull();
    expect(signInMark(SESSION, 'U', during)).toBe('P');
    expect(signInMark(SESSION, 'AA', during)).toBe('P');
  });
});
