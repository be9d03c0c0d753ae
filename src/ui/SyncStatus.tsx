import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { db } from '../db/instance';
import { summariseOutbox } from '../db/outbox';
import { countRejectedChanges, getSyncState } from '../db/syncState';
import type { SyncStateRow } from '../db/database';
import type { SyncStatus as Status } from '../domain/sync/status';
import { formatDateTime } from './learners/formatDates';
import { syncNow } from './sync/appSync';
import { useSetupNeeded } from './sync/useSetupNeeded';

function assertNever(value: never): never {
  throw new Error(`Unexpected sync status: ${String(value)}`);
}

function changesWaiting(count: number): string {
  if (count === 0) return 'Nothing waiting to sync.';
  return count === 1 ? '1 change waiting to sync.' : `${count} changes waiting to sync.`;
}

/** The status in words: one sentence for each state, the failure's own plain words when it failed. */
export function describeSyncState(state: SyncStateRow, pending: number): string {
  const status: Status = state.status;
  const lastSync = state.lastSuccessAt ? ` Last synced ${formatDateTime(state.lastSuccessAt)}.` : '';
  switch (status) {
    case 'signed-out':
      if (state.erased?.reason === 'reported-lost') {
        return `This device was reported lost, so its data was erased on ${formatDateTime(state.erased.at)}. Sign in to use it again.`;
      }
      if (state.erased?.reason === 'handed-back') {
        return `This device's data was erased when it was handed back, on ${formatDateTime(state.erased.at)}. Sign in to use it again.`;
      }
      return pending > 0
        ? `Not signed in. ${changesWaiting(pending)} They are kept safely here.`
        : 'Not signed in. Everything you save is kept safely here.';
    case 'never-synced':
      return `Not synced yet. ${changesWaiting(pending)}`;
    case 'syncing':
      return 'Syncing…';
    case 'up-to-date':
      return pending > 0 ? `${changesWaiting(pending)}${lastSync}` : `Up to date.${lastSync}`;
    case 'failed':
      return `Sync failed: ${state.lastFailure?.message ?? 'try again.'} ${changesWaiting(pending)}${lastSync}`;
    case 'update-required':
      return `Update the app to sync: ${changesWaiting(pending)} Your changes are kept.`;
    default:
      return assertNever(status);
  }
}

/** Always on screen: what is waiting, when the last sync was, why one failed, and "Sync now". */
export function SyncStatus() {
  const state = useLiveQuery(() => getSyncState(db));
  const outbox = useLiveQuery(() => summariseOutbox(db));
  const rejected = useLiveQuery(() => countRejectedChanges(db));
  const [asked, setAsked] = useState(false);
  // First run of a new server: offer to set the organisation up rather than to sign in.
  const setupNeeded = useSetupNeeded(state !== undefined && state.user === null);
  if (state === undefined || outbox === undefined || rejected === undefined) {
    return <div className="sync-status" aria-hidden="true" />;
  }
  const signedIn = state.user !== null;
  const busy = state.status === 'syncing' || asked;
  const runNow = () => {
    setAsked(true);
    void syncNow().finally(() => setAsked(false));
  };
  return (
    <section className="sync-status" aria-label="Sync">
      <div className="sync-status__inner">
        <p className="sync-status__text" role="status">
          {describeSyncState(state, outbox.pendingChanges)}
          {rejected > 0 ? ` The server refused ${rejected === 1 ? '1 change' : `${rejected} changes`}.` : ''}
        </p>
        <div className="sync-status__actions">
          {signedIn ? (
            <button type="button" className="button button--secondary" onClick={runNow} disabled={busy}>
              Sync now
            </button>
          ) : setupNeeded ? (
            <Link className="sync-status__link" to="/setup">
              Set up your organisation
            </Link>
          ) : (
            <Link className="sync-status__link" to="/sign-in">
              Sign in to sync
            </Link>
          )}
          <Link className="sync-status__link" to="/sync">
            {rejected > 0 ? 'See refused changes' : 'Sync details'}
          </Link>
        </div>
      </div>
    </section>
  );
}
