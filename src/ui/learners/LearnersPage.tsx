import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { db } from '../../db/instance';
import { searchLearners } from '../../db/learners';
import { fullName } from '../../domain/people';
import { formatPostcode } from '../../domain/postcode';
import type { Learner } from '../../domain/records';
import { isCoordinator } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { formatDate } from './formatDates';

function resultCount(count: number, searching: boolean): string {
  if (!searching) return count === 1 ? '1 learner on this device' : `${count} learners on this device`;
  if (count === 0) return 'No learners found';
  return count === 1 ? '1 learner found' : `${count} learners found`;
}

/** /learners: find a learner by name, postcode or date of birth, as the tutor types. */
export function LearnersPage() {
  usePageTitle('Learners');
  // The search lives in the address, so coming back from a learner's page keeps it.
  const [searchParams, setSearchParams] = useSearchParams();
  // Typed text is local state (a navigation per keystroke must never lag the input), copied to the URL.
  const [text, setText] = useState(() => searchParams.get('q') ?? '');
  // The results say which search they answer: until the new one answers, the list and its count
  // (announced by screen readers) stay those of the last search, never the last list under a new count.
  const results = useLiveQuery(async () => ({ text, learners: await searchLearners(db, text) }), [text]);
  const learners = results?.learners;
  const searching = results !== undefined && results.text.trim() !== '';
  const signedIn = useSignedInUser();

  return (
    <>
      <h1>Learners</h1>
      {isCoordinator(signedIn) ? (
        <p>
          <Link to="/learners/duplicates">Possible duplicates</Link>: learners who may have been enrolled
          twice.
        </p>
      ) : null}
      <form role="search" className="search" onSubmit={(event) => event.preventDefault()}>
        <div className="form-group">
          <label className="label" htmlFor="learner-search">
            Search by name, postcode or date of birth
          </label>
          <div className="hint" id="learner-search-hint">
            For example, Smith, L20 3NJ or 27/3/1960
          </div>
          <input
            id="learner-search"
            className="input"
            type="search"
            autoComplete="off"
            spellCheck={false}
            aria-describedby="learner-search-hint"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setSearchParams(event.target.value ? { q: event.target.value } : {}, { replace: true });
            }}
          />
        </div>
      </form>
      {learners === undefined ? (
        <Loading />
      ) : (
        <>
          <p role="status" className="result-count">
            {resultCount(learners.length, searching)}
          </p>
          {learners.length === 0 && !searching ? (
            <p>
              No one is enrolled on this device yet. To enrol a learner,{' '}
              <Link to="/programmes">choose a programme</Link>.
            </p>
          ) : null}
          {learners.length > 0 ? <LearnerList learners={learners} /> : null}
        </>
      )}
    </>
  );
}

function LearnerList({ learners }: { learners: Learner[] }) {
  return (
    <ul className="list">
      {learners.map((learner) => (
        <li key={learner.id}>
          {/* The details describe the link, so two learners with one name can be told apart. */}
          <Link
            className="card-link"
            to={`/learners/${learner.id}`}
            aria-describedby={`learner-${learner.id}`}
          >
            {fullName(learner)}
            {learner.preferredName ? ` (${learner.preferredName})` : ''}
          </Link>
          <p className="meta learner-result__meta" id={`learner-${learner.id}`}>
            Date of birth: {formatDate(learner.dateOfBirth)}
            <br />
            Postcode: {learner.postcode ? formatPostcode(learner.postcode) : 'none'}
          </p>
        </li>
      ))}
    </ul>
  );
}
