import { Link } from 'react-router';

/** What every learner's page shows for an id this device does not hold (the caller sets the title). */
export function LearnerNotFound() {
  return (
    <>
      <h1>Learner not found</h1>
      <p>
        This learner is not on this device. <Link to="/learners">Search for a learner</Link>.
      </p>
    </>
  );
}
