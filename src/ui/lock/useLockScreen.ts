import { useLiveQuery } from 'dexie-react-hooks';
import { useSyncExternalStore } from 'react';
import { type DeviceLockState, readDeviceLockState } from '../../db/deviceLock';
import { db } from '../../db/instance';
import { type LockScreen, lockScreenFor } from '../../domain/deviceLock';
import { getUnlockedUserId, subscribeTabLock } from './tabLock';

export type LockView = DeviceLockState & { screen: LockScreen };

/**
 * What the tablet's lock shows in this tab: the device's side live from IndexedDB (who is signed in,
 * their PIN, wrong tries, lockout), this tab's side from memory (unlocked, and for whom). undefined
 * until the first read: nothing of the app shows before the lock is known.
 */
export function useLockScreen(): LockView | undefined {
  const state = useLiveQuery(() => readDeviceLockState(db), []);
  const unlockedFor = useSyncExternalStore(subscribeTabLock, getUnlockedUserId);
  if (state === undefined) return undefined;
  const screen = lockScreenFor({
    signedInUser: state.user,
    pinSetForUser: state.pinSet,
    lockedOut: state.lockedOut,
    unlocked: state.user !== null && unlockedFor === state.user.id,
  });
  return { ...state, screen };
}
