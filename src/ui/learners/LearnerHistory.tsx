import { useState } from 'react';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import {
  type LearnerHistory as History,
  HISTORY_CHANGE_LIMIT,
  accessActionWords,
  describeChange,
  deviceWords,
  hasHiddenValues,
  whoWords,
} from '../../domain/history';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';
import { formatDateTime } from './formatDates';

type Shown =
  | { kind: 'not-asked' }
  | { kind: 'loading' }
  | { kind: 'loaded'; history: History }
  | { kind: 'failed'; problem: string };

/**
 * A coordinator's view of what the server holds about changes to this learner: asked for on demand,
 * since it needs a connection. Nothing here is stored on the device; a failure says so and leaves the
 * rest of the page as it was.
 */
export function LearnerHistory({ learnerId }: { learnerId: string }) {
  const [shown, setShown] = useState<Shown>({ kind: 'not-asked' });

  const load = async () => {
    setShown({ kind: 'loading' });
    // The device's server id only says where a viewing happened: without it the history still loads.
    const deviceId = await getSyncState(db).then(
      (state) => state.serverDeviceId,
      () => null,
    );
    const result = await syncApi.learnerHistory(learnerId, deviceId);
    if (result.ok) {
      setShown({ kind: 'loaded', history: result.value });
    } else {
      setShown({
        kind: 'failed',
        problem:
          result.failure.reason === 'learner-not-found'
            ? 'The server has no record of this learner yet. It will after this device next syncs.'
            : problemWords(result.failure),
      });
    }
  };

  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading">History</h2>
      <p>
        Every change the server has received for this learner and their records: who made it, on which device
        and when. It needs a connection to the server.
      </p>
      {shown.kind === 'failed' ? (
        <ProblemBanner title="Could not get the history" message={shown.problem} />
      ) : null}
      <p className="button-group">
        <button
          type="button"
          className="button button--secondary"
          disabled={shown.kind === 'loading'}
          onClick={() => void load()}
        >
          {shown.kind === 'not-asked'
            ? 'Show history'
            : shown.kind === 'failed'
              ? 'Try again'
              : 'Refresh history'}
        </button>
      </p>
      <p role="status" className="status-message">
        {shown.kind === 'loading'
          ? 'Getting the history…'
          : shown.kind === 'loaded'
            ? `History shown: ${changeCount(shown.history)}.`
            : ''}
      </p>
      {shown.kind === 'loaded' ? <HistoryLists history={shown.history} /> : null}
    </section>
  );
}

function changeCount(history: History): string {
  const count = history.changes.length;
  return `${history.truncated ? 'the newest ' : ''}${count} ${count === 1 ? 'change' : 'changes'}`;
}

function HistoryLists({ history }: { history: History }) {
  return (
    <>
      <h3>Changes, newest first</h3>
      {history.truncated ? <p>Only the newest {HISTORY_CHANGE_LIMIT} changes are shown.</p> : null}
      {hasHiddenValues(history) ? (
        <p className="hint">Equality answers show as (hidden): you do not have permission to see them.</p>
      ) : null}
      {history.changes.length === 0 ? (
        <p>The server has received no changes for this learner.</p>
      ) : (
        <ul className="list">
          {history.changes.map((change, index) => {
            const words = describeChange(change);
            return (
              <li key={index}>
                <strong>{words.what}</strong>
                <span className="meta">
                  {formatDateTime(change.at)}, by {whoWords(change)} on {deviceWords(change)}
                </span>
                <span className="break-anywhere">
                  From {words.from} to {words.to}
                </span>
                <span className="meta">Outcome: {words.outcome}</span>
              </li>
            );
          })}
        </ul>
      )}

      <h3>Special category data</h3>
      <p className="hint">
        Who received this learner’s equality answers on a device, exported them or viewed them.
      </p>
      {history.specialCategoryAccess.length === 0 ? (
        <p>No one has received, exported or viewed this learner’s equality answers.</p>
      ) : (
        <ul className="list">
          {history.specialCategoryAccess.map((access, index) => (
            <li key={index}>
              <strong>
                {whoWords(access)}: {accessActionWords(access.action)}
              </strong>
              <span className="meta">
                {formatDateTime(access.at)}, on {deviceWords(access)}
              </span>
            </li>
          ))}
        </ul>
      )}
      {history.specialCategoryAccessTruncated ? <p>Only the newest entries are shown.</p> : null}
    </>
  );
}
