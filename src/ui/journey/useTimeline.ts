import { useLiveQuery } from 'dexie-react-hooks';
import { db } from '../../db/instance';
import { assessmentsOfLearner, awardsOfLearner, goalsOfLearner, outcomesOfLearner } from '../../db/journey';
import { getLoanDevice, loansOfLearner } from '../../db/loans';
import { type TimelineEntry, type TimelineRecords, learnerTimeline } from '../../domain/timeline';
import { loadLearnerActivity } from '../learners/learnerActivity';

const UNKNOWN_PROGRAMME = 'a programme not on this device';
const UNKNOWN_DEVICE = 'not on this tablet';

/** Everything on the device about one learner that the timeline shows, with the titles and tags it names. */
async function loadTimelineRecords(learnerId: string): Promise<TimelineRecords> {
  const [activity, assessments, goals, awards, outcomes, loans] = await Promise.all([
    loadLearnerActivity(learnerId, UNKNOWN_PROGRAMME),
    assessmentsOfLearner(db, learnerId),
    goalsOfLearner(db, learnerId),
    awardsOfLearner(db, learnerId),
    outcomesOfLearner(db, learnerId),
    loansOfLearner(db, learnerId),
  ]);
  const assetTags = new Map(
    await Promise.all(
      [...new Set(loans.map((loan) => loan.loanDeviceId))].map(
        async (id) => [id, (await getLoanDevice(db, id))?.assetTag] as const,
      ),
    ),
  );
  return {
    ...activity,
    assessments,
    goals,
    awards,
    outcomes,
    loans: loans.map((loan) => ({ loan, assetTag: assetTags.get(loan.loanDeviceId) ?? UNKNOWN_DEVICE })),
  };
}

/** The learner's journey in date order, live: undefined while it first loads. */
export function useTimeline(learnerId: string): TimelineEntry[] | undefined {
  return useLiveQuery(async () => learnerTimeline(await loadTimelineRecords(learnerId)), [learnerId]);
}
