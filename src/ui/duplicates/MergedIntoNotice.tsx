import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { getLearner } from '../../db/learners';
import { fullName } from '../../domain/people';

/**
 * On the page of a learner merged into another: whose record it was merged into, with a link to it,
 * or, when that record is not on this tablet (a tutor who does not teach them), says so rather than
 * linking to a page that would say "not found".
 */
export function MergedIntoNotice({ keptId }: { keptId: string }) {
  const kept = useLiveQuery(async () => (await getLearner(db, keptId)) ?? null, [keptId]);
  if (kept === undefined) return null;
  const name = kept && !kept.deleted ? fullName(kept) : null;
  return (
    <div className="inset">
      {name ? (
        <p>
          This record was merged into {name}’s record, which holds their enrolments, attendance and the rest.{' '}
          <Link to={`/learners/${keptId}`}>Open {name}’s record</Link>.
        </p>
      ) : (
        <p>This record was merged into another learner’s record, which is not on this tablet.</p>
      )}
    </div>
  );
}
