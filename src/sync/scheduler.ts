// When sync runs: at start, when the browser comes back online, on "Sync now", on a timer (backing
// off exponentially with jitter after failures), when the tab unlocks after a run that could only
// push, and through Background Sync where the browser has it. Clock, timers and randomness are
// injected so tests can play out a day of failures instantly.
import type { SyncApi } from '../api/syncApi';
import type { OutreachDatabase } from '../db/database';
import { type LockRunner, type SyncOptions, type SyncOutcome, syncOnce } from './syncOnce';

/** The Background Sync tag the service worker answers with a sync run. */
export const BACKGROUND_SYNC_TAG = 'outreach-sync';

/** First retry after a failure; doubles each time up to the cap. */
export const BACKOFF_BASE_MS = 5_000;
export const BACKOFF_CAP_MS = 10 * 60 * 1000;
/** How soon after a local save its changes are pushed (saves close together go in one push). */
export const AFTER_SAVE_DELAY_MS = 3_000;
/** How often a healthy, signed-in device looks for changes from others. */
export const HEALTHY_INTERVAL_MS = 2 * 60 * 1000;

/**
 * Delay before the retry after `failures` failures in a row (1, 2, 3 …): 5 s, 10 s, 20 s … capped at
 * 10 minutes, each spread over its upper half by `random` so tablets do not retry in step.
 */
export function backoffDelay(failures: number, random: () => number): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

export type SyncEnvironment = {
  random?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Subscribes to the browser coming back online; returns the unsubscribe. */
  onOnline?: (listener: () => void) => () => void;
  /** Subscribes to local saves (new outbox changes); returns the unsubscribe. */
  onLocalChange?: (listener: () => void) => () => void;
  /**
   * Subscribes to this tab coming to hold the data key (unlocked); returns the unsubscribe. A run
   * that could only push because the tab was locked is followed by a full one as soon as it unlocks.
   */
  onUnlock?: (listener: () => void) => () => void;
  runExclusive?: LockRunner;
  now?: () => Date;
  pageSize?: number;
  /** Asks the service worker to sync when a connection returns (Background Sync), where available. */
  requestBackgroundSync?: () => Promise<void>;
  /** The server wants a newer app: look for a new service worker, so the update prompt appears. */
  onUpdateRequired?: () => void;
  /** Each finished run, for tests and logs. */
  onOutcome?: (outcome: SyncOutcome) => void;
  healthyIntervalMs?: number;
};

export type SyncScheduler = {
  /** Runs now (or right after the run in progress) and resolves with its outcome. */
  syncNow(): Promise<SyncOutcome>;
  /** The delay of the timer set after the last run, null when none is set. */
  nextDelayMs(): number | null;
  stop(): void;
};

function browserOnline(listener: () => void): () => void {
  if (typeof window === 'undefined') return () => undefined;
  window.addEventListener('online', listener);
  return () => window.removeEventListener('online', listener);
}

export function startSync(db: OutreachDatabase, api: SyncApi, env: SyncEnvironment = {}): SyncScheduler {
  const random = env.random ?? Math.random;
  const setTimer = env.setTimer ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  const clearTimer =
    env.clearTimer ?? ((handle: unknown) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const healthyInterval = env.healthyIntervalMs ?? HEALTHY_INTERVAL_MS;
  let failures = 0;
  let timer: unknown = null;
  let delay: number | null = null;
  let stopped = false;
  let running: Promise<SyncOutcome> | null = null;
  let again = false;
  let verifyNext = true;
  /** The last run pushed but did not pull (the tab was locked): pull when it unlocks. */
  let pullOwed = false;
  /** The tab unlocked while a run was going on (that run may have found it still locked). */
  let unlockedDuringRun = false;

  const schedule = (ms: number | null) => {
    if (timer !== null) clearTimer(timer);
    timer = null;
    delay = ms;
    if (ms !== null && !stopped) timer = setTimer(() => void run(), ms);
  };

  const afterRun = (outcome: SyncOutcome) => {
    env.onOutcome?.(outcome);
    switch (outcome.kind) {
      case 'synced':
        failures = 0;
        schedule(healthyInterval);
        return;
      case 'signed-out':
      case 'erased':
        // Nothing to do until someone signs in (sign-in calls syncNow).
        failures = 0;
        schedule(null);
        return;
      case 'failed':
        failures += 1;
        if (outcome.failure.kind === 'update-required') env.onUpdateRequired?.();
        if (outcome.failure.kind === 'not-signed-in') {
          schedule(null);
          return;
        }
        if (outcome.failure.kind === 'offline' || outcome.failure.kind === 'server-error') {
          void env.requestBackgroundSync?.().catch(() => undefined);
        }
        schedule(backoffDelay(failures, random));
        return;
    }
  };

  const run = (): Promise<SyncOutcome> => {
    if (running) {
      again = true;
      return running;
    }
    schedule(null);
    const options: SyncOptions = {
      runExclusive: env.runExclusive,
      now: env.now,
      pageSize: env.pageSize,
      verify: verifyNext,
    };
    verifyNext = false;
    unlockedDuringRun = false;
    running = syncOnce(db, api, options)
      .catch((error: unknown): SyncOutcome => ({
        kind: 'failed',
        failure: {
          kind: 'device-error',
          status: null,
          reason: null,
          message: error instanceof Error ? error.message : String(error),
          details: {},
        },
      }))
      .then((outcome) => {
        running = null;
        pullOwed = outcome.kind === 'synced' && outcome.summary.pushedOnlyWhileLocked === true;
        // The checksum comparison this run was to make is owed too.
        if (pullOwed && options.verify) verifyNext = true;
        if (!stopped) afterRun(outcome);
        if (pullOwed && unlockedDuringRun) again = true;
        if (again && !stopped) {
          again = false;
          void run();
        }
        return outcome;
      });
    return running;
  };

  const unsubscribeOnline = (env.onOnline ?? browserOnline)(() => {
    failures = 0;
    void run();
  });
  // A save is pushed soon, unless sync is backing off after failures (then it waits its turn).
  const unsubscribeLocal =
    env.onLocalChange?.(() => {
      if (stopped || failures > 0) return;
      if (running) {
        again = true;
        return;
      }
      if (delay === null || delay > AFTER_SAVE_DELAY_MS) schedule(AFTER_SAVE_DELAY_MS);
    }) ?? (() => undefined);
  const unsubscribeUnlock =
    env.onUnlock?.(() => {
      if (stopped) return;
      if (running) {
        unlockedDuringRun = true;
        return;
      }
      if (!pullOwed) return;
      pullOwed = false;
      void run();
    }) ?? (() => undefined);
  void run();

  return {
    syncNow: () => {
      failures = 0;
      verifyNext = true;
      return run();
    },
    nextDelayMs: () => delay,
    stop: () => {
      stopped = true;
      schedule(null);
      unsubscribeOnline();
      unsubscribeLocal();
      unsubscribeUnlock();
    },
  };
}
