import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { attendanceForSession, clearAttendance, markAttendance } from '../../db/attendance';
import { db } from '../../db/instance';
import { learnersOnProgramme } from '../../db/learners';
import { getProgramme } from '../../db/programmes';
import { getSession } from '../../db/sessions';
import { getTutorName } from '../../db/settings';
import { getVenue } from '../../db/venues';
import { SESSION_STATUSES, labelOf } from '../../domain/codeLists';
import type { AbsenceReason, Attendance, AttendanceMark } from '../../domain/records';
import { Loading } from '../components/Loading';
import { SaveErrorBanner } from '../components/SaveErrorBanner';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSaveError } from '../hooks/useSaveError';
import { KioskStart } from '../kiosk/KioskStart';
import { formatLongDate, formatTime, formatTimeRange } from '../sessions/formatSession';
import { RegisterRow } from './RegisterRow';
import { useShownMarks } from './useShownMarks';

/**
 * The register of one session. Each tap is one markAttendance call; the buttons' pressed state
 * comes back through the live query on the session's attendance, which re-renders only the
 * rows whose mark changed.
 */
export function RegisterPage() {
  const { sessionId = '' } = useParams();
  const header = useLiveQuery(async () => {
    const session = await getSession(db, sessionId);
    if (!session || session.deleted) return { session: null };
    const [programme, venue] = await Promise.all([
      getProgramme(db, session.programmeId),
      getVenue(db, session.venueId),
    ]);
    return {
      session,
      programmeTitle: programme?.title ?? 'Unknown programme',
      venueName: venue?.name ?? 'Unknown venue',
    };
  }, [sessionId]);
  const programmeId = header?.session?.programmeId;
  const learners = useLiveQuery(
    async () => (programmeId ? learnersOnProgramme(db, programmeId) : null),
    [programmeId],
  );
  const attendance = useLiveQuery(() => attendanceForSession(db, sessionId), [sessionId]);
  const tutorName = useLiveQuery(() => getTutorName(db), []);
  const { saveError, reportSaveError, clearSaveError } = useSaveError();
  const walkInEnrolled = useSuccessMessage();

  const session = header?.session ?? null;
  const markedBy = tutorName || session?.tutorNames[0] || '';
  const marks = useMemo(
    () => new Map<string, Attendance>((attendance ?? []).map((mark) => [mark.learnerId, mark])),
    [attendance],
  );

  const { shownMarks, show } = useShownMarks(marks);

  const onMark = useCallback(
    (learnerId: string, mark: AttendanceMark, absenceReason?: AbsenceReason) => {
      if (!session) return;
      clearSaveError();
      const shown = show(learnerId, { mark, absenceReason: absenceReason ?? null });
      markAttendance(db, { session, learnerId, mark, absenceReason, markedBy }).then(
        shown.saved,
        (error: unknown) => {
          shown.failed();
          reportSaveError(error);
        },
      );
    },
    [session, markedBy, clearSaveError, reportSaveError, show],
  );
  const onClear = useCallback(
    (learnerId: string) => {
      clearSaveError();
      const shown = show(learnerId, null);
      clearAttendance(db, sessionId, learnerId).then(shown.saved, (error: unknown) => {
        shown.failed();
        reportSaveError(error);
      });
    },
    [sessionId, clearSaveError, reportSaveError, show],
  );

  usePageTitle(header?.session ? `Register: ${header.programmeTitle}` : 'Register');

  if (header === undefined) return <Loading />;
  if (!header.session) {
    return (
      <>
        <h1>Session not found</h1>
        <p>
          This session is not on this device. <Link to="/">Go to today's sessions</Link>.
        </p>
      </>
    );
  }
  const { programmeTitle, venueName } = header;
  const current = header.session;
  const walkInLink = `/programmes/${current.programmeId}/enrol?session=${current.id}`;
  const markedCount = learners ? learners.filter((learner) => shownMarks.get(learner.id)).length : 0;

  return (
    <>
      <SuccessBanner message={walkInEnrolled} />
      <h1>{programmeTitle}</h1>
      <p className="session-facts">
        <span className="session-facts__when">
          {formatLongDate(current.date)}, {formatTimeRange(current)}
        </span>
        {current.actualStart || current.actualEnd ? (
          <span>
            Actual times: {current.actualStart ? formatTime(current.actualStart) : 'not recorded'} to{' '}
            {current.actualEnd ? formatTime(current.actualEnd) : 'not recorded'}
          </span>
        ) : null}
        <span>{venueName}</span>
        <span>Tutors: {current.tutorNames.join(', ')}</span>
        <span>
          <span className={`tag tag--${current.status}`}>{labelOf(SESSION_STATUSES, current.status)}</span>
        </span>
      </p>
      {current.status === 'cancelled' ? (
        <div className="inset">
          <p>This session was cancelled. Reason: {current.cancelledReason || 'not given'}.</p>
        </div>
      ) : null}
      <Link className="button button--secondary" to={`/sessions/${current.id}/edit`}>
        Edit session
      </Link>

      <h2>Register</h2>
      <div className="register__error">
        <SaveErrorBanner message={saveError} />
      </div>
      {learners === undefined || learners === null || attendance === undefined ? (
        <Loading />
      ) : (
        <>
          {learners.length === 0 ? (
            <>
              <p role="status">No one is enrolled on this programme yet.</p>
              <p>
                If someone has come along, add them as a walk-in: they are enrolled and marked present in one
                step.
              </p>
            </>
          ) : (
            <p className="register__count" role="status" aria-live="polite">
              {markedCount} of {learners.length} marked
            </p>
          )}
          <Link className="button button--secondary" to={walkInLink}>
            Add a walk-in learner
          </Link>
          {learners.length > 0 ? (
            <ul className="register">
              {learners.map((learner) => {
                const mark = shownMarks.get(learner.id);
                return (
                  <RegisterRow
                    key={learner.id}
                    learner={learner}
                    mark={mark?.mark}
                    absenceReason={mark?.absenceReason ?? null}
                    onMark={onMark}
                    onClear={onClear}
                  />
                );
              })}
            </ul>
          ) : null}
        </>
      )}
      <KioskStart session={current} />
    </>
  );
}
