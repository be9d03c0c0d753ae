// Hybrid logical clock (as Actual Budget's): wall time, a counter and the node, as one sortable string.
// Sync orders concurrent field edits by these stamps, never by the device's createdAt/updatedAt.

export type HlcState = { millis: number; counter: number; node: string };

/** Clocks further ahead of the local wall clock than this are refused (a tablet's clock set wrongly). */
export const MAX_CLOCK_DRIFT_MS = 5 * 60 * 1000;
const MAX_COUNTER = 0xffff;

export class ClockError extends Error {
  constructor(
    readonly code: 'clock-drift' | 'clock-counter-overflow' | 'clock-invalid',
    message: string,
  ) {
    super(message);
    this.name = 'ClockError';
  }
}

/** A node id for the clock: 16 hex characters taken from the device id. */
export function clockNodeFromDeviceId(deviceId: string): string {
  return deviceId
    .replace(/[^0-9a-f]/gi, '')
    .toLowerCase()
    .padEnd(16, '0')
    .slice(-16);
}

export function formatHlc(state: HlcState): string {
  return `${new Date(state.millis).toISOString()}-${state.counter.toString(16).padStart(4, '0')}-${state.node}`;
}

export function parseHlc(stamp: string): HlcState {
  const match = /^(.+Z)-([0-9a-f]{4})-([0-9a-f]{16})$/.exec(stamp);
  if (!match) throw new ClockError('clock-invalid', `Not a clock stamp: ${stamp}`);
  return { millis: Date.parse(match[1] ?? ''), counter: parseInt(match[2] ?? '0', 16), node: match[3] ?? '' };
}

/** Advances the clock for a local event; returns the new state (its formatted form stamps the event).
 * When the counter is exhausted the stamp moves to the next millisecond, keeping stamps unique and ordered. */
export function tickHlc(previous: HlcState, wallMillis: number): HlcState {
  const millis = Math.max(previous.millis, wallMillis);
  const counter = millis === previous.millis ? previous.counter + 1 : 0;
  // A local write is never refused for drift (the tablet's clock may have been corrected backwards):
  // the clock just keeps counting from its last stamp. Drift is checked on stamps received from others.
  if (counter > MAX_COUNTER) {
    return { millis: millis + 1, counter: 0, node: previous.node };
  }
  return { millis, counter, node: previous.node };
}

/** Merges a stamp received from elsewhere, so later local events sort after it. */
export function receiveHlc(local: HlcState, remoteStamp: string, wallMillis: number): HlcState {
  const remote = parseHlc(remoteStamp);
  if (remote.millis - wallMillis > MAX_CLOCK_DRIFT_MS) {
    throw new ClockError('clock-drift', 'A received change is stamped more than five minutes in the future');
  }
  const millis = Math.max(local.millis, remote.millis, wallMillis);
  let counter = 0;
  if (millis === local.millis && millis === remote.millis)
    counter = Math.max(local.counter, remote.counter) + 1;
  else if (millis === local.millis) counter = local.counter + 1;
  else if (millis === remote.millis) counter = remote.counter + 1;
  if (counter > MAX_COUNTER)
    throw new ClockError('clock-counter-overflow', 'Too many changes in one millisecond');
  return { millis, counter, node: local.node };
}
