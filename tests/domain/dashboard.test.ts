// The dashboard's figures on a device (computeDashboard) against the hand-computed figures of the
// fixed data set, the period's validation, and the edges each definition turns on.
import { describe, expect, it } from 'vitest';
import {
  type DashboardPeriod,
  ageOnDay,
  computeDashboard,
  dashboardFiguresSchema,
  dashboardPeriodSchema,
  holdsEqualityAnswers,
  withoutEqualityBreakdowns,
} from '../../src/domain/reports/dashboard';
import {
  DASHBOARD_IDS,
  DASHBOARD_PERIOD,
  DASHBOARD_PRIORITY_AREAS,
  EXPECTED_DASHBOARD,
  type DashboardData,
  compactFigures,
  makeDashboardData,
} from '../fixtures/dashboardData';

const priorityAreas = new Map(
  DASHBOARD_PRIORITY_AREAS.map((area) => [
    area.learnerId,
    { inPriorityArea: area.inPriorityArea, areaName: area.areaName },
  ]),
);

function dashboardOf(data: DashboardData, period: DashboardPeriod = DASHBOARD_PERIOD) {
  return computeDashboard({ ...data, priorityAreas }, period);
}

describe('computeDashboard on the fixed data set', () => {
  const figures = dashboardOf(makeDashboardData());

  it('equals the figures worked out by hand', () => {
    expect(compactFigures(figures)).toEqual(EXPECTED_DASHBOARD);
  });

  it('says it counted a device’s own records, for the period asked', () => {
    expect(figures.source).toBe('device');
    expect(figures.period).toEqual({ from: '2026-09-01', to: '2026-12-31' });
    expect(dashboardFiguresSchema.parse(figures)).toEqual(figures);
  });

  it('lists every breakdown in the fixed order, with every code-list row even when empty', () => {
    expect(figures.breakdowns.map((breakdown) => breakdown.key)).toEqual([
      'venue',
      'programme',
      'tutor',
      'ageBand',
      'sex',
      'ethnicity',
      'disability',
      'employment',
      'benefit',
      'priorityArea',
      'priorityAreaName',
    ]);
    const codes = (key: string) =>
      figures.breakdowns.find((breakdown) => breakdown.key === key)!.rows.map((row) => row.code);
    expect(codes('ageBand')).toEqual([
      'under-16',
      '16-24',
      '25-34',
      '35-49',
      '50-64',
      '65-plus',
      'not-known',
    ]);
    expect(codes('sex')).toEqual(['F', 'M', 'not-provided']);
    expect(codes('disability')).toEqual(['1', '2', '9']);
    expect(codes('employment')).toEqual(['10', '11', '12', '98']);
    expect(codes('benefit')).toEqual(['universal-credit', 'jsa', 'esa', 'other', 'none', 'not-known']);
    expect(codes('priorityArea')).toEqual(['in', 'not-in', 'not-known']);
    expect(codes('ethnicity')).toHaveLength(20);
    expect(codes('ethnicity').slice(0, 5)).toEqual(['31', '32', '33', '34-roma', '34']);
    expect(codes('ethnicity').at(-1)).toBe('99');
    expect(figures.outcomes).toHaveLength(22);
    expect(figures.outcomes.every((row) => row.label !== '')).toBe(true);
  });

  it('labels rows from the code lists', () => {
    const row = (key: string, code: string) =>
      figures.breakdowns.find((breakdown) => breakdown.key === key)!.rows.find((r) => r.code === code);
    expect(row('ethnicity', '34-roma')?.label).toBe('White: Roma');
    expect(row('employment', '11')?.label).toBe(
      'Not in paid employment, looking for work and available to start',
    );
    expect(row('ageBand', '65-plus')?.label).toBe('65 and over');
    expect(figures.passports[0]).toEqual({ code: 'bronze', label: 'Bronze', count: 2 });
  });
});

describe('what the device holds', () => {
  it('counts only its own records: fewer records, smaller figures, never an error', () => {
    const data = makeDashboardData();
    const onlyProgramme2 = new Set(
      data.enrolments.filter((e) => e.programmeId === DASHBOARD_IDS.programme2).map((e) => e.learnerId),
    );
    const mine = {
      ...data,
      learners: data.learners.filter((learner) => onlyProgramme2.has(learner.id)),
      sessions: data.sessions.filter((session) => session.programmeId === DASHBOARD_IDS.programme2),
    };
    const figures = computeDashboard(mine, DASHBOARD_PERIOD);
    // L3, L4, L5, L10, L11 (held for her deleted programme 2 enrolment; her December one counts) and
    // L14 (erased, counted anonymously); not L9 (starts in 2027).
    expect(figures.learnersSupported).toBe(6);
    expect(figures.sessionsDelivered).toBe(1);
    expect(figures.guidedLearningHours).toBe(5.8);
    // Without the server's table, nobody's priority area is known.
    expect(
      figures.breakdowns
        .find((breakdown) => breakdown.key === 'priorityArea')!
        .rows.map((row) => row.learners),
    ).toEqual([0, 0, 6]);
  });

  it('reads redacted equality records (no answers) as not provided', () => {
    const data = makeDashboardData();
    const redacted = data.equalityMonitoring.map(({ id, learnerId, deleted }) => ({
      id,
      learnerId,
      deleted,
    }));
    const figures = computeDashboard({ ...data, equalityMonitoring: redacted }, DASHBOARD_PERIOD);
    const sex = figures.breakdowns.find((breakdown) => breakdown.key === 'sex')!.rows;
    expect(sex.map((row) => row.learners)).toEqual([0, 0, 11]);
  });

  it('answers zeros and a null rate for an empty device', () => {
    const empty = computeDashboard(
      {
        learners: [],
        enrolments: [],
        sessions: [],
        attendance: [],
        equalityMonitoring: [],
        employmentStatuses: [],
        passportAwards: [],
        outcomes: [],
        venues: [],
        programmes: [],
      },
      DASHBOARD_PERIOD,
    );
    expect(empty.learnersSupported).toBe(0);
    expect(empty.attendance.rate).toBeNull();
    expect(empty.guidedLearningHours).toBe(0);
    expect(empty.breakdowns.find((breakdown) => breakdown.key === 'venue')!.rows).toEqual([]);
  });
});

