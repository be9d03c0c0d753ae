import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { listVenues } from '../../db/venues';
import { formatPostcode } from '../../domain/postcode';
import { mayChangeVenuesAndProgrammes } from '../../domain/roles';
import { Loading } from '../components/Loading';
import { SuccessBanner, useSuccessMessage } from '../components/SuccessBanner';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { CoordinatorOnly } from '../components/CoordinatorOnly';

export function VenuesPage() {
  usePageTitle('Venues');
  const venues = useLiveQuery(() => listVenues(db), []);
  const saved = useSuccessMessage();
  const signedIn = useSignedInUser();

  return (
    <>
      <h1>Venues</h1>
      <SuccessBanner message={saved} />
      <p>The places where you run sessions.</p>
      {signedIn === undefined ? null : mayChangeVenuesAndProgrammes(signedIn) ? (
        <Link className="button" to="/venues/new">
          Add a venue
        </Link>
      ) : (
        <CoordinatorOnly />
      )}
      {venues === undefined ? (
        <Loading />
      ) : venues.length === 0 ? (
        <p>There are no venues yet.</p>
      ) : (
        <ul className="list">
          {venues.map((venue) => (
            <li key={venue.id}>
              <Link className="card-link" to={`/venues/${venue.id}`}>
                {venue.name}
              </Link>
              <span className="meta">
                {[venue.address.replace(/\s*\n\s*/g, ', '), formatPostcode(venue.postcode)]
                  .filter(Boolean)
                  .join(', ')}
              </span>
              {venue.active ? null : <span className="tag tag--inactive">Not in use</span>}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
