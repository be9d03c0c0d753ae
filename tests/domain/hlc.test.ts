import { describe, expect, it } from 'vitest';
import {
  ClockError,
  MAX_CLOCK_DRIFT_MS,
  clockNodeFromDeviceId,
  formatHlc,
  parseHlc,
  receiveHlc,
  tickHlc,
  type HlcState,
} from '../../src/domain/hlc';

const T0 = Date.parse('2026-11-23T10:00:00.000Z');
const NODE_A = '0123456789abcdef';
const NODE_B = 'fedcba9876543210';

function start(node: string, millis = T0, counter = 0): HlcState {
  return { millis, counter, node };
}

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function expectClockError(run: () => unknown, code: ClockError['code']): void {
  const error = thrownBy(run);
  expect(error).toBeInstanceOf(ClockError);
  expect((error as ClockError).code).toBe(code);
  expect((error as ClockError).name).toBe('ClockError');
}

describe('tickHlc', () => {
  it('increments the counter when the wall clock has not moved', () => {
    const first = tickHlc(start(NODE_A), T0);
    const second = tickHlc(first, T0);
    expect(first).toEqual({ millis: T0, counter: 1, node: NODE_A });
    expect(second).toEqual({ millis: T0, counter: 2, node: NODE_A });
    expect(formatHlc(second) > formatHlc(first)).toBe(true);
  });

  it('takes the wall clock and resets the counter when time moves on', () => {
    const state = tickHlc(start(NODE_A, T0, 7), T0 + 5);
    expect(state).toEqual({ millis: T0 + 5, counter: 0, node: NODE_A });
  });

  it('still increases when the wall clock goes backwards', () => {
    const before = start(NODE_A, T0, 3);
    const after = tickHlc(before, T0 - 60_000);
    expect(after).toEqual({ millis: T0, counter: 4, node: NODE_A });
    expect(formatHlc(after) > formatHlc(before)).toBe(true);
  });

  it('moves to the next millisecond after 65535 events in one millisecond, keeping stamps unique and ordered', () => {
    let state = start(NODE_A);
    const stamps = [formatHlc(state)];
    for (let i = 0; i < 0xffff; i += 1) {
      state = tickHlc(state, T0);
      stamps.push(formatHlc(state));
    }
    expect(state).toEqual({ millis: T0, counter: 0xffff, node: NODE_A });
    state = tickHlc(state, T0);
    stamps.push(formatHlc(state));
    expect(state).toEqual({ millis: T0 + 1, counter: 0, node: NODE_A });
    state = tickHlc(state, T0);
    stamps.push(formatHlc(state));
    expect(state).toEqual({ millis: T0 + 1, counter: 1, node: NODE_A });
    expect(new Set(stamps).size).toBe(stamps.length);
    expect(stamps.every((stamp, i) => i === 0 || (stamps[i - 1] ?? '') < stamp)).toBe(true);
  });

  it('never refuses a local event for drift: a clock ahead of the wall keeps counting from its last stamp', () => {
    const ahead = start(NODE_A, T0 + MAX_CLOCK_DRIFT_MS + 60_000, 2);
    expect(tickHlc(ahead, T0)).toEqual({
      millis: T0 + MAX_CLOCK_DRIFT_MS + 60_000,
      counter: 3,
      node: NODE_A,
    });
  });
});

