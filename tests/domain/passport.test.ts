// The Digital Skills Passport rules, one requirement at a time: each test changes the one record or
// field a rule names and checks that only that requirement moves.
import { describe, expect, it } from 'vitest';
import {
  PASSPORT_RULE_VERSION,
  type PassportEvidence,
  awardBasis,
  bronzeStanding,
  countsTowardsPassport,
  goldStanding,
  latestItemResults,
  levelRank,
  passportStandings,
  silverStanding,
  subjectLevels,
} from '../../src/domain/passport';
import type { FunctionalLevel, ItemResult, SkillsAssessment } from '../../src/domain/records';
import { EDS_2018_AREAS, EDS_2018_ITEMS } from '../../src/domain/skillsFrameworks';
import { makeEnrolment, makeLearningGoal, makeProgramme, makeSkillsAssessment } from '../fixtures/records';

let nextId = 0;
const id = () => `00000000-0000-4000-8000-${String(++nextId).padStart(12, '0')}`;

const FOUNDATION = EDS_2018_ITEMS.filter((item) => item.context === 'foundation').map((item) => item.code);
/** The first statement of each area in one context. */
const firstOfEachArea = (context: 'life' | 'work') =>
  EDS_2018_AREAS.map(
    (area) => EDS_2018_ITEMS.find((item) => item.area === area.code && item.context === context)!.code,
  );

function results(codes: readonly string[], result: ItemResult): Record<string, ItemResult> {
  return Object.fromEntries(codes.map((code) => [code, result]));
}

function assessment(overrides: Partial<SkillsAssessment>): SkillsAssessment {
  return makeSkillsAssessment({
    id: id(),
    itemResults: {},
    literacyLevel: null,
    numeracyLevel: null,
    communicationLevel: null,
    ...overrides,
  });
}

function evidence(overrides: Partial<PassportEvidence> = {}): PassportEvidence {
  return { assessments: [], goals: [], enrolments: [], ...overrides };
}

const achievedGoal = (category: 'communication' | 'employability') =>
  makeLearningGoal({ id: id(), category, achievedOn: '2027-01-04', text: `A ${category} goal` });

function requirementMet(standing: ReturnType<typeof bronzeStanding>, index: number): boolean {
  return standing.requirements[index]!.met;
}

describe('which results count', () => {
  it('counts tutor-observed results and qualification results, never self-assessment', () => {
    expect(countsTowardsPassport(assessment({ assessor: 'tutor-observed', type: 'progress' }))).toBe(true);
    expect(countsTowardsPassport(assessment({ assessor: 'tool', type: 'qualification' }))).toBe(true);
    expect(countsTowardsPassport(assessment({ assessor: 'self', type: 'initial' }))).toBe(false);
    expect(countsTowardsPassport(assessment({ assessor: 'tool', type: 'progress' }))).toBe(false);
    // A "qualification result" the learner typed in themselves is still self-assessment.
    expect(countsTowardsPassport(assessment({ assessor: 'self', type: 'qualification' }))).toBe(false);
    expect(countsTowardsPassport(assessment({ assessor: 'tutor-observed', deleted: true }))).toBe(false);
  });

  it('takes the latest counting result of each statement, by date, then by when it was recorded', () => {
    const code = FOUNDATION[0]!;
    const latest = latestItemResults([
      assessment({ assessedOn: '2027-01-10', itemResults: { [code]: 'with-help' } }),
      assessment({ assessedOn: '2026-12-01', itemResults: { [code]: 'independent' } }),
      // A later self-assessment does not count.
      assessment({ assessedOn: '2027-02-01', assessor: 'self', itemResults: { [code]: 'independent' } }),
    ]);
    expect(latest.get(code)).toBe('with-help');

    const sameDay = latestItemResults([
      assessment({
        assessedOn: '2027-01-10',
        createdAt: '2027-01-10T10:00:00.000Z',
        itemResults: { [code]: 'independent' },
      }),
      assessment({
        assessedOn: '2027-01-10',
        createdAt: '2027-01-10T09:00:00.000Z',
        itemResults: { [code]: 'cannot-yet' },
      }),
    ]);
    expect(sameDay.get(code)).toBe('independent');
  });

  it('treats "not assessed" as no result, keeping the earlier one', () => {
    const code = FOUNDATION[0]!;
    const latest = latestItemResults([
      assessment({ assessedOn: '2026-12-01', itemResults: { [code]: 'independent' } }),
      assessment({ assessedOn: '2027-01-10', itemResults: { [code]: 'not-assessed' } }),
    ]);
    expect(latest.get(code)).toBe('independent');
  });

  it('reads only the 2018 framework for the statements (the 2019 standards are recorded apart)', () => {
    const latest = latestItemResults([
      assessment({ framework: 'nseds-2019', itemResults: { 'communicating.entry-3': 'independent' } }),
    ]);
    expect(latest.size).toBe(0);
  });

  it('orders levels from pre-entry to level 2 and finds the first and latest counting level', () => {
    expect(levelRank('pre-entry')).toBe(0);
    expect(levelRank('entry-2')).toBeLessThan(levelRank('entry-3'));
    const levels = subjectLevels(
      [
        assessment({ assessedOn: '2027-01-10', literacyLevel: 'entry-2' }),
        assessment({ assessedOn: '2026-11-30', literacyLevel: 'pre-entry' }),
        assessment({ assessedOn: '2026-12-15', literacyLevel: null }),
        assessment({ assessedOn: '2027-02-01', assessor: 'self', literacyLevel: 'level-2' }),
      ],
      'literacy',
    );
    expect(levels).toEqual({ first: 'pre-entry', latest: 'entry-2' });
    expect(subjectLevels([], 'numeracy')).toBeNull();
  });
});

