// What a list of sessions shows about each one: its programme and venue by name, and how far its
// register has got. Runs inside a live query, so the lists update as marks are made.
import { attendanceForSession } from '../../db/attendance';
import type { OutreachDatabase } from '../../db/database';
import { learnersOnProgramme } from '../../db/learners';
import { getProgramme } from '../../db/programmes';
import { getVenue } from '../../db/venues';
import type { Session } from '../../domain/records';

export type SessionSummary = {
  session: Session;
  programmeTitle: string;
  venueName: string;
  /** Learners enrolled on the session's programme: the register's rows. */
  enrolled: number;
  /** Of those, how many have a mark for this session. */
  marked: number;
};

export async function summariseSessions(
  db: OutreachDatabase,
  sessions: readonly Session[],
): Promise<SessionSummary[]> {
  const programmeIds = [...new Set(sessions.map((session) => session.programmeId))];
  const venueIds = [...new Set(sessions.map((session) => session.venueId))];
  const [programmes, venues, rosters, marks] = await Promise.all([
    Promise.all(programmeIds.map((id) => getProgramme(db, id))),
    Promise.all(venueIds.map((id) => getVenue(db, id))),
    Promise.all(programmeIds.map((id) => learnersOnProgramme(db, id))),
    Promise.all(sessions.map((session) => attendanceForSession(db, session.id))),
  ]);
  const titleOf = new Map(
    programmeIds.map((id, index) => [id, programmes[index]?.title ?? 'Unknown programme']),
  );
  const venueOf = new Map(venueIds.map((id, index) => [id, venues[index]?.name ?? 'Unknown venue']));
  const rosterOf = new Map(
    programmeIds.map((id, index) => [id, new Set((rosters[index] ?? []).map((learner) => learner.id))]),
  );
  return sessions.map((session, index) => {
    const roster = rosterOf.get(session.programmeId) ?? new Set<string>();
    const marked = (marks[index] ?? []).filter((mark) => roster.has(mark.learnerId)).length;
    return {
      session,
      programmeTitle: titleOf.get(session.programmeId) ?? '',
      venueName: venueOf.get(session.venueId) ?? '',
      enrolled: roster.size,
      marked,
    };
  });
}

export function isRegisterUnfinished(summary: SessionSummary): boolean {
  return summary.session.status !== 'cancelled' && summary.enrolled > 0 && summary.marked < summary.enrolled;
}