describe('the period decides', () => {
  it('includes both of its days', () => {
    const data = makeDashboardData();
    // Only 8 September: S1 (6 counted marks) and the learners whose enrolments overlap that day.
    const day = dashboardOf(data, { from: '2026-09-08', to: '2026-09-08' });
    expect(day.sessionsDelivered).toBe(1);
    expect(day.attendance.marks).toEqual({ P: 2, L: 1, U: 1, AA: 1, LE: 1, R: 0, X: 0, W: 0 });
    // L1, L2, L3, L6, L7, L12 (L3 continuing since 2025).
    expect(day.learnersSupported).toBe(6);
    // Not L3 (2025) nor L12 (2024).
    expect(day.newLearners).toBe(4);
    // The award on 1 September and the one on 31 December are each the period's edge.
    expect(dashboardOf(data, { from: '2026-09-01', to: '2026-09-01' }).passports[1]!.count).toBe(1);
    expect(dashboardOf(data, { from: '2026-12-31', to: '2026-12-31' }).passports[0]!.count).toBe(1);
  });

  it('counts a learner who left before the period started as not supported, and one who left in it as supported', () => {
    const data = makeDashboardData();
    const august = dashboardOf(data, { from: '2026-08-01', to: '2026-08-31' });
    // L3 (continuing), L8 (until 31 August); L12's 2024 enrolment is long over.
    expect(august.learnersSupported).toBe(2);
    expect(august.newLearners).toBe(0);
    expect(august.guidedLearningHours).toBe(4);
  });
});

describe('ageOnDay', () => {
  it('counts whole years, a birthday counting from its day', () => {
    expect(ageOnDay('2001-09-08', '2026-09-08')).toBe(25);
    expect(ageOnDay('2001-09-08', '2026-09-07')).toBe(24);
    expect(ageOnDay('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOnDay('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOnDay('not a date', '2026-03-01')).toBeNull();
  });
});

describe('dashboardPeriodSchema', () => {
  const messageOf = (input: unknown) => {
    const parsed = dashboardPeriodSchema.safeParse(input);
    return parsed.success ? null : parsed.error.issues[0]!.message;
  };

  it('accepts a period of one day and one of exactly ten years', () => {
    expect(messageOf({ from: '2026-09-01', to: '2026-09-01' })).toBeNull();
    expect(messageOf({ from: '2016-09-01', to: '2026-09-01' })).toBeNull();
    expect(messageOf({ from: '2016-02-29', to: '2026-02-28' })).toBeNull();
  });

  it('refuses missing, malformed, unreal, reversed and over-long periods with a plain message', () => {
    expect(messageOf({ to: '2026-12-31' })).toBe('Give the first day of the period as from=YYYY-MM-DD');
    expect(messageOf({ from: '2026-09-01' })).toBe('Give the last day of the period as to=YYYY-MM-DD');
    expect(messageOf({ from: '1/9/2026', to: '2026-12-31' })).toBe(
      'The first day of the period must be a real date as YYYY-MM-DD',
    );
    expect(messageOf({ from: '2026-02-30', to: '2026-12-31' })).toBe(
      'The first day of the period must be a real date as YYYY-MM-DD',
    );
    expect(messageOf({ from: '2026-12-31', to: '2026-09-01' })).toBe(
      'The period must end on or after the day it starts',
    );
    expect(messageOf({ from: '2016-09-01', to: '2026-09-02' })).toBe(
      'The period can be at most 10 years long',
    );
    expect(messageOf({ from: ['2026-09-01'], to: '2026-12-31' })).toBe(
      'The first day of the period must be a date as YYYY-MM-DD',
    );
  });
});

describe('equality breakdowns for a viewer who may not see equality answers', () => {
  it('knows a device holds only redacted equality records, and leaves their breakdowns out', () => {
    const answered = {
      id: 'e1',
      learnerId: 'l1',
      deleted: false,
      sex: 'F' as const,
      ethnicity: null,
      lldd: null,
    };
    const redacted = { id: 'e2', learnerId: 'l2', deleted: false };
    expect(holdsEqualityAnswers({ equalityMonitoring: [answered] })).toBe(true);
    expect(holdsEqualityAnswers({ equalityMonitoring: [] })).toBe(true);
    expect(holdsEqualityAnswers({ equalityMonitoring: [redacted] })).toBe(false);

    const figures = dashboardOf(makeDashboardData());
    const hidden = withoutEqualityBreakdowns(figures);
    expect(hidden.equalityHidden).toBe(true);
    expect(hidden.breakdowns.map((breakdown) => breakdown.key)).toEqual(
      figures.breakdowns
        .map((breakdown) => breakdown.key)
        .filter((key) => !['sex', 'ethnicity', 'disability'].includes(key)),
    );
    expect(hidden.learnersSupported).toBe(figures.learnersSupported);
  });
});