describe('bronze', () => {
  const allFoundation = assessment({ itemResults: results(FOUNDATION, 'independent') });

  it('is awarded with all nine foundation statements independent and a communication goal achieved', () => {
    const standing = bronzeStanding(
      evidence({ assessments: [allFoundation], goals: [achievedGoal('communication')] }),
    );
    expect(standing.eligible).toBe(true);
    expect(standing.level).toBe('bronze');
  });

  it('needs all nine foundation statements: eight are not enough', () => {
    const eight = assessment({
      itemResults: { ...results(FOUNDATION, 'independent'), [FOUNDATION[8]!]: 'with-help' },
    });
    const standing = bronzeStanding(
      evidence({ assessments: [eight], goals: [achievedGoal('communication')] }),
    );
    expect(standing.eligible).toBe(false);
    expect(requirementMet(standing, 0)).toBe(false);
    expect(standing.requirements[0]!.because).toBe('8 of 9 foundation skills done independently');
    expect(requirementMet(standing, 1)).toBe(true);
  });

  it('does not count a self-assessment of the foundation statements', () => {
    const self = assessment({ assessor: 'self', itemResults: results(FOUNDATION, 'independent') });
    expect(
      bronzeStanding(evidence({ assessments: [self], goals: [achievedGoal('communication')] })).eligible,
    ).toBe(false);
  });

  it('can gather the nine statements across several assessments', () => {
    const first = assessment({
      assessedOn: '2026-12-01',
      itemResults: results(FOUNDATION.slice(0, 5), 'independent'),
    });
    const second = assessment({
      assessedOn: '2027-01-05',
      itemResults: results(FOUNDATION.slice(5), 'independent'),
    });
    expect(
      bronzeStanding(evidence({ assessments: [first, second], goals: [achievedGoal('communication')] }))
        .eligible,
    ).toBe(true);
  });

  it('needs a communication goal achieved: set but not achieved, another category, or deleted do not count', () => {
    const notAchieved = makeLearningGoal({ id: id(), category: 'communication', achievedOn: null });
    const otherCategory = achievedGoal('employability');
    const deleted = { ...achievedGoal('communication'), deleted: true };
    for (const goal of [notAchieved, otherCategory, deleted]) {
      const standing = bronzeStanding(evidence({ assessments: [allFoundation], goals: [goal] }));
      expect(standing.eligible).toBe(false);
      expect(requirementMet(standing, 1)).toBe(false);
    }
  });
});

describe('silver', () => {
  const lifeInEveryArea = assessment({ itemResults: results(firstOfEachArea('life'), 'independent') });
  const levels = (
    literacy: FunctionalLevel | null,
    numeracy: FunctionalLevel | null,
    assessedOn = '2027-01-10',
  ) => assessment({ assessedOn, literacyLevel: literacy, numeracyLevel: numeracy });

  it('is awarded with a "for life" statement in each area, and literacy and numeracy at entry 2', () => {
    expect(
      silverStanding(evidence({ assessments: [lifeInEveryArea, levels('entry-2', 'entry-3')] })).eligible,
    ).toBe(true);
  });

  it('needs every one of the five areas "for life": four are not enough, and "for work" does not stand in', () => {
    const four = assessment({ itemResults: results(firstOfEachArea('life').slice(0, 4), 'independent') });
    const standing = silverStanding(evidence({ assessments: [four, levels('entry-2', 'entry-2')] }));
    expect(requirementMet(standing, 0)).toBe(false);
    expect(standing.requirements[0]!.because).toContain('Being safe and legal online');

    const work = assessment({ itemResults: results(firstOfEachArea('work'), 'independent') });
    expect(requirementMet(silverStanding(evidence({ assessments: [work] })), 0)).toBe(false);
  });

  it('needs the statement done independently: "with help" is not enough', () => {
    const withHelp = assessment({ itemResults: results(firstOfEachArea('life'), 'with-help') });
    expect(requirementMet(silverStanding(evidence({ assessments: [withHelp] })), 0)).toBe(false);
  });

  it('accepts literacy below entry 2 when it is one sub-level above the first assessed level', () => {
    const standing = silverStanding(
      evidence({
        assessments: [
          lifeInEveryArea,
          levels('pre-entry', 'entry-2', '2026-11-30'),
          levels('entry-1', 'entry-2'),
        ],
      }),
    );
    expect(requirementMet(standing, 1)).toBe(true);
    expect(standing.requirements[1]!.because).toBe('Literacy: pre-entry at first, now entry 1');
    expect(standing.eligible).toBe(true);
  });

  it('refuses literacy that stayed below entry 2 without rising', () => {
    const standing = silverStanding(
      evidence({
        assessments: [
          lifeInEveryArea,
          levels('entry-1', 'entry-2', '2026-11-30'),
          levels('entry-1', 'entry-2'),
        ],
      }),
    );
    expect(requirementMet(standing, 1)).toBe(false);
    expect(standing.eligible).toBe(false);
  });

  it('needs numeracy too, and a subject never assessed by a tutor is not met', () => {
    const standing = silverStanding(evidence({ assessments: [lifeInEveryArea, levels('entry-3', null)] }));
    expect(requirementMet(standing, 1)).toBe(true);
    expect(requirementMet(standing, 2)).toBe(false);
    expect(standing.requirements[2]!.because).toBe('Numeracy not yet assessed by a tutor');
  });
});

