import { Link } from 'react-router';
import { usePageTitle } from './hooks/usePageTitle';

export function NotFound() {
  usePageTitle('Page not found');
  return (
    <>
      <h1>Page not found</h1>
      <p>
        This page does not exist on this device. <Link to="/">Go to today's sessions</Link>.
      </p>
    </>
  );
}
