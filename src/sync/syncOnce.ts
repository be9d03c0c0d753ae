// One sync run, as docs/sync-protocol.md's "client's loop": register the device if needed, push the
// outbox in chunks, pull until caught up, then compare checksums and repair a table that differs.
// Runs under a Web Lock so one tab (or the service worker) syncs at a time; errors become status.
import type { ApiFailure, ApiResult, SyncApi } from '../api/syncApi';
import { eraseDeviceData } from '../db/erase';
import { ensureDeviceId, summariseOutbox } from '../db/outbox';
import { CHECKSUMMED_ENTITY_TYPES, applyPulledPage, localChecksums, replaceTable } from '../db/pulls';
import {
  type PendingChange,
  type RejectedResult,
  acknowledgeThrough,
  getSyncState,
  oldestPendingChanges,
  outboxHealth,
  recordSyncFailure,
  recordSyncSuccess,
  updateSyncState,
} from '../db/syncState';
import type { OutreachDatabase, SyncStateRow } from '../db/database';
import {
  type DeviceHealth,
  type Mutation,
  type PulledRecord,
  type SyncedEntityType,
  type TableChecksum,
  MAX_MUTATIONS_PER_PUSH,
  MAX_SEALING_KEYS_PER_PUSH,
} from '../domain/sync/protocol';
import type { SyncFailureKind } from '../domain/sync/status';
import { fieldNamesOf, withinSealingKeyLimit } from '../domain/changeLog';
import { rememberServerSealingKey, sealingKeysFor } from '../db/outboxSealing';
import { sealWaitingChanges } from '../db/sealLegacy';
import { openDataKeys } from '../db/vault';

/** The Web Lock every tab and the service worker take before syncing. */
export const SYNC_LOCK_NAME = 'outreach-sync';

/** Runs a task while holding a named lock (navigator.locks.request's shape). */
export type LockRunner = <T>(name: string, task: () => Promise<T>) => Promise<T>;

export type SyncOptions = {
  /** Defaults to navigator.locks where the platform has it, else runs the task directly. */
  runExclusive?: LockRunner;
  now?: () => Date;
  /** Records per pull request (the server allows 1 to 1000). */
  pageSize?: number;
  /** Mutations per push (the server allows at most 1000). */
  pushChunk?: number;
  /** Compare checksums even when this run moved nothing (first run, "Sync now"). */
  verify?: boolean;
  /** Storage facts for the push's health report. */
  storageHealth?: () => Promise<Pick<DeviceHealth, 'storagePersisted' | 'quotaLeftBytes'>>;
};

export type SyncSummary = {
  pushed: number;
  rejected: number;
  pulled: number;
  repaired: SyncedEntityType[];
  /** What the user may see changed: records may have entered or left it without changing. */
  scopeChanged: boolean;
  /**
   * This tab or worker does not hold the data key (the app is locked): it pushed, sealed as the
   * outbox is, but pulled nothing, since pulled personal fields could not be sealed at rest.
   */
  pushedOnlyWhileLocked?: boolean;
};

export type SyncOutcome =
  | { kind: 'synced'; summary: SyncSummary }
  | { kind: 'signed-out' }
  | { kind: 'failed'; failure: ApiFailure }
  /** The device was reported lost: it pushed what it held, then erased everything. */
  | { kind: 'erased' };

/** Thrown inside a run to stop it with a failure; caught once, in syncOnce. */
class SyncStop extends Error {
  readonly code = 'sync-stop';
  constructor(readonly failure: ApiFailure) {
    super(failure.message);
    this.name = 'SyncStop';
  }
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; failure: ApiFailure }): T {
  if (!result.ok) throw new SyncStop(result.failure);
  return result.value;
}

function localFailure(kind: SyncFailureKind, message: string): ApiFailure {
  return { kind, status: null, reason: null, message, details: {} };
}

export const defaultLockRunner: LockRunner = async (name, task) => {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return task();
  return await locks.request(name, task);
};

/** The wire form of an outbox change: every field stamped with its batch's clock. */
export function toMutation(change: PendingChange): Mutation {
  const hlc: Record<string, string> = {};
  for (const field of fieldNamesOf(change)) hlc[field] = change.hlc;
  if (change.op === 'delete') hlc['deleted'] = change.hlc;
  const identity = {
    mutationId: change.mutationId,
    entityType: change.entityType,
    entityId: change.entityId,
    op: change.op,
  };
  // Sealed values go as they are: this device cannot read them, the server can.
  return change.sealed
    ? { ...identity, sealed: change.sealed, hlc }
    : { ...identity, fields: change.fields ?? {}, hlc };
}

