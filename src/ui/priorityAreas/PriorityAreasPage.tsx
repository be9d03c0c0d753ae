import { useState } from 'react';
import { Link } from 'react-router';
import type { PriorityAreasSummary } from '../../domain/priorityAreas';
import { isTutor } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { ErrorSummary } from '../components/ErrorSummary';
import type { SummaryError } from '../components/formErrors';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerList } from '../hooks/useServerList';
import { syncApi } from '../sync/appSync';
import { PostcodeImportForm } from './PostcodeImportForm';
import { PriorityAreasForm } from './PriorityAreasForm';
import { PriorityAreasSummaryList } from './PriorityAreasSummaryList';
import { useIsOnline } from '../hooks/useIsOnline';

const TITLE = 'Priority areas';

/**
 * /priority-areas: a coordinator sets the organisation's priority areas (postcode districts and
 * sectors, and imported postcodes with deprivation deciles). Kept on the server: needs a connection.
 */
export function PriorityAreasPage() {
  return (
    <CoordinatorPage title={TITLE} notForYou={(signedIn) => <NotForYou signedIn={signedIn} />}>
      {() => <PriorityAreasManager />}
    </CoordinatorPage>
  );
}

function PageTitle({ hasErrors = false }: { hasErrors?: boolean }) {
  usePageTitle(TITLE, hasErrors);
  return null;
}

/** What a tutor, or a tablet no one has signed in on, sees instead of the page. */
function NotForYou({ signedIn }: { signedIn: SignedInUser | null }) {
  return (
    <>
      <PageTitle />
      <h1>{TITLE}</h1>
      <p>Only a coordinator can set the organisation’s priority areas.</p>
      {isTutor(signedIn) ? null : (
        <p>
          No coordinator is signed in on this tablet. <Link to="/sign-in">Sign in as a coordinator</Link> to
          set them.
        </p>
      )}
    </>
  );
}

type FormName = 'areas' | 'import';

function PriorityAreasManager() {
  // Opening the page again asks the server again, as does "Try again".
  const { value: summary, problem, askAgain, replace } = useServerList(() => syncApi.priorityAreas());
  const online = useIsOnline();
  const [errors, setErrors] = useState<Record<FormName, SummaryError[]>>({ areas: [], import: [] });
  const [focusKey, setFocusKey] = useState(0);
  const errorsFor = (form: FormName) => (list: SummaryError[]) => {
    setErrors((before) => ({ ...before, [form]: list }));
    if (list.length > 0) setFocusKey((key) => key + 1);
  };
  const showSummary = (next: PriorityAreasSummary) => replace(() => next);
  const summaryErrors = [...errors.areas, ...errors.import];

  return (
    <>
      <PageTitle hasErrors={summaryErrors.length > 0} />
      <ErrorSummary errors={summaryErrors} focusKey={focusKey} />
      <h1>{TITLE}</h1>
      <p>
        Priority areas are the places your funders most want you to reach: neighbourhoods with high
        unemployment or deprivation. Each learner is counted as in or not in a priority area from their
        postcode, once, when the server first has it; the dashboard shows how many you reach.
      </p>
      {online ? null : (
        <div className="notice" role="status">
          <h2>You are offline</h2>
          <p>
            Priority areas are kept on the server, so changing them needs a connection. Anything you type
            stays on this page: save it when you are back online.
          </p>
        </div>
      )}
      <ServerListProblem title="Could not get the priority areas" problem={problem} onRetry={askAgain} />
      {summary === null ? (
        problem ? null : (
          <Loading />
        )
      ) : (
        <>
          <PriorityAreasSummaryList summary={summary} />
          <PriorityAreasForm summary={summary} onSaved={showSummary} onErrors={errorsFor('areas')} />
          <PostcodeImportForm summary={summary} onImported={showSummary} onErrors={errorsFor('import')} />
        </>
      )}
    </>
  );
}
