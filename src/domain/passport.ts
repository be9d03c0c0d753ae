// The Digital Skills Passport rules (a local scheme, so ours, versioned). Computed from the records
// and fields each rule names, never stored as a flag: an award is a record carrying the rule version
// it was judged by. Only tutor-observed or qualification results count, and for each statement the
// learner's latest such result counts.
import { FUNCTIONAL_LEVELS, labelOf } from './codeLists';
import { formatDate } from './dates';
import { EDS_2018_AREAS, EDS_2018_ITEMS } from './skillsFrameworks';
import type {
  Enrolment,
  FunctionalLevel,
  ItemResult,
  LearningGoal,
  PassportLevel,
  Programme,
  SkillsAssessment,
} from './records';

/** Version of the rules below. Bump when a rule changes: awards keep the version they were judged by. */
export const PASSPORT_RULE_VERSION = 1;

export type PassportEvidence = {
  assessments: readonly SkillsAssessment[];
  goals: readonly LearningGoal[];
  /** The learner's enrolments with their programmes (undefined when not on this device). */
  enrolments: readonly { enrolment: Enrolment; programme: Programme | undefined }[];
};

/** One requirement of a level: what it asks, and whether the evidence meets it. */
export type PassportRequirement = { description: string; met: boolean; because: string };

export type PassportStanding = {
  level: PassportLevel;
  eligible: boolean;
  requirements: PassportRequirement[];
};

/**
 * Whether results judged this way count: observed by a tutor, or a qualification's result. Self-assessment
 * never does, not even a "qualification result" the learner typed in themselves.
 */
export function isCountingJudgement(assessment: Pick<SkillsAssessment, 'assessor' | 'type'>): boolean {
  return (
    assessment.assessor !== 'self' &&
    (assessment.assessor === 'tutor-observed' || assessment.type === 'qualification')
  );
}

export function countsTowardsPassport(assessment: SkillsAssessment): boolean {
  return !assessment.deleted && isCountingJudgement(assessment);
}

/** Counting assessments, oldest first (same day: in the order they were recorded). */
function countingInOrder(assessments: readonly SkillsAssessment[]): SkillsAssessment[] {
  return assessments
    .filter(countsTowardsPassport)
    .sort((a, b) => a.assessedOn.localeCompare(b.assessedOn) || a.createdAt.localeCompare(b.createdAt));
}

/** The latest counting result of each 2018 framework statement ("not assessed" is no result). */
export function latestItemResults(assessments: readonly SkillsAssessment[]): Map<string, ItemResult> {
  const latest = new Map<string, ItemResult>();
  for (const assessment of countingInOrder(assessments)) {
    if (assessment.framework !== 'eds-2018') continue;
    for (const [code, result] of Object.entries(assessment.itemResults)) {
      if (result !== 'not-assessed') latest.set(code, result);
    }
  }
  return latest;
}

type Subject = 'literacy' | 'numeracy' | 'communication';
const LEVEL_FIELD = {
  literacy: 'literacyLevel',
  numeracy: 'numeracyLevel',
  communication: 'communicationLevel',
} as const satisfies Record<Subject, keyof SkillsAssessment>;

/** A level's place on the scale: pre-entry 0 … level 2 or above 5. */
export function levelRank(level: FunctionalLevel): number {
  return FUNCTIONAL_LEVELS.findIndex((entry) => entry.code === level);
}

/** The first and latest counting level in a subject, or null when never assessed. */
export function subjectLevels(
  assessments: readonly SkillsAssessment[],
  subject: Subject,
): { first: FunctionalLevel; latest: FunctionalLevel } | null {
  const levels = countingInOrder(assessments)
    .map((assessment) => assessment[LEVEL_FIELD[subject]])
    .filter((level): level is FunctionalLevel => level !== null);
  const [first] = levels;
  return first === undefined ? null : { first, latest: levels[levels.length - 1]! };
}

const levelWords = (level: FunctionalLevel) => labelOf(FUNCTIONAL_LEVELS, level).toLowerCase();