async function defaultStorageHealth(): Promise<Pick<DeviceHealth, 'storagePersisted' | 'quotaLeftBytes'>> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (!storage) return { storagePersisted: null, quotaLeftBytes: null };
  try {
    const [persisted, estimate] = await Promise.all([storage.persisted(), storage.estimate()]);
    const left =
      estimate.quota !== undefined && estimate.usage !== undefined
        ? Math.max(0, estimate.quota - estimate.usage)
        : null;
    return { storagePersisted: persisted, quotaLeftBytes: left };
  } catch {
    return { storagePersisted: null, quotaLeftBytes: null };
  }
}

/**
 * Runs the client's loop once, under the sync lock. Never throws for an expected failure: the
 * outcome says what happened and the `sync` meta row holds the status every tab shows.
 */
export async function syncOnce(
  db: OutreachDatabase,
  api: SyncApi,
  options: SyncOptions = {},
): Promise<SyncOutcome> {
  const runExclusive = options.runExclusive ?? defaultLockRunner;
  return runExclusive(SYNC_LOCK_NAME, () => runLocked(db, api, options));
}

async function runLocked(db: OutreachDatabase, api: SyncApi, options: SyncOptions): Promise<SyncOutcome> {
  const now = options.now ?? (() => new Date());
  const state = await getSyncState(db);
  if (!state.user) return { kind: 'signed-out' };
  await updateSyncState(db, { status: 'syncing' });
  try {
    const summary = await runSteps(db, api, state, options);
    await recordSyncSuccess(db, now().toISOString());
    return { kind: 'synced', summary };
  } catch (error: unknown) {
    const failure =
      error instanceof SyncStop
        ? error.failure
        : localFailure(
            'device-error',
            `This device could not store the synced data: ${error instanceof Error ? error.message : String(error)}`,
          );
    if (failure.reason === 'device-lost') {
      const erased = await eraseIfAllPushed(db, api, now().toISOString());
      if (erased) return { kind: 'erased' };
    }
    const patch: Partial<Pick<SyncStateRow, 'user' | 'serverDeviceId'>> = {};
    if (failure.kind === 'not-signed-in') patch.user = null;
    // The server does not know this device (a reset server, another organisation): register again.
    if (failure.reason === 'device-unknown') patch.serverDeviceId = null;
    await recordSyncFailure(
      db,
      { reason: failure.kind, message: failure.message, at: now().toISOString() },
      patch,
    );
    return { kind: 'failed', failure };
  }
}

async function runSteps(
  db: OutreachDatabase,
  api: SyncApi,
  state: SyncStateRow,
  options: SyncOptions,
): Promise<SyncSummary> {
  const summary: SyncSummary = { pushed: 0, rejected: 0, pulled: 0, repaired: [], scopeChanged: false };
  const deviceId =
    state.serverDeviceId ?? (await registerDevice(db, api, state.user?.organisationId ?? null));
  await refreshServerSealingKey(db, api);
  await sealWaitingChanges(db);
  await pushOutbox(db, api, deviceId, options, summary);
  if (!(await openDataKeys(db))) return { ...summary, pushedOnlyWhileLocked: true };
  const pageSize = options.pageSize;
  let cursor = await pullAll(db, api, deviceId, state.cursor, pageSize, summary);
  const quiet = summary.pushed === 0 && summary.pulled === 0 && !summary.scopeChanged;
  if (!options.verify && quiet) return summary;
  // Compare only at a moment the server and the device describe the same data: the cursor matches
  // and nothing is waiting to be pushed. Changes arriving meanwhile mean another try.
  for (let attempt = 0; attempt < 3; attempt += 1) {
    if ((await oldestPendingChanges(db, 1)).length > 0) return summary;
    // The device hashes its tables while the server hashes its own.
    const [answer, local] = await Promise.all([api.checksums(deviceId), localChecksums(db)]);
    const server = unwrap(answer);
    if (server.cursor !== cursor) {
      cursor = await pullAll(db, api, deviceId, cursor, pageSize, summary);
      continue;
    }
    const differing = compareChecksums(local, server.tables, CHECKSUMMED_ENTITY_TYPES);
    for (const entityType of differing) {
      await repairTable(db, api, deviceId, entityType, pageSize);
      summary.repaired.push(entityType);
    }
    const still = compareChecksums(await localChecksums(db, differing), server.tables, differing);
    if (still.length > 0) {
      throw new SyncStop(
        localFailure(
          'server-error',
          `This device's ${still.join(', ')} records still differ from the server's after a repair.`,
        ),
      );
    }
    return summary;
  }
  return summary;
}

