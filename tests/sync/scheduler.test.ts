// When sync runs: the backoff schedule after failures (exponential, jittered, capped), a success
// resetting it, coming online, "Sync now", the update check when the server wants a newer app, and
// the pull a locked tab skipped, made as soon as it unlocks.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiFailure, ApiResult, SyncApi } from '../../src/api/syncApi';
import { toBase64 } from '../../src/crypto/keys';
import type { OutreachDatabase, VaultRow } from '../../src/db/database';
import { getSyncState, recordSignedIn } from '../../src/db/syncState';
import type { SyncFailureKind } from '../../src/domain/sync/status';
import {
  AFTER_SAVE_DELAY_MS,
  BACKOFF_BASE_MS,
  BACKOFF_CAP_MS,
  HEALTHY_INTERVAL_MS,
  backoffDelay,
  startSync,
} from '../../src/sync/scheduler';
import type { SyncOutcome } from '../../src/sync/syncOnce';
import { discardTestDatabase, openTestDatabase } from '../fixtures/db';
import { runDirectly } from './harness';

const USER = {
  id: '00000000-0000-4000-8000-000000000001',
  name: 'Sam Tutor',
  email: 'sam@example.org',
  role: 'tutor',
  organisationId: '00000000-0000-4000-8000-000000000002',
  organisationName: 'Bootle',
};

function failureOf(kind: SyncFailureKind, status: number | null = null): ApiFailure {
  return { kind, status, reason: null, message: `failed: ${kind}`, details: {} };
}

/** An API whose every call answers as `answer()` says at that moment. */
function stubApi(answer: () => ApiResult<unknown>): SyncApi {
  const call = async () => answer() as never;
  return {
    setupNeeded: call,
    setUp: call,
    signIn: call,
    signOut: call,
    me: call,
    registerDevice: async () => {
      const result = answer();
      return result.ok ? { ok: true, value: '00000000-0000-4000-8000-00000000000d' } : result;
    },
    push: call,
    reportErased: call,
    // No key to seal with: the outbox stays as it is, which these tests are not about.
    sealingKey: async () => ({ ok: false, failure: failureOf('offline') }),
    pull: async () => {
      const result = answer();
      return result.ok ? { ok: true, value: { records: [], cursor: 0, hasMore: false, scope: '' } } : result;
    },
    checksums: async () => {
      const result = answer();
      return result.ok ? { ok: true, value: { cursor: 0, tables: {} } } : result;
    },
  };
}

describe('backoffDelay', () => {
  it('doubles from 5 seconds to a 10 minute cap, spread over the upper half of each step', () => {
    const highest = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((failures) => backoffDelay(failures, () => 1));
    expect(highest).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000,
    ]);
    expect(backoffDelay(1, () => 0)).toBe(BACKOFF_BASE_MS / 2);
    expect(backoffDelay(50, () => 0)).toBe(BACKOFF_CAP_MS / 2);
    expect(backoffDelay(3, () => 0.5)).toBe(15_000);
  });
});

