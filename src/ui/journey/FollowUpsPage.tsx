import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { FOLLOW_UP_NOTICE_DAYS } from '../../domain/journey';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { formatDate } from '../learners/formatDates';
import { type FollowUpLine, loadFollowUps } from './journeyLoaders';
import './journey.css';

/** /follow-ups: the checks owed to learners after their last session, soonest due first. */
export function FollowUpsPage() {
  usePageTitle('Follow-ups');
  const followUps = useLiveQuery(() => loadFollowUps(), []);
  return (
    <>
      <h1>Follow-ups</h1>
      <p className="hint">
        After a learner’s last session, check how they are getting on: at 4 weeks, 3 months and 6 months. A
        learner is listed from {FOLLOW_UP_NOTICE_DAYS} days before a check is due. Record what you find out as
        an outcome, and they leave the list until the next check.
      </p>
      {followUps === undefined ? (
        <Loading />
      ) : followUps.length === 0 ? (
        <p>No follow-ups are due. Learners appear here a week before a check is due.</p>
      ) : (
        <>
          <p>
            {followUps.length === 1 ? '1 learner needs' : `${followUps.length} learners need`} a follow-up
            {countOverdue(followUps)}.
          </p>
          <ul className="list">
            {followUps.map((followUp) => (
              <FollowUpItem key={followUp.learnerId} followUp={followUp} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function countOverdue(followUps: readonly FollowUpLine[]): string {
  const overdue = followUps.filter((followUp) => followUp.overdue).length;
  return overdue === 0 ? '' : ` (${overdue} overdue)`;
}

function FollowUpItem({ followUp }: { followUp: FollowUpLine }) {
  return (
    <li>
      <Link className="card-link" to={`/learners/${followUp.learnerId}`}>
        {followUp.learnerName}
      </Link>
      <span className="follow-up__check">
        {followUp.label}
        {followUp.overdue ? <strong className="tag tag--overdue">Overdue</strong> : null}
      </span>
      <span className="meta">Last attended {formatDate(followUp.lastAttended)}</span>
      <span className="meta">
        {followUp.overdue ? 'Was due' : 'Due'} {formatDate(followUp.dueOn)}
      </span>
      <p className="journey-actions">
        <Link className="button button--secondary" to={`/learners/${followUp.learnerId}/outcomes/new`}>
          Record an outcome<span className="visually-hidden"> for {followUp.learnerName}</span>
        </Link>
      </p>
    </li>
  );
}