/**
 * A device reported lost erases its data once nothing is left to push: the server refuses it pulls
 * only after its pushes, so this run already sent the outbox; a change made meanwhile goes first.
 */
async function eraseIfAllPushed(db: OutreachDatabase, api: SyncApi, at: string): Promise<boolean> {
  if ((await oldestPendingChanges(db, 1)).length > 0) return false;
  const { serverDeviceId } = await getSyncState(db);
  await eraseDeviceData(db, 'reported-lost', at);
  // Best effort: the coordinator's device list shows the erasure when the server hears of it.
  if (serverDeviceId) await api.reportErased(serverDeviceId);
  return true;
}

/**
 * Registers this device database with the server and stores the id it gives. Callers hold the sync
 * lock (sync itself, and the sign-in that fetches the device's secret), so two never both register.
 */
export async function registerThisDevice(
  db: OutreachDatabase,
  api: Pick<SyncApi, 'registerDevice'>,
  organisationId: string | null,
): Promise<ApiResult<string>> {
  const clientDeviceId = await ensureDeviceId(db);
  // Numbering continues from the first change still waiting (or after the last ever made), so a
  // device registering anew (another organisation, a removed registration) never leaves a gap.
  const [oldestPending] = await oldestPendingChanges(db, 1);
  const acknowledged = oldestPending
    ? oldestPending.mutationId - 1
    : (await summariseOutbox(db)).lastMutationId;
  const registered = await api.registerDevice(clientDeviceId, acknowledged);
  if (registered.ok) {
    await updateSyncState(db, { serverDeviceId: registered.value, deviceOrganisationId: organisationId });
  }
  return registered;
}

async function registerDevice(
  db: OutreachDatabase,
  api: SyncApi,
  organisationId: string | null,
): Promise<string> {
  return unwrap(await registerThisDevice(db, api, organisationId));
}

/**
 * Fetches the server's public key for sealing the outbox. Without a connection to it the stored one
 * serves; a device that never had one keeps its changes readable until it does.
 */
export async function refreshServerSealingKey(
  db: OutreachDatabase,
  api: Pick<SyncApi, 'sealingKey'>,
): Promise<void> {
  const answer = await api.sealingKey();
  if (answer.ok) await rememberServerSealingKey(db, answer.value);
}

/** Pushes read from the outbox at once: acknowledging each push would rewrite a large batch each time. */
const PUSHES_PER_OUTBOX_READ = 10;