describe('gold', () => {
  const workInEveryArea = assessment({ itemResults: results(firstOfEachArea('work'), 'independent') });
  const entry3 = assessment({ literacyLevel: 'entry-3', numeracyLevel: 'level-1' });
  const employability = achievedGoal('employability');

  it('is awarded with a "for work" statement in each area, literacy and numeracy at entry 3, and a work goal achieved', () => {
    const standing = goldStanding(
      evidence({ assessments: [workInEveryArea, entry3], goals: [employability] }),
    );
    expect(standing.eligible).toBe(true);
  });

  it('accepts an EDS qualification at level 1 achieved instead of the "for work" statements', () => {
    const programme = makeProgramme({ type: 'eds-qualification', level: 'level-1' });
    const achieved = makeEnrolment({ outcome: '1' });
    const standing = goldStanding(
      evidence({
        assessments: [entry3],
        goals: [employability],
        enrolments: [{ enrolment: achieved, programme }],
      }),
    );
    expect(requirementMet(standing, 0)).toBe(true);
    expect(standing.eligible).toBe(true);
  });

  it('does not accept the qualification at entry level, not achieved, or on another kind of programme', () => {
    const cases = [
      {
        programme: makeProgramme({ type: 'eds-qualification', level: 'entry-3' }),
        enrolment: makeEnrolment({ outcome: '1' }),
      },
      {
        programme: makeProgramme({ type: 'eds-qualification', level: 'level-1' }),
        enrolment: makeEnrolment({ outcome: '2' }),
      },
      {
        programme: makeProgramme({ type: 'tailored-learning', level: 'level-1' }),
        enrolment: makeEnrolment({ outcome: '1' }),
      },
      { programme: undefined, enrolment: makeEnrolment({ outcome: '1' }) },
    ];
    for (const enrolment of cases) {
      const standing = goldStanding(
        evidence({ assessments: [entry3], goals: [employability], enrolments: [enrolment] }),
      );
      expect(requirementMet(standing, 0)).toBe(false);
    }
  });

  it('needs literacy and numeracy at entry 3 or above: entry 2 is not enough, and no "one above first" here', () => {
    const entry2 = assessment({ literacyLevel: 'entry-2', numeracyLevel: 'entry-3' });
    const standing = goldStanding(
      evidence({ assessments: [workInEveryArea, entry2], goals: [employability] }),
    );
    expect(requirementMet(standing, 1)).toBe(false);
    expect(requirementMet(standing, 2)).toBe(true);
    expect(standing.requirements[1]!.description).toBe('Literacy at entry 3 or above');
    expect(standing.eligible).toBe(false);
  });

  it('needs an employability goal achieved: a communication goal is not enough', () => {
    const standing = goldStanding(
      evidence({ assessments: [workInEveryArea, entry3], goals: [achievedGoal('communication')] }),
    );
    expect(requirementMet(standing, 3)).toBe(false);
    expect(standing.eligible).toBe(false);
  });

  it('judges each level on its own: gold does not need bronze or silver first', () => {
    const standings = passportStandings(
      evidence({ assessments: [workInEveryArea, entry3], goals: [employability] }),
    );
    expect(standings.map((standing) => [standing.level, standing.eligible])).toEqual([
      ['bronze', false],
      ['silver', false],
      ['gold', true],
    ]);
  });
});

describe('awards', () => {
  it('records what each requirement found, under rule version 1', () => {
    const standing = bronzeStanding(
      evidence({
        assessments: [assessment({ itemResults: results(FOUNDATION, 'independent') })],
        goals: [
          makeLearningGoal({
            id: id(),
            category: 'communication',
            achievedOn: '2027-01-04',
            text: 'Video call my grandchildren',
          }),
        ],
      }),
    );
    expect(PASSPORT_RULE_VERSION).toBe(1);
    expect(awardBasis(standing)).toEqual([
      'All nine foundation skills done independently: 9 of 9 foundation skills done independently',
      'A communication learning goal achieved: Goal achieved on 4 January 2027',
    ]);
  });
});
