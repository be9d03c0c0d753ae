import { Fragment, type ReactNode } from 'react';
import { isCoordinator } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { Loading } from './Loading';

/**
 * A page only a coordinator uses: a loading state while this device reads who is signed in, what
 * anyone else sees instead, and the page itself, keyed by the user so that another coordinator
 * signing in on this tablet starts with a fresh page.
 */
export function CoordinatorPage({
  title,
  notForYou,
  children,
}: {
  title: string;
  notForYou: (signedIn: SignedInUser | null) => ReactNode;
  children: (me: SignedInUser) => ReactNode;
}) {
  const signedIn = useSignedInUser();
  if (signedIn === undefined) return <LoadingPage title={title} />;
  if (!isCoordinator(signedIn)) return notForYou(signedIn);
  return <Fragment key={signedIn.id}>{children(signedIn)}</Fragment>;
}

function LoadingPage({ title }: { title: string }) {
  usePageTitle(title);
  return (
    <>
      <h1>{title}</h1>
      <Loading />
    </>
  );
}
