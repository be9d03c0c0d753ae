import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import { type LoanClashAnswer, CONFLICT_LIMIT, conflictCountWords } from '../../domain/conflicts';
import { formatDate } from '../../domain/dates';
import { isTutor } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerList } from '../hooks/useServerList';
import { syncApi, syncNow } from '../sync/appSync';
import { ConflictRecordCard, type Resolved } from './ConflictRecordCard';
import './conflicts.css';

const TITLE = 'Conflicts to review';

/**
 * /conflicts: a coordinator's list, from the server (needs a connection), of values sync replaced or
 * refused because two tablets changed them without seeing each other's change, and of the clashes
 * sync flagged; each is kept as it is or the other value restored.
 */
export function ConflictsPage() {
  return (
    <CoordinatorPage title={TITLE} notForYou={(signedIn) => <NotForYou signedIn={signedIn} />}>
      {() => <ConflictList />}
    </CoordinatorPage>
  );
}

function PageTitle() {
  usePageTitle(TITLE);
  return null;
}

function NotForYou({ signedIn }: { signedIn: SignedInUser | null }) {
  return (
    <>
      <PageTitle />
      <h1>{TITLE}</h1>
      <p>Only a coordinator can review conflicts between tablets.</p>
      {isTutor(signedIn) ? (
        <p>If a learner’s details look wrong after syncing, tell your coordinator.</p>
      ) : (
        <p>
          No coordinator is signed in on this tablet. <Link to="/sign-in">Sign in as a coordinator</Link> to
          review them.
        </p>
      )}
    </>
  );
}

/** The device's server id, so that showing equality answers is logged against this device. */
async function listConflicts() {
  const deviceId = await getSyncState(db).then(
    (state) => state.serverDeviceId,
    () => null,
  );
  return syncApi.conflicts(deviceId);
}

function ConflictList() {
  const { value: answer, problem, askAgain, replace } = useServerList(listConflicts);
  const [resolved, setResolved] = useState<Resolved | null>(null);

  const onResolved = (done: Resolved) => {
    setResolved(done);
    replace((before) => ({
      ...before,
      records: before.records
        .map((record) => ({
          ...record,
          conflicts: record.conflicts.filter((conflict) => conflict.historyId !== done.historyId),
        }))
        .filter((record) => record.conflicts.length > 0),
    }));
    // A restored value: this tablet fetches it now; the others at their next sync.
    if (done.decision === 'restore') void syncNow();
  };

  const count = answer?.records.reduce((sum, record) => sum + record.conflicts.length, 0) ?? 0;

  return (
    <>
      <PageTitle />
      <h1>{TITLE}</h1>
      <p>
        When two tablets change the same detail without seeing each other’s change, sync keeps the later one.
        These are the values it replaced or did not apply, and the changes it flagged for you. For each, keep
        the current value or restore the other one. Every tablet gets your choice when it next syncs.
      </p>
      <p>This needs a connection to the server.</p>
      {resolved ? <ResolvedBanner resolved={resolved} /> : null}
      <ServerListProblem title="Could not get the conflicts" problem={problem} onRetry={askAgain} />
      {answer === null ? (
        problem ? null : (
          <Loading />
        )
      ) : (
        <>
          <p role="status" className="result-count">
            {count === 0 ? 'No conflicts to review.' : `${conflictCountWords(count)} to review`}
            {answer.truncated ? `: the newest ${CONFLICT_LIMIT}. Resolve these to see more.` : ''}
          </p>
          {answer.records.length > 0 ? (
            <ul className="list conflict-list">
              {answer.records.map((record) => (
                <ConflictRecordCard
                  key={`${record.entityType}/${record.entityId}`}
                  record={record}
                  onResolved={onResolved}
                />
              ))}
            </ul>
          ) : null}
          <LoanClashes clashes={answer.loanClashes} />
        </>
      )}
    </>
  );
}

/** Devices two tablets lent offline: settled on the Loans page by cancelling the loan made in error. */
function LoanClashes({ clashes }: { clashes: LoanClashAnswer[] }) {
  if (clashes.length === 0) return null;
  return (
    <section aria-labelledby="lent-twice-heading" className="conflict-loans">
      <h2 id="lent-twice-heading">Lent twice</h2>
      <p>
        Two tablets lent these devices while offline. Both loans are kept. Find out who has the device, then
        cancel the loan recorded in error on the Loans page.
      </p>
      <ul className="list">
        {clashes.map((clash) => (
          <li key={clash.loanDeviceId}>
            <strong>Device {clash.assetTag ?? clash.loanDeviceId.slice(0, 8)}</strong>
            <ul>
              {clash.loans.map((loan) => (
                <li key={loan.loanId}>
                  Lent to {loan.learnerName ?? 'a learner'} on {formatDate(loan.issuedOn)}
                  {loan.issuedBy ? ` by ${loan.issuedBy}` : ''}, due back {formatDate(loan.dueBack)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <p className="conflict-record__link">
        <Link to="/loans">Go to Loans to cancel a loan</Link>
      </p>
    </section>
  );
}

/** Says what was decided; takes focus, since the conflict it was on has gone from the list. */
function ResolvedBanner({ resolved }: { resolved: Resolved }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [resolved]);
  return (
    <div className="banner banner--success" role="status" tabIndex={-1} ref={ref}>
      <p className="banner__text">{resolved.words}</p>
    </div>
  );
}
