import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { learnersOnProgramme } from '../../db/learners';
import { sessionsOfProgramme } from '../../db/sessions';
import { Loading } from '../components/Loading';
import { SessionList } from '../sessions/SessionList';
import { summariseSessions } from '../sessions/summariseSessions';

/** An existing programme's learners and sessions, above its details form. */
export function ProgrammeActivity({ programmeId }: { programmeId: string }) {
  const activity = useLiveQuery(async () => {
    const [learners, sessions] = await Promise.all([
      learnersOnProgramme(db, programmeId),
      sessionsOfProgramme(db, programmeId),
    ]);
    return { enrolled: learners.length, sessions: await summariseSessions(db, sessions) };
  }, [programmeId]);

  if (activity === undefined) return <Loading />;
  const { enrolled, sessions } = activity;
  return (
    <>
      <h2>Learners</h2>
      <p>
        {enrolled === 0
          ? 'No one is enrolled yet.'
          : enrolled === 1
            ? '1 learner is enrolled.'
            : `${enrolled} learners are enrolled.`}
      </p>
      <Link className="button" to={`/programmes/${programmeId}/enrol`}>
        Enrol a learner on this programme
      </Link>
      <h2>Sessions</h2>
      {sessions.length === 0 ? (
        <p>No sessions are planned yet.</p>
      ) : (
        <SessionList summaries={sessions} showDate showProgramme={false} />
      )}
      <Link className="button button--secondary" to={`/sessions/new?programme=${programmeId}`}>
        Plan a session
      </Link>
    </>
  );
}
