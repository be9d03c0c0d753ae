import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useSyncExternalStore } from 'react';
import { type DeviceLockState, readDeviceLockState } from '../../db/deviceLock';
import { db } from '../../db/instance';
import { type LockScreen, lockScreenFor } from '../../domain/deviceLock';
import { fromFirstScreen } from '../startup/firstScreen';
import { getUnlockedUserId, lockTab, subscribeTabLock } from './tabLock';

export type LockView = DeviceLockState & { screen: LockScreen };

/**
 * What the tablet's lock shows in this tab: the device's side live from IndexedDB (who is signed in,
 * their PIN, wrong tries, lockout), this tab's side from memory (unlocked, and for whom). undefined
 * until the first read (the first render has the one made at start): nothing of the app shows before
 * the lock is known.
 */
export function useLockScreen(): LockView | undefined {
  const state = useLiveQuery(() => readDeviceLockState(db), [], fromFirstScreen('lock'));
  const unlockedFor = useSyncExternalStore(subscribeTabLock, getUnlockedUserId);
  const signedInId = state?.user?.id ?? null;
  useEffect(() => {
    // Someone else signed in (in another tab): the key this tab holds was taken for the one before.
    if (signedInId !== null && unlockedFor !== null && unlockedFor !== signedInId) lockTab();
  }, [signedInId, unlockedFor]);
  if (state === undefined) return undefined;
  const screen = lockScreenFor({
    signedInUser: state.user,
    pinSetForUser: state.pinSet,
    lockedOut: state.lockedOut,
    unlocked: state.user !== null && unlockedFor === state.user.id,
  });
  return { ...state, screen };
}
