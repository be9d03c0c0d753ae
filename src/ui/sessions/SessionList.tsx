import { Link } from 'react-router';
import { SESSION_STATUSES, labelOf } from '../../domain/codeLists';
import { formatLongDate, formatTimeRange } from './formatSession';
import type { SessionSummary } from './summariseSessions';

/**
 * Sessions as cards; one tap anywhere on a card opens its register. The link holds the title and
 * time (its accessible name); the rest of the card is covered by the link's stretched box.
 */
export function SessionList({
  summaries,
  showDate = false,
  unfinished = false,
  showProgramme = true,
}: {
  summaries: readonly SessionSummary[];
  showDate?: boolean;
  /** Past sessions whose register is not complete: say so. */
  unfinished?: boolean;
  /** False on a programme's own page, where every card would repeat its title. */
  showProgramme?: boolean;
}) {
  return (
    <ul className="session-list">
      {summaries.map(({ session, programmeTitle, venueName, enrolled, marked }) => {
        const when = showDate
          ? `${formatLongDate(session.date)}, ${formatTimeRange(session)}`
          : formatTimeRange(session);
        const progress = enrolled === 0 ? 'No one enrolled yet' : `${marked} of ${enrolled} marked`;
        return (
          <li key={session.id} className="session-card">
            <Link className="session-card__link" to={`/sessions/${session.id}`}>
              {showProgramme ? (
                <>
                  <span className="session-card__title">{programmeTitle}</span>
                  <span className="session-card__when">{when}</span>
                </>
              ) : (
                <span className="session-card__title">{when}</span>
              )}
            </Link>
            <span className="session-card__detail">{venueName}</span>
            <span className="session-card__detail">Tutors: {session.tutorNames.join(', ')}</span>
            <span className="session-card__detail">
              <span className={`tag tag--${session.status}`}>
                {labelOf(SESSION_STATUSES, session.status)}
              </span>{' '}
              {unfinished ? `Register not finished: ${progress}` : progress}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
