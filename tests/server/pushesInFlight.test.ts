import { describe, expect, it } from 'vitest';
import { PushesInFlight } from '../../src/server/sync/pushesInFlight';

describe("a device's pushes in flight", () => {
  it('makes a push wait for the same device\u2019s earlier pushes only, and says whether there were any', async () => {
    const pushes = new PushesInFlight();
    const first = pushes.start('tablet', 1);
    const other = pushes.start('other tablet', 1);
    const second = pushes.start('tablet', 1001);
    let waited = false;
    const secondWaits = second.earlierDone().then((had) => {
      waited = true;
      return had;
    });
    await Promise.resolve();
    expect(waited).toBe(false);
    // The other tablet's push and the later push itself do not hold it up; the earlier one does.
    expect(await other.earlierDone(0)).toBe(false);
    expect(await first.earlierDone(0)).toBe(false);
    first.finish();
    expect(await secondWaits).toBe(true);
    second.finish();
    other.finish();
    expect(pushes.devices).toBe(0);
  });

  it('waits for an earlier push that arrives after the later one, and only so long for one that never does', async () => {
    const pushes = new PushesInFlight();
    const later = pushes.start('tablet', 1001);
    const waiting = later.earlierDone(10_000);
    const earlier = pushes.start('tablet', 1);
    let done = false;
    void waiting.then(() => {
      done = true;
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(done).toBe(false);
    earlier.finish();
    expect(await waiting).toBe(true);
    // Nothing earlier comes: it goes after the wait it was given.
    expect(await later.earlierDone(5)).toBe(false);
    later.finish();
    expect(pushes.devices).toBe(0);
  });

  it('lets a replay of the same changes go without waiting for its twin', async () => {
    const pushes = new PushesInFlight();
    const replay = pushes.start('tablet', 5);
    const same = pushes.start('tablet', 5);
    expect(await same.earlierDone(0)).toBe(false);
    same.finish();
    replay.finish();
    expect(pushes.devices).toBe(0);
  });
});