/** Latest level at or above `floor`, or (when `orOneAboveFirst`) one sub-level above the first assessed. */
function subjectRequirement(
  evidence: PassportEvidence,
  subject: Subject,
  floor: FunctionalLevel,
  orOneAboveFirst: boolean,
): PassportRequirement {
  const name = subject[0]!.toUpperCase() + subject.slice(1);
  const description = orOneAboveFirst
    ? `${name} at ${levelWords(floor)} or above, or one sub-level above the first assessed`
    : `${name} at ${levelWords(floor)} or above`;
  const levels = subjectLevels(evidence.assessments, subject);
  if (levels === null) return { description, met: false, because: `${name} not yet assessed by a tutor` };
  const latest = levelRank(levels.latest);
  const met = latest >= levelRank(floor) || (orOneAboveFirst && latest >= levelRank(levels.first) + 1);
  const because =
    levels.first === levels.latest
      ? `${name}: ${levelWords(levels.latest)}`
      : `${name}: ${levelWords(levels.first)} at first, now ${levelWords(levels.latest)}`;
  return { description, met, because };
}

function goalRequirement(evidence: PassportEvidence, category: LearningGoal['category'], words: string) {
  const achieved = evidence.goals.find(
    (goal) => !goal.deleted && goal.category === category && goal.achievedOn !== null,
  );
  return {
    description: `A ${words} learning goal achieved`,
    met: achieved !== undefined,
    // The goal's own words stay out: they are sealed at rest on the goal, and an award's basis is not.
    because: achieved
      ? `Goal achieved on ${formatDate(achieved.achievedOn!)}`
      : `No ${words} goal achieved yet`,
  };
}

function areaRequirement(latest: Map<string, ItemResult>, context: 'life' | 'work'): PassportRequirement {
  const missing: string[] = [];
  for (const area of EDS_2018_AREAS) {
    const done = EDS_2018_ITEMS.some(
      (item) =>
        item.area === area.code && item.context === context && latest.get(item.code) === 'independent',
    );
    if (!done) missing.push(area.label);
  }
  return {
    description: `In each of the five areas, at least one "for ${context}" statement done independently`,
    met: missing.length === 0,
    because: missing.length === 0 ? `All five areas "for ${context}"` : `Not yet: ${missing.join('; ')}`,
  };
}

function foundationRequirement(latest: Map<string, ItemResult>): PassportRequirement {
  const foundation = EDS_2018_ITEMS.filter((item) => item.context === 'foundation');
  const done = foundation.filter((item) => latest.get(item.code) === 'independent').length;
  return {
    description: 'All nine foundation skills done independently',
    met: done === foundation.length,
    because: `${done} of ${foundation.length} foundation skills done independently`,
  };
}

/** An Essential Digital Skills qualification at level 1 on which the learner achieved (outcome 1). */
function edsQualificationAchieved(evidence: PassportEvidence): Enrolment | undefined {
  return evidence.enrolments.find(
    ({ enrolment, programme }) =>
      !enrolment.deleted &&
      programme?.type === 'eds-qualification' &&
      programme.level === 'level-1' &&
      enrolment.outcome === '1',
  )?.enrolment;
}

function standing(level: PassportLevel, requirements: PassportRequirement[]): PassportStanding {
  return { level, eligible: requirements.every((requirement) => requirement.met), requirements };
}

export function bronzeStanding(evidence: PassportEvidence): PassportStanding {
  return standing('bronze', [
    foundationRequirement(latestItemResults(evidence.assessments)),
    goalRequirement(evidence, 'communication', 'communication'),
  ]);
}

export function silverStanding(evidence: PassportEvidence): PassportStanding {
  return standing('silver', [
    areaRequirement(latestItemResults(evidence.assessments), 'life'),
    subjectRequirement(evidence, 'literacy', 'entry-2', true),
    subjectRequirement(evidence, 'numeracy', 'entry-2', true),
  ]);
}

export function goldStanding(evidence: PassportEvidence): PassportStanding {
  const forWork = areaRequirement(latestItemResults(evidence.assessments), 'work');
  const qualification = edsQualificationAchieved(evidence);
  const digital: PassportRequirement = {
    description: `${forWork.description}, or an EDS qualification at level 1 achieved`,
    met: forWork.met || qualification !== undefined,
    because: qualification ? 'EDS qualification at level 1 achieved' : forWork.because,
  };
  return standing('gold', [
    digital,
    subjectRequirement(evidence, 'literacy', 'entry-3', false),
    subjectRequirement(evidence, 'numeracy', 'entry-3', false),
    goalRequirement(evidence, 'employability', 'work (CV or job application)'),
  ]);
}

/** Where the learner stands on every level, bronze first. */
export function passportStandings(evidence: PassportEvidence): PassportStanding[] {
  return [bronzeStanding(evidence), silverStanding(evidence), goldStanding(evidence)];
}

/** The words an award records as its basis: what each requirement found. */
export function awardBasis(standing: PassportStanding): string[] {
  return standing.requirements.map((requirement) => `${requirement.description}: ${requirement.because}`);
}
