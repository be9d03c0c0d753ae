// Opening this tab with a PIN, as the unlock screen (and the kiosk's hand-back to the tutor) does:
// check the PIN, take the data key from its wrap, and only then open the tab; and choosing a PIN,
// which wraps the data key this tab holds under it before the tab opens.
import { checkPin, choosePin } from '../../db/deviceLock';
import { db } from '../../db/instance';
import { forgetDataKey, openDataKeyWithPin, openDataKeys } from '../../db/vault';
import type { SignedInUser } from '../../domain/sync/status';
import { getUnlockedUserId, unlockTab } from './tabLock';

export type PinUnlock =
  | { kind: 'unlocked' }
  | { kind: 'wrong'; attemptsLeft: number }
  /** Too many wrong PINs, now or before: only an online sign-in opens the tablet. */
  | { kind: 'locked-out' }
  | { kind: 'no-pin' }
  /** The PIN is right but does not open the data key (a PIN from before encryption at rest, say). */
  | { kind: 'no-data-key' };

export const PIN_OPENS_NO_DATA_KEY_MESSAGE =
  'Your PIN is right, but it does not open the records on this tablet. Connect to the internet and sign in with your email address and password.';

/**
 * Checks the PIN typed for `userId` and, when it is right, opens the data key with it and then this
 * tab for them. A wrong PIN counts towards the lockout (checkPin). Throws only what the store throws.
 */
export async function unlockWithPin(userId: string, pin: string): Promise<PinUnlock> {
  const check = await checkPin(db, userId, pin);
  switch (check.kind) {
    case 'right':
      if (!(await openDataKeyWithPin(db, userId, check.key))) return { kind: 'no-data-key' };
      unlockTab(userId);
      return { kind: 'unlocked' };
    case 'wrong':
      return { kind: 'wrong', attemptsLeft: check.attemptsLeft };
    case 'locked-out':
    case 'no-pin':
      return { kind: check.kind };
  }
}

/**
 * Stores the PIN the signed-in person chose, wrapping the data key under it, and opens this tab for
 * them. The key wrapped is the one their online sign-in gave this tab; a tab that was not opened for
 * them that way lets go of any key it holds first, so it can wrap only a key no PIN protects yet (a
 * device where no one has chosen one). Without a key, choosePin refuses with StoreError('locked').
 */
export async function choosePinAndOpen(
  user: Pick<SignedInUser, 'id' | 'name' | 'role'>,
  pin: string,
): Promise<void> {
  if (getUnlockedUserId() !== user.id) {
    forgetDataKey(db);
    // Open before the PIN row is stored, so the unlock screen never shows in between.
    if (await openDataKeys(db)) unlockTab(user.id);
  }
  await choosePin(db, user, pin);
}
