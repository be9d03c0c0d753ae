import { describe, expect, it } from 'vitest';
import {
  MENU_MARKS,
  ONE_TAP_MARKS,
  REGISTER_DUE_WITHIN_MS,
  defaultMinutesFor,
  isAttendingMark,
  isMarkedLate,
  sessionMinutes,
} from '../../src/domain/attendance';
import { ATTENDANCE_MARKS } from '../../src/domain/codeLists';

const ALL_MARKS = ATTENDANCE_MARKS.map((entry) => entry.code);

describe('one-tap and menu marks', () => {
  it('put P, L and U on one tap', () => {
    expect([...ONE_TAP_MARKS]).toEqual(['P', 'L', 'U']);
  });

  it('partition the code list: every mark in exactly one of the two', () => {
    const oneTap: readonly string[] = ONE_TAP_MARKS;
    for (const code of ALL_MARKS) {
      expect(Number(oneTap.includes(code)) + Number(MENU_MARKS.includes(code))).toBe(1);
    }
    expect(ONE_TAP_MARKS.length + MENU_MARKS.length).toBe(ALL_MARKS.length);
  });

  it('keep the code list order in the menu', () => {
    expect(MENU_MARKS).toEqual(['AA', 'LE', 'R', 'X', 'W']);
  });
});

describe('isAttendingMark and defaultMinutesFor', () => {
  it.each(['P', 'L', 'LE', 'R'] as const)('%s counts as attending and gets the session length', (mark) => {
    expect(isAttendingMark(mark)).toBe(true);
    expect(defaultMinutesFor(mark, 120)).toBe(120);
  });

  it.each(['U', 'AA', 'X', 'W'] as const)('%s does not count as attending and gets no minutes', (mark) => {
    expect(isAttendingMark(mark)).toBe(false);
    expect(defaultMinutesFor(mark, 120)).toBe(0);
  });
});

describe('sessionMinutes', () => {
  const scheduled = {
    scheduledStart: '2026-11-30T10:00:00.000Z',
    scheduledEnd: '2026-11-30T12:00:00.000Z',
    actualStart: null,
    actualEnd: null,
  };

  it('uses the scheduled times when no actual times are recorded', () => {
    expect(sessionMinutes(scheduled)).toBe(120);
  });

  it('prefers the actual start and end', () => {
    expect(
      sessionMinutes({
        ...scheduled,
        actualStart: '2026-11-30T10:10:00.000Z',
        actualEnd: '2026-11-30T11:55:00.000Z',
      }),
    ).toBe(105);
    expect(sessionMinutes({ ...scheduled, actualStart: '2026-11-30T10:30:00.000Z' })).toBe(90);
  });

  it('rounds to whole minutes', () => {
    expect(sessionMinutes({ ...scheduled, actualEnd: '2026-11-30T10:45:40.000Z' })).toBe(46);
  });

  it('never gives a negative length', () => {
    expect(sessionMinutes({ ...scheduled, actualEnd: '2026-11-30T09:00:00.000Z' })).toBe(0);
  });
});

describe('isMarkedLate', () => {
  const end = '2026-11-30T12:00:00.000Z';

  it('is due within 24 hours', () => {
    expect(REGISTER_DUE_WITHIN_MS).toBe(24 * 60 * 60 * 1000);
  });

  it('is not late during or soon after the session', () => {
    expect(isMarkedLate(end, '2026-11-30T10:30:00.000Z')).toBe(false);
    expect(isMarkedLate(end, '2026-11-30T12:05:00.000Z')).toBe(false);
  });

  it('is not late at exactly 24 hours', () => {
    expect(isMarkedLate(end, '2026-12-01T12:00:00.000Z')).toBe(false);
  });

  it('is late one millisecond after 24 hours', () => {
    expect(isMarkedLate(end, '2026-12-01T12:00:00.001Z')).toBe(true);
    expect(isMarkedLate(end, '2026-12-03T09:00:00.000Z')).toBe(true);
  });

  it('compares instants, whatever offset they are written in', () => {
    expect(isMarkedLate(end, '2026-12-01T13:00:00.000+01:00')).toBe(false);
    expect(isMarkedLate(end, '2026-12-01T13:00:01.000+01:00')).toBe(true);
  });
});
