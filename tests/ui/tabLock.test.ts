// A tab's lock in memory: unlocked for one person at a time, only while it holds the data key, and
// locked by a message from another tab on the app's BroadcastChannel (as "Lock now" or the idle lock
// there sends it); every lock forgets the key, and the key forgotten (an erasure) locks the tab.
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eraseDeviceData } from '../../src/db/erase';
import { db } from '../../src/db/instance';
import { holdsDataKey, openDataKeys } from '../../src/db/vault';
import {
  TabLockError,
  getUnlockedUserId,
  lockAllTabs,
  onActivityInAnotherTab,
  shareActivity,
  subscribeTabLock,
  unlockTab,
} from '../../src/ui/lock/tabLock';

const otherTab = new BroadcastChannel('outreach-lock');

// No one has a PIN in this database: the key is the unprotected one, which openDataKeys holds.
beforeEach(async () => {
  expect(await openDataKeys(db)).not.toBeNull();
});

afterEach(() => {
  lockAllTabs();
});

afterAll(async () => {
  await db.delete();
});

/** The next message of this type the other tab hears (the afterEach's own "lock" may come first). */
function nextMessage(type: string): Promise<unknown> {
  return new Promise((resolve) => {
    const listen = (event: MessageEvent<{ type: string }>) => {
      if (event.data.type !== type) return;
      otherTab.removeEventListener('message', listen);
      resolve(event.data);
    };
    otherTab.addEventListener('message', listen);
  });
}

describe('this tab’s lock', () => {
  it('starts locked, unlocks for one person, and tells its listeners', () => {
    expect(getUnlockedUserId()).toBeNull();
    const listener = vi.fn();
    const unsubscribe = subscribeTabLock(listener);
    unlockTab('user-aisha');
    expect(getUnlockedUserId()).toBe('user-aisha');
    // Someone else signing in opens the tab for them, and so no longer for the first.
    unlockTab('user-gareth');
    expect(getUnlockedUserId()).toBe('user-gareth');
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
  });

  it('does not open a tab that holds no data key', async () => {
    lockAllTabs();
    expect(holdsDataKey(db)).toBe(false);
    expect(() => unlockTab('user-aisha')).toThrow(TabLockError);
    expect(getUnlockedUserId()).toBeNull();
    await openDataKeys(db);
    unlockTab('user-aisha');
    expect(getUnlockedUserId()).toBe('user-aisha');
  });

  it('locks every tab: tells the others, and locks when another tab says so, forgetting the key', async () => {
    unlockTab('user-aisha');
    const told = nextMessage('lock');
    lockAllTabs();
    expect(getUnlockedUserId()).toBeNull();
    expect(holdsDataKey(db)).toBe(false);
    expect(await told).toEqual({ type: 'lock' });

    await openDataKeys(db);
    unlockTab('user-aisha');
    const locked = new Promise<void>((resolve) => {
      const unsubscribe = subscribeTabLock(() => {
        unsubscribe();
        resolve();
      });
    });
    otherTab.postMessage({ type: 'lock' });
    await locked;
    expect(getUnlockedUserId()).toBeNull();
    expect(holdsDataKey(db)).toBe(false);
  });

  it('locks when the device is erased (the key is forgotten there)', async () => {
    unlockTab('user-aisha');
    await eraseDeviceData(db, 'handed-back', '2026-11-23T10:00:00.000Z');
    expect(holdsDataKey(db)).toBe(false);
    expect(getUnlockedUserId()).toBeNull();
  });

  it('shares activity with the other tabs at most every few seconds, and hears theirs', async () => {
    const told = nextMessage('activity');
    shareActivity(1_000_000);
    expect(await told).toEqual({ type: 'activity' });
    const again = vi.fn((event: MessageEvent<{ type: string }>) => event.data.type === 'activity');
    otherTab.addEventListener('message', again);
    shareActivity(1_001_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(again.mock.results.some((result) => result.value === true)).toBe(false);
    otherTab.removeEventListener('message', again);

    const heard = new Promise<void>((resolve) => {
      const stop = onActivityInAnotherTab(() => {
        stop();
        resolve();
      });
    });
    otherTab.postMessage({ type: 'activity' });
    await heard;
  });
});
