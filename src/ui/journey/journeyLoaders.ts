// What the goals, outcomes and follow-up screens read from the device, as one async function each
// for useLiveQuery: a change to any table read re-runs them.
import { db } from '../../db/instance';
import { followUpsDue, goalsOfLearner, outcomesOfLearner } from '../../db/journey';
import { enrolmentsOfLearner, getLearner } from '../../db/learners';
import { localIsoDate } from '../../domain/dates';
import type { FollowUp } from '../../domain/journey';
import { fullName, isChangeableLearner } from '../../domain/people';
import type { Enrolment, Learner, LearningGoal, Outcome } from '../../domain/records';

export type LearnerWithEnrolments = { learner: Learner; enrolments: Enrolment[] };

/** The learner and their enrolments, or null when the learner is not on this device. */
export async function loadLearnerWithEnrolments(learnerId: string): Promise<LearnerWithEnrolments | null> {
  const learner = await getLearner(db, learnerId);
  if (!learner || learner.deleted || learner.status === 'erased') return null;
  return { learner, enrolments: await enrolmentsOfLearner(db, learnerId) };
}

export type LearnerGoalsView = {
  goals: LearningGoal[];
  enrolments: Enrolment[];
  changeable: boolean;
};

/** The learner's goals, oldest set first, with what adding one needs. */
export async function loadLearnerGoals(learnerId: string): Promise<LearnerGoalsView> {
  const [learner, goals, enrolments] = await Promise.all([
    getLearner(db, learnerId),
    goalsOfLearner(db, learnerId),
    enrolmentsOfLearner(db, learnerId),
  ]);
  return {
    goals: goals.sort((a, b) => a.setOn.localeCompare(b.setOn) || a.createdAt.localeCompare(b.createdAt)),
    enrolments,
    changeable: learner !== undefined && isChangeableLearner(learner),
  };
}

export type LearnerOutcomesView = { outcomes: Outcome[]; changeable: boolean };

/** The learner's outcomes, newest first. */
export async function loadLearnerOutcomes(learnerId: string): Promise<LearnerOutcomesView> {
  const [learner, outcomes] = await Promise.all([
    getLearner(db, learnerId),
    outcomesOfLearner(db, learnerId),
  ]);
  return {
    outcomes: outcomes.sort(
      (a, b) => b.startDate.localeCompare(a.startDate) || b.collectedOn.localeCompare(a.collectedOn),
    ),
    changeable: learner !== undefined && isChangeableLearner(learner),
  };
}

export type FollowUpLine = FollowUp & { learnerName: string };

/**
 * The follow-up checks due today, each with the learner's name. Learners no longer shown (erased,
 * removed, joined into another record) are left out: their checks are not owed any more.
 */
export async function loadFollowUps(today: string = localIsoDate()): Promise<FollowUpLine[]> {
  const due = await followUpsDue(db, today);
  const lines = await Promise.all(
    due.map(async (followUp) => {
      const learner = await getLearner(db, followUp.learnerId);
      return learner && isChangeableLearner(learner) ? [{ ...followUp, learnerName: fullName(learner) }] : [];
    }),
  );
  return lines.flat();
}
