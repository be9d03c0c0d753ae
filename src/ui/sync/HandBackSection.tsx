import { useState } from 'react';
import { db } from '../../db/instance';
import { eraseDeviceData } from '../../db/erase';
import { ERASE_UNSYNCED_CONFIRMATION, type HandBackDecision, decideHandBack } from '../../domain/handBack';
import type { SignedInUser } from '../../domain/sync/status';
import { syncApi, syncNow } from './appSync';
import { UnsyncedWorkExport } from './UnsyncedWorkExport';

type Props = {
  user: SignedInUser | null;
  pendingChanges: number;
  refusedChanges: number;
};

/**
 * "Hand this device back": erases what the device holds and signs out, refused while work has not
 * reached the server (src/domain/handBack.ts), unless a coordinator types the override.
 */
export function HandBackSection({ user, pendingChanges, refusedChanges }: Props) {
  const [decision, setDecision] = useState<HandBackDecision | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState('');

  const handBack = async () => {
    setProblem('');
    const next = decideHandBack({
      pendingChanges,
      refusedChanges,
      role: user?.role ?? null,
      typedConfirmation: typed,
    });
    setDecision(next);
    if (next.kind !== 'erase') return;
    setBusy(true);
    try {
      // Told first, so the session cannot be reused from this device; offline, erasing still goes on.
      if (user) await syncApi.signOut();
      await eraseDeviceData(db, 'handed-back', new Date().toISOString());
      // A fresh page: no screen keeps in memory what was erased.
      window.location.assign('/sync');
    } catch (error) {
      console.error(error);
      setProblem('This device could not erase its data. Nothing was lost. Try again.');
      setBusy(false);
    }
  };

  const syncFirst = async () => {
    setBusy(true);
    await syncNow();
    setBusy(false);
    setDecision(null);
  };

  return (
    <section aria-labelledby="hand-back-heading">
      <h2 id="hand-back-heading">Hand this device back</h2>
      <p>
        Erase everything saved on this device and sign out, before it goes back to the office or to someone
        else. Work that has not reached the server is never erased unless a coordinator says so.
      </p>
      {decision?.kind === 'refused' ? (
        <>
          <div className="error-summary" role="alert">
            <h3 className="error-summary__title">Nothing was erased</h3>
            <p>{decision.message}</p>
          </div>
          {pendingChanges > 0 && user ? (
            <p>
              <button type="button" className="button" onClick={() => void syncFirst()} disabled={busy}>
                Sync now
              </button>
            </p>
          ) : null}
          <UnsyncedWorkExport />
          {decision.mayOverride ? (
            <div className="form-group">
              <label className="label" htmlFor="erase-confirmation">
                To erase this work anyway, type “{ERASE_UNSYNCED_CONFIRMATION}”
              </label>
              <p className="hint" id="erase-confirmation-hint">
                Only a coordinator can do this. The changes will be lost for good, unless saved to a file
                above.
              </p>
              <input
                id="erase-confirmation"
                className="input"
                aria-describedby="erase-confirmation-hint"
                autoComplete="off"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            </div>
          ) : null}
        </>
      ) : null}
      {problem ? (
        <p className="error-message" role="alert">
          {problem}
        </p>
      ) : null}
      <button
        type="button"
        className="button button--warning"
        onClick={() => void handBack()}
        disabled={busy}
      >
        Erase this device and sign out
      </button>
    </section>
  );
}
