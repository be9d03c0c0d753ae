import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { localIsoDate } from '../../domain/dates';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatLongDate } from '../sessions/formatSession';
import { SessionList } from '../sessions/SessionList';
import { fromFirstScreen } from '../startup/firstScreen';
import { readToday } from './readToday';

export function TodayPage() {
  usePageTitle('Today');
  const today = localIsoDate();
  // A tutor is told a coordinator sets up venues and programmes, rather than offered the forms.
  const signedIn = useSignedInUser();
  // The app read the day at start (see startup/firstScreen): the first render shows it at once.
  const readAtStart = fromFirstScreen('today');
  const data = useLiveQuery(
    () => readToday(db, today),
    [today],
    readAtStart?.date === today ? readAtStart.data : undefined,
  );

  return (
    <>
      <h1>Today</h1>
      <p className="lead">{formatLongDate(today)}</p>
      <Link className="button" to="/sessions/new">
        Plan a session
      </Link>
      {/* Who is signed in is awaited too, so the screen never offers a tutor what it then takes away. */}
      {data === undefined || signedIn === undefined ? (
        <Loading />
      ) : (
        // data-screen-ready: the moment the screen shows real data (the cold-start benchmark waits for it).
        <div data-screen-ready="today">
          {data.hasProgrammes && data.hasSessions ? null : (
            <GettingStarted
              hasVenues={data.hasVenues}
              hasProgrammes={data.hasProgrammes}
              mayChangeVenuesAndProgrammes={mayChangeVenuesAndProgrammes(signedIn)}
            />
          )}
          <h2>Sessions today</h2>
          {data.today.length === 0 ? (
            <p>There are no sessions planned for today.</p>
          ) : (
            <SessionList summaries={data.today} />
          )}
          {data.unfinished.length > 0 ? (
            <>
              <h2>Registers to finish</h2>
              <p>A register is due within 24 hours of the session.</p>
              <SessionList summaries={data.unfinished} showDate unfinished />
            </>
          ) : null}
          <h2>Coming up</h2>
          {data.upcoming.length === 0 ? (
            <p>There are no sessions planned after today.</p>
          ) : (
            <SessionList summaries={data.upcoming} showDate />
          )}
        </div>
      )}
    </>
  );
}

function GettingStarted({
  hasVenues,
  hasProgrammes,
  mayChangeVenuesAndProgrammes,
}: {
  hasVenues: boolean;
  hasProgrammes: boolean;
  /** False for a tutor: a coordinator sets venues and programmes up, and the tutor's pages only show them. */
  mayChangeVenuesAndProgrammes: boolean;
}) {
  const done = <span className="tag tag--done">Done</span>;
  return (
    <section className="set-apart" aria-labelledby="getting-started">
      <h2 id="getting-started">Getting started</h2>
      <p>Three steps before you take your first register:</p>
      <ol className="steps">
        {mayChangeVenuesAndProgrammes ? (
          <>
            <li>
              <Link to="/venues/new">Add a venue</Link> {hasVenues ? done : null}
              <span className="meta">Where you run sessions</span>
            </li>
            <li>
              <Link to="/programmes/new">Add a programme</Link> {hasProgrammes ? done : null}
              <span className="meta">A course or drop-in</span>
            </li>
          </>
        ) : (
          <>
            <li>
              A coordinator sets up the venues {hasVenues ? done : null}
              <span className="meta">Where you run sessions. They reach this tablet when it syncs.</span>
            </li>
            <li>
              A coordinator sets up the programmes {hasProgrammes ? done : null}
              <span className="meta">Courses and drop-ins. If yours is missing, ask your coordinator.</span>
            </li>
          </>
        )}
        <li>
          <Link to="/sessions/new">Plan your first session</Link>
          <span className="meta">Then enrol learners and take the register</span>
        </li>
      </ol>
    </section>
  );
}
