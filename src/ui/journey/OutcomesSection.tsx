import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { OUTCOME_CODES, OUTCOME_EVIDENCE, OUTCOME_TIME_POINTS, labelOf } from '../../domain/codeLists';
import type { Outcome } from '../../domain/records';
import { Loading } from '../components/Loading';
import { formatDate } from '../learners/formatDates';
import { loadLearnerOutcomes } from './journeyLoaders';

/** The learner's destinations and progression, newest first, and the way to record another. */
export function OutcomesSection({ learnerId }: { learnerId: string }) {
  const view = useLiveQuery(() => loadLearnerOutcomes(learnerId), [learnerId]);
  return (
    <section className="section" aria-labelledby="outcomes-heading">
      <h2 id="outcomes-heading">Outcomes and progression</h2>
      {view === undefined ? (
        <Loading />
      ) : (
        <>
          {view.outcomes.length === 0 ? (
            <p>No outcomes recorded yet.</p>
          ) : (
            <ul className="list">
              {view.outcomes.map((outcome) => (
                <OutcomeItem key={outcome.id} outcome={outcome} />
              ))}
            </ul>
          )}
          {view.changeable ? (
            <p className="button-group">
              <Link className="button button--secondary" to={`/learners/${learnerId}/outcomes/new`}>
                Record an outcome
              </Link>
            </p>
          ) : null}
        </>
      )}
    </section>
  );
}

function OutcomeItem({ outcome }: { outcome: Outcome }) {
  return (
    <li>
      <strong>{labelOf(OUTCOME_CODES, outcome.code)}</strong>
      <span className="meta">
        {outcome.endDate
          ? `From ${formatDate(outcome.startDate)} to ${formatDate(outcome.endDate)}`
          : `Started ${formatDate(outcome.startDate)}`}
      </span>
      <span className="meta">
        Collected on {formatDate(outcome.collectedOn)}:{' '}
        {labelOf(OUTCOME_TIME_POINTS, outcome.timePoint).toLowerCase()}
      </span>
      <span className="meta">Evidence: {labelOf(OUTCOME_EVIDENCE, outcome.evidence)}</span>
      {outcome.notes ? <span className="meta">Notes: {outcome.notes}</span> : null}
    </li>
  );
}
