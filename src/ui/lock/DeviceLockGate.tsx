import { type ReactNode, lazy } from 'react';
import { useLocation } from 'react-router';
import { isLockScreenShown } from '../../domain/deviceLock';
import { Loading } from '../components/Loading';
import { LockedOutScreen } from './LockedOutScreen';
import type { LockView } from './useLockScreen';
import { useIdleLock } from './useIdleLock';

// The forms load on demand (react-hook-form and zod are not on the first screen); the service
// worker has precached them, so they open offline too.
const ChoosePinScreen = lazy(() => import('./ChoosePinScreen').then((m) => ({ default: m.ChoosePinScreen })));
const UnlockScreen = lazy(() => import('./UnlockScreen').then((m) => ({ default: m.UnlockScreen })));

function assertNever(value: never): never {
  throw new Error(`Unexpected lock screen: ${String(value)}`);
}

/**
 * Renders the page only when the app is open (or no one is signed in, or the page is sign-in,
 * set-up or an invitation); otherwise the lock screen in its place, so nothing of the app's data
 * is on screen while locked. Runs the idle lock while open.
 */
export function DeviceLockGate({ view, children }: { view: LockView | undefined; children: ReactNode }) {
  const { pathname } = useLocation();
  useIdleLock(view?.screen === 'open');
  if (view === undefined) return <Loading />;
  if (!isLockScreenShown(view.screen, pathname) || view.user === null) return children;
  const screen = view.screen;
  switch (screen) {
    case 'choose-pin':
      return <ChoosePinScreen key={view.user.id} user={view.user} />;
    case 'unlock':
      return <UnlockScreen key={view.user.id} user={view.user} failedAttempts={view.failedAttempts} />;
    case 'locked-out':
      return <LockedOutScreen />;
    case 'open':
    case 'no-user':
      return children;
    default:
      return assertNever(screen);
  }
}
