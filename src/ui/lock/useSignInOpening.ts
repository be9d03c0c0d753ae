import { useCallback, useRef, useState } from 'react';
import type { SignedInUser } from '../../domain/sync/status';
import { syncNow } from '../sync/appSync';
import { type SignInKey, openAfterSignIn } from './openAfterSignIn';

/** Why the tab did not open after an online sign-in, in words, and whether trying again may help. */
export type SignInOpeningProblem = { title: string; message: string; canRetry: boolean };

const TITLE = 'This tablet did not open';

function assertNever(value: never): never {
  throw new Error(`Unexpected sign-in outcome: ${JSON.stringify(value)}`);
}

function problemOf(taken: Exclude<SignInKey, { kind: 'opened' }>): SignInOpeningProblem {
  switch (taken.kind) {
    case 'no-secret':
      return {
        title: TITLE,
        message:
          taken.failure.kind === 'offline'
            ? 'You are signed in, but the tablet could not get the key to its records from the server: there is no connection. Connect to the internet and try again.'
            : `You are signed in, but the tablet could not get the key to its records from the server. ${taken.failure.message} Try again.`,
        canRetry: true,
      };
    case 'device-lost':
      return {
        title: TITLE,
        message:
          'This tablet was reported lost, so the server will not open its records. It sends anything not yet sent, then erases what it holds. Give it back to your coordinator.',
        canRetry: false,
      };
    case 'other-organisation':
      return {
        title: TITLE,
        message:
          'This tablet holds another organisation’s records. Someone from that organisation must sign in on it and hand it back (Sync, then “Hand this device back”) before you can use it.',
        canRetry: false,
      };
    default:
      return assertNever(taken);
  }
}

/**
 * The step of a sign-in page after the device has recorded who signed in: open this tab for them
 * (openAfterSignIn), then `onOpen` (sync, go on). When it does not open, `problem` says why and
 * `retry` tries again.
 */
export function useSignInOpening() {
  const [problem, setProblem] = useState<SignInOpeningProblem | null>(null);
  const [busy, setBusy] = useState(false);
  const pending = useRef<{ user: SignedInUser; onOpen: () => void } | null>(null);

  const open = useCallback(async (user: SignedInUser, onOpen: () => void): Promise<boolean> => {
    pending.current = { user, onOpen };
    setProblem(null);
    setBusy(true);
    try {
      const taken = await openAfterSignIn(user);
      if (taken.kind === 'opened') {
        pending.current = null;
        onOpen();
        return true;
      }
      // Lost: the sync engine sends what waits, then erases the device.
      if (taken.kind === 'device-lost') void syncNow();
      setProblem(problemOf(taken));
      return false;
    } catch (error) {
      console.error(error);
      setProblem({
        title: TITLE,
        message: 'You are signed in, but this tablet could not open its records. Try again.',
        canRetry: true,
      });
      return false;
    } finally {
      setBusy(false);
    }
  }, []);

  const retry = useCallback(() => {
    if (pending.current) void open(pending.current.user, pending.current.onOpen);
  }, [open]);

  return { problem, busy, open, retry };
}
