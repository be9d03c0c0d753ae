import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import type { DeviceSummary } from '../../domain/devices';
import { isCoordinator, isTutor } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { Loading } from '../components/Loading';
import { usePageTitle } from '../hooks/usePageTitle';
import { useSignedInUser } from '../hooks/useSignedInUser';
import { ProblemBanner } from '../people/ProblemBanner';
import { problemWords } from '../people/problemWords';
import { syncApi } from '../sync/appSync';
import { DeviceCard } from './DeviceCard';

/** /devices: a coordinator's list of the organisation's devices, where one is reported lost. Needs a connection. */
export function DevicesPage() {
  const signedIn = useSignedInUser();
  if (signedIn === undefined) {
    return (
      <>
        <DevicesTitle />
        <h1>Devices</h1>
        <Loading />
      </>
    );
  }
  if (!isCoordinator(signedIn)) return <NotForYou signedIn={signedIn} />;
  // Keyed by the user: another coordinator signing in on this tablet starts with a fresh page.
  return <DeviceList key={signedIn.id} me={signedIn} />;
}

function DevicesTitle() {
  usePageTitle('Devices');
  return null;
}

/** What a tutor, or a tablet no one has signed in on, sees instead of the page. */
function NotForYou({ signedIn }: { signedIn: SignedInUser | null }) {
  return (
    <>
      <DevicesTitle />
      <h1>Devices</h1>
      <p>Only a coordinator can see the organisation’s devices and report one as lost.</p>
      {isTutor(signedIn) ? (
        <p>
          If a tablet or phone you use for the register is lost or stolen, tell your coordinator straight
          away. They can have it erase its data the next time it connects.
        </p>
      ) : (
        <p>
          No coordinator is signed in on this tablet. <Link to="/sign-in">Sign in as a coordinator</Link> to
          see the devices.
        </p>
      )}
    </>
  );
}

type Loaded = { devices: DeviceSummary[] | null; problem: string | null };

function DeviceList({ me }: { me: SignedInUser }) {
  const [loaded, setLoaded] = useState<Loaded>({ devices: null, problem: null });
  // Opening Devices again (its link while on it) asks the server again: a device may have connected.
  const { key: visit } = useLocation();
  // Bumped to ask the server again (after a report, or "Try again").
  const [asked, setAsked] = useState(0);
  // This device's server id: it is labelled, and cannot be reported lost from itself.
  const thisDeviceId = useLiveQuery(async () => (await getSyncState(db)).serverDeviceId, []);

  useEffect(() => {
    let current = true;
    void syncApi.listDevices().then((result) => {
      if (!current) return;
      // A failed refresh keeps the list already shown, with the reason beside it.
      setLoaded((before) =>
        result.ok
          ? { devices: result.value, problem: null }
          : { devices: before.devices, problem: problemWords(result.failure) },
      );
    });
    return () => {
      current = false;
    };
  }, [asked, visit]);

  const { devices, problem } = loaded;
  return (
    <>
      <DevicesTitle />
      <h1>Devices</h1>
      <p>
        Every tablet, phone or computer that has signed in to {me.organisationName ?? 'your organisation'}.
        Each one reports what it holds whenever it sends changes.
      </p>
      <p>
        If a device is lost or stolen, report it here. The next time it connects, it sends any changes it
        holds, then erases everything on it. This needs a connection to the server.
      </p>

      <ProblemBanner title="Could not get the list of devices" message={problem} />
      {problem ? (
        <p className="button-group">
          <button type="button" className="button button--secondary" onClick={() => setAsked((n) => n + 1)}>
            Try again
          </button>
        </p>
      ) : null}
      {devices === null || thisDeviceId === undefined ? (
        problem ? null : (
          <Loading />
        )
      ) : devices.length === 0 ? (
        <p>No device has signed in yet.</p>
      ) : (
        <ul className="list">
          {thisDeviceFirst(devices, thisDeviceId).map((device) => (
            <DeviceCard
              key={device.id}
              device={device}
              isThisDevice={device.id === thisDeviceId}
              onReported={() => setAsked((n) => n + 1)}
            />
          ))}
        </ul>
      )}
    </>
  );
}

/** This device leads, the rest as the server orders them (most recently heard from first). */
function thisDeviceFirst(devices: DeviceSummary[], thisDeviceId: string | null): DeviceSummary[] {
  return [
    ...devices.filter((device) => device.id === thisDeviceId),
    ...devices.filter((device) => device.id !== thisDeviceId),
  ];
}
