// The tablet's lock on fake-indexeddb with the real key derivation: choosing a PIN, wrong PINs
// counted to a lockout at the fifth, an online sign-in clearing it, two people with a PIN each, and
// the idle time kept in the settings row beside the tutor's name.
import { beforeEach, describe, expect, it } from 'vitest';
import type { OutreachDatabase } from '../../src/db/database';
import {
  type PinCheck,
  checkPin,
  choosePin,
  getDevicePin,
  listDevicePins,
  readDeviceLockState,
  recordOnlineSignIn,
} from '../../src/db/deviceLock';
import { isStoreError } from '../../src/db/errors';
import { getLockAfterMinutes, getTutorName, setLockAfterMinutes, setTutorName } from '../../src/db/settings';
import { getSyncState, recordSignedOut } from '../../src/db/syncState';
import { AISHA, GARETH, useTestDatabaseAt } from '../fixtures/db';

const T0 = new Date('2026-11-23T10:00:00.000Z');
const testDatabase = useTestDatabaseAt(T0);
let db: OutreachDatabase;

beforeEach(() => {
  db = testDatabase();
});

const kinds = (checks: PinCheck[]) =>
  checks.map((check) => (check.kind === 'wrong' ? `wrong, ${check.attemptsLeft} left` : check.kind));

async function wrongPins(userId: string, count: number): Promise<PinCheck[]> {
  const results: PinCheck[] = [];
  for (let attempt = 0; attempt < count; attempt += 1) results.push(await checkPin(db, userId, '9999'));
  return results;
}

describe('choosing a PIN', () => {
  it('asks the signed-in person for one, and stores a salt and verifier, never the PIN', async () => {
    expect(await readDeviceLockState(db)).toEqual({
      user: null,
      pinSet: false,
      lockedOut: false,
      failedAttempts: 0,
    });
    await recordOnlineSignIn(db, AISHA);
    expect(await readDeviceLockState(db)).toMatchObject({ user: AISHA, pinSet: false });

    await choosePin(db, AISHA, '2580');

    const row = await getDevicePin(db, AISHA.id);
    expect(row).toMatchObject({
      userId: AISHA.id,
      name: 'Aisha Rahman',
      role: 'tutor',
      iterations: 600_000,
      failedAttempts: 0,
      lockedOutAt: null,
    });
    expect(JSON.stringify(row)).not.toContain('2580');
    expect(await readDeviceLockState(db)).toEqual({
      user: AISHA,
      pinSet: true,
      lockedOut: false,
      failedAttempts: 0,
    });
  });

  it('refuses a PIN that is easy to guess, and stores nothing', async () => {
    const refused = await choosePin(db, AISHA, '1234').catch((error: unknown) => error);
    expect(isStoreError(refused, 'invalid-record')).toBe(true);
    expect((refused as Error).message).toBe('Choose a PIN that is not easy to guess, like 1234 or 1111');
    expect(await getDevicePin(db, AISHA.id)).toBeUndefined();
  });
});

describe('unlocking with the PIN', () => {
  beforeEach(async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
  });

  it('opens with the right PIN and says how many tries are left after a wrong one', async () => {
    const right = await checkPin(db, AISHA.id, '2580');
    expect(right.kind).toBe('right');
    expect(kinds(await wrongPins(AISHA.id, 2))).toEqual(['wrong, 4 left', 'wrong, 3 left']);
    expect((await getDevicePin(db, AISHA.id))?.failedAttempts).toBe(2);
    expect((await readDeviceLockState(db)).failedAttempts).toBe(2);

    // The right PIN starts the count again.
    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('right');
    expect((await getDevicePin(db, AISHA.id))?.failedAttempts).toBe(0);
    expect(kinds(await wrongPins(AISHA.id, 1))).toEqual(['wrong, 4 left']);
  });

  it('locks out at the fifth wrong PIN in a row; then even the right PIN does not open', async () => {
    const at = '2026-11-23T10:05:00.000Z';
    const results: PinCheck[] = [];
    for (let attempt = 0; attempt < 5; attempt += 1) results.push(await checkPin(db, AISHA.id, '0000', at));
    expect(kinds(results)).toEqual([
      'wrong, 4 left',
      'wrong, 3 left',
      'wrong, 2 left',
      'wrong, 1 left',
      'locked-out',
    ]);
    expect(await getDevicePin(db, AISHA.id)).toMatchObject({ failedAttempts: 5, lockedOutAt: at });
    expect(await readDeviceLockState(db)).toMatchObject({ pinSet: true, lockedOut: true });

    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('locked-out');
    expect(await getDevicePin(db, AISHA.id)).toMatchObject({ failedAttempts: 5, lockedOutAt: at });
  });

  it('counts wrong PINs typed in two tabs at once, each of them', async () => {
    const results = await Promise.all([checkPin(db, AISHA.id, '1111'), checkPin(db, AISHA.id, '2222')]);
    expect(kinds(results).sort()).toEqual(['wrong, 3 left', 'wrong, 4 left']);
    expect((await getDevicePin(db, AISHA.id))?.failedAttempts).toBe(2);
  });

  it('says when there is no PIN to check', async () => {
    expect((await checkPin(db, GARETH.id, '2580')).kind).toBe('no-pin');
  });
});

