// A learner's enrolments and attendance with the programme titles and sessions they name: what the
// learner page lists and the timeline orders.
import { attendanceOfLearner } from '../../db/attendance';
import { db } from '../../db/instance';
import { enrolmentsOfLearner } from '../../db/learners';
import { getProgramme } from '../../db/programmes';
import { getSession } from '../../db/sessions';
import type { Attendance, Enrolment, Session } from '../../domain/records';

export const UNKNOWN_PROGRAMME = 'A programme not on this device';

export type LearnerActivity = {
  enrolments: { enrolment: Enrolment; programmeTitle: string }[];
  attendance: { mark: Attendance; session: Session | undefined; programmeTitle: string }[];
};

/** `unknownTitle` names a programme this device does not hold (as a list item, or within a sentence). */
export async function loadLearnerActivity(
  learnerId: string,
  unknownTitle: string = UNKNOWN_PROGRAMME,
): Promise<LearnerActivity> {
  const [enrolments, marks] = await Promise.all([
    enrolmentsOfLearner(db, learnerId),
    attendanceOfLearner(db, learnerId),
  ]);
  const sessions = new Map(
    await Promise.all(
      [...new Set(marks.map((mark) => mark.sessionId))].map(
        async (id) => [id, await getSession(db, id)] as const,
      ),
    ),
  );
  const programmeIds = new Set([
    ...enrolments.map((enrolment) => enrolment.programmeId),
    ...[...sessions.values()].flatMap((session) => (session ? [session.programmeId] : [])),
  ]);
  const titles = new Map(
    await Promise.all(
      [...programmeIds].map(async (id) => [id, (await getProgramme(db, id))?.title] as const),
    ),
  );
  const titleOf = (programmeId: string | undefined) =>
    (programmeId && titles.get(programmeId)) || unknownTitle;
  return {
    enrolments: enrolments.map((enrolment) => ({
      enrolment,
      programmeTitle: titleOf(enrolment.programmeId),
    })),
    attendance: marks.map((mark) => {
      const session = sessions.get(mark.sessionId);
      return { mark, session, programmeTitle: titleOf(session?.programmeId) };
    }),
  };
}
