import { Link } from 'react-router';
import { LOCKED_OUT_MESSAGE } from '../../domain/deviceLock';
import { usePageTitle } from '../hooks/usePageTitle';

/** Five wrong PINs: no PIN opens the tablet now, only signing in online with the password. */
export function LockedOutScreen() {
  usePageTitle('This tablet is locked');
  return (
    <>
      <h1>This tablet is locked</h1>
      <p>{LOCKED_OUT_MESSAGE}</p>
      <p>Everything saved on this tablet is kept.</p>
      <p className="button-group">
        <Link to="/sign-in">Sign in with your password</Link>
      </p>
    </>
  );
}
