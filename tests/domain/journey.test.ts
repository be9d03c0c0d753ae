import { describe, expect, it } from 'vitest';
import {
  addDays,
  addMonths,
  followUpFor,
  isOpenLoan,
  loanClashes,
  needsWipe,
  overdueLoans,
  refuseLoan,
  refuseOutcomeDates,
  refuseReturn,
} from '../../src/domain/journey';
import { learnerTimeline } from '../../src/domain/timeline';
import { progressPoints } from '../../src/domain/skillsProgress';
import {
  loanSchema,
  outcomeSchema,
  passportAwardSchema,
  skillsAssessmentSchema,
} from '../../src/domain/records';
import {
  makeAttendance,
  makeEnrolment,
  makeLearningGoal,
  makeLoan,
  makeLoanDevice,
  makeOutcome,
  makePassportAward,
  makeSession,
  makeSkillsAssessment,
} from '../fixtures/records';

let nextId = 0;
const id = () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`;

describe('outcome dates', () => {
  const enrolments = [
    makeEnrolment({ startDate: '2026-11-30' }),
    makeEnrolment({ id: id(), startDate: '2027-01-05' }),
  ];

  it('accepts an outcome on or after the first enrolment', () => {
    expect(
      refuseOutcomeDates(makeOutcome({ startDate: '2026-11-30', collectedOn: '2026-12-01' }), enrolments),
    ).toBeNull();
  });

  it('refuses an outcome that starts before the learner first enrolled, naming the field and the date', () => {
    expect(refuseOutcomeDates(makeOutcome({ startDate: '2026-11-29' }), enrolments)).toEqual({
      field: 'startDate',
      message: 'The outcome cannot start before the learner enrolled (2026-11-30). Check the start date.',
    });
  });

  it('ignores a deleted enrolment when finding the first', () => {
    const withDeleted = [...enrolments, makeEnrolment({ id: id(), startDate: '2026-01-01', deleted: true })];
    expect(
      refuseOutcomeDates(makeOutcome({ startDate: '2026-06-01', collectedOn: '2026-06-02' }), withDeleted)
        ?.field,
    ).toBe('startDate');
  });

  it('refuses an end before the start, but not a collection before the start (a job that starts next month)', () => {
    expect(
      refuseOutcomeDates(makeOutcome({ startDate: '2027-02-01', endDate: '2027-01-31' }), enrolments)?.field,
    ).toBe('endDate');
    expect(
      refuseOutcomeDates(
        makeOutcome({ startDate: '2027-02-01', endDate: null, collectedOn: '2027-01-15' }),
        enrolments,
      ),
    ).toBeNull();
  });

  it('the record schema refuses an end before the start too (what the server checks)', () => {
    expect(outcomeSchema.safeParse(makeOutcome({ endDate: '2027-01-01' })).error?.issues[0]?.path).toEqual([
      'endDate',
    ]);
  });
});

describe('lending', () => {
  const device = makeLoanDevice();

  it('lends a device in stock with no loans', () => {
    expect(refuseLoan(device, [])).toBeNull();
  });

  it('refuses a device already on loan', () => {
    expect(refuseLoan(device, [makeLoan()])).toBe(
      'Device SEF-T-0042 is already on loan. Record its return before lending it again.',
    );
  });

  it('refuses a device returned but not wiped since, and lends it once wiped', () => {
    const returned = makeLoan({ returnedOn: '2027-01-10', outcome: 'returned', wipedAfterReturn: false });
    expect(refuseLoan(device, [returned])).toContain('has not been wiped since its last loan');
    expect(refuseLoan(device, [{ ...returned, wipedAfterReturn: true }])).toBeNull();
  });

  it('refuses a device flagged as waiting to be wiped, even when this tablet holds none of its loans', () => {
    expect(refuseLoan(makeLoanDevice({ needsWipe: true }), [])).toContain(
      'has not been wiped since its last loan',
    );
  });

  it('finds a return not yet wiped from the loan when the device was last wiped before it came back', () => {
    const returned = makeLoan({ returnedOn: '2027-01-10', outcome: 'returned', wipedAfterReturn: false });
    expect(needsWipe(makeLoanDevice({ wipedOn: '2027-01-09' }), [returned])).toBe(true);
    // Wiped on the device by another tutor, who cannot see this loan.
    expect(needsWipe(makeLoanDevice({ wipedOn: '2027-01-10' }), [returned])).toBe(false);
  });

  it('refuses a loan recorded afterwards whose date falls within an earlier loan of the device', () => {
    const earlier = makeLoan({
      issuedOn: '2027-01-01',
      returnedOn: '2027-01-20',
      outcome: 'returned',
      wipedAfterReturn: true,
    });
    expect(refuseLoan(device, [earlier], '2027-01-10')).toBe(
      'Device SEF-T-0042 was on loan from 1 January 2027 to 20 January 2027. Check the date it was lent.',
    );
    expect(refuseLoan(device, [earlier], '2027-01-20')).toBeNull();
  });

  it('refuses a device not in stock (lost, in repair)', () => {
    expect(refuseLoan(makeLoanDevice({ status: 'in-repair' }), [])).toBe(
      'Device SEF-T-0042 is not in stock (it is in repair).',
    );
  });

  it('ignores a cancelled (deleted) loan', () => {
    expect(refuseLoan(device, [makeLoan({ deleted: true })])).toBeNull();
  });

  it('refuses a return before the loan', () => {
    expect(refuseReturn(makeLoan({ issuedOn: '2026-11-30' }), '2026-11-29')).toBe(
      'The return date cannot be before the device was lent (2026-11-30).',
    );
    expect(refuseReturn(makeLoan({ issuedOn: '2026-11-30' }), '2026-11-30')).toBeNull();
    expect(loanSchema.safeParse(makeLoan({ returnedOn: '2026-11-29' })).error?.issues[0]?.path).toEqual([
      'returnedOn',
    ]);
  });

  it('lists open loans past their due date, most overdue first', () => {
    const a = makeLoan({ id: id(), dueBack: '2027-01-11' });
    const b = makeLoan({ id: id(), dueBack: '2026-12-20' });
    const returned = makeLoan({
      id: id(),
      dueBack: '2026-12-01',
      returnedOn: '2026-12-02',
      outcome: 'returned',
    });
    const notDue = makeLoan({ id: id(), dueBack: '2027-03-01' });
    expect(overdueLoans([a, b, returned, notDue], '2027-01-20').map((loan) => loan.id)).toEqual([b.id, a.id]);
    expect(isOpenLoan(returned)).toBe(false);
  });
});

describe('loans that clash (lent twice by two tablets offline)', () => {
  it('flags two open loans of one device, keeping both', () => {
    const first = makeLoan({ id: id(), learnerId: id(), issuedOn: '2027-01-05' });
    const second = makeLoan({ id: id(), learnerId: id(), issuedOn: '2027-01-06' });
    expect(loanClashes([second, first])).toEqual([
      { loanDeviceId: first.loanDeviceId, loans: [first, second] },
    ]);
  });

  it('does not flag a loan returned the day the next one starts, or a cancelled one', () => {
    const returned = makeLoan({
      id: id(),
      issuedOn: '2027-01-01',
      returnedOn: '2027-01-05',
      outcome: 'returned',
    });
    const next = makeLoan({ id: id(), issuedOn: '2027-01-05' });
    const cancelled = makeLoan({ id: id(), issuedOn: '2027-01-06', deleted: true });
    expect(loanClashes([returned, next, cancelled])).toEqual([]);
  });

  it('flags a loan made while an earlier one was still out, even after both were returned', () => {
    const early = makeLoan({
      id: id(),
      issuedOn: '2027-01-01',
      returnedOn: '2027-01-20',
      outcome: 'returned',
    });
    const overlapping = makeLoan({
      id: id(),
      issuedOn: '2027-01-10',
      returnedOn: '2027-01-25',
      outcome: 'returned',
    });
    expect(loanClashes([early, overlapping])[0]?.loans.map((loan) => loan.id)).toEqual([
      early.id,
      overlapping.id,
    ]);
  });

  it('keeps flagging a clash after one loan is given away or lost with no return date', () => {
    const gifted = makeLoan({ id: id(), learnerId: id(), issuedOn: '2027-01-05', outcome: 'gifted' });
    const other = makeLoan({ id: id(), learnerId: id(), issuedOn: '2027-01-06' });
    expect(loanClashes([gifted, other])).toHaveLength(1);
  });

  it('does not flag loans of different devices', () => {
    expect(loanClashes([makeLoan({ id: id() }), makeLoan({ id: id(), loanDeviceId: id() })])).toEqual([]);
  });
});

describe('follow-up checks', () => {
  const session = (date: string) => makeSession({ id: id(), date });
  const attended = (date: string, mark: 'P' | 'U' = 'P') => {
    const s = session(date);
    return { mark: makeAttendance({ id: id(), sessionId: s.id, mark }), session: s };
  };

  it('adds months keeping to the end of short months, and days across years', () => {
    expect(addMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addDays('2026-12-20', 28)).toBe('2027-01-17');
  });

  it('owes nothing before the 4-week check comes within a week', () => {
    expect(followUpFor('learner', [attended('2027-01-01')], [], '2027-01-21')).toBeNull();
  });

  it('lists the 4-week check from a week before it is due, then as overdue', () => {
    expect(followUpFor('learner', [attended('2027-01-01')], [], '2027-01-22')).toMatchObject({
      check: '4-weeks',
      dueOn: '2027-01-29',
      overdue: false,
      lastAttended: '2027-01-01',
    });
    expect(followUpFor('learner', [attended('2027-01-01')], [], '2027-02-05')?.overdue).toBe(true);
  });

  it('counts only sessions attended: an absence is not the last session', () => {
    const marks = [attended('2027-01-01'), attended('2027-01-20', 'U')];
    expect(followUpFor('learner', marks, [], '2027-02-01')?.lastAttended).toBe('2027-01-01');
    expect(followUpFor('learner', [attended('2027-01-20', 'U')], [], '2027-06-01')).toBeNull();
  });

  it('is done once an outcome is collected from a week before the check; the next check then comes', () => {
    const marks = [attended('2027-01-01')];
    const atFourWeeks = makeOutcome({ collectedOn: '2027-01-25' });
    expect(followUpFor('learner', marks, [atFourWeeks], '2027-02-05')).toBeNull();
    expect(followUpFor('learner', marks, [atFourWeeks], '2027-03-30')).toMatchObject({
      check: '3-months',
      dueOn: '2027-04-01',
    });
  });

  it('shows only the latest check due: an undone 3-month check gives way to the 6-month one', () => {
    expect(followUpFor('learner', [attended('2027-01-01')], [], '2027-07-05')).toMatchObject({
      check: '6-months',
      overdue: true,
    });
    expect(
      followUpFor(
        'learner',
        [attended('2027-01-01')],
        [makeOutcome({ collectedOn: '2027-06-30' })],
        '2027-07-05',
      ),
    ).toBeNull();
  });
});

describe('progress and timeline', () => {
  it('gives a point per assessment, oldest first, with statements counted out of the framework', () => {
    const later = makeSkillsAssessment({
      id: id(),
      assessedOn: '2027-01-10',
      itemResults: { 'foundation.turn-on': 'independent', 'foundation.browser': 'independent' },
      literacyLevel: 'entry-2',
    });
    const first = makeSkillsAssessment({ id: id(), assessedOn: '2026-11-30' });
    const points = progressPoints([later, first, { ...makeSkillsAssessment({ id: id() }), deleted: true }]);
    expect(
      points.map((point) => [
        point.assessedOn,
        point.independent,
        point.withHelp,
        point.outOf,
        point.literacy,
      ]),
    ).toEqual([
      ['2026-11-30', 1, 1, 29, 'entry-1'],
      ['2027-01-10', 2, 0, 29, 'entry-2'],
    ]);
  });

  it('puts the journey in date order, same-day enrolment before assessment before the register', () => {
    const s = makeSession({ date: '2026-11-30' });
    const entries = learnerTimeline({
      enrolments: [{ enrolment: makeEnrolment({ startDate: '2026-11-30' }), programmeTitle: 'Get online' }],
      attendance: [{ mark: makeAttendance({ mark: 'P' }), session: s, programmeTitle: 'Get online' }],
      assessments: [makeSkillsAssessment({ assessedOn: '2026-11-30' })],
      goals: [makeLearningGoal({ setOn: '2026-11-30', achievedOn: '2027-01-04', text: 'Video call' })],
      awards: [makePassportAward({ awardedOn: '2027-01-11' })],
      outcomes: [makeOutcome({ startDate: '2027-02-01', code: 'EMP2' })],
      loans: [
        {
          loan: makeLoan({ issuedOn: '2026-12-01', returnedOn: '2027-01-11', outcome: 'returned' }),
          assetTag: 'SEF-T-0042',
        },
      ],
    });
    expect(entries.map((entry) => `${entry.on} ${entry.text}`)).toEqual([
      '2026-11-30 Enrolled on Get online',
      '2026-11-30 Initial assessment',
      '2026-11-30 Present: Get online',
      '2026-11-30 Goal set: Video call',
      '2026-12-01 Device SEF-T-0042 lent, due back 2027-01-11',
      '2027-01-04 Goal achieved: Video call',
      '2027-01-11 Bronze Digital Skills Passport awarded',
      '2027-01-11 Device SEF-T-0042: returned',
      '2027-02-01 Outcome: Paid work, under 16 hours a week',
    ]);
  });
});

describe('record schemas of the journey', () => {
  it('refuses an assessment statement from the other framework (the two are never merged)', () => {
    const mixed = makeSkillsAssessment({
      framework: 'nseds-2019',
      itemResults: { 'foundation.turn-on': 'independent' },
    });
    expect(skillsAssessmentSchema.safeParse(mixed).error?.issues[0]?.path).toEqual([
      'itemResults',
      'foundation.turn-on',
    ]);
    expect(skillsAssessmentSchema.safeParse(makeSkillsAssessment()).success).toBe(true);
  });

  it('refuses a passport level that does not exist and a due date before the loan', () => {
    expect(passportAwardSchema.safeParse(makePassportAward({ level: 'platinum' as never })).success).toBe(
      false,
    );
    expect(
      loanSchema.safeParse(makeLoan({ issuedOn: '2027-01-10', dueBack: '2027-01-09' })).error?.issues[0]
        ?.path,
    ).toEqual(['dueBack']);
  });
});