describe('an online sign-in', () => {
  it('clears a lockout: the PIN is removed and a new one is chosen', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await wrongPins(AISHA.id, 5);
    expect(await readDeviceLockState(db)).toMatchObject({ lockedOut: true });

    await recordOnlineSignIn(db, AISHA);

    expect(await getDevicePin(db, AISHA.id)).toBeUndefined();
    expect(await readDeviceLockState(db)).toEqual({
      user: AISHA,
      pinSet: false,
      lockedOut: false,
      failedAttempts: 0,
    });
    await choosePin(db, AISHA, '739164');
    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('wrong');
    expect((await checkPin(db, AISHA.id, '739164')).kind).toBe('right');
  });

  it('keeps a PIN that is not locked out, forgets its wrong tries and takes the new name and role', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await wrongPins(AISHA.id, 3);
    const before = await getDevicePin(db, AISHA.id);

    await recordOnlineSignIn(db, { ...AISHA, name: 'Aisha Khan', role: 'coordinator' });

    expect(await getDevicePin(db, AISHA.id)).toEqual({
      ...before,
      name: 'Aisha Khan',
      role: 'coordinator',
      failedAttempts: 0,
    });
    expect((await getSyncState(db)).user?.name).toBe('Aisha Khan');
    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('right');
  });

  it('keeps the tablet locked to its PIN holder when no one is signed in, and the PIN for the next sign-in', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await recordSignedOut(db);
    expect(await readDeviceLockState(db)).toMatchObject({
      user: { id: AISHA.id },
      pinSet: true,
      lockedOut: false,
    });
    await recordOnlineSignIn(db, AISHA);
    expect(await readDeviceLockState(db)).toMatchObject({ user: AISHA, pinSet: true });
  });
});

describe('two tutors on one tablet', () => {
  it('each have their own PIN, tries and lockout; the lock is for whoever signed in last', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await recordOnlineSignIn(db, GARETH);
    expect(await readDeviceLockState(db)).toMatchObject({ user: GARETH, pinSet: false });
    await choosePin(db, GARETH, '4711');

    expect((await listDevicePins(db)).map((row) => [row.userId, row.name]).sort()).toEqual([
      [AISHA.id, 'Aisha Rahman'],
      [GARETH.id, 'Gareth Ashworth'],
    ]);
    const [aishaRow, garethRow] = [await getDevicePin(db, AISHA.id), await getDevicePin(db, GARETH.id)];
    expect(aishaRow?.salt).not.toBe(garethRow?.salt);

    // One's PIN does not open the other's.
    expect((await checkPin(db, GARETH.id, '2580')).kind).toBe('wrong');
    expect((await checkPin(db, AISHA.id, '4711')).kind).toBe('wrong');
    expect((await checkPin(db, GARETH.id, '4711')).kind).toBe('right');
    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('right');

    // Gareth locked out: Aisha is not.
    await wrongPins(GARETH.id, 5);
    expect(await readDeviceLockState(db)).toMatchObject({ user: GARETH, lockedOut: true });
    await recordOnlineSignIn(db, AISHA);
    expect(await readDeviceLockState(db)).toMatchObject({ user: AISHA, pinSet: true, lockedOut: false });
    expect((await checkPin(db, AISHA.id, '2580')).kind).toBe('right');
    expect(await getDevicePin(db, GARETH.id)).toMatchObject({ failedAttempts: 5 });
  });
});

describe('the idle time setting', () => {
  it('is 5 minutes until set, and is kept beside the tutor’s name', async () => {
    expect(await getLockAfterMinutes(db)).toBe(5);
    await setTutorName(db, 'Ann Tutor');
    await setLockAfterMinutes(db, 1);
    await setTutorName(db, 'Ann Tutor-Jones');
    expect(await getLockAfterMinutes(db)).toBe(1);
    expect(await getTutorName(db)).toBe('Ann Tutor-Jones');
    expect(await db.meta.get('settings')).toEqual({
      key: 'settings',
      tutorName: 'Ann Tutor-Jones',
      lockAfterMinutes: 1,
    });
  });

  it('refuses a time outside 1 to 60 minutes', async () => {
    await expect(setLockAfterMinutes(db, 0)).rejects.toThrow(RangeError);
    await expect(setLockAfterMinutes(db, 61)).rejects.toThrow(RangeError);
    await setLockAfterMinutes(db, 60);
    expect(await getLockAfterMinutes(db)).toBe(60);
  });
});

describe('signed out', () => {
  it('stays locked to the last person who signed in, with their PIN and lockout', async () => {
    await recordOnlineSignIn(db, AISHA);
    await choosePin(db, AISHA, '2580');
    await recordOnlineSignIn(db, GARETH);
    await choosePin(db, GARETH, '3691');
    // Gareth signs out (or the server ends his session): the tablet still holds what he synced.
    await recordSignedOut(db);
    expect(await readDeviceLockState(db)).toMatchObject({
      user: { id: GARETH.id, name: GARETH.name },
      pinSet: true,
      lockedOut: false,
    });
    await wrongPins(GARETH.id, 5);
    expect(await readDeviceLockState(db)).toMatchObject({ user: { id: GARETH.id }, lockedOut: true });
  });
});
