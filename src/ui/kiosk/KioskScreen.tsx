import { type ReactNode, lazy } from 'react';
import type { KioskRow } from '../../db/database';
import type { KioskScreen as Screen } from '../../domain/kiosk';
import { LockedOutScreen } from '../lock/LockedOutScreen';
import type { LockView } from '../lock/useLockScreen';
import { KioskErrorBoundary } from './KioskErrorBoundary';
import { KioskLearnerScreen } from './KioskLearnerScreen';
import { KioskPausedScreen } from './KioskPausedScreen';

const ChoosePinScreen = lazy(() =>
  import('../lock/ChoosePinScreen').then((m) => ({ default: m.ChoosePinScreen })),
);

function assertNever(value: never): never {
  throw new Error(`Unexpected kiosk screen: ${String(value)}`);
}

type Props = {
  kiosk: KioskRow;
  lock: LockView;
  screen: Screen;
  /** The page asked for: shown only when it is the sign-in page and the tablet is locked out. */
  children: ReactNode;
};

/** In place of every page while the kiosk is on (see kioskScreenFor). */
export function KioskScreen(props: Props) {
  return (
    <KioskErrorBoundary key={props.screen}>
      <ScreenFor {...props} />
    </KioskErrorBoundary>
  );
}

function ScreenFor({ kiosk, lock, screen, children }: Props) {
  // A screen other than 'no-user' always has someone the tablet is locked to.
  const user = lock.user;
  if (user === null) return null;
  switch (screen) {
    case 'learner':
      return <KioskLearnerScreen kiosk={kiosk} userId={user.id} />;
    case 'paused':
      return <KioskPausedScreen key={user.id} kiosk={kiosk} userId={user.id} />;
    case 'locked-out':
      return <LockedOutScreen />;
    case 'sign-in':
      return children;
    case 'choose-pin':
      return <ChoosePinScreen key={user.id} user={user} />;
    default:
      return assertNever(screen);
  }
}
