import { recordOnlineSignIn } from '../../db/deviceLock';
import { db } from '../../db/instance';
import type { SignedInUser } from '../../domain/sync/status';
import { useSignInOpening } from '../lock/useSignInOpening';
import { syncNow } from '../sync/appSync';

/**
 * After the server has signed someone in (signing in, setting up, accepting an invitation): the
 * device remembers who, then the tab opens for them (it holds the key to the records and they have
 * chosen a PIN here), then it syncs.
 */
export function useOnlineSignIn() {
  const opening = useSignInOpening();
  /** `notRemembered` runs if this device could not store the sign-in; `opened` once the tab is theirs. */
  const finishSignIn = async (user: SignedInUser, notRemembered: () => void, opened: () => void) => {
    try {
      await recordOnlineSignIn(db, user);
    } catch (error) {
      console.error(error);
      notRemembered();
      return;
    }
    await opening.open(user, () => {
      void syncNow();
      opened();
    });
  };
  return { opening, finishSignIn };
}
