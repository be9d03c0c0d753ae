import { Loading } from '../components/Loading';
import { formatDate } from '../learners/formatDates';
import { useTimeline } from './useTimeline';
import './journey.css';

/** The learner's journey, oldest first: enrolments, sessions, assessments, goals, awards, outcomes, loans. */
export function TimelineSection({ learnerId }: { learnerId: string }) {
  const entries = useTimeline(learnerId);
  return (
    <section className="section" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">Timeline</h2>
      {entries === undefined ? (
        <Loading />
      ) : entries.length === 0 ? (
        <p>Nothing recorded for this learner on this device yet.</p>
      ) : (
        <>
          <p className="hint">Oldest first.</p>
          <ol className="timeline" aria-labelledby="timeline-heading">
            {entries.map((entry) => (
              <li key={entry.key} className="timeline__entry">
                <time className="timeline__date" dateTime={entry.on}>
                  {formatDate(entry.on)}
                </time>
                <span className="timeline__text">{entry.text}</span>
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
