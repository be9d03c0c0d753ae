import { useState } from 'react';
import { Link } from 'react-router';
import type { DuplicateLearner, DuplicatePairAnswer } from '../../domain/duplicates';
import { fullName } from '../../domain/people';
import { formatPostcode } from '../../domain/postcode';
import { CardOutcome } from '../components/CardOutcome';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { useCardAction } from '../hooks/useCardAction';
import { formatDate, formatDateTime } from '../learners/formatDates';
import { syncApi } from '../sync/appSync';

/** A merge the server has made, for the page to say. */
export type Merged = { survivorId: string; mergedId: string; keptName: string; mergedName: string };

type Confirming = { kind: 'merge'; keep: 0 | 1 } | { kind: 'dismiss' } | null;

/** "Record 1: Grace Adeyemi": both records may carry one name, so each is numbered too. */
const recordLabel = (index: 0 | 1, learner: DuplicateLearner) => `Record ${index + 1}: ${fullName(learner)}`;

/**
 * One possible duplicate: the two records side by side with why they were paired, "Keep this one and
 * merge the other into it" under each (after a confirmation), and "These are two different people".
 */
export function DuplicatePairCard({
  pair,
  onMerged,
  onDismissed,
}: {
  pair: DuplicatePairAnswer;
  onMerged: (merged: Merged) => void;
  onDismissed: () => void;
}) {
  const [confirming, setConfirming] = useState<Confirming>(null);
  const { busy, done, problem, clear, run } = useCardAction();
  const [first, second] = pair.learners;
  const headingId = `pair-${first.id}-${second.id}`;

  const merge = async (keep: 0 | 1) => {
    const kept = pair.learners[keep];
    const other = pair.learners[keep === 0 ? 1 : 0];
    const result = await run(() => syncApi.mergeLearners(kept.id, other.id), 'The records were not merged.');
    setConfirming(null);
    if (!result.ok) return;
    onMerged({
      survivorId: kept.id,
      mergedId: other.id,
      keptName: fullName(kept),
      mergedName: fullName(other),
    });
  };

  const dismiss = async () => {
    const result = await run(
      () => syncApi.dismissDuplicatePair([first.id, second.id]),
      'The pair is still listed.',
    );
    setConfirming(null);
    if (result.ok) onDismissed();
  };

  const ask = (next: Confirming) => {
    clear();
    setConfirming(next);
  };

  return (
    <li aria-labelledby={headingId} className="duplicate-pair">
      <h2 id={headingId}>
        {fullName(first)} and {fullName(second)}
      </h2>
      <p>Why they may be one person:</p>
      <ul className="duplicate-pair__reasons">
        {pair.reasons.map((reason) => (
          <li key={reason.code}>{reason.text}</li>
        ))}
      </ul>
      <div className="duplicate-pair__records">
        {([0, 1] as const).map((index) => (
          <LearnerSide
            key={pair.learners[index].id}
            index={index}
            learner={pair.learners[index]}
            busy={busy || confirming !== null}
            onKeep={() => ask({ kind: 'merge', keep: index })}
          />
        ))}
      </div>

      {confirming?.kind === 'merge' ? (
        <MergeConfirmation
          kept={pair.learners[confirming.keep]}
          keptIndex={confirming.keep}
          other={pair.learners[confirming.keep === 0 ? 1 : 0]}
          busy={busy}
          onConfirm={() => void merge(confirming.keep)}
          onCancel={() => setConfirming(null)}
        />
      ) : confirming?.kind === 'dismiss' ? (
        <ConfirmGroup
          label={`Confirm that ${fullName(first)} and ${fullName(second)} are different people`}
          confirm="Yes, they are different people"
          busy={busy}
          onConfirm={() => void dismiss()}
          onCancel={() => setConfirming(null)}
        >
          <p>The two records stay as they are and this pair is no longer listed.</p>
        </ConfirmGroup>
      ) : (
        <p className="button-group">
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => ask({ kind: 'dismiss' })}
          >
            These are different people
            <span className="visually-hidden">
              {' '}
              ({fullName(first)} and {fullName(second)})
            </span>
          </button>
        </p>
      )}
      <CardOutcome done={done} problem={problem} />
    </li>
  );
}

function LearnerSide({
  index,
  learner,
  busy,
  onKeep,
}: {
  index: 0 | 1;
  learner: DuplicateLearner;
  busy: boolean;
  onKeep: () => void;
}) {
  const headingId = `record-${learner.id}`;
  return (
    <section className="duplicate-pair__record" aria-labelledby={headingId}>
      <h3 id={headingId}>{recordLabel(index, learner)}</h3>
      <dl className="summary-list">
        <dt>Preferred name</dt>
        <dd>{learner.preferredName || 'None'}</dd>
        <dt>Date of birth</dt>
        <dd>{formatDate(learner.dateOfBirth)}</dd>
        <dt>Postcode</dt>
        <dd>{learner.postcode ? formatPostcode(learner.postcode) : 'Not known'}</dd>
        <dt>Enrolments</dt>
        <dd>
          {learner.enrolmentCount}
          {learner.programmeTitles.length > 0 ? `: ${learner.programmeTitles.join(', ')}` : ''}
        </dd>
        <dt>Sessions attended</dt>
        <dd>{learner.sessionsAttended}</dd>
        <dt>Record made</dt>
        <dd>{learner.createdAt ? formatDateTime(learner.createdAt) : 'Not known'}</dd>
      </dl>
      <p>
        <Link to={`/learners/${learner.id}`}>
          Open record {index + 1}
          <span className="visually-hidden"> ({fullName(learner)})</span>
        </Link>
      </p>
      <p className="button-group">
        <button type="button" className="button" disabled={busy} onClick={onKeep}>
          Keep this one and merge the other into it
          <span className="visually-hidden"> ({recordLabel(index, learner)})</span>
        </button>
      </p>
    </section>
  );
}

function MergeConfirmation({
  kept,
  keptIndex,
  other,
  busy,
  onConfirm,
  onCancel,
}: {
  kept: DuplicateLearner;
  keptIndex: 0 | 1;
  other: DuplicateLearner;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const otherIndex = keptIndex === 0 ? 2 : 1;
  return (
    <ConfirmGroup
      label={`Confirm keeping ${recordLabel(keptIndex, kept)} and merging record ${otherIndex} into it`}
      confirm="Yes, merge the records"
      warning
      busy={busy}
      onConfirm={onConfirm}
      onCancel={onCancel}
    >
      <p>
        Record {otherIndex} ({fullName(other)}) will be merged into record {keptIndex + 1} ({fullName(kept)}).
      </p>
      <ul>
        <li>
          Its enrolments, attendance, assessments, goals, outcomes, passport awards, consents and loans move
          to record {keptIndex + 1}.
        </li>
        <li>
          Where both records have a mark for the same session, record {keptIndex + 1}’s mark is kept and the
          other stays in the history.
        </li>
        <li>Record {keptIndex + 1}’s name and contact details stay as they are.</li>
        <li>Record {otherIndex} is marked as merged and no longer listed. This cannot be undone here.</li>
      </ul>
    </ConfirmGroup>
  );
}