describe('startSync', () => {
  let db: OutreachDatabase;
  beforeEach(() => {
    db = openTestDatabase();
  });
  afterEach(async () => {
    await discardTestDatabase(db);
  });

  /** A scheduler with its timers, online event and outcomes in the test's hands. */
  function schedule(
    api: SyncApi,
    extra: { onUpdateRequired?: () => void; onUnlock?: (listener: () => void) => () => void } = {},
  ) {
    const timers: { run: () => void; ms: number; cleared: boolean }[] = [];
    const outcomes: SyncOutcome[] = [];
    const waiters: (() => void)[] = [];
    let goOnline: () => void = () => undefined;
    let saved: () => void = () => undefined;
    const scheduler = startSync(db, api, {
      random: () => 1,
      setTimer: (run, ms) => {
        const timer = { run, ms, cleared: false };
        timers.push(timer);
        return timer;
      },
      clearTimer: (handle) => {
        (handle as { cleared: boolean }).cleared = true;
      },
      onOnline: (listener) => {
        goOnline = listener;
        return () => undefined;
      },
      onLocalChange: (listener) => {
        saved = listener;
        return () => undefined;
      },
      runExclusive: runDirectly,
      onOutcome: (outcome) => {
        outcomes.push(outcome);
        waiters.splice(0).forEach((wake) => wake());
      },
      ...extra,
    });
    const nextOutcome = () => new Promise<void>((resolve) => waiters.push(resolve));
    /** Fires the pending timer and waits for the run it starts. */
    const fireTimer = async () => {
      const timer = timers.filter((candidate) => !candidate.cleared).at(-1);
      if (!timer) throw new Error('No timer set');
      timer.cleared = true;
      const done = nextOutcome();
      timer.run();
      await done;
    };
    return {
      scheduler,
      timers,
      outcomes,
      nextOutcome,
      fireTimer,
      online: () => goOnline(),
      save: () => saved(),
    };
  }

  it('backs off after each failure, resets after a success, and retries at once when back online', async () => {
    await recordSignedIn(db, USER);
    let answer: ApiResult<unknown> = { ok: false, failure: failureOf('offline') };
    const { scheduler, outcomes, nextOutcome, fireTimer, online } = schedule(stubApi(() => answer));
    await nextOutcome();
    const delays = [scheduler.nextDelayMs()];
    for (let run = 0; run < 9; run += 1) {
      await fireTimer();
      delays.push(scheduler.nextDelayMs());
    }
    expect(delays).toEqual([
      5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000,
    ]);
    expect((await getSyncState(db)).status).toBe('failed');
    expect((await getSyncState(db)).lastFailure?.message).toBe('failed: offline');

    // Back online: a run straight away, and after its success the healthy interval.
    answer = { ok: true, value: null };
    const done = nextOutcome();
    online();
    await done;
    expect(outcomes.at(-1)?.kind).toBe('synced');
    expect(scheduler.nextDelayMs()).toBe(HEALTHY_INTERVAL_MS);
    expect((await getSyncState(db)).status).toBe('up-to-date');

    // A new failure starts the schedule from the beginning again.
    answer = { ok: false, failure: failureOf('server-error', 503) };
    await fireTimer();
    expect(scheduler.nextDelayMs()).toBe(5_000);
    scheduler.stop();
  });

  it('pushes a save within seconds when healthy, but not ahead of the backoff after failures', async () => {
    await recordSignedIn(db, USER);
    let answer: ApiResult<unknown> = { ok: true, value: null };
    const { scheduler, nextOutcome, fireTimer, save } = schedule(stubApi(() => answer));
    await nextOutcome();
    expect(scheduler.nextDelayMs()).toBe(HEALTHY_INTERVAL_MS);
    save();
    expect(scheduler.nextDelayMs()).toBe(AFTER_SAVE_DELAY_MS);

    answer = { ok: false, failure: failureOf('offline') };
    await fireTimer();
    expect(scheduler.nextDelayMs()).toBe(BACKOFF_BASE_MS);
    save();
    expect(scheduler.nextDelayMs()).toBe(BACKOFF_BASE_MS);
    scheduler.stop();
  });

  it('makes no requests and sets no timer while signed out, until "Sync now" after a sign-in', async () => {
    let calls = 0;
    const { scheduler, nextOutcome, outcomes } = schedule(
      stubApi(() => {
        calls += 1;
        return { ok: true, value: null };
      }),
    );
    await nextOutcome();
    expect(outcomes).toEqual([{ kind: 'signed-out' }]);
    expect(scheduler.nextDelayMs()).toBeNull();
    expect(calls).toBe(0);

    await recordSignedIn(db, USER);
    const outcome = await scheduler.syncNow();
    expect(outcome.kind).toBe('synced');
    expect(calls).toBeGreaterThan(0);
    scheduler.stop();
  });

  it('asks for the app update and shows "update-required" when the server says the app is too old', async () => {
    await recordSignedIn(db, USER);
    let updateChecks = 0;
    const { scheduler, nextOutcome } = schedule(
      stubApi(() => ({ ok: false, failure: failureOf('update-required', 426) })),
      { onUpdateRequired: () => (updateChecks += 1) },
    );
    await nextOutcome();
    expect(updateChecks).toBe(1);
    expect((await getSyncState(db)).status).toBe('update-required');
    scheduler.stop();
  });

  it('pulls as soon as the tab unlocks after a run that could only push, checksums included', async () => {
    await recordSignedIn(db, USER);
    // Locked: the data key is wrapped, and this tab holds none.
    const locked: VaultRow = {
      key: 'vault',
      createdAt: '2026-11-23T10:00:00.000Z',
      unprotected: null,
      device: null,
    };
    await db.meta.put(locked);
    const calls: string[] = [];
    const api = stubApi(() => ({ ok: true, value: null }));
    const counted: SyncApi = {
      ...api,
      pull: (...args) => {
        calls.push('pull');
        return api.pull(...args);
      },
      checksums: (...args) => {
        calls.push('checksums');
        return api.checksums(...args);
      },
    };
    let unlocked: () => void = () => undefined;
    const { scheduler, outcomes, nextOutcome } = schedule(counted, {
      onUnlock: (listener) => {
        unlocked = listener;
        return () => undefined;
      },
    });
    await nextOutcome();
    expect(outcomes).toEqual([
      { kind: 'synced', summary: expect.objectContaining({ pushedOnlyWhileLocked: true }) },
    ]);
    expect(calls).toEqual([]);
    expect(scheduler.nextDelayMs()).toBe(HEALTHY_INTERVAL_MS);

    // The PIN opens the key: a full run at once, with the checksum comparison the first run owed.
    await db.meta.put({ ...locked, unprotected: toBase64(crypto.getRandomValues(new Uint8Array(32))) });
    const done = nextOutcome();
    unlocked();
    await done;
    expect(outcomes.at(-1)).toEqual({
      kind: 'synced',
      summary: expect.not.objectContaining({ pushedOnlyWhileLocked: true }),
    });
    expect(calls).toEqual(['pull', 'checksums']);

    // Unlocking again, with nothing owed, starts no run.
    unlocked();
    expect(outcomes).toHaveLength(2);
    scheduler.stop();
  });
});
