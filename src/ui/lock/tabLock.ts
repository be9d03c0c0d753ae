// Whether this tab is unlocked, and for whom. In memory only: a reload or a new tab starts locked
// (when the signed-in person has a PIN). Locking ("Lock now", the idle lock) locks every open tab
// of the app at once through a BroadcastChannel; unlocking is for this tab only. Activity in one
// tab is shared too, so a tab in the background does not lock the one in use.
// The lock follows the data key (src/db/vault.ts): a tab opens only while it holds the key, and
// whatever locks it (here, or the key forgotten elsewhere, as erasing the device does) makes it
// forget the key.
import { db } from '../../db/instance';
import { forgetDataKey, holdsDataKey, subscribeDataKey } from '../../db/vault';

const CHANNEL_NAME = 'outreach-lock';
/** Activity is told to the other tabs at most this often: enough for a lock counted in minutes. */
const SHARE_ACTIVITY_EVERY_MS = 5_000;

type LockMessage = { type: 'lock' } | { type: 'activity' };

let unlockedFor: string | null = null;
const listeners = new Set<() => void>();
const activityListeners = new Set<() => void>();
let lastShared = -Infinity;

const channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(CHANNEL_NAME);
channel?.addEventListener('message', (event: MessageEvent<LockMessage>) => {
  if (event.data.type === 'lock') setUnlockedFor(null);
  else if (event.data.type === 'activity') for (const listener of activityListeners) listener();
});

/** unlockTab in a tab that does not hold the data key: a bug, since nothing could be read or saved. */
export class TabLockError extends Error {
  readonly code = 'data-key-not-held';
  constructor() {
    super('This tab cannot open before it holds the data key');
    this.name = 'TabLockError';
  }
}

function setUnlockedFor(userId: string | null): void {
  if (userId === null) forgetDataKey(db);
  if (unlockedFor === userId) return;
  unlockedFor = userId;
  for (const listener of listeners) listener();
}

// The key forgotten without a lock here (the device erased): the tab locks too.
subscribeDataKey(() => {
  if (unlockedFor !== null && !holdsDataKey(db)) setUnlockedFor(null);
});

/** The person this tab is unlocked for, or null (locked). */
export function getUnlockedUserId(): string | null {
  return unlockedFor;
}

/** Calls `listener` whenever this tab locks or unlocks. Returns the unsubscribe. */
export function subscribeTabLock(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The right PIN, a new PIN or an online sign-in: this tab opens for this person (and no one else).
 * Only once the tab holds the data key (unlockWithPin, openAfterSignIn and choosePinAndOpen see to
 * it); a TabLockError otherwise.
 */
export function unlockTab(userId: string): void {
  if (!holdsDataKey(db)) throw new TabLockError();
  setUnlockedFor(userId);
}

/** Locks this tab only (an online sign-in starting for someone else); the data key is forgotten. */
export function lockTab(): void {
  setUnlockedFor(null);
}

/** Locks this tab and every other open tab of the app; each forgets the data key. */
export function lockAllTabs(): void {
  setUnlockedFor(null);
  channel?.postMessage({ type: 'lock' } satisfies LockMessage);
}

/** Tells the other tabs that someone is using the app (throttled). */
export function shareActivity(now: number): void {
  if (now - lastShared < SHARE_ACTIVITY_EVERY_MS) return;
  lastShared = now;
  channel?.postMessage({ type: 'activity' } satisfies LockMessage);
}

/** Calls `listener` when another tab reports activity. Returns the unsubscribe. */
export function onActivityInAnotherTab(listener: () => void): () => void {
  activityListeners.add(listener);
  return () => activityListeners.delete(listener);
}
