import { listProgrammes } from '../../db/programmes';
import { sessionsAfter, sessionsBefore, sessionsOn } from '../../db/sessions';
import { listVenues } from '../../db/venues';
import type { OutreachDatabase } from '../../db/database';
import { type SessionSummary, isRegisterUnfinished, summariseSessions } from '../sessions/summariseSessions';

const UPCOMING_SHOWN = 10;
const PAST_CHECKED = 20;
const UNFINISHED_SHOWN = 5;

/** What Today shows for a day: its sessions, the next ones, registers left unfinished, and set-up so far. */
export type TodayData = {
  hasProgrammes: boolean;
  hasVenues: boolean;
  hasSessions: boolean;
  today: SessionSummary[];
  upcoming: SessionSummary[];
  unfinished: SessionSummary[];
};

export async function readToday(db: OutreachDatabase, today: string): Promise<TodayData> {
  const [programmes, venues, todays, upcoming, past] = await Promise.all([
    listProgrammes(db),
    listVenues(db),
    sessionsOn(db, today),
    sessionsAfter(db, today, UPCOMING_SHOWN),
    sessionsBefore(db, today, PAST_CHECKED),
  ]);
  const [todaySummaries, upcomingSummaries, pastSummaries] = await Promise.all([
    summariseSessions(db, todays),
    summariseSessions(db, upcoming),
    summariseSessions(db, past),
  ]);
  return {
    hasProgrammes: programmes.length > 0,
    hasVenues: venues.length > 0,
    hasSessions: todays.length + upcoming.length + past.length > 0,
    today: todaySummaries,
    upcoming: upcomingSummaries,
    unfinished: pastSummaries.filter(isRegisterUnfinished).slice(0, UNFINISHED_SHOWN),
  };
}
