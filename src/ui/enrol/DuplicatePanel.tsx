import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import type { DuplicateMatch } from '../../db/learners';
import { type DuplicateReason, fullName } from '../../domain/people';
import { formatPostcode } from '../../domain/postcode';
import { formatDate } from '../learners/formatDates';

const REASON_WORDS: Record<DuplicateReason, string> = {
  'name-and-date-of-birth': 'same name and date of birth',
  email: 'same email',
  phone: 'same phone',
};

/**
 * Shown before saving when the learner may already be on this device. Takes focus (like the error
 * summary) so the tutor meets it at once; the form below keeps everything typed.
 */
export function DuplicatePanel({
  matches,
  focusKey,
  onEnrolAsNew,
}: {
  matches: DuplicateMatch[];
  focusKey: number;
  onEnrolAsNew: () => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  return (
    <div
      className="banner banner--warning"
      role="alert"
      tabIndex={-1}
      ref={ref}
      aria-labelledby="duplicates-title"
    >
      <h2 id="duplicates-title" className="banner__title">
        This learner may already be on this device
      </h2>
      <p>Check these records before you enrol them. Your answers are kept on this page.</p>
      <ul className="list">
        {matches.map(({ learner, reasons }) => {
          const name = fullName(learner);
          return (
            <li key={learner.id}>
              <strong>{name}</strong>
              <span className="meta">Date of birth: {formatDate(learner.dateOfBirth)}</span>
              <span className="meta">
                Postcode: {learner.postcode ? formatPostcode(learner.postcode) : 'none'}
              </span>
              <span className="meta">Why: {reasons.map((reason) => REASON_WORDS[reason]).join(', ')}</span>
              <Link to={`/learners/${learner.id}`}>Open {name}'s record</Link>
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button--secondary" onClick={onEnrolAsNew}>
        They are a different person – enrol as new
      </button>
    </div>
  );
}