async function pushOutbox(
  db: OutreachDatabase,
  api: SyncApi,
  deviceId: string,
  options: SyncOptions,
  summary: SyncSummary,
): Promise<void> {
  const chunk = Math.min(options.pushChunk ?? MAX_MUTATIONS_PER_PUSH, MAX_MUTATIONS_PER_PUSH);
  const storageHealth = options.storageHealth ?? defaultStorageHealth;
  for (;;) {
    const window = await oldestPendingChanges(db, chunk * PUSHES_PER_OUTBOX_READ);
    const first = window[0];
    if (!first) return;
    const health: DeviceHealth = { ...(await outboxHealth(db)), ...(await storageHealth()) };
    const rejected: RejectedResult[] = [];
    let acknowledged = 0;
    try {
      // The window's pushes; each may name only so many sealing keys (one per app start that wrote).
      const pushes: PendingChange[][] = [];
      for (let offset = 0; offset < window.length;) {
        const changes = withinSealingKeyLimit(
          window.slice(offset, offset + chunk),
          MAX_SEALING_KEYS_PER_PUSH,
        );
        offset += changes.length;
        pushes.push(changes);
      }
      let sentBefore = 0;
      const send = (changes: PendingChange[], outboxLength: number) =>
        sealingKeysFor(db, changes).then((sealingKeys) =>
          api.push(deviceId, changes.map(toMutation), { ...health, outboxLength }, sealingKeys),
        );
      const sendPush = (index: number) => {
        const changes = pushes[index]!;
        const outboxLength = Math.max(0, health.outboxLength - sentBefore);
        sentBefore += changes.length;
        return { changes, outboxLength, answer: send(changes, outboxLength) };
      };
      // Two pushes in flight: the next goes before this one's answer, so the server opens and checks it
      // while it applies this one. It applies a device's pushes in mutation order (docs/sync-protocol.md);
      // an answer after an unanswered or partly taken push is not used (its changes are sent again).
      let next: ReturnType<typeof sendPush> | null = sendPush(0);
      try {
        for (let index = 0; next; index += 1) {
          const current: ReturnType<typeof sendPush> = next;
          next = index + 1 < pushes.length ? sendPush(index + 1) : null;
          let result = await current.answer;
          // Sent before the answer to the push ahead of it, it may have reached a server that had
          // not applied that one yet (another server process): once that one is taken, once more.
          if (!result.ok && result.failure.kind === 'mutation-gap' && index > 0) {
            result = await send(current.changes, current.outboxLength);
          }
          const answer = unwrap(result);
          for (const result of answer.results) {
            if (result.status === 'rejected') {
              rejected.push({
                mutationId: result.mutationId,
                reason: result.reason,
                message: result.message,
              });
            }
          }
          const last = current.changes.at(-1)!;
          const through = Math.min(answer.lastMutationId, last.mutationId);
          if (through < current.changes[0]!.mutationId) {
            throw new SyncStop(
              localFailure(
                'server-error',
                'The server did not take any of the changes sent. Sync will try again.',
              ),
            );
          }
          acknowledged = through;
          // The server took only part of this push: read the outbox again from what it expects next.
          if (through < last.mutationId) break;
        }
      } finally {
        // An answer no longer waited for: whatever it says, those changes are sent again.
        void next?.answer.catch(() => undefined);
      }
    } finally {
      // What the server acknowledged leaves the outbox even when a later push of the window failed.
      if (acknowledged > 0) {
        await acknowledgeThrough(
          db,
          acknowledged,
          rejected.filter((result) => result.mutationId <= acknowledged),
        );
        summary.pushed += acknowledged - first.mutationId + 1;
        summary.rejected += rejected.filter((result) => result.mutationId <= acknowledged).length;
      }
    }
  }
}

/**
 * Pulls pages until the server has no more; each page and its cursor are stored together. The next
 * page is asked for while this one is stored (its cursor is known from this page), so the server and
 * the device work at the same time; a page is still only stored after the one before it.
 */
async function pullAll(
  db: OutreachDatabase,
  api: SyncApi,
  deviceId: string,
  from: number,
  limit: number | undefined,
  summary: SyncSummary,
): Promise<number> {
  let cursor = from;
  let scope = (await getSyncState(db)).scope ?? null;
  let nextPage = api.pull(deviceId, cursor, { limit });
  for (;;) {
    const page = unwrap(await nextPage);
    // A new scope (another session assigned, a permission changed) means records may have entered
    // or left what this user sees without changing themselves: the checksums find which tables.
    if (page.scope !== scope) summary.scopeChanged = true;
    scope = page.scope;
    const more = page.hasMore && page.cursor > cursor;
    if (more) nextPage = api.pull(deviceId, page.cursor, { limit });
    await applyPulledPage(db, page);
    summary.pulled += page.records.length;
    cursor = page.cursor;
    if (!more) return cursor;
  }
}

function compareChecksums(
  local: Partial<Record<SyncedEntityType, TableChecksum>>,
  server: Partial<Record<SyncedEntityType, TableChecksum>>,
  only: readonly SyncedEntityType[],
): SyncedEntityType[] {
  return only.filter((entityType) => {
    const mine = local[entityType] ?? { count: 0, sha256: '' };
    const theirs = server[entityType] ?? { count: 0, sha256: '' };
    if (mine.count === 0 && theirs.count === 0) return false;
    return mine.count !== theirs.count || mine.sha256 !== theirs.sha256;
  });
}

/** Pulls every record of one type from the start and replaces the device's table with them. */
async function repairTable(
  db: OutreachDatabase,
  api: SyncApi,
  deviceId: string,
  entityType: SyncedEntityType,
  limit: number | undefined,
): Promise<void> {
  const records: PulledRecord[] = [];
  let cursor = 0;
  for (;;) {
    const page = unwrap(await api.pull(deviceId, cursor, { limit, entityType }));
    records.push(...page.records);
    const advanced = page.cursor > cursor;
    cursor = page.cursor;
    if (!page.hasMore || !advanced) break;
  }
  await replaceTable(db, entityType, records);
}
