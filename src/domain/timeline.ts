// A learner's journey in date order: every enrolment, mark, assessment, goal, award, outcome and
// loan on the device, as one list of dated lines the learner's record shows.
import {
  ASSESSMENT_TYPES,
  ATTENDANCE_MARKS,
  LOAN_OUTCOMES,
  OUTCOME_CODES,
  PASSPORT_LEVELS,
  labelOf,
} from './codeLists';
import type {
  Attendance,
  Enrolment,
  LearningGoal,
  Loan,
  Outcome,
  PassportAward,
  Session,
  SkillsAssessment,
} from './records';

export type TimelineKind = 'enrolment' | 'attendance' | 'assessment' | 'goal' | 'award' | 'outcome' | 'loan';

export type TimelineEntry = {
  /** Unique in the list: the record's id and what happened to it. */
  key: string;
  on: string;
  kind: TimelineKind;
  text: string;
};

export type TimelineRecords = {
  enrolments: readonly { enrolment: Enrolment; programmeTitle: string }[];
  attendance: readonly { mark: Attendance; session: Session | undefined; programmeTitle: string }[];
  assessments: readonly SkillsAssessment[];
  goals: readonly LearningGoal[];
  awards: readonly PassportAward[];
  outcomes: readonly Outcome[];
  loans: readonly { loan: Loan; assetTag: string }[];
};

const KIND_ORDER: readonly TimelineKind[] = [
  'enrolment',
  'assessment',
  'attendance',
  'goal',
  'award',
  'outcome',
  'loan',
];

/** The learner's journey, oldest first (same day: enrolment before assessment before the register …). */
export function learnerTimeline(records: TimelineRecords): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  const add = (key: string, on: string, kind: TimelineKind, text: string) =>
    entries.push({ key, on, kind, text });
  for (const { enrolment, programmeTitle } of records.enrolments) {
    if (enrolment.deleted) continue;
    add(`${enrolment.id}/start`, enrolment.startDate, 'enrolment', `Enrolled on ${programmeTitle}`);
    if (enrolment.actualEndDate) {
      add(`${enrolment.id}/end`, enrolment.actualEndDate, 'enrolment', `Finished ${programmeTitle}`);
    }
  }
  for (const { mark, session, programmeTitle } of records.attendance) {
    if (mark.deleted || !session) continue;
    add(mark.id, session.date, 'attendance', `${labelOf(ATTENDANCE_MARKS, mark.mark)}: ${programmeTitle}`);
  }
  for (const assessment of records.assessments) {
    if (assessment.deleted) continue;
    add(assessment.id, assessment.assessedOn, 'assessment', labelOf(ASSESSMENT_TYPES, assessment.type));
  }
  for (const goal of records.goals) {
    if (goal.deleted) continue;
    add(`${goal.id}/set`, goal.setOn, 'goal', `Goal set: ${goal.text}`);
    if (goal.reviewedOn) add(`${goal.id}/reviewed`, goal.reviewedOn, 'goal', `Goal reviewed: ${goal.text}`);
    if (goal.achievedOn) add(`${goal.id}/achieved`, goal.achievedOn, 'goal', `Goal achieved: ${goal.text}`);
  }
  for (const award of records.awards) {
    if (award.deleted) continue;
    add(
      award.id,
      award.awardedOn,
      'award',
      `${labelOf(PASSPORT_LEVELS, award.level)} Digital Skills Passport awarded`,
    );
  }
  for (const outcome of records.outcomes) {
    if (outcome.deleted) continue;
    add(outcome.id, outcome.startDate, 'outcome', `Outcome: ${labelOf(OUTCOME_CODES, outcome.code)}`);
  }
  for (const { loan, assetTag } of records.loans) {
    if (loan.deleted) continue;
    add(`${loan.id}/lent`, loan.issuedOn, 'loan', `Device ${assetTag} lent, due back ${loan.dueBack}`);
    if (loan.outcome !== null) {
      add(
        `${loan.id}/closed`,
        // Given away or lost without a return date: shown on the day it was recorded (device clock).
        loan.returnedOn ?? loan.updatedAt.slice(0, 10),
        'loan',
        `Device ${assetTag}: ${labelOf(LOAN_OUTCOMES, loan.outcome).toLowerCase()}`,
      );
    }
  }
  return entries.sort(
    (a, b) => a.on.localeCompare(b.on) || KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}
