import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { listProgrammes } from '../../db/programmes';
import { PROGRAMME_LEVELS, PROGRAMME_STATUSES, PROGRAMME_TYPES, labelOf } from '../../domain/codeLists';
import { Loading } from '../components/Loading';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';

export function ProgrammesPage() {
  usePageTitle('Programmes');
  const programmes = useLiveQuery(() => listProgrammes(db), []);
  const saved = useSuccessMessage();

  return (
    <>
      <h1>Programmes</h1>
      <SuccessBanner message={saved} />
      <p>Courses and drop-ins. Open a programme to enrol learners or plan its sessions.</p>
      <Link className="button" to="/programmes/new">
        Add a programme
      </Link>
      {programmes === undefined ? (
        <Loading />
      ) : programmes.length === 0 ? (
        <p>There are no programmes yet.</p>
      ) : (
        <ul className="list">
          {programmes.map((programme) => (
            <li key={programme.id}>
              <Link className="card-link" to={`/programmes/${programme.id}`}>
                {programme.title}
              </Link>
              <span className="meta">
                {labelOf(PROGRAMME_TYPES, programme.type)},{' '}
                {labelOf(PROGRAMME_LEVELS, programme.level).toLowerCase()}
              </span>
              <span className="tag">{labelOf(PROGRAMME_STATUSES, programme.status)}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
