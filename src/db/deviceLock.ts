// The tablet's lock as the device keeps it: each person's PIN row (salt, verifier, the device's data
// key wrapped under the PIN's key, wrong tries, lockout), and what an online sign-in does to it. The
// key derivation is slow on purpose, and awaiting WebCrypto inside a Dexie transaction would end the
// transaction, so every check derives first and then writes in one small transaction of its own.
import { makePinVerifier, openPinVerifier } from '../crypto/pin';
import { afterWrongPin, attemptsLeft, newPinProblem } from '../domain/deviceLock';
import type { SignedInUser } from '../domain/sync/status';
import type { DevicePinRow, OutreachDatabase, SyncStateRow, VaultRow } from './database';
import { StoreError, toStoreError } from './errors';
import { getSyncState, recordSignedIn } from './syncState';
import { dropUnprotectedDataKey, wrapDataKeyForPin } from './vault';

/** choosePin in a tab that holds no data key to wrap under the new PIN. */
export const NO_DATA_KEY_FOR_PIN_MESSAGE =
  'This tablet cannot take your PIN yet. Connect to the internet, sign in again with your email address and password, then choose your PIN.';

export async function getDevicePin(db: OutreachDatabase, userId: string): Promise<DevicePinRow | undefined> {
  return db.devicePins.get(userId);
}

/** Everyone with a PIN on this device. */
export async function listDevicePins(db: OutreachDatabase): Promise<DevicePinRow[]> {
  return db.devicePins.toArray();
}

/** What the lock needs to decide the screen: whom the tablet is locked to, and the state of their PIN. */
export type DeviceLockState = {
  /** Who is signed in, or the PIN holder the tablet stays locked to when no one is (see below). */
  user: SignedInUser | null;
  pinSet: boolean;
  lockedOut: boolean;
  /** Wrong PINs in a row so far (0 when none, or no PIN). */
  failedAttempts: number;
};

/**
 * One consistent read of the sync row and the PIN row of the person the tablet is locked to: who is
 * signed in, or, when no one is (signed out, or their session ended on the server), the last person
 * who signed in here, or else anyone with a PIN here. Their records are still on the device, so
 * signing out never opens the tablet.
 */
export async function readDeviceLockState(db: OutreachDatabase): Promise<DeviceLockState> {
  return db.transaction('r', [db.meta, db.devicePins], async () => {
    const state = await getSyncState(db);
    if (state.user) {
      const pin = await db.devicePins.get(state.user.id);
      return {
        user: state.user,
        pinSet: pin !== undefined,
        lockedOut: pin?.lockedOutAt != null,
        failedAttempts: pin?.failedAttempts ?? 0,
      };
    }
    const holder =
      (state.lastUserId ? await db.devicePins.get(state.lastUserId) : undefined) ??
      (await db.devicePins.toCollection().first());
    if (!holder) return { user: null, pinSet: false, lockedOut: false, failedAttempts: 0 };
    // Not signed in: no organisation (the unlock screen says "last signed in").
    return {
      user: {
        id: holder.userId,
        name: holder.name,
        email: '',
        role: holder.role,
        organisationId: '',
        organisationName: null,
      },
      pinSet: true,
      lockedOut: holder.lockedOutAt != null,
      failedAttempts: holder.failedAttempts,
    };
  });
}

/**
 * Sets a person's PIN on this device (after they signed in online, when they have none, or lost it
 * to a lockout). The PIN row holds the device's data key wrapped under the PIN's key, so the data
 * key the tab holds (or, before anyone had a PIN here, the unprotected one) is needed: without it,
 * StoreError('locked') says to sign in online again. Once the row is stored, the unprotected copy of
 * the data key goes. Returns the PIN's key. The PIN must pass newPinProblem: the form checks first.
 */
