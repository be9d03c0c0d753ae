import { entityLabel } from '../../domain/entityLabels';
import { fieldNamesOf } from '../../domain/changeLog';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { summariseOutbox } from '../../db/outbox';
import {
  dismissRejectedChange,
  getSyncState,
  listRejectedChanges,
  recordSignedOut,
} from '../../db/syncState';
import type { RejectedChange } from '../../db/database';
import { Loading } from '../components/Loading';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { formatDateTime } from '../learners/formatDates';
import { lockAllTabs } from '../lock/tabLock';
import { describeSyncState } from '../SyncStatus';
import { syncApi, syncNow } from './appSync';
import { HandBackSection } from './HandBackSection';
import { UnsyncedWorkImport } from './UnsyncedWorkImport';

const REASON_WORDS: Record<string, string> = {
  'invalid-record': 'The record was not complete or not valid',
  'server-owned': 'Only the server can change this',
  'clock-drift': "This tablet's clock is ahead",
  'clock-invalid': "This tablet's clock could not be read",
  'record-deleted': 'The record had been deleted on another device',
  'duplicate-attendance': 'The learner already has a mark for this session',
  'outside-scope': 'This is outside the sessions and learners you work with',
  'coordinator-only': 'Only a coordinator can change this',
};

function describeRecord(change: RejectedChange): string {
  const what = entityLabel(change.entityType) ?? change.entityType;
  const fields = change.fields ?? {};
  // Sealed changes carry no readable values: the name comes from the label kept when refused.
  const readableName =
    typeof fields['givenNames'] === 'string' && typeof fields['familyName'] === 'string'
      ? `${fields['givenNames']} ${fields['familyName']}`
      : typeof fields['name'] === 'string'
        ? fields['name']
        : typeof fields['title'] === 'string'
          ? fields['title']
          : null;
  const name = change.label ?? readableName;
  return name ? `${what}: ${name}` : what;
}

/** /sync: who is signed in, the sync's state, and every change the server refused. */
export function SyncPage() {
  usePageTitle('Sync');
  const success = useSuccessMessage();
  const state = useLiveQuery(() => getSyncState(db));
  const outbox = useLiveQuery(() => summariseOutbox(db));
  const rejected = useLiveQuery(() => listRejectedChanges(db));
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);

  if (state === undefined || outbox === undefined || rejected === undefined) {
    return (
      <>
        <h1>Sync</h1>
        <Loading />
      </>
    );
  }

  const signOut = async () => {
    setBusy(true);
    const result = await syncApi.signOut();
    try {
      await recordSignedOut(db);
      // Signed out, the tablet stays locked to the last person's PIN: every tab locks now and
      // forgets the key to the records.
      lockAllTabs();
      setMessage(
        result.ok || result.failure.kind === 'not-signed-in'
          ? 'You are signed out. Everything saved on this tablet stays here.'
          : 'You are signed out on this tablet. The server could not be told, so sign out again when online.',
      );
    } catch (error) {
      console.error(error);
      setMessage('Signing out failed on this device. Try again.');
    } finally {
      setBusy(false);
    }
  };

  const runNow = async () => {
    setBusy(true);
    setMessage('');
    await syncNow();
    setBusy(false);
  };

  const dismiss = async (change: RejectedChange) => {
    try {
      await dismissRejectedChange(db, change.mutationId);
      setMessage(`Dismissed the refused change to ${describeRecord(change)}.`);
    } catch (error) {
      console.error(error);
      setMessage('That change could not be dismissed. Try again.');
    }
  };

  return (
    <>
      <SuccessBanner message={success} />
      <h1>Sync</h1>
      <dl className="summary-list">
        <dt>Status</dt>
        <dd>{describeSyncState(state, outbox.pendingChanges)}</dd>
        <dt>Signed in as</dt>
        <dd className="break-anywhere">
          {state.user ? `${state.user.name} (${state.user.email})` : 'Not signed in'}
        </dd>
        {state.user?.organisationName ? (
          <>
            <dt>Organisation</dt>
            <dd>{state.user.organisationName}</dd>
          </>
        ) : null}
        <dt>Last successful sync</dt>
        <dd>{state.lastSuccessAt ? formatDateTime(state.lastSuccessAt) : 'Never'}</dd>
        {state.lastFailure ? (
          <>
            <dt>Last problem</dt>
            <dd>
              {state.lastFailure.message}
              <span className="meta">{formatDateTime(state.lastFailure.at)}</span>
            </dd>
          </>
        ) : null}
        <dt>Changes waiting to sync</dt>
        <dd>{outbox.pendingChanges}</dd>
      </dl>
      {state.user ? (
        <div className="button-group">
          <button type="button" className="button" onClick={() => void runNow()} disabled={busy}>
            Sync now
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => void signOut()}
            disabled={busy}
          >
            Sign out
          </button>
        </div>
      ) : (
        <p className="button-group">
          <Link to="/sign-in">Sign in to sync</Link>
        </p>
      )}
      <p role="status" className="status-message">
        {message}
      </p>
      <HandBackSection
        user={state.user}
        pendingChanges={outbox.pendingChanges}
        refusedChanges={rejected.length}
      />
      {state.user ? <UnsyncedWorkImport /> : null}

      <h2>Changes the server refused</h2>
      {rejected.length === 0 ? (
        <p>None. Every change sent from this tablet was accepted.</p>
      ) : (
        <>
          <p>
            These changes were not saved on the server. They are kept here so you can make them again
            correctly, or ask your coordinator.
          </p>
          <ul className="list">
            {rejected.map((change) => (
              <li key={change.mutationId} className="rejected-change">
                <h3>{describeRecord(change)}</h3>
                <p>
                  <strong>{REASON_WORDS[change.reason] ?? 'Refused by the server'}.</strong> {change.message}
                </p>
                <p className="meta">
                  {change.madeAt ? `Changed on this tablet ${formatDateTime(change.madeAt)}. ` : ''}
                  Refused {formatDateTime(change.rejectedAt)}. Fields:{' '}
                  {fieldNamesOf(change).join(', ') || 'none'}.
                </p>
                <button
                  type="button"
                  className="button button--secondary"
                  onClick={() => void dismiss(change)}
                  aria-label={`Dismiss the refused change to ${describeRecord(change)}`}
                >
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
