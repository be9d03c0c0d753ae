import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { DuplicatePairAnswer } from '../../domain/duplicates';
import { isTutor } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerList } from '../hooks/useServerList';
import { syncApi, syncNow } from '../sync/appSync';
import { DuplicatePairCard, type Merged } from './DuplicatePairCard';
import './duplicates.css';

const TITLE = 'Possible duplicates';

/**
 * /learners/duplicates: a coordinator's list of learners who may have been enrolled twice, from the
 * server (needs a connection), where two records are merged into one or said to be two people.
 */
export function DuplicatesPage() {
  return (
    <CoordinatorPage title={TITLE} notForYou={(signedIn) => <NotForYou signedIn={signedIn} />}>
      {() => <DuplicateList />}
    </CoordinatorPage>
  );
}

function PageTitle() {
  usePageTitle(TITLE);
  return null;
}

/** What a tutor, or a tablet no one has signed in on, sees instead of the page. */
function NotForYou({ signedIn }: { signedIn: SignedInUser | null }) {
  return (
    <>
      <PageTitle />
      <h1>{TITLE}</h1>
      <p>Only a coordinator can review learners who may have been enrolled twice.</p>
      {isTutor(signedIn) ? (
        <p>If you think someone has two records, tell your coordinator.</p>
      ) : (
        <p>
          No coordinator is signed in on this tablet. <Link to="/sign-in">Sign in as a coordinator</Link> to
          review them.
        </p>
      )}
    </>
  );
}

const pairKey = (pair: DuplicatePairAnswer) => pair.learners.map((learner) => learner.id).join('|');

function DuplicateList() {
  const { value: answer, problem, askAgain, replace } = useServerList(() => syncApi.duplicates());
  const [merged, setMerged] = useState<Merged | null>(null);

  const onMerged = (done: Merged) => {
    setMerged(done);
    // The merged record's pairs are gone; other pairs are as they were until the list is asked again.
    replace((before) => ({
      ...before,
      pairs: before.pairs.filter((pair) => !pair.learners.some((learner) => learner.id === done.mergedId)),
    }));
    askAgain();
    // This tablet fetches the merged records now; the others at their next sync.
    void syncNow();
  };

  const onDismissed = (dismissed: DuplicatePairAnswer) => {
    setMerged(null);
    replace((before) => ({
      ...before,
      pairs: before.pairs.filter((pair) => pairKey(pair) !== pairKey(dismissed)),
    }));
  };

  return (
    <>
      <PageTitle />
      <h1>{TITLE}</h1>
      <p>
        Learners who may have been enrolled twice, for example on two tablets: the same or a similar name with
        the same date of birth or postcode. For each pair, choose the record to keep. The other record’s
        enrolments, attendance, assessments, goals, outcomes and loans move to it, and every tablet gets the
        change when it next syncs.
      </p>
      <p>This needs a connection to the server.</p>
      {merged ? <MergedBanner merged={merged} /> : null}
      <ServerListProblem title="Could not get the possible duplicates" problem={problem} onRetry={askAgain} />
      {answer === null ? (
        problem ? null : (
          <Loading />
        )
      ) : answer.pairs.length === 0 ? (
        <p role="status">No possible duplicates found.</p>
      ) : (
        <>
          <p role="status" className="result-count">
            {answer.pairs.length === 1
              ? '1 possible duplicate'
              : `${answer.pairs.length} possible duplicates`}
            {answer.truncated ? ', the strongest first. Merge or dismiss these to see more.' : ''}
          </p>
          <ul className="list duplicate-list">
            {answer.pairs.map((pair) => (
              <DuplicatePairCard
                key={pairKey(pair)}
                pair={pair}
                onMerged={onMerged}
                onDismissed={() => onDismissed(pair)}
              />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

/** Says what was merged, with the kept record; takes focus, since the pair it was on has gone. */
function MergedBanner({ merged }: { merged: Merged }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [merged]);
  return (
    <div className="banner banner--success" role="status" tabIndex={-1} ref={ref}>
      <p className="banner__text">
        {merged.mergedName}’s record was merged into {merged.keptName}’s. Other tablets get the change when
        they next sync.
      </p>
      <p>
        <Link to={`/learners/${merged.survivorId}`}>Open {merged.keptName}’s record</Link>
      </p>
    </div>
  );
}
