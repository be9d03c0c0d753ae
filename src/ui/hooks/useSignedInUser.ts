import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import type { SignedInUser } from '../../domain/sync/status';
import { fromFirstScreen } from '../startup/firstScreen';

/**
 * Who is signed in on this device, from the small sync meta row (live: a sign-in, a sign-out or a
 * sync that finds the session ended shows at once). undefined until read (the first render has the
 * read made at start), null when no one is.
 */
export function useSignedInUser(): SignedInUser | null | undefined {
  return useLiveQuery(async () => (await getSyncState(db)).user, [], fromFirstScreen('signedInUser'));
}