describe('receiveHlc', () => {
  it('moves past a remote stamp that is ahead of both local clocks', () => {
    const remote = formatHlc(start(NODE_B, T0 + 1000, 4));
    const merged = receiveHlc(start(NODE_A, T0, 9), remote, T0);
    expect(merged).toEqual({ millis: T0 + 1000, counter: 5, node: NODE_A });
    expect(formatHlc(merged) > remote).toBe(true);
  });

  it('takes the larger counter plus one when local and remote share a millisecond', () => {
    expect(receiveHlc(start(NODE_A, T0, 2), formatHlc(start(NODE_B, T0, 8)), T0 - 10)).toEqual({
      millis: T0,
      counter: 9,
      node: NODE_A,
    });
    expect(receiveHlc(start(NODE_A, T0, 8), formatHlc(start(NODE_B, T0, 2)), T0 - 10)).toEqual({
      millis: T0,
      counter: 9,
      node: NODE_A,
    });
  });

  it('keeps the local clock when it is ahead of the remote stamp', () => {
    expect(receiveHlc(start(NODE_A, T0 + 50, 3), formatHlc(start(NODE_B, T0, 8)), T0)).toEqual({
      millis: T0 + 50,
      counter: 4,
      node: NODE_A,
    });
  });

  it('uses the wall clock with counter 0 when it is ahead of both', () => {
    expect(receiveHlc(start(NODE_A, T0, 3), formatHlc(start(NODE_B, T0 + 5, 8)), T0 + 100)).toEqual({
      millis: T0 + 100,
      counter: 0,
      node: NODE_A,
    });
  });

  it('refuses a remote stamp more than five minutes ahead of the wall clock', () => {
    const remote = formatHlc(start(NODE_B, T0 + MAX_CLOCK_DRIFT_MS + 1));
    expectClockError(() => receiveHlc(start(NODE_A), remote, T0), 'clock-drift');
  });

  it('accepts a remote stamp exactly five minutes ahead of the wall clock', () => {
    expect(MAX_CLOCK_DRIFT_MS).toBe(5 * 60 * 1000);
    const remote = formatHlc(start(NODE_B, T0 + MAX_CLOCK_DRIFT_MS, 3));
    expect(receiveHlc(start(NODE_A), remote, T0)).toEqual({
      millis: T0 + MAX_CLOCK_DRIFT_MS,
      counter: 4,
      node: NODE_A,
    });
  });

  it('throws clock-counter-overflow when the merged counter would pass 0xffff', () => {
    const remote = formatHlc(start(NODE_B, T0, 0xffff));
    expectClockError(() => receiveHlc(start(NODE_A, T0, 1), remote, T0), 'clock-counter-overflow');
  });

  it('refuses something that is not a stamp', () => {
    expect(thrownBy(() => receiveHlc(start(NODE_A), 'yesterday', T0))).toBeInstanceOf(ClockError);
  });
});

describe('stamps', () => {
  it('format as ISO time, four hex digits of counter and the node', () => {
    expect(formatHlc({ millis: T0, counter: 26, node: NODE_A })).toBe(
      '2026-11-23T10:00:00.000Z-001a-0123456789abcdef',
    );
  });

  it('parse back to the state they were formatted from', () => {
    for (const state of [start(NODE_A), start(NODE_B, T0 + 123, 0xffff), start(NODE_A, 0, 1)]) {
      expect(parseHlc(formatHlc(state))).toEqual(state);
    }
  });

  it.each([
    '',
    'not a stamp',
    '2026-11-23T10:00:00.000Z-1-0123456789abcdef',
    '2026-11-23T10:00:00.000Z-0001-xyz',
  ])('refuses to parse %j', (stamp) => {
    expectClockError(() => parseHlc(stamp), 'clock-invalid');
  });

  it('sort as strings in causal order across two devices', () => {
    const stamps: string[] = [];
    let a = start(NODE_A, T0 - 1);
    let b = start(NODE_B, T0 - 1);
    // A edits twice in one millisecond, B (whose wall clock is behind) receives and edits,
    // A's wall clock jumps back, A receives B's edit and edits again, then B edits after time moves on.
    a = tickHlc(a, T0);
    stamps.push(formatHlc(a));
    a = tickHlc(a, T0);
    stamps.push(formatHlc(a));
    b = receiveHlc(b, formatHlc(a), T0 - 2000);
    b = tickHlc(b, T0 - 2000);
    stamps.push(formatHlc(b));
    a = receiveHlc(a, formatHlc(b), T0 - 30_000);
    stamps.push(formatHlc(a));
    a = tickHlc(a, T0 - 30_000);
    stamps.push(formatHlc(a));
    b = receiveHlc(b, formatHlc(a), T0 + 1);
    stamps.push(formatHlc(b));
    b = tickHlc(b, T0 + 1);
    stamps.push(formatHlc(b));

    expect(new Set(stamps).size).toBe(stamps.length);
    expect([...stamps].sort()).toEqual(stamps);
  });

  it('sort a counter of ffff before the next millisecond', () => {
    expect(formatHlc(start(NODE_B, T0, 0xffff)) < formatHlc(start(NODE_A, T0 + 1, 0))).toBe(true);
  });
});

describe('clockNodeFromDeviceId', () => {
  it('takes 16 lower-case hex characters from a device UUID', () => {
    expect(clockNodeFromDeviceId('3B6F0C1E-8D2A-4C1B-9E5F-1A2B3C4D5E01')).toBe('9e5f1a2b3c4d5e01');
  });

  it('pads a short device id so stamps stay parseable', () => {
    const node = clockNodeFromDeviceId('tablet-7');
    expect(node).toMatch(/^[0-9a-f]{16}$/);
    expect(parseHlc(formatHlc(start(node))).node).toBe(node);
  });
});
