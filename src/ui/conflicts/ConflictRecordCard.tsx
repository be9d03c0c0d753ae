import { useState } from 'react';
import { Link } from 'react-router';
import {
  type Conflict,
  type ConflictDecision,
  type ConflictRecord,
  conflictFieldWords,
  conflictValueWords,
} from '../../domain/conflicts';
import { CardOutcome } from '../components/CardOutcome';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { useCardAction } from '../hooks/useCardAction';
import { syncApi } from '../sync/appSync';
import { conflictSentence, conflictTarget, recordHeading, recordLink } from './conflictWords';

/** A decision the server has recorded, for the page to say. */
export type Resolved = { historyId: string; decision: ConflictDecision; words: string };

/** One record with its open conflicts, each with "Restore the other value" and "Keep current value". */
export function ConflictRecordCard({
  record,
  onResolved,
}: {
  record: ConflictRecord;
  onResolved: (resolved: Resolved) => void;
}) {
  const headingId = `conflicts-${record.entityType}-${record.entityId}`;
  const link = recordLink(record);
  return (
    <li aria-labelledby={headingId} className="conflict-record">
      <h2 id={headingId}>{recordHeading(record)}</h2>
      {record.deleted ? <p>This record has been deleted.</p> : null}
      {link ? (
        <p className="conflict-record__link">
          <Link to={link.to}>{link.text}</Link>
        </p>
      ) : null}
      <ul className="conflict-record__conflicts">
        {record.conflicts.map((conflict) => (
          <ConflictItem
            key={conflict.historyId}
            record={record}
            conflict={conflict}
            onResolved={onResolved}
          />
        ))}
      </ul>
    </li>
  );
}

function ConflictItem({
  record,
  conflict,
  onResolved,
}: {
  record: ConflictRecord;
  conflict: Conflict;
  onResolved: (resolved: Resolved) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, done, problem, clear, run } = useCardAction();
  const field = conflictFieldWords(conflict);
  const target = conflictTarget(conflict, record);
  const otherWords = conflictValueWords(conflict, conflict.other.value);
  const whose = record.learnerName ? `${record.learnerName}’s` : 'the record’s';

  const decide = async (decision: ConflictDecision) => {
    const result = await run(
      () => syncApi.resolveConflict(conflict.historyId, decision),
      'Nothing was changed.',
    );
    setConfirming(false);
    if (!result.ok) return;
    const subject = record.learnerName
      ? `${record.learnerName}’s ${field.toLowerCase()}`
      : `${recordHeading(record)}, ${field.toLowerCase()}`;
    onResolved({
      historyId: conflict.historyId,
      decision,
      words:
        decision === 'restore'
          ? `${subject}: ${otherWords} was restored. Other tablets get it when they next sync.`
          : `${subject}: the current value was kept.`,
    });
  };

  return (
    <li className="conflict">
      <p className="break-anywhere">
        <strong>{field}:</strong> {conflictSentence(conflict, record.deleted)}
      </p>
      {conflict.hidden ? (
        <p className="hint">
          These are equality answers: you do not have permission to see them, so you can only keep the current
          value.
        </p>
      ) : null}
      {confirming ? (
        <ConfirmGroup
          label={`Confirm restoring the other value (${target})`}
          confirm="Yes, restore the other value"
          warning
          busy={busy}
          onConfirm={() => void decide('restore')}
          onCancel={() => setConfirming(false)}
        >
          <p>
            {otherWords} becomes {whose} {field.toLowerCase()} again, on the server and on every tablet when
            it next syncs. The value it replaces stays in the history.
          </p>
        </ConfirmGroup>
      ) : (
        <p className="button-group">
          {conflict.canRestore ? (
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                clear();
                setConfirming(true);
              }}
            >
              Restore the other value<span className="visually-hidden"> ({target})</span>
            </button>
          ) : null}
          <button
            type="button"
            className="button button--secondary"
            disabled={busy}
            onClick={() => void decide('keep-current')}
          >
            Keep current value<span className="visually-hidden"> ({target})</span>
          </button>
        </p>
      )}
      <CardOutcome done={done} problem={problem} />
    </li>
  );
}
