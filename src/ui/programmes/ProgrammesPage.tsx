import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { listProgrammes } from '../../db/programmes';
import { PROGRAMME_LEVELS, PROGRAMME_STATUSES, PROGRAMME_TYPES, labelOf } from '../../domain/codeLists';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { CoordinatorOnly } from '../components/CoordinatorOnly';

export function ProgrammesPage() {
  usePageTitle('Programmes');
  const programmes = useLiveQuery(() => listProgrammes(db), []);
  const saved = useSuccessMessage();
  const signedIn = useSignedInUser();

  return (
    <>
      <h1>Programmes</h1>
      <SuccessBanner message={saved} />
      <p>Courses and drop-ins. Open a programme to enrol learners or plan its sessions.</p>
      {signedIn === undefined ? null : mayChangeVenuesAndProgrammes(signedIn) ? (
        <Link className="button" to="/programmes/new">
          Add a programme
        </Link>
      ) : (
        <CoordinatorOnly />
      )}
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
