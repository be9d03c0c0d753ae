import { useLiveQuery } from 'dexie-react-hooks';
import { Link } from 'react-router';
import { db } from '../../db/instance';
import { getSyncState } from '../../db/syncState';
import { useState } from 'react';
import {
  DEFAULT_SILENCE_THRESHOLD_DAYS,
  type DeviceSummary,
  SILENCE_THRESHOLDS_DAYS,
  type SilenceThresholdDays,
  daysSilent,
  isSilentTooLong,
} from '../../domain/devices';
import { isTutor } from '../../domain/roles';
import type { SignedInUser } from '../../domain/sync/status';
import { CoordinatorPage } from '../components/CoordinatorPage';
import { Loading } from '../components/Loading';
import { ServerListProblem } from '../components/ServerListProblem';
import { usePageTitle } from '../hooks/usePageTitle';
import { useServerList } from '../hooks/useServerList';
import { syncApi } from '../sync/appSync';
import { DeviceCard } from './DeviceCard';

/** /devices: a coordinator's list of the organisation's devices, where one is reported lost. Needs a connection. */
export function DevicesPage() {
  return (
    <CoordinatorPage title="Devices" notForYou={(signedIn) => <NotForYou signedIn={signedIn} />}>
      {(me) => <DeviceList me={me} />}
    </CoordinatorPage>
  );
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

function DeviceList({ me }: { me: SignedInUser }) {
  // Opening Devices again asks the server again (a device may have connected), as does a report.
  const { value: devices, problem, askAgain } = useServerList(() => syncApi.listDevices());
  // This device's server id: it is labelled, and cannot be reported lost from itself.
  const thisDeviceId = useLiveQuery(async () => (await getSyncState(db)).serverDeviceId, []);
  const [thresholdDays, setThresholdDays] = useState<SilenceThresholdDays>(DEFAULT_SILENCE_THRESHOLD_DAYS);
  // Read once per render of a fresh answer: "how long ago" is judged against the list's own moment.
  const [nowMs] = useState(() => Date.now());
  const silent = (devices ?? []).filter((device) => isSilentTooLong(device, nowMs, thresholdDays));
  const silentHolding = silent.reduce((sum, device) => sum + (device.health?.outboxLength ?? 0), 0);

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

      <ServerListProblem title="Could not get the list of devices" problem={problem} onRetry={askAgain} />
      <div className="form-group">
        <label className="label" htmlFor="silence-threshold">
          Flag devices not in touch for more than
        </label>
        <select
          id="silence-threshold"
          className="select"
          value={thresholdDays}
          onChange={(event) => setThresholdDays(Number(event.target.value) as SilenceThresholdDays)}
        >
          {SILENCE_THRESHOLDS_DAYS.map((days) => (
            <option key={days} value={days}>
              {days} days
            </option>
          ))}
        </select>
      </div>
      {devices && silent.length > 0 ? (
        <div className="notice" role="status">
          <h2>
            {silent.length === 1
              ? `1 device has not been in touch for more than ${thresholdDays} days`
              : `${silent.length} devices have not been in touch for more than ${thresholdDays} days`}
          </h2>
          <p>
            {silentHolding > 0
              ? `At their last contact they held ${silentHolding} unsent ${silentHolding === 1 ? 'change' : 'changes'}. `
              : ''}
            Ask whoever has them to connect to the internet and open the app, so nothing they hold is lost.
          </p>
        </div>
      ) : null}
      {devices === null || thisDeviceId === undefined ? (
        problem ? null : (
          <Loading />
        )
      ) : devices.length === 0 ? (
        <p>No device has signed in yet.</p>
      ) : (
        <ul className="list">
          {inListOrder(devices, thisDeviceId, silent).map((device) => (
            <DeviceCard
              key={device.id}
              device={device}
              isThisDevice={device.id === thisDeviceId}
              daysSilent={daysSilent(device, nowMs)}
              silentTooLong={silent.includes(device)}
              onReported={askAgain}
            />
          ))}
        </ul>
      )}
    </>
  );
}

/**
 * This device leads, then the devices out of touch too long (they need action), then the rest as the
 * server orders them (most recently heard from first).
 */
function inListOrder(
  devices: DeviceSummary[],
  thisDeviceId: string | null,
  silent: DeviceSummary[],
): DeviceSummary[] {
  const others = devices.filter((device) => device.id !== thisDeviceId);
  return [
    ...devices.filter((device) => device.id === thisDeviceId),
    ...others.filter((device) => silent.includes(device)),
    ...others.filter((device) => !silent.includes(device)),
  ];
}
