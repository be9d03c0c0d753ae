import { useState } from 'react';
import { ERASURE_CONFIRMATION_WORD, isErasureConfirmed } from '../../domain/erasure';
import { fullName } from '../../domain/people';
import type { Learner } from '../../domain/records';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { useIsOnline } from '../hooks/useIsOnline';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi, syncNow } from '../sync/appSync';

type Step = 'closed' | 'confirming' | 'erasing' | 'erased';

/**
 * A coordinator erases a learner's personal data at their request (right to erasure): on the server,
 * in its history, and on every tablet at its next sync. Needs a connection, a confirmation naming
 * what happens, and the word ERASE typed, since it cannot be undone.
 */
export function EraseLearnerSection({ learner }: { learner: Learner }) {
  const online = useIsOnline();
  const [step, setStep] = useState<Step>('closed');
  const [typed, setTyped] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const name = fullName(learner);
  // Erased (just now, here: the message stays), merged into another record or deleted: nothing to erase.
  const closed = learner.status === 'erased' || learner.mergedInto !== null || learner.deleted;
  if (closed && step !== 'erased') return null;

  const erase = async () => {
    setProblem(null);
    if (!isErasureConfirmed(typed)) {
      setProblem(`Type ${ERASURE_CONFIRMATION_WORD} in the box to confirm.`);
      return;
    }
    setStep('erasing');
    const result = await syncApi.eraseLearner(learner.id, typed);
    if (!result.ok) {
      setProblem(
        result.failure.reason === 'learner-not-found'
          ? 'The server has no record of this learner yet. Sync this tablet first, then try again.'
          : problemWords(result.failure),
      );
      setStep('confirming');
      return;
    }
    setStep('erased');
    // This tablet removes what it holds of them at once; the others when they next sync.
    void syncNow();
  };

  return (
    <section aria-labelledby="erase-heading">
      <h2 id="erase-heading">Erase this learner’s personal data</h2>
      <p>
        When a learner asks for their data to be erased, this removes their name, date of birth, contact
        details, address, language and needs, equality and health answers, employment and benefits, and every
        goal, note and piece of evidence written about them. It removes them from the server, from its history
        of changes, and from every tablet the next time it syncs, unsynced changes and half-filled forms
        included.
      </p>
      <p>
        Their enrolments, attendance and outcomes stay, with nothing to say who they were, so your figures
        still count them. <strong>This cannot be undone.</strong>
      </p>
      {step === 'erased' ? (
        <div className="banner banner--success" role="status">
          <p>
            The personal data of this learner has been erased. Other tablets will remove it when they next
            sync.
          </p>
        </div>
      ) : null}
      <ProblemBanner title="Nothing was erased" message={problem} />
      {!online && step !== 'erased' ? (
        <p className="hint">You need a connection to the server to erase a learner’s data.</p>
      ) : null}
      {step === 'closed' ? (
        <p className="button-group">
          <button
            type="button"
            className="button button--warning"
            disabled={!online}
            onClick={() => {
              setTyped('');
              setStep('confirming');
            }}
          >
            Erase this learner’s personal data
          </button>
        </p>
      ) : null}
      {step === 'confirming' || step === 'erasing' ? (
        <ConfirmGroup
          label={`Erase the personal data of ${name}`}
          confirm="Erase their personal data for good"
          warning
          busy={step === 'erasing' || !online}
          onConfirm={() => void erase()}
          onCancel={() => {
            setProblem(null);
            setStep('closed');
          }}
        >
          <p>
            Everything that identifies {name} will be erased for good, here and on every tablet. Nobody can
            bring it back.
          </p>
          <div className="form-group">
            <label className="label" htmlFor="erase-learner-confirmation">
              To confirm, type “{ERASURE_CONFIRMATION_WORD}”
            </label>
            <input
              id="erase-learner-confirmation"
              className="input input--short"
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
          </div>
          <p role="status" className="status-message">
            {step === 'erasing' ? 'Erasing…' : ''}
          </p>
        </ConfirmGroup>
      ) : null}
    </section>
  );
}