export async function choosePin(
  db: OutreachDatabase,
  user: Pick<SignedInUser, 'id' | 'name' | 'role'>,
  pin: string,
): Promise<CryptoKey> {
  const problem = newPinProblem(pin);
  if (problem) throw new StoreError('invalid-record', problem);
  const { verifier, key } = await makePinVerifier(pin, user.id);
  try {
    const dataKey = await wrapDataKeyForPin(db, user.id, key);
    if (!dataKey) throw new StoreError('locked', NO_DATA_KEY_FOR_PIN_MESSAGE);
    await db.devicePins.put({
      userId: user.id,
      name: user.name,
      role: user.role,
      ...verifier,
      failedAttempts: 0,
      lockedOutAt: null,
      dataKey,
    });
    await dropUnprotectedDataKey(db);
  } catch (error) {
    throw toStoreError(error);
  }
  return key;
}

export type PinCheck =
  | { kind: 'right'; key: CryptoKey }
  | { kind: 'wrong'; attemptsLeft: number }
  /** Too many wrong PINs, now or before: only an online sign-in opens the tablet. */
  | { kind: 'locked-out' }
  | { kind: 'no-pin' };

/**
 * Checks a PIN typed to unlock. A right one clears the wrong tries; a wrong one counts, and the
 * fifth in a row locks the person out (lockedOutAt) until they sign in online. Once locked out, no
 * PIN is tried, the right one included.
 */
export async function checkPin(
  db: OutreachDatabase,
  userId: string,
  pin: string,
  at: string = new Date().toISOString(),
): Promise<PinCheck> {
  const row = await db.devicePins.get(userId);
  if (!row) return { kind: 'no-pin' };
  if (row.lockedOutAt !== null) return { kind: 'locked-out' };
  const key = await openPinVerifier(pin, userId, row);
  try {
    const outcome = await db.transaction('rw', db.devicePins, async (): Promise<PinCheck | 'changed'> => {
      const current = await db.devicePins.get(userId);
      if (!current) return { kind: 'no-pin' };
      if (current.lockedOutAt !== null) return { kind: 'locked-out' };
      // A new PIN was chosen (in another tab) while this one was being checked: check again.
      if (current.verifier !== row.verifier || current.salt !== row.salt) return 'changed';
      if (key) {
        if (current.failedAttempts !== 0) await db.devicePins.put({ ...current, failedAttempts: 0 });
        return { kind: 'right', key };
      }
      const next = afterWrongPin(current.failedAttempts);
      await db.devicePins.put({
        ...current,
        failedAttempts: next.failedAttempts,
        lockedOutAt: next.lockedOut ? at : null,
      });
      return next.lockedOut
        ? { kind: 'locked-out' }
        : { kind: 'wrong', attemptsLeft: attemptsLeft(next.failedAttempts) };
    });
    return outcome === 'changed' ? checkPin(db, userId, pin, at) : outcome;
  } catch (error) {
    throw toStoreError(error);
  }
}

/**
 * Someone signed in online (sign-in, set-up or an accepted invitation): the device remembers them
 * (recordSignedIn) and, in the same transaction, their PIN row forgets its wrong tries and takes
 * their current name and role. A locked-out PIN is removed, so they choose a new one; so is a PIN
 * from before encryption at rest that can no longer come to wrap the data key (someone else's PIN
 * took the unprotected copy's place), since it would unlock nothing.
 */
export async function recordOnlineSignIn(db: OutreachDatabase, user: SignedInUser): Promise<SyncStateRow> {
  return db.transaction('rw', [db.meta, db.devicePins], async () => {
    const state = await recordSignedIn(db, user);
    const pin = await db.devicePins.get(user.id);
    const vault = (await db.meta.get('vault')) as VaultRow | undefined;
    const opensNothing = pin !== undefined && !pin.dataKey && vault !== undefined && !vault.unprotected;
    if (pin?.lockedOutAt != null || opensNothing) {
      await db.devicePins.delete(user.id);
    } else if (pin) {
      await db.devicePins.put({ ...pin, name: user.name, role: user.role, failedAttempts: 0 });
    }
    return state;
  });
}
