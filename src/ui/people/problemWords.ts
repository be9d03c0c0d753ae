import type { ApiFailure } from '../../api/syncApi';

/** A People call's failure in words a coordinator can act on: the server's own words when it gave some. */
export function problemWords(failure: ApiFailure): string {
  switch (failure.kind) {
    case 'offline':
      return 'There is no connection to the server. Connect to the internet and try again.';
    case 'not-signed-in':
      return 'You are no longer signed in on this tablet. Sign in again and try again.';
    default:
      return failure.message;
  }
}
