// The learner journey's records on the device: skills assessments, learning goals, passport awards
// and outcomes. Each save is one writeChanges call (its rows and outbox batch in one transaction);
// rules only this device can check are checked while planning, so a refusal writes nothing.
import { type FollowUp, followUpFor, refuseOutcomeDates } from '../domain/journey';
import { passportAwardId } from '../domain/ids';
import {
  PASSPORT_RULE_VERSION,
  type PassportEvidence,
  type PassportStanding,
  awardBasis,
} from '../domain/passport';
import type {
  Attendance,
  LearningGoal,
  Outcome,
  PassportAward,
  Session,
  SkillsAssessment,
} from '../domain/records';
import type { OutreachDatabase } from './database';
import { StoreError } from './errors';
import { requireChangeableLearner } from './learners';
import { getProgramme } from './programmes';
import { openStoredRows } from './sealedRows';
import { newRecordBase, writeChanges } from './writes';

type WithoutBase<T> = Omit<T, 'id' | 'createdAt' | 'updatedAt' | 'deviceId' | 'deleted'>;

const live = <T extends { deleted: boolean }>(rows: T[]) => rows.filter((row) => !row.deleted);

export async function assessmentsOfLearner(
  db: OutreachDatabase,
  learnerId: string,
): Promise<SkillsAssessment[]> {
  const rows = live(await db.skillsAssessments.where('learnerId').equals(learnerId).toArray());
  return openStoredRows(db, 'skillsAssessment', rows);
}

export async function goalsOfLearner(db: OutreachDatabase, learnerId: string): Promise<LearningGoal[]> {
  const rows = live(await db.learningGoals.where('learnerId').equals(learnerId).toArray());
  return openStoredRows(db, 'learningGoal', rows);
}

export async function awardsOfLearner(db: OutreachDatabase, learnerId: string): Promise<PassportAward[]> {
  return live(await db.passportAwards.where('learnerId').equals(learnerId).toArray());
}

export async function outcomesOfLearner(db: OutreachDatabase, learnerId: string): Promise<Outcome[]> {
  const rows = live(await db.outcomes.where('learnerId').equals(learnerId).toArray());
  return openStoredRows(db, 'outcome', rows);
}

/** Records a new skills assessment. */
export async function recordAssessment(
  db: OutreachDatabase,
  assessment: WithoutBase<SkillsAssessment>,
  id?: string,
): Promise<string> {
  return writeChanges(db, ['skillsAssessments', 'learners'], async (writer, deviceId) => {
    await requireChangeableLearner(db, assessment.learnerId);
    const record: SkillsAssessment = {
      ...newRecordBase(deviceId, new Date().toISOString(), id),
      ...assessment,
    };
    await writer.putNew('skillsAssessment', [record]);
    return record.id;
  });
}

/** Adds a learning goal: its own record, so goals two tutors add offline are both kept. */
export async function addGoal(db: OutreachDatabase, goal: WithoutBase<LearningGoal>): Promise<string> {
  return writeChanges(db, ['learningGoals', 'learners'], async (writer, deviceId) => {
    await requireChangeableLearner(db, goal.learnerId);
    const record: LearningGoal = { ...newRecordBase(deviceId, new Date().toISOString()), ...goal };
    await writer.putNew('learningGoal', [record]);
    return record.id;
  });
}

/** Marks a goal reviewed or achieved on a day (only those fields are logged, so edits elsewhere merge). */
export async function updateGoalDates(
  db: OutreachDatabase,
  goalId: string,
  dates: Partial<Pick<LearningGoal, 'reviewedOn' | 'achievedOn'>>,
): Promise<void> {
  await writeChanges(db, ['learningGoals'], async (writer) => {
    const before = await db.learningGoals.get(goalId);
    if (!before || before.deleted) {
      throw new StoreError(
        'not-found',
        'This goal is no longer on this device, so the change was not saved.',
      );
    }
    if (dates.achievedOn && dates.achievedOn < before.setOn) {
      throw new StoreError('refused', `A goal cannot be achieved before it was set (${before.setOn}).`);
    }
    if (dates.reviewedOn && dates.reviewedOn < before.setOn) {
      throw new StoreError('refused', `A goal cannot be reviewed before it was set (${before.setOn}).`);
    }
    await writer.put('learningGoal', { ...before, ...dates, updatedAt: new Date().toISOString() }, before);
  });
}

