// A tab's lock in memory: unlocked for one person at a time, and locked by a message from another
// tab on the app's BroadcastChannel (as "Lock now" or the idle lock there sends it).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  getUnlockedUserId,
  lockAllTabs,
  onActivityInAnotherTab,
  shareActivity,
  subscribeTabLock,
  unlockTab,
} from '../../src/ui/lock/tabLock';

const otherTab = new BroadcastChannel('outreach-lock');

afterEach(() => {
  lockAllTabs();
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

  it('locks every tab: tells the others, and locks when another tab says so', async () => {
    unlockTab('user-aisha');
    const told = nextMessage('lock');
    lockAllTabs();
    expect(getUnlockedUserId()).toBeNull();
    expect(await told).toEqual({ type: 'lock' });

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
