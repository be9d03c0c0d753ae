import { Suspense, lazy } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { isLockScreenShown } from '../domain/deviceLock';
import { kioskScreenFor } from '../domain/kiosk';
import { isCoordinator } from '../domain/roles';
import { Loading } from './components/Loading';
import { useAfterFirstRender } from './hooks/useAfterFirstRender';
import { useNewerVersionInAnotherTab } from './hooks/useNewerVersionInAnotherTab';
import { useSignedInUser } from './hooks/useSignedInUser';
import { useKiosk } from './kiosk/useKiosk';
import { DeviceLockGate } from './lock/DeviceLockGate';
import { LockNowButton } from './lock/LockNowButton';
import { useLockScreen } from './lock/useLockScreen';
import { UpdatePrompt } from './UpdatePrompt';

// The sync status comes just after the first screen: it brings the sync client and its schemas, which
// Today does not need to show the day's sessions, and reads of its own.
const SyncStatus = lazy(async () => ({ default: (await import('./SyncStatus')).SyncStatus }));
const KioskScreen = lazy(async () => ({ default: (await import('./kiosk/KioskScreen')).KioskScreen }));

type NavItem = { to: string; label: string; end: boolean };

const NAV: readonly NavItem[] = [
  { to: '/', label: 'Today', end: true },
  { to: '/learners', label: 'Learners', end: false },
  { to: '/follow-ups', label: 'Follow-ups', end: false },
  { to: '/loans', label: 'Loans', end: false },
  { to: '/programmes', label: 'Programmes', end: false },
  { to: '/venues', label: 'Venues', end: false },
  { to: '/settings', label: 'Settings', end: false },
];

/**
 * Only a coordinator manages people and devices; shown once the sync row says one is signed in on
 * this device.
 */
const PEOPLE: NavItem = { to: '/people', label: 'People', end: false };
const DEVICES: NavItem = { to: '/devices', label: 'Devices', end: false };
const DASHBOARD: NavItem = { to: '/dashboard', label: 'Dashboard', end: false };

export function Layout() {
  const closedByNewerVersion = useNewerVersionInAnotherTab();
  // The small sync meta row only: the first screen stays light.
  const signedIn = useSignedInUser();
  const nav = isCoordinator(signedIn)
    ? [...NAV.slice(0, -1), DASHBOARD, PEOPLE, DEVICES, ...NAV.slice(-1)]
    : NAV;
  // The tablet's lock: while a lock screen takes the page's place, the header offers no way round it.
  const lock = useLockScreen();
  const { pathname } = useLocation();
  const locked = lock !== undefined && isLockScreenShown(lock.screen, pathname);
  // Kiosk mode: while it is on, every page of every tab is the kiosk (after a reload, a typed address
  // or in a new tab too), with no header links, sync details or "Lock now" round it.
  const kiosk = useKiosk();
  const kioskScreen = kiosk && lock ? kioskScreenFor(lock.screen, pathname) : null;
  const inKiosk = kioskScreen !== null;
  const hideNav = locked || inKiosk || kiosk === undefined;
  const syncStatusShown = useAfterFirstRender();
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <header className="header">
        <div className="header__inner">
          <span className="header__title">Outreach Register</span>
          {hideNav ? null : (
            <nav aria-label="Main">
              <ul className="nav">
                {nav.map((item) => (
                  <li key={item.to}>
                    <NavLink to={item.to} end={item.end} className="nav__link">
                      {item.label}
                    </NavLink>
                  </li>
                ))}
              </ul>
            </nav>
          )}
          {lock?.screen === 'open' && !inKiosk ? <LockNowButton /> : null}
        </div>
      </header>
      {inKiosk || !syncStatusShown ? null : (
        <Suspense fallback={null}>
          <SyncStatus />
        </Suspense>
      )}
      <UpdatePrompt offerReload={!inKiosk} />
      {closedByNewerVersion ? (
        <div className="update-prompt" role="alert">
          <p className="update-prompt__text">
            A newer version of the app was opened in another tab. Everything you saved is kept.
          </p>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload this tab
          </button>
        </div>
      ) : null}
      <main id="main" className="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          {kiosk === undefined ? (
            <Loading />
          ) : kiosk && lock && kioskScreen ? (
            <KioskScreen kiosk={kiosk} lock={lock} screen={kioskScreen}>
              <Outlet />
            </KioskScreen>
          ) : (
            <DeviceLockGate view={lock}>
              <Outlet />
            </DeviceLockGate>
          )}
        </Suspense>
      </main>
    </>
  );
}