/** Everything the passport rules read for one learner. */
export async function passportEvidenceOf(db: OutreachDatabase, learnerId: string): Promise<PassportEvidence> {
  const [assessments, goals, enrolments] = await Promise.all([
    assessmentsOfLearner(db, learnerId),
    goalsOfLearner(db, learnerId),
    db.enrolments.where('learnerId').equals(learnerId).toArray(),
  ]);
  return {
    assessments,
    goals,
    enrolments: await Promise.all(
      live(enrolments).map(async (enrolment) => ({
        enrolment,
        programme: await getProgramme(db, enrolment.programmeId),
      })),
    ),
  };
}

/**
 * Records a passport level the rules say the learner has earned. The id derives from learner, level
 * and rule version, so two tablets awarding it offline make one award.
 */
export async function awardPassport(
  db: OutreachDatabase,
  learnerId: string,
  standing: PassportStanding,
  award: { awardedOn: string; awardedBy: string },
): Promise<void> {
  if (!standing.eligible) {
    throw new StoreError('refused', `The learner does not yet meet every ${standing.level} requirement.`);
  }
  const id = passportAwardId(learnerId, standing.level, PASSPORT_RULE_VERSION);
  await writeChanges(db, ['passportAwards', 'learners'], async (writer, deviceId) => {
    await requireChangeableLearner(db, learnerId);
    const before = await db.passportAwards.get(id);
    if (before && !before.deleted) return;
    const now = new Date().toISOString();
    const record: PassportAward = {
      ...(before ?? newRecordBase(deviceId, now, id)),
      updatedAt: now,
      deleted: false,
      learnerId,
      level: standing.level,
      ruleVersion: PASSPORT_RULE_VERSION,
      awardedOn: award.awardedOn,
      awardedBy: award.awardedBy,
      basis: awardBasis(standing),
    };
    await writer.put('passportAward', record, before);
  });
}

/** Records an outcome; refused (nothing written) when its dates are impossible for this learner. */
export async function recordOutcome(db: OutreachDatabase, outcome: WithoutBase<Outcome>): Promise<string> {
  return writeChanges(db, ['outcomes', 'enrolments', 'learners'], async (writer, deviceId) => {
    await requireChangeableLearner(db, outcome.learnerId);
    const enrolments = await db.enrolments.where('learnerId').equals(outcome.learnerId).toArray();
    const refusal = refuseOutcomeDates(outcome, enrolments);
    if (refusal) throw new StoreError('refused', refusal.message);
    const record: Outcome = { ...newRecordBase(deviceId, new Date().toISOString()), ...outcome };
    await writer.putNew('outcome', [record]);
    return record.id;
  });
}

/** The follow-up checks due for learners on this device (within the notice period or overdue). */
export async function followUpsDue(db: OutreachDatabase, today: string): Promise<FollowUp[]> {
  const [marks, sessions, outcomes] = await Promise.all([
    db.attendance.toArray(),
    db.sessions.toArray(),
    db.outcomes.toArray(),
  ]);
  const sessionsById = new Map(sessions.map((session) => [session.id, session]));
  const marksByLearner = new Map<string, { mark: Attendance; session: Session | undefined }[]>();
  for (const mark of marks) {
    const list = marksByLearner.get(mark.learnerId) ?? [];
    list.push({ mark, session: sessionsById.get(mark.sessionId) });
    marksByLearner.set(mark.learnerId, list);
  }
  const due: FollowUp[] = [];
  for (const [learnerId, learnerMarks] of marksByLearner) {
    // collectedOn is readable at rest: only the outcome's code and notes are sealed.
    const learnerOutcomes = outcomes.filter((outcome) => outcome.learnerId === learnerId);
    const followUp = followUpFor(learnerId, learnerMarks, learnerOutcomes, today);
    if (followUp) due.push(followUp);
  }
  return due.sort((a, b) => a.dueOn.localeCompare(b.dueOn));
}
