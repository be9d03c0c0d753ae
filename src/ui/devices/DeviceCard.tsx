import { useState } from 'react';
import { type DeviceSummary, type ReportedHealth, deviceStatus } from '../../domain/devices';
import { CardOutcome } from '../components/CardOutcome';
import { ConfirmGroup } from '../components/ConfirmGroup';
import { useCardAction } from '../hooks/useCardAction';
import { formatBytes } from '../components/formatBytes';
import { formatDateTime } from '../learners/formatDates';
import { syncApi } from '../sync/appSync';

function assertNever(value: never): never {
  throw new Error(`Unexpected device status: ${JSON.stringify(value)}`);
}

function statusWords(device: DeviceSummary): string {
  const status = deviceStatus(device);
  switch (status.kind) {
    case 'in-use':
      return 'In use';
    case 'lost':
      return `Reported lost on ${formatDateTime(status.lostAt)} — waiting for it to connect`;
    case 'erased':
      return `Reported lost; data erased on ${formatDateTime(status.erasedAt)}`;
    default:
      return assertNever(status);
  }
}

function changesWaitingWords(health: ReportedHealth | null): string {
  if (health === null) return 'Not reported yet';
  const { outboxLength, oldestChangeAt } = health;
  if (outboxLength === null) return 'Not known';
  if (outboxLength === 0) return 'None';
  return oldestChangeAt
    ? `${outboxLength}, the oldest made on ${formatDateTime(oldestChangeAt)}`
    : `${outboxLength}`;
}

function storageWords(health: ReportedHealth | null): string {
  if (health === null) return 'Not reported yet';
  if (health.storagePersisted === null) return 'Not known';
  return health.storagePersisted
    ? 'Yes'
    : 'No: the browser may clear the app’s data if the device runs short of space';
}

function quotaWords(health: ReportedHealth | null): string {
  if (health === null) return 'Not reported yet';
  return health.quotaLeftBytes === null ? 'Not known' : formatBytes(health.quotaLeftBytes);
}

function lastContactWords(device: DeviceSummary, daysSilent: number | null): string {
  if (!device.lastSeenAt) return 'Never';
  const when = formatDateTime(device.lastSeenAt);
  if (daysSilent === null || daysSilent < 1) return when;
  return `${when} (${daysSilent} ${daysSilent === 1 ? 'day' : 'days'} ago)`;
}

/**
 * One device on the Devices page: who registered it, when it was last heard from, what it last
 * reported, and whether it was reported lost. Reporting goes to the server at once, after a
 * confirmation; this device cannot be reported from itself.
 */
export function DeviceCard({
  device,
  isThisDevice,
  daysSilent,
  silentTooLong,
  onReported,
}: {
  device: DeviceSummary;
  isThisDevice: boolean;
  /** Whole days since it was last in touch (null: reported lost, followed by its status instead). */
  daysSilent: number | null;
  /** Out of touch longer than the threshold the coordinator chose. */
  silentTooLong: boolean;
  onReported: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const { busy, done, problem, clear, run, say } = useCardAction();
  const name = isThisDevice ? 'This device' : `${device.registeredByName}’s device`;
  const registered = formatDateTime(device.registeredAt);
  // Said after the button's name, so each device's button is told apart by ear.
  const which = isThisDevice ? '' : ` (${name}, registered ${registered})`;
  const headingId = `device-${device.id}`;
  const inUse = deviceStatus(device).kind === 'in-use';

  const reportLost = async () => {
    const result = await run(() => syncApi.markDeviceLost(device.id), 'Not reported as lost.');
    setConfirming(false);
    if (!result.ok) return;
    say(
      `${name} is reported lost. The next time it connects, it sends any changes it holds, then erases everything on it.`,
    );
    onReported();
  };

  return (
    <li aria-labelledby={headingId}>
      <h3 id={headingId}>{name}</h3>
      {silentTooLong ? <p className="tag tag--warning">Not in touch for {daysSilent} days</p> : null}
      <dl className="summary-list">
        <dt>Registered by</dt>
        <dd>{device.registeredByName}</dd>
        <dt>Registered</dt>
        <dd>{registered}</dd>
        <dt>Last contact</dt>
        <dd>{lastContactWords(device, daysSilent)}</dd>
        <dt>App version</dt>
        <dd>{device.appVersion ?? 'Not known'}</dd>
        <dt>Changes it had to send at its last contact</dt>
        <dd>{changesWaitingWords(device.health)}</dd>
        <dt>Storage kept by the browser (last reported)</dt>
        <dd>{storageWords(device.health)}</dd>
        <dt>Storage space left (last reported)</dt>
        <dd>{quotaWords(device.health)}</dd>
        <dt>Status</dt>
        <dd>{statusWords(device)}</dd>
      </dl>

      {!inUse ? null : isThisDevice ? (
        <p className="hint">You are using this device. To report it as lost, use another one.</p>
      ) : confirming ? (
        <ConfirmGroup
          label={`Confirm reporting ${name} as lost`}
          confirm="Yes, report it as lost"
          warning
          busy={busy}
          onConfirm={() => void reportLost()}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The next time it connects, it sends any changes it holds, then erases everything on it. Anyone
            using it will need to sign in again.
          </p>
        </ConfirmGroup>
      ) : (
        <div className="button-group">
          <button
            type="button"
            className="button button--warning"
            onClick={() => {
              clear();
              setConfirming(true);
            }}
          >
            Report as lost<span className="visually-hidden">{which}</span>
          </button>
        </div>
      )}
      <CardOutcome done={done} problem={problem} />
    </li>
  );
}
